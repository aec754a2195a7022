import net from 'node:net';
import { createReadStream, createWriteStream } from 'node:fs';
import { parentPort, Worker } from 'node:worker_threads';
import { HEARTBEAT_STREAM } from '../../common/multilang/messages.js';
import { readMessages, type InputHandlers } from './input.js';
import type { WriteTarget } from './writer.js';

/**
 * Debug mode: a worker thread owns stdin and stdout and answers Storm's heartbeats itself, so
 * a main thread paused at a breakpoint is not killed by ShellBolt's heartbeat timeout.
 * Only in debug mode: otherwise the heartbeat reply is what proves the main thread is alive.
 */

/** workerData marking a thread started as the debug I/O thread. */
export interface DebugIoData {
  squallIo: true;
  leftover: string;
}

type ToWorker = { write: string; id: number };
type FromWorker = { messages: unknown[] } | { eof: true } | { malformed: string } | { written: number };

const SYNC = '{"command":"sync"}\nend\n';

/** True when this thread was started as the debug I/O thread. */
export function isDebugIoThread(data: unknown): data is DebugIoData {
  return typeof data === 'object' && data !== null && (data as DebugIoData).squallIo === true;
}

/** Main-thread side: starts the I/O thread from the launcher file; returns the output target. */
export function startDebugIo(launcherUrl: string, leftover: string, handlers: InputHandlers): WriteTarget {
  const worker = new Worker(new URL(launcherUrl), {
    workerData: { squallIo: true, leftover } satisfies DebugIoData,
    // Keep the worker's own stdout away from fd 1; it writes the protocol through its socket.
    stdout: true,
    stderr: false,
  });
  const pendingWrites = new Map<number, () => void>();
  let nextId = 0;
  worker.on('message', (message: FromWorker) => {
    if ('messages' in message) handlers.messages(message.messages);
    else if ('written' in message) {
      pendingWrites.get(message.written)?.();
      pendingWrites.delete(message.written);
    } else if ('eof' in message) handlers.end();
    else handlers.malformed(new Error(message.malformed));
  });
  worker.on('error', (error) => handlers.malformed(error));
  return {
    write: (text, done) => {
      const id = nextId++;
      pendingWrites.set(id, done);
      worker.postMessage({ write: text, id } satisfies ToWorker);
      return true;
    },
    onDrain: () => {},
  };
}

/** Worker side: reads stdin, answers heartbeats, forwards everything else to the main thread. */
export function runDebugIo(data: DebugIoData): void {
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
  readMessages(input, data.leftover, {
    messages: (list) => {
      const forward: unknown[] = [];
      for (const message of list) {
        if (!isHeartbeat(message)) forward.push(message);
        else if (pidSent) out.write(SYNC);
        else heldSyncs++;
      }
      if (forward.length > 0) port.postMessage({ messages: forward } satisfies FromWorker);
    },
    end: () => port.postMessage({ eof: true } satisfies FromWorker),
    malformed: (error) => port.postMessage({ malformed: error.message } satisfies FromWorker),
  });
  port.on('message', (message: ToWorker) => {
    out.write(message.write, () => port.postMessage({ written: message.id } satisfies FromWorker));
    if (!pidSent) {
      pidSent = true;
      for (; heldSyncs > 0; heldSyncs--) out.write(SYNC);
    }
  });
}

function isHeartbeat(message: unknown): boolean {
  return typeof message === 'object' && message !== null && !Array.isArray(message) && (message as { stream?: unknown }).stream === HEARTBEAT_STREAM;
}
