/**
 * The README's tour, run as written (minus the commands that need a Storm cluster): it must work
 * from the checkout and leave the checkout as it found it. And a scaffolded project's
 * .gitignore must leave out everything the tour's commands write into it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'squall-tour-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The shell lines of the README's "A tour" block. */
function tourLines(): string[] {
  const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## A tour'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  return block.split('\n').map((line) => line.replace(/\s+#.*$/, '').trim()).filter(Boolean);
}

/** Untracked files git would show in the checkout (ignored ones excluded). */
function untracked(): string[] {
  return execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: repo, encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.startsWith('??'))
    .sort();
}

function bash(script: string, cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', script], { cwd, timeout: 120_000, env: { ...process.env, TMPDIR: scratch } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout + stderr });
    });
  });
}

describe('the README tour', () => {
  it('writes into a scratch folder, not into the checkout', async () => {
    const lines = tourLines();
    expect(lines[0]).toMatch(/^tour=\$\(mktemp -d\)$/);
    // submit and stats need a Storm cluster; the other commands run as written (a shorter run).
    const local = lines.filter((line) => !/squall (submit|stats)\b/.test(line)).map((line) => line.replace('npx squall', `node ${path.join(repo, 'bin/squall.mjs')}`).replace('--duration 10', '--duration 2'));
    const before = untracked();
    const run = await bash(['set -e', ...local, 'ls -a "$tour" "$tour/my-topology"'].join('\n'), repo);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/my-topology\.jar[\s\S]*stats\.json/);
    expect(untracked()).toEqual(before);
    // The checkout's .gitignore would hide logs/, stats.json and JARs from git status: look for them by name.
    expect(['my-topology', 'my-topology.jar', 'logs', 'stats.json'].filter((name) => existsSync(path.join(repo, name)))).toEqual([]);
  });
});

describe("a scaffolded project's .gitignore", () => {
  it('leaves out the bundle cache, logs, statistics, JARs and test results', async () => {
    const project = path.join(scratch, 'ignored');
    const squall = `node ${path.join(repo, 'bin/squall.mjs')}`;
    const run = await bash(
      [
        'set -e',
        `${squall} init ${project}`,
        `cd ${project}`,
        `${squall} run topology.yaml --duration 1 --logdir logs --stats-json stats.json`,
        `${squall} package topology.yaml -o my-topology.jar`,
      ].join('\n'),
      scratch,
    );
    expect(run.code, run.output).toBe(0);
    mkdirSync(path.join(project, 'test-results'));
    writeFileSync(path.join(project, 'test-results', 'vitest.json'), '{}');
    execFileSync('git', ['init', '-q'], { cwd: project });
    const shown = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: project, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3))
      .sort();
    expect(shown).toEqual(['.gitignore', 'components/count.ts', 'components/sentences.ts', 'components/split.ts', 'package.json', 'test/split.test.ts', 'topology.yaml', 'tsconfig.json']);
  });
});
