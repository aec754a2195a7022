import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TaskProcess } from '../../core/local/task-process.js';

describe('TaskProcess (the pipe to one child)', () => {
  it('reports congestion from a large batch and calls onWritable once the batch is written', async () => {
    const exits: Array<number | null> = [];
    const reader = new TaskProcess(
      { script: "process.stdin.resume(); process.stdin.on('end', () => process.exit(0))", execArgv: ['-e'], cwd: process.cwd(), env: process.env },
      { onMessages: () => {}, onProtocolError: () => {}, onStderr: () => {}, onExit: (code) => exits.push(code) },
    );
    let writable = 0;
    reader.onWritable = () => writable++;
    // ~67 KB: above our 64 KB mark, yet the pipe takes it almost all at once, so no drain event.
    for (let i = 0; i < 600; i++) reader.sendTuple(String(i), 'spout', 'default', 1, ['x'.repeat(50)]);
    expect(reader.congested).toBe(true);
    const until = Date.now() + 5000;
    while (writable === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(writable).toBeGreaterThan(0);
    expect(reader.congested).toBe(false);
    await reader.stop(1000);
    expect(reader.alive).toBe(false);
    expect(exits).toContain(0);
  });

  it('turns bytes that are not a multilang message into a protocol error with an excerpt', async () => {
    const errors: string[] = [];
    const proc = new TaskProcess(
      { script: "process.stdout.write('hello world\\nend\\n'); setTimeout(() => {}, 5000)", execArgv: ['-e'], cwd: process.cwd(), env: process.env },
      { onMessages: () => {}, onProtocolError: (e) => errors.push(e.excerpt), onStderr: () => {}, onExit: () => {} },
    );
    const until = Date.now() + 5000;
    while (errors.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(errors).toEqual(['hello world']);
    proc.kill();
    await proc.exit;
  });

  it('reports a spawn failure (no such folder) as one exit, with the reason in the stderr tail', async () => {
    const exits: Array<[number | null, string | null]> = [];
    const proc = new TaskProcess(
      { script: 'never-runs.mjs', cwd: '/nonexistent-squall-folder', env: process.env },
      { onMessages: () => {}, onProtocolError: () => {}, onStderr: () => {}, onExit: (code, signal) => exits.push([code, signal]) },
    );
    // Subscribed in the same turn as the spawn: the child's own 'close' cannot be missed.
    const child = (proc as unknown as { child: ChildProcess }).child;
    const closed = new Promise((resolve) => child.once('close', resolve));
    await proc.exit;
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000))]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([[null, null]]);
    expect(proc.alive).toBe(false);
    expect(proc.stderr).toMatch(/ENOENT/);
  });
});
