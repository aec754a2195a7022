import { readSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FrameDecoder } from '../../common/multilang/framing.js';
import type { HandshakeMessage } from '../../common/multilang/messages.js';

/** The handshake plus whatever arrived after it in the same read. */
export interface HandshakeRead {
  handshake: HandshakeMessage;
  /** Text read past the handshake (a well-behaved host sends nothing before our pid). */
  leftover: string;
}

/** Raised when the first message is missing or not a handshake. */
export class HandshakeError extends Error {}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Reads the first message synchronously from a file descriptor. Nothing else can happen
 * before the handshake, and reading it without the event loop lets the runtime decide
 * afterwards which thread owns stdin (debug mode moves it to a worker).
 */
export function readHandshakeSync(fd = 0): HandshakeRead {
  const decoder = new TextDecoder('utf-8');
  const frames = new FrameDecoder();
  const buffer = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    let count: number;
    try {
      count = readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 2);
        continue;
      }
      if ((error as NodeJS.ErrnoException).code === 'EOF') count = 0;
      else throw error;
    }
    if (count === 0) throw new HandshakeError('stdin closed before the handshake arrived');
    const messages = frames.push(decoder.decode(buffer.subarray(0, count), { stream: true }));
    if (messages.length === 0) continue;
    const handshake = checkHandshake(messages[0]);
    // Re-encoding is not needed: messages after the first are rare and go back as text.
    const rest = messages.slice(1).map((m) => `${JSON.stringify(m)}\nend\n`).join('');
    return { handshake, leftover: rest + frames.buffered };
  }
}

/** Validates the shape of a handshake message; throws HandshakeError naming what is wrong. */
export function checkHandshake(message: unknown): HandshakeMessage {
  const m = message as Partial<HandshakeMessage> | null;
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw new HandshakeError(`expected the handshake object, got ${JSON.stringify(message)?.slice(0, 200)}`);
  if (typeof m.pidDir !== 'string') throw new HandshakeError('handshake has no "pidDir" string');
  if (!m.context || typeof m.context !== 'object') throw new HandshakeError('handshake has no "context" object');
  if (typeof m.context.taskid !== 'number') throw new HandshakeError('handshake context has no numeric "taskid"');
  if (typeof m.context.componentid !== 'string') throw new HandshakeError('handshake context has no "componentid" string');
  if (m.conf !== undefined && (typeof m.conf !== 'object' || m.conf === null)) throw new HandshakeError('handshake "conf" is not an object');
  return { conf: m.conf ?? {}, pidDir: m.pidDir, context: m.context };
}

/** Creates the empty pid file Storm's supervisor uses to kill the process; returns the pid. */
export function writePidFile(pidDir: string, pid = process.pid): number {
  writeFileSync(path.join(pidDir, String(pid)), '');
  return pid;
}
