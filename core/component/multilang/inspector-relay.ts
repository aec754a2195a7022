import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';
import net from 'node:net';
import type * as Inspector from 'node:inspector';
import { RELAY_PROTOCOL } from '../../common/debug/hooks.js';

/**
 * The fast path to a task's inspector, served from the debug I/O thread. The inspector's own
 * WebSocket costs ~40 ms per exchange on Linux (Nagle on its socket × the client's delayed
 * ACK; we cannot set options on Node's server socket). This relay opens an in-process
 * `inspector.Session` to the main thread (`connectToMainThread`, which works while the main
 * thread is paused) and carries CDP over a loopback TCP socket with TCP_NODELAY:
 *
 *   client → `<secret>\n`; relay → `{"relay":"squall-inspector-relay/1"}\n`
 *   then newline-delimited JSON both ways: `{id, method, params}` → `{id, result}` | `{id, error}`,
 *   and events `{method, params}`.
 *
 * Each connection gets its own session; closing the socket disconnects it (V8 then drops that
 * session's breakpoints and resumes a thread it paused). The secret is per task and random; the
 * debugger learns it through the inspector itself (see DebugHooks.relay), so reaching the relay
 * takes no more trust than reaching the inspector. It only ever listens on loopback.
 */

/** How long a client may take to send the secret. */
const AUTH_DEADLINE_MS = 5000;
/** Longest line accepted from a client (a CDP command with a big expression still fits). */
const MAX_LINE = 16 * 1024 * 1024;

// Loaded only in debug mode: every task imports this file, few open an inspector.
const lazyRequire = createRequire(import.meta.url);

/** A fresh random secret for a task's relay. */
export function newRelaySecret(): string {
  return (lazyRequire('node:crypto') as typeof Crypto).randomBytes(24).toString('base64url');
}

/** Starts the relay on 127.0.0.1 (any port); calls `listening` with the port. */
export function startInspectorRelay(secret: string, listening: (port: number) => void, fail: (error: Error) => void): net.Server {
  const inspector = lazyRequire('node:inspector') as typeof Inspector;
  const { timingSafeEqual } = lazyRequire('node:crypto') as typeof Crypto;
  const expected = Buffer.from(secret);
  const server = net.createServer({ noDelay: true }, (socket) => serve(socket, expected, inspector, timingSafeEqual));
  server.on('error', fail);
  server.listen(0, '127.0.0.1', () => listening((server.address() as net.AddressInfo).port));
  server.unref();
  return server;
}

function serve(socket: net.Socket, expected: Buffer, inspector: typeof Inspector, timingSafeEqual: typeof Crypto.timingSafeEqual): void {
  socket.setNoDelay(true);
  socket.setEncoding('utf8');
  let session: Inspector.Session | undefined;
  let buffer = '';
  const send = (message: unknown): void => void socket.write(`${JSON.stringify(message)}\n`);
  const deadline = setTimeout(() => refuse('no secret within 5 s'), AUTH_DEADLINE_MS);
  deadline.unref();
  const refuse = (why: string): void => {
    clearTimeout(deadline);
    socket.end(`${JSON.stringify({ error: `refused: ${why}` })}\n`);
    socket.destroySoon();
  };
  const line = (text: string): void => {
    if (!session) {
      clearTimeout(deadline);
      const given = Buffer.from(text.trim());
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return refuse('wrong secret');
      session = new inspector.Session();
      session.connectToMainThread();
      session.on('inspectorNotification', (message) => send({ method: message.method, params: message.params }));
      send({ relay: RELAY_PROTOCOL });
      return;
    }
    let command: { id?: unknown; method?: unknown; params?: unknown };
    try {
      command = JSON.parse(text) as typeof command;
    } catch {
      return refuse('a line that is not JSON');
    }
    const id = command.id;
    if (typeof command.method !== 'string') return send({ id, error: { message: 'a command needs a method' } });
    session.post(command.method, command.params as object | undefined, (error, result) => {
      if (socket.destroyed) return;
      send(error ? { id, error: { message: error.message, code: (error as { code?: unknown }).code } } : { id, result: result ?? {} });
    });
  };
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let at: number;
    while ((at = buffer.indexOf('\n')) !== -1) {
      const text = buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
      if (text.length > 0) line(text);
      if (socket.destroyed) return;
    }
    if (buffer.length > MAX_LINE) refuse('a line longer than 16 MiB');
  });
  const close = (): void => {
    clearTimeout(deadline);
    session?.disconnect();
    session = undefined;
  };
  socket.on('close', close);
  socket.on('error', close);
}

/**
 * Lets a main thread blocked in `inspector.waitForDebugger()` run on: a session of this thread
 * asks the inspector to run (what a debugger does once its breakpoints are set). A no-op when
 * nobody waits any more.
 */
export function releaseWaitingMainThread(): void {
  const inspector = lazyRequire('node:inspector') as typeof Inspector;
  const session = new inspector.Session();
  session.connectToMainThread();
  session.post('Runtime.runIfWaitingForDebugger', () => session.disconnect());
}
