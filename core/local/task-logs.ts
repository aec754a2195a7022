/**
 * One log file per task, Petrel-style. Petrel's launcher writes `petrel<pid>_<script>.log`
 * in the worker's folder; a Squall task keeps one file across restarts, so the name is keyed
 * by what survives a restart: `<component>_<task>.log` (the pid is on every line instead).
 * Line format: `[2026-11-21T23:59:01.123Z][split:5][pid 1234][INFO] text`.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { SquallError } from '../common/errors.js';
import type { Disposable, Event } from '../common/event.js';
import type { RunEvent } from '../common/run/run-types.js';

/** The file name of a task's log. */
export function taskLogName(component: string, task: number): string {
  return `${component.replace(/[^\w.-]/g, '_')}_${task}.log`;
}

/** Writes every log line, error, start and exit of each task to its own file under `dir`. */
export class TaskLogFiles {
  private readonly files = new Map<string, WriteStream>();
  private readonly pids = new Map<string, number | undefined>();
  /** Tasks whose log file failed; their lines are dropped. */
  private readonly broken = new Set<string>();
  private readonly subscription: Disposable;

  constructor(
    private readonly dir: string,
    /** The run's events (LocalRun.onEvent). */
    events: Event<RunEvent>,
  ) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new SquallError('io', `cannot create the log folder: ${(error as Error).message}`, { file: dir }, 'choose a folder you can write to with --logdir');
    }
    this.subscription = events((event) => this.write(event));
  }

  /** Stops listening and closes every file. */
  async close(): Promise<void> {
    this.subscription.dispose();
    await Promise.all([...this.files.values()].map((f) => new Promise<void>((resolve) => f.end(resolve))));
    this.files.clear();
  }

  private write(event: RunEvent): void {
    switch (event.type) {
      case 'task-state':
        return this.taskState(event);
      case 'log':
        return this.line(event.component, event.task, event.stream ? 'STDERR' : event.level.toUpperCase(), event.text);
      case 'problem':
        if (event.where.component !== undefined && event.where.task !== undefined && event.kind !== 'task-died') {
          this.line(event.where.component, event.where.task, event.severity === 'warning' ? 'WARN' : 'ERROR', event.message);
        }
        return;
      default:
        return;
    }
  }

  private taskState(event: Extract<RunEvent, { type: 'task-state' }>): void {
    if (event.state === 'running') {
      this.pids.set(`${event.component}:${event.task}`, event.pid);
      return this.line(event.component, event.task, 'INFO', `task started (pid ${event.pid}${event.generation ? `, restart ${event.generation}` : ''})`);
    }
    if (event.exit) {
      const exit = event.exit;
      const parts = [`task exited: ${exit.reason}`];
      if (exit.lastError && exit.lastError !== exit.reason) parts.push(`last error: ${exit.lastError}`);
      if (exit.tuple) parts.push(`tuple: ${JSON.stringify(exit.tuple)}`);
      if (exit.stderrTail) parts.push(`stderr tail:\n${exit.stderrTail}`);
      this.line(event.component, event.task, 'ERROR', parts.join('\n'));
    }
    if (event.restart) this.line(event.component, event.task, 'INFO', `restarting in ${event.restart.delayMs} ms (attempt ${event.restart.attempt})`);
  }

  private line(component: string, task: number, level: string, text: string): void {
    const key = `${component}:${task}`;
    if (this.broken.has(key)) return;
    let file = this.files.get(key);
    if (!file) {
      const name = path.join(this.dir, taskLogName(component, task));
      file = createWriteStream(name, { flags: 'a' });
      // A log file that cannot be written (disk full, folder removed) must not take the run down
      // with an unhandled 'error' event: say so once on stderr and carry on without it.
      file.on('error', (error) => {
        if (this.broken.has(key)) return;
        this.broken.add(key);
        process.stderr.write(`squall: cannot write the task log ${name}: ${error.message}\n`);
      });
      this.files.set(key, file);
    }
    const pid = this.pids.get(key);
    file.write(`[${new Date().toISOString()}][${key}][pid ${pid ?? '-'}][${level}] ${text}\n`);
  }
}
