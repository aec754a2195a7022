import { encodeMessage } from '../../common/multilang/framing.js';
import { EXIT_CRASH, EXIT_PROTOCOL } from '../../common/multilang/exit-codes.js';
import { isHeartbeatTuple, type LogLevelName } from '../../common/multilang/messages.js';
import { SquallError } from '../../common/errors.js';
import { Bolt, Spout, type Component } from '../component.js';
import { describeComponentClass, pickComponentClass } from '../component-class.js';
import { TopologyContext } from '../context.js';
import { BoltExecutor } from '../executor/bolt-executor.js';
import { ComponentCrash } from '../executor/crash.js';
import { SpoutExecutor } from '../executor/spout-executor.js';
import type { Tuple } from '../tuple.js';
import { BoltLoop } from './bolt-loop.js';
import { formatInspectorAnnouncement } from '../../common/run/inspector-announcement.js';
import { installDebugHooks, pauseOnComponentError } from './debug-hooks.js';
import { isDebugIoThread, runDebugIo, startDebugIo, type DebugIo } from './debug-io.js';
import { newRelaySecret } from './inspector-relay.js';
import { loadDeadlineMs, loadWithDeadline } from './load-deadline.js';
import { HandshakeError, readHandshakeSync, writePidFile } from './handshake.js';
import { readMessages, type InputControl, type InputHandlers } from './input.js';
import { debuggerWaitMs, debugModeRequested, inspectorRequested, openInspector, waitForDebugger } from './inspector.js';
import { stackMapper } from './source-stack.js';
import { SpoutLoop } from './spout-loop.js';
import { installStdoutGuard, type GuardedStreams } from './stdout-guard.js';
import { WireHost } from './wire-host.js';
import { holdYoungGeneration } from './young-generation.js';
import { ProtocolWriter, streamTarget, type WriteTarget } from './writer.js';

/** What a generated launcher entry passes in. */
export interface LauncherOptions {
  /** The component's script, as written in the topology (for messages). */
  script: string;
  /** Imports the component module (lazily, so the debug I/O thread never runs user code). */
  load: () => Promise<Record<string, unknown>>;
  /** URL of the launcher file itself, to start the debug I/O thread from. */
  launcherUrl: string;
  /** Always run in debug mode, whatever the environment and conf say. */
  debug?: boolean;
}

/** How long a dying process tries to get its last messages out (a host that stopped reading must not keep it alive). */
const CRASH_FLUSH_MS = 5000;
/** After EOF nobody may be reading: try briefly. */
const EOF_FLUSH_MS = 1000;
/** How long the inspector waits for the relay to listen before announcing itself without one. */
const RELAY_START_MS = 2000;

/** Writes what is queued, giving up after `ms`. */
function flushBounded(writer: ProtocolWriter, ms: number): Promise<unknown> {
  return Promise.race([writer.drain(), new Promise((resolve) => setTimeout(resolve, ms).unref())]);
}

export { EXIT_CRASH, EXIT_PROTOCOL };

/**
 * Entry point of a component process. With `--describe`, prints the class's kind, outputs
 * and config as JSON and exits. Otherwise speaks multilang on stdin/stdout until Storm closes
 * stdin (exit 0) or the component crashes (exit 1) or the host breaks the protocol (exit 2).
 */
export async function runLauncher(options: LauncherOptions): Promise<void> {
  if (isDebugIoThread()) {
    runDebugIo();
    return;
  }
  if (process.argv.includes('--describe')) {
    await describe(options);
    return;
  }
  await runComponent(options);
}

/**
 * Opens the inspector, installs the debug hooks, announces where the task listens (the host
 * and, inside Storm, the worker log learn it from that line) and waits for a debugger when the
 * environment asks, at most as long as it says (the I/O thread releases the wait).
 */
