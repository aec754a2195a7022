/** Drives a packaged launcher the way a Storm worker does: `cd resources && node <launcher>`, multilang on stdin/stdout. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';

/** Extracts every `resources/` entry of a JAR into `dir` (as Storm's supervisor does). */
export function extractResources(jar: string, dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(jar, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.startsWith('resources/') || entry.fileName.endsWith('/')) return zip.readEntry();
        const target = path.join(dir, entry.fileName);
        mkdirSync(path.dirname(target), { recursive: true });
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          stream.pipe(createWriteStream(target)).on('finish', () => zip.readEntry());
        });
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** A launched component: send messages, await messages, await exit. */
export interface Child {
  process: ChildProcess;
  send(message: unknown): void;
  next(timeoutMs?: number): Promise<Record<string, unknown>>;
  exit(): Promise<number | null>;
  stderr(): string;
}

/** Starts `node <launcher>` in `resources`. */
export function launch(resources: string, launcher: string): Child {
  const child = spawn(process.execPath, [launcher], { cwd: resources, stdio: ['pipe', 'pipe', 'pipe'] });
  let buffer = '';
  let stderr = '';
  const queue: Array<Record<string, unknown>> = [];
  const waiting: Array<(m: Record<string, unknown>) => void> = [];
  child.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    for (;;) {
      const end = buffer.indexOf('\nend\n');
      if (end === -1) break;
      const message = JSON.parse(buffer.slice(0, end)) as Record<string, unknown>;
      buffer = buffer.slice(end + 5);
      const waiter = waiting.shift();
      if (waiter) waiter(message);
      else queue.push(message);
    }
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin!.on('error', () => undefined);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    send: (message) => child.stdin!.write(`${JSON.stringify(message)}\nend\n`),
    next: (timeoutMs = 10_000) =>
      queue.length
        ? Promise.resolve(queue.shift()!)
        : new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no message within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
            waiting.push((m) => {
              clearTimeout(timer);
              resolve(m);
            });
          }),
    exit: () => exited,
    stderr: () => stderr,
  };
}

/** A handshake as ShellBolt/ShellSpout sends it. */
export function handshake(componentId: string, taskId: number, pidDir: string, outputs: Record<string, string[]>): unknown {
  return {
    conf: { 'topology.name': 'test' },
    pidDir,
    context: {
      taskid: taskId,
      componentid: componentId,
      'task->component': { '1': 'sentences', '2': 'split', '3': 'split', '4': 'count', '5': 'count', '6': '__acker' },
      streams: Object.keys(outputs),
      'stream->outputfields': outputs,
      'source->stream->fields': { sentences: { default: ['sentence'] }, split: { default: ['word'] } },
    },
  };
}
