import { spawn } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localSandbox, processExists, waitFor } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SQUALL = path.join(ROOT, 'bin', 'squall.mjs');
const sandbox = localSandbox();

/** Starts `squall run ...`; collects its output. */
function squall(args: string[]) {
  // detached: its own process group, so the test can send SIGINT to the group as a terminal does.
  const child = spawn(process.execPath, [SQUALL, 'run', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output.stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output.stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output, exited };
}

function pidsIn(stdout: string): number[] {
  return [...stdout.matchAll(/started \(pid (\d+)\)/g)].map((m) => Number(m[1]));
}

describe('squall run', () => {
  it('runs wordcount for --duration, stops by itself, writes --stats-json with spout acked == emitted, and leaves no process', async () => {
    const dir = await sandbox.tempDir('squall-run-');
    const stats = path.join(dir, 'stats.json');
    const logdir = path.join(dir, 'logs');
    const run = squall(['examples/wordcount/topology.yaml', '--duration', '3', '--stats-json', stats, '--logdir', logdir, '--summary-every', '1']);
    const code = await run.exited;
    expect(code, run.output.stderr).toBe(0);
    expect(run.output.stdout).toMatch(/sentences: emitted \d+ acked \d+/);
    expect(run.output.stdout).toContain('stopped (duration)');
    const figures = JSON.parse(await readFile(stats, 'utf8'));
    const spout = figures.components.find((c: { component: string }) => c.component === 'sentences');
    expect(spout.emitted).toBeGreaterThan(100);
    // On failure, what the run printed says why (a task that died, a drain that timed out).
    const diagnosis = `${JSON.stringify(figures.components)}\n${run.output.stderr.slice(-3000)}`;
    expect(spout.acked, diagnosis).toBe(spout.emitted);
    expect(spout.failed, diagnosis).toBe(0);
    const count = figures.components.find((c: { component: string }) => c.component === 'count');
    expect(count.processLatency.count).toBe(count.acked);
    expect(figures.tasks).toHaveLength(5);
    expect((await readdir(logdir)).sort()).toEqual(['count_2.log', 'count_3.log', 'sentences_4.log', 'split_5.log', 'split_6.log']);
    const pids = pidsIn(run.output.stdout);
    expect(pids).toHaveLength(5);
    expect(pids.filter(processExists)).toEqual([]);
  }, 40_000);

  it('Ctrl-C (SIGINT to the process group) stops every task: no orphan process is left', async () => {
    const run = squall(['examples/wordcount/topology.yaml', '-o', 'topology.max.spout.pending=50', '--summary-every', '1']);
    await waitFor(() => run.output.stdout.includes('running locally'), 30_000, 'the topology to start');
    const pids = pidsIn(run.output.stdout);
    expect(pids).toHaveLength(5);
    expect(pids.every(processExists)).toBe(true);
    process.kill(-run.child.pid!, 'SIGINT');
    const code = await run.exited;
    expect(code).toBe(130);
    expect(run.output.stdout).toContain('stopped (requested)');
    // The tasks were stopped by the engine, not killed by the terminal's signal.
    expect(run.output.stderr).not.toMatch(/exited \(pid/);
    expect(pids.filter(processExists)).toEqual([]);
  }, 40_000);

  it('-q prints only problems and the final figures: no log lines, no periodic summary', async () => {
    const run = squall(['examples/wordcount/topology.yaml', '--duration', '2', '-q', '--summary-every', '0.5']);
    expect(await run.exited, run.output.stderr).toBe(0);
    const lines = run.output.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('squall: wordcount stopped (duration)');
    expect(lines[1]).toMatch(/^\[\d+s\] sentences: emitted \d+ acked \d+/);
    expect(run.output.stdout).not.toMatch(/\] (info|started)/);
  }, 40_000);

  it('prints the stop and the final figures once', async () => {
    const run = squall(['examples/wordcount/topology.yaml', '--duration', '2', '--summary-every', '10']);
    expect(await run.exited, run.output.stderr).toBe(0);
    expect(run.output.stdout.match(/stopped \(duration\)/g)).toHaveLength(1);
    // The first periodic summary (at once), then the final figures, each once: the final stats
    // event of the stop is not printed as one more periodic summary.
    const summaries = run.output.stdout.split('\n').filter((line) => /^\[\d+s\] /.test(line));
    expect(summaries).toHaveLength(2);
    expect(summaries[0]).not.toBe(summaries[1]);
  }, 40_000);

  for (const inProcess of [false, true]) {
    it(`${inProcess ? 'in-process' : 'multiprocess'}: prints a crash's report once, then the exit with the tuple it died on`, async () => {
      const dir = await sandbox.tempDir('squall-crash-cli-');
      const args = [path.join('test/local/fixtures/crash-topology.yaml'), '--duration', '3', '-o', `test.marker=${path.join(dir, 'marker')}`];
      const run = squall(inProcess ? [...args, '--in-process'] : args);
      expect(await run.exited, run.output.stderr).toBe(0);
      const all = run.output.stdout + run.output.stderr;
      expect(all.match(/Error: boom on id-\d+/g), all).toHaveLength(1);
      expect(all).toMatch(/sink\[\d+\] error: component 'sink', task \d+: process\(\) threw: Error: boom on id-\d+/);
      expect(all).toMatch(/sink\[\d+\] exited \(pid \S+, code 1\): process exited with code 1\n {2}tuple: \["id-\d+ word-\d+"\]/);
    }, 40_000);
  }
});