async function openDebugger(io: DebugIo, secret: string, host: WireHost, writer: ProtocolWriter, context: TopologyContext, who: string, currentTuple: () => Tuple | undefined): Promise<void> {
  try {
    const waitMs = debuggerWaitMs();
    const relay = await Promise.race([io.relay, new Promise<{ port?: number; failed?: string }>((resolve) => setTimeout(() => resolve({ failed: 'it did not start in time' }), RELAY_START_MS).unref())]);
    if (relay.failed) host.log('warn', `${who}: the inspector relay is not available (${relay.failed}); debuggers use the inspector's WebSocket`);
    const registration = openInspector(context.componentId, context.taskId, process.env, relay.port);
    installDebugHooks({ relay: () => (relay.port === undefined ? undefined : { host: '127.0.0.1', port: relay.port, secret }), currentTuple });
    host.log('info', formatInspectorAnnouncement(registration.url, registration.pid, waitMs > 0, registration.relayPort));
    await writer.drain();
    if (waitMs > 0) {
      if (Number.isFinite(waitMs)) io.releaseWaitAfter(waitMs);
      waitForDebugger();
      io.waitOver();
    }
  } catch (error) {
    host.log('error', `${who}: cannot open the inspector: ${(error as Error).message}`);
  }
}

async function describe(options: LauncherOptions): Promise<void> {
  // User code printing at import time must not corrupt the JSON answer.
  const toStderr = process.stderr.write.bind(process.stderr);
  const guard = installStdoutGuard((_level, text) => void toStderr(`${text}\n`), { touchStdout: true });
  try {
    const cls = pickComponentClass(await options.load(), options.script);
    const json = JSON.stringify(describeComponentClass(cls, { script: options.script }));
    guard.restore();
    process.stdout.write(`${json}\n`);
  } catch (error) {
    guard.restore();
    process.stderr.write(`${error instanceof SquallError ? error.format() : String((error as Error)?.stack ?? error)}\n`);
    process.exitCode = 1;
  }
}

