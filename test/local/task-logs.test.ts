import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SquallError } from '../../core/common/errors.js';
import { Emitter } from '../../core/common/event.js';
import type { RunEvent } from '../../core/common/run/run-types.js';
import { TaskLogFiles, taskLogName } from '../../core/local/task-logs.js';

const dirs: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'squall-task-logs-'));
  dirs.push(dir);
  return dir;
}

describe('TaskLogFiles (one log file per task)', () => {
  it("writes a task's start, log lines, stderr lines and exit to <component>_<task>.log, with its pid", async () => {
    const dir = await tempDir();
    const events = new Emitter<RunEvent>('event');
    const logs = new TaskLogFiles(dir, events.event);
    events.fire({ type: 'task-state', component: 'split', kind: 'bolt', task: 5, state: 'running', previous: 'starting', pid: 1234, generation: 0, time: 0 });
    events.fire({ type: 'log', component: 'split', task: 5, level: 'warn', text: 'odd sentence', time: 0 });
    events.fire({ type: 'log', component: 'split', task: 5, level: 'info', text: 'Debugger listening', stream: 'stderr', time: 0 });
    events.fire({ type: 'task-state', component: 'split', kind: 'bolt', task: 5, state: 'restarting', previous: 'running', generation: 1, time: 0, exit: { pid: 1234, code: 1, signal: null, reason: 'process exited with code 1', stderrTail: '', lastError: 'boom' } });
    await logs.close();
    const lines = (await readFile(path.join(dir, taskLogName('split', 5)), 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toMatch(/\]\[split:5\]\[pid 1234\]\[INFO\] task started \(pid 1234\)$/);
    expect(lines[1]).toMatch(/\[WARN\] odd sentence$/);
    expect(lines[2]).toMatch(/\[STDERR\] Debugger listening$/);
    expect(lines[3]).toMatch(/\[ERROR\] task exited: process exited with code 1$/);
    expect(lines[4]).toBe('last error: boom');
  });

  it('refuses a log folder it cannot create with a SquallError naming it', async () => {
    const file = path.join(await tempDir(), 'not-a-folder');
    await writeFile(file, '');
    expect(() => new TaskLogFiles(path.join(file, 'logs'), new Emitter<RunEvent>('event').event)).toThrow(SquallError);
  });

  it('keeps running when a log file cannot be written: one line on stderr, the other tasks still logged', async () => {
    const dir = await tempDir();
    // A folder where the task's file should be: opening it fails (EISDIR) after the write is queued.
    await mkdir(path.join(dir, taskLogName('count', 2)));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const events = new Emitter<RunEvent>('event');
    const logs = new TaskLogFiles(dir, events.event);
    for (let i = 0; i < 3; i++) {
      events.fire({ type: 'log', component: 'count', task: 2, level: 'info', text: `line ${i}`, time: 0 });
      events.fire({ type: 'log', component: 'split', task: 5, level: 'info', text: `line ${i}`, time: 0 });
      await new Promise((resolve) => setImmediate(resolve));
    }
    await logs.close();
    const complaints = stderr.mock.calls.map(([text]) => String(text)).filter((text) => text.includes('cannot write the task log'));
    expect(complaints).toHaveLength(1);
    expect(complaints[0]).toContain(taskLogName('count', 2));
    expect((await readFile(path.join(dir, taskLogName('split', 5)), 'utf8')).trimEnd().split('\n')).toHaveLength(3);
  });
});
