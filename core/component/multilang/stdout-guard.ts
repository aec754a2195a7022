import type { LogLevelName } from '../../common/multilang/messages.js';
import { formatLogArgs } from '../component.js';

/** Receives what user code tried to print. */
export type LogSink = (level: LogLevelName, text: string) => void;

/** The real stdout/stderr writers, captured before the guard replaced them. */
export interface GuardedStreams {
  writeStdout: (text: string, done: () => void) => boolean;
  writeStderr: (text: string) => void;
  /** Puts console and the streams back (tests, describe mode). */
  restore(): void;
}

type WriteFunction = typeof process.stdout.write;

/**
 * Stdout is the protocol channel: one stray byte is fatal for the Storm worker. The guard
 * turns every console.* call and every process.stdout/stderr write made by user code into a
 * log line of the task (a multilang `log` message), keeping stderr quiet as well, since Storm
 * only drains a child's stderr when it writes to the child.
 *
 * `touchStdout: false` leaves process.stdout unopened (debug mode: a worker owns fd 1).
 */
export function installStdoutGuard(sink: LogSink, options: { touchStdout?: boolean } = {}): GuardedStreams {
  const touchStdout = options.touchStdout ?? true;
  const consoleSaved = { ...console };
  const levels: Array<[keyof Console, LogLevelName]> = [
    ['log', 'info'],
    ['info', 'info'],
    ['debug', 'debug'],
    ['trace', 'debug'],
    ['warn', 'warn'],
    ['error', 'error'],
  ];
  for (const [method, level] of levels) {
    (console as unknown as Record<string, unknown>)[method] =
      method === 'trace'
        ? (...args: unknown[]) => sink(level, `Trace: ${formatLogArgs(args)}\n${new Error().stack?.split('\n').slice(2).join('\n') ?? ''}`)
        : (...args: unknown[]) => sink(level, formatLogArgs(args));
  }

  const stderr = process.stderr;
  const stderrWrite = stderr.write;
  const realStderr = stderrWrite.bind(stderr) as (text: string) => boolean;
  stderr.write = divert(sink, 'warn');

  let restoreStdout = (): void => {};
  let writeStdout: GuardedStreams['writeStdout'] = () => {
    throw new Error('stdout is owned by the debug I/O thread');
  };
  if (touchStdout) {
    const stdout = process.stdout;
    const stdoutWrite = stdout.write;
    const bound = stdoutWrite.bind(stdout) as (text: string, cb: () => void) => boolean;
    writeStdout = (text, done) => bound(text, done);
    stdout.write = divert(sink, 'info');
    restoreStdout = () => void (stdout.write = stdoutWrite);
  } else {
    // Opening process.stdout here would compete with the worker for fd 1: swap in a sink.
    Object.defineProperty(process, 'stdout', { configurable: true, enumerable: true, value: fakeStream(sink) });
  }

  return {
    writeStdout,
    writeStderr: (text) => void realStderr(text),
    restore: () => {
      Object.assign(console, consoleSaved);
      stderr.write = stderrWrite;
      restoreStdout();
    },
  };
}

function divert(sink: LogSink, level: LogLevelName): WriteFunction {
  return function write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    const trimmed = text.endsWith('\n') ? text.slice(0, -1) : text;
    if (trimmed.length > 0) sink(level, trimmed);
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  } as WriteFunction;
}

function fakeStream(sink: LogSink): NodeJS.WriteStream {
  return { write: divert(sink, 'info'), isTTY: false, on: () => undefined, once: () => undefined, end: () => undefined } as unknown as NodeJS.WriteStream;
}