async function runComponent(options: LauncherOptions): Promise<void> {
  holdYoungGeneration();
  let read;
  try {
    read = readHandshakeSync(0);
  } catch (error) {
    const why = error instanceof HandshakeError ? error.message : `cannot read the handshake: ${(error as Error).message}`;
    process.stderr.write(`squall: ${options.script}: ${why}\n`);
    process.exit(EXIT_PROTOCOL);
  }
  const { handshake, leftover } = read;
  const context = new TopologyContext(handshake.context);
  const who = `component '${context.componentId}', task ${context.taskId}`;
  const inspect = inspectorRequested(context.componentId);
  // A debugger can pause the main thread: heartbeats must then be answered off it.
  const debug = options.debug === true || inspect || debugModeRequested(context.componentId) || handshake.conf['squall.debug'] === true;
  const relaySecret = inspect ? newRelaySecret() : undefined;
  let io: DebugIo | undefined;

  // The host exists before the output so the guard can log through it.
  const logTo: { host?: WireHost } = {}; // set once the pid is sent: logs before that must wait
  const early: Array<[LogLevelName, string]> = [];
  const sink = (level: LogLevelName, text: string): void => {
    if (logTo.host) logTo.host.log(level, text);
    else early.push([level, text]);
  };

  let input: InputControl | undefined;
  let loop: BoltLoop | SpoutLoop | undefined;
  // Messages that arrive while the component module loads wait here.
  const beforeLoop: unknown[][] = [];
  let streams: GuardedStreams;
  let target: WriteTarget;
  // While the module loads the main thread is alive (it awaits the import): heartbeats get their
  // sync now, or a module with a slow top-level await would be killed as hung.
  const holdForLoop = (list: unknown[]): void => {
    const held: unknown[] = [];
    for (const message of list) {
      if (isHeartbeatTuple(message)) host.sync();
      else held.push(message);
    }
    if (held.length > 0) beforeLoop.push(held);
  };
  const handlers: InputHandlers = {
    messages: (list) => (loop ? loop.receive(list) : holdForLoop(list)),
    end: () => void quit(0),
    malformed: (error) => void protocolFault(error),
  };
  if (debug) {
    streams = installStdoutGuard(sink, { touchStdout: false });
    io = startDebugIo(options.launcherUrl, leftover, handlers, relaySecret);
    target = io.target;
    input = io.input;
  } else {
    streams = installStdoutGuard(sink);
    target = streamTarget(process.stdout, streams.writeStdout);
    process.stdout.on('error', () => process.exit(0)); // Storm closed the pipe
  }
  const writer = new ProtocolWriter(target, (blocked) => (blocked ? input?.pause() : input?.resume()));
  // Crash reports and any log line carrying a stack (log.error(err), console.error(err)) point at TypeScript lines.
  const mapStack = stackMapper(options.launcherUrl);
  const host = new WireHost(writer, mapStack);

  let crashing = false;
  const crash = async (error: unknown, tuple?: Tuple, during = 'process'): Promise<void> => {
    if (crashing) return;
    crashing = true;
    const crashed = error instanceof ComponentCrash ? error : new ComponentCrash(error, during, tuple ?? (loop instanceof BoltLoop ? loop.current : undefined));
    if (inspect) pauseOnComponentError(crashed.error, crashed.tuple);
    const report = mapStack(crashed.report());
    // Once: Storm logs a reported error in the worker log itself (and shows it in Storm UI);
    // a log line carrying the same report would print the stack twice.
    host.reportError(`${who}: ${report}`);
    await flushBounded(writer, CRASH_FLUSH_MS);
    process.exit(EXIT_CRASH);
  };
  const protocolFault = async (error: Error): Promise<void> => {
    if (crashing) return;
    crashing = true;
    streams.writeStderr(`squall: malformed multilang input for ${who}: ${error.message}\n`);
    await flushBounded(writer, CRASH_FLUSH_MS);
    process.exit(EXIT_PROTOCOL);
  };
  const quit = async (code: number): Promise<void> => {
    if (crashing) return;
    crashing = true;
    await flushBounded(writer, EOF_FLUSH_MS);
    process.exit(code);
  };
  process.on('uncaughtException', (error) => void crash(error, undefined, 'uncaught exception'));
  process.on('unhandledRejection', (reason) => void crash(reason, undefined, 'unhandled promise rejection'));

  try {
    writer.send(encodeMessage({ pid: writePidFile(handshake.pidDir) }));
  } catch (error) {
    streams.writeStderr(`squall: ${who}: cannot create the pid file in ${handshake.pidDir}: ${(error as Error).message}\n`);
    process.exit(EXIT_PROTOCOL);
  }
  logTo.host = host;
  for (const [level, text] of early) host.log(level, text);

  if (!debug) input = readMessages(process.stdin, leftover, handlers);
  if (inspect && io) await openDebugger(io, relaySecret!, host, writer, context, who, () => (loop instanceof BoltLoop ? loop.current : undefined));

  let component: Component;
  try {
    // Bounded unless debugging: a paused debugger inside the module must not count as stuck.
    const deadline = debug ? undefined : loadDeadlineMs(handshake.conf);
    const namespace = await loadWithDeadline(options.load, deadline, { component: context.componentId, script: options.script });
    const cls = pickComponentClass(namespace, options.script);
    component = new cls();
  } catch (error) {
    const text = error instanceof SquallError ? `${error.message}${error.hint ? `\n  hint: ${error.hint}` : ''}` : '';
    const reason = error instanceof SquallError ? Object.assign(new Error(text), { stack: `SquallError: ${text}` }) : error;
    await crash(reason, undefined, 'loading the component module failed');
    return;
  }
  const events = { crash: (error: unknown, tuple?: Tuple) => void crash(error, tuple), malformed: (error: Error) => void protocolFault(error) };
  if (component instanceof Bolt) {
    const executor = new BoltExecutor(component, host, handshake.conf, context);
    loop = new BoltLoop(executor, host, context, events);
    for (const list of beforeLoop.splice(0)) loop.receive(list);
    await executor.initialize().catch((error: unknown) => crash(error, undefined, 'initialize'));
  } else if (component instanceof Spout) {
    const executor = new SpoutExecutor(component, host, handshake.conf, context);
    loop = new SpoutLoop(executor, host, events);
    for (const list of beforeLoop.splice(0)) loop.receive(list);
    await executor.initialize().catch((error: unknown) => crash(error, undefined, 'initialize'));
  }
  if (crashing || !loop) return;
  loop.start();
}
