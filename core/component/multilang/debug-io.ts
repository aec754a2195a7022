import net from 'node:net';
import { createReadStream, createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import type * as WorkerThreads from 'node:worker_threads';
import { isHeartbeatTuple } from '../../common/multilang/messages.js';
import { readMessages, type InputControl, type InputHandlers } from './input.js';
import type { WriteTarget } from './writer.js';
import { releaseWaitingMainThread, startInspectorRelay } from './inspector-relay.js';

/**
 * Debug mode: a worker thread owns stdin and stdout and answers Storm's heartbeats itself, so
 * a main thread paused at a breakpoint is not killed by ShellBolt's heartbeat timeout.
 * Only in debug mode: otherwise the heartbeat reply is what proves the main thread is alive.
 */

/** workerData of the debug I/O thread. */
export interface DebugIoData {
  squallIo: true;
  leftover: string;
  /** When set, the thread also serves the inspector relay (see inspector-relay.ts) with this secret. */
  relaySecret?: string;
}

/** argv entry marking a thread started as the debug I/O thread (checked without loading worker_threads). */
export const DEBUG_IO_ARG = '--squall-debug-io';

/**
 * Characters of output handed to the I/O thread and not yet written to stdout beyond which the
 * main thread is told to wait (and input is paused), as process.stdout does outside debug mode.
 */
export const DEBUG_OUTPUT_HIGH_WATER = 256 * 1024;

type ToWorker = { write: string; id: number } | { pause: boolean } | { releaseWaitAfterMs: number } | { waitOver: true };
type FromWorker = { messages: unknown[] } | { eof: true } | { malformed: string } | { written: number } | { relay: number } | { relayFailed: string };

/** What the main thread controls of the debug I/O thread. */
export interface DebugIo {
  target: WriteTarget;
  input: InputControl;
  /** The relay's port once it listens; undefined without a relay (or when it could not listen: see the reason). */
  relay: Promise<{ port?: number; failed?: string }>;
  /**
   * Before the main thread blocks in `inspector.waitForDebugger()`: after `ms`, the I/O thread
   * lets it run on (a bounded wait), unless `waitOver()` came first.
   */
  releaseWaitAfter(ms: number): void;
  /** The main thread runs again (a debugger released it, or the bounded wait ran out). */
  waitOver(): void;
}

const SYNC = '{"command":"sync"}\nend\n';

// worker_threads is only needed in debug mode: loading it lazily keeps it out of every task's memory.
const lazyRequire = createRequire(import.meta.url);
const workerThreads = (): typeof WorkerThreads => lazyRequire('node:worker_threads') as typeof WorkerThreads;

/** True when this thread was started as the debug I/O thread. */
export function isDebugIoThread(argv: readonly string[] = process.argv): boolean {
  return argv.includes(DEBUG_IO_ARG);
}

/**
 * Output bookkeeping of debug mode: counts what the I/O thread has not written yet, says
 * "wait" past the high-water mark and calls the drain listeners once everything is out.
 */
export class OutputWindow {
  private inFlight = 0;
  private waiting = false;
  private readonly drainListeners: Array<() => void> = [];

  constructor(private readonly highWater = DEBUG_OUTPUT_HIGH_WATER) {}

  /** Records `size` characters handed over; false when the caller should wait for drain. */
  sent(size: number): boolean {
    this.inFlight += size;
    if (this.inFlight > this.highWater) this.waiting = true;
    return !this.waiting;
  }

  /** Records `size` characters written; emits drain when a waiting writer may go on. */
  written(size: number): void {
    this.inFlight -= size;
    if (this.waiting && this.inFlight === 0) {
      this.waiting = false;
      for (const listener of this.drainListeners) listener();
    }
  }

  onDrain(listener: () => void): void {
    this.drainListeners.push(listener);
  }

  /** Characters handed over and not written yet. */
  get pending(): number {
    return this.inFlight;
  }
}

/**
 * Main-thread side: starts the I/O thread from the launcher file; returns the output target
 * (bounded: past DEBUG_OUTPUT_HIGH_WATER unwritten characters it asks the writer to wait) and
 * the control of the input, which the I/O thread reads.
 */
export function startDebugIo(launcherUrl: string, leftover: string, handlers: InputHandlers, relaySecret?: string): DebugIo {
  const { Worker } = workerThreads();
  const worker = new Worker(new URL(launcherUrl), {
    argv: [DEBUG_IO_ARG],
    workerData: { squallIo: true, leftover, ...(relaySecret ? { relaySecret } : {}) } satisfies DebugIoData,
    // Keep the worker's own stdout away from fd 1; it writes the protocol through its socket.
    stdout: true,
    stderr: false,
  });
  const window = new OutputWindow();
  const pendingWrites = new Map<number, { size: number; done: () => void }>();
  let nextId = 0;
  let relayKnown: (relay: { port?: number; failed?: string }) => void = () => {};
  const relay = relaySecret ? new Promise<{ port?: number; failed?: string }>((resolve) => (relayKnown = resolve)) : Promise.resolve({});
  worker.on('message', (message: FromWorker) => {
    if ('messages' in message) handlers.messages(message.messages);
    else if ('relay' in message) relayKnown({ port: message.relay });
    else if ('relayFailed' in message) relayKnown({ failed: message.relayFailed });
    else if ('written' in message) {
      const write = pendingWrites.get(message.written);
      pendingWrites.delete(message.written);
      if (write) {
        write.done();
        window.written(write.size);
      }
    } else if ('eof' in message) handlers.end();
    else handlers.malformed(new Error(message.malformed));
  });
  worker.on('error', (error) => handlers.malformed(error));
  return {
    target: {
      write: (text, done) => {
        const id = nextId++;
        pendingWrites.set(id, { size: text.length, done });
        worker.postMessage({ write: text, id } satisfies ToWorker);
        return window.sent(text.length);
      },
      onDrain: (listener) => window.onDrain(listener),
    },
    input: {
      pause: () => worker.postMessage({ pause: true } satisfies ToWorker),
      resume: () => worker.postMessage({ pause: false } satisfies ToWorker),
    },
    relay,
    releaseWaitAfter: (ms) => worker.postMessage({ releaseWaitAfterMs: ms } satisfies ToWorker),
    waitOver: () => worker.postMessage({ waitOver: true } satisfies ToWorker),
  };
}

/** Worker side: reads stdin, answers heartbeats, forwards everything else to the main thread. */
export function runDebugIo(): void {
  const { parentPort, workerData } = workerThreads();
  const data = workerData as DebugIoData;
  const port = parentPort!;
  // Storm gives pipes; a terminal or a file (squall launch by hand, tests) needs fs streams.
  let out: NodeJS.WritableStream;
  try {
    out = new net.Socket({ fd: 1, readable: false, writable: true });
  } catch {
    out = createWriteStream('', { fd: 1 });
  }
  out.on('error', () => port.postMessage({ eof: true } satisfies FromWorker));
  let input: NodeJS.ReadableStream;
  try {
    input = new net.Socket({ fd: 0, readable: true, writable: false });
  } catch {
    input = createReadStream('', { fd: 0 });
  }
  // Nothing may precede the pid reply, which is the main thread's first write: heartbeats that
  // arrive before it (an eager host) are answered right after it.
  let pidSent = false;
  let heldSyncs = 0;
  const control = readMessages(input, data.leftover, {
    messages: (list) => {
      const forward: unknown[] = [];
      for (const message of list) {
        if (!isHeartbeatTuple(message)) forward.push(message);
        else if (pidSent) out.write(SYNC);
        else heldSyncs++;
      }
      if (forward.length > 0) port.postMessage({ messages: forward } satisfies FromWorker);
    },
    end: () => port.postMessage({ eof: true } satisfies FromWorker),
    malformed: (error) => port.postMessage({ malformed: error.message } satisfies FromWorker),
  });
  if (data.relaySecret) {
    startInspectorRelay(
      data.relaySecret,
      (relayPort) => port.postMessage({ relay: relayPort } satisfies FromWorker),
      (error) => port.postMessage({ relayFailed: error.message } satisfies FromWorker),
    );
  }
  let waitRelease: NodeJS.Timeout | undefined;
  port.on('message', (message: ToWorker) => {
    if ('releaseWaitAfterMs' in message) {
      waitRelease = setTimeout(releaseWaitingMainThread, message.releaseWaitAfterMs);
      return;
    }
    if ('waitOver' in message) {
      clearTimeout(waitRelease);
      return;
    }
    if ('pause' in message) {
      if (message.pause) control.pause();
      else control.resume();
      return;
    }
    out.write(message.write, () => port.postMessage({ written: message.id } satisfies FromWorker));
    if (!pidSent) {
      pidSent = true;
      for (; heldSyncs > 0; heldSyncs--) out.write(SYNC);
    }
  });
}
