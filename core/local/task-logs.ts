/**
 * One log file per task, Petrel-style. Petrel's launcher writes `petrel<pid>_<script>.log`
 * in the worker's folder; a Squall task keeps one file across restarts, so the name is keyed
 * by what survives a restart: `<component>_<task>.log` (the pid is on every line instead).
 * Line format: `[2026-11-21T23:59:01.123Z][split:5][pid 1234][INFO] text`.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { SquallError } from '../common/errors.js';
import type { EngineEvent } from './events.js';
import type { EngineEvents, Subscription } from './events.js';

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
  private readonly subscription: Subscription;

  constructor(
    private readonly dir: string,
    events: EngineEvents,
  ) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new SquallError('io', `cannot create the log folder: ${(error as Error).message}`, { file: dir }, 'choose a folder you can write to with --logdir');
    }
    this.subscription = events.onAny((event) => this.write(event));
  }

  /** Stops listening and closes every file. */
  async close(): Promise<void> {
    this.subscription.dispose();
    await Promise.all([...this.files.values()].map((f) => new Promise<void>((resolve) => f.end(resolve))));
    this.files.clear();
  }

  private write(event: EngineEvent): void {
    switch (event.type) {
      case 'task-started':
        this.pids.set(`${event.component}:${event.task}`, event.pid);
        return this.line(event.component, event.task, 'INFO', `task started (pid ${event.pid}${event.restart ? `, restart ${event.restart}` : ''})`);
      case 'log':
        return this.line(event.component, event.task, event.stream ? 'STDERR' : event.level.toUpperCase(), event.text);
      case 'error':
        if (event.component !== undefined && event.task !== undefined) this.line(event.component, event.task, 'ERROR', event.message);
        return;
      case 'task-exited': {
        const parts = [`task exited: ${event.reason}`];
        if (event.lastError) parts.push(`last error: ${event.lastError}`);
        if (event.tuple) parts.push(`tuple: ${JSON.stringify(event.tuple)}`);
        if (event.stderrTail) parts.push(`stderr tail:\n${event.stderrTail}`);
        return this.line(event.component, event.task, 'ERROR', parts.join('\n'));
      }
      case 'task-restarted':
        return this.line(event.component, event.task, 'INFO', `restarting in ${event.delayMs} ms (attempt ${event.attempt})`);
      default:
        return;
    }
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
