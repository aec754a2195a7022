/**
 * One CDP connection to one inspector (a task's main thread), whatever carries it: the
 * inspector's WebSocket (chrome-remote-interface) or the task's relay (the fast path). The
 * debugger and the profiler talk to this interface only.
 */
import type { ProtocolMapping } from 'devtools-protocol/types/protocol-mapping.js';
import type { Disposable, Event } from '../../common/event.js';

/** A CDP command name (`Debugger.enable`, `Profiler.start`, …). */
export type CdpCommand = keyof ProtocolMapping.Commands;
/** The parameters of a command, as an argument list (`[]`, `[params]` or `[params?]`). */
export type CdpParams<M extends CdpCommand> = ProtocolMapping.Commands[M]['paramsType'];
/** What a command returns. */
export type CdpResult<M extends CdpCommand> = ProtocolMapping.Commands[M]['returnType'];
/** A CDP event name (`Debugger.paused`, …). */
export type CdpEventName = keyof ProtocolMapping.Events;
/** The parameters of an event. */
export type CdpEventParams<E extends CdpEventName> = ProtocolMapping.Events[E] extends [infer P] ? P : undefined;

/** How a connection reaches the inspector. */
export type CdpChannel = 'relay' | 'websocket';

/** A live CDP connection. */
export interface CdpConnection {
  readonly channel: CdpChannel;
  /** Sends a command; rejects with a CdpError when the inspector answers with an error, or the connection closes first. */
  send<M extends CdpCommand>(method: M, ...params: CdpParams<M>): Promise<CdpResult<M>>;
  /** Subscribes to one event. */
  on<E extends CdpEventName>(event: E, listener: (params: CdpEventParams<E>) => void): Disposable;
  /** Fires once when the connection is gone (closed by us, by the task, or the task died). */
  readonly onClose: Event<{ reason: string }>;
  readonly closed: boolean;
  /** Closes the connection (the inspector then drops this session's breakpoints and resumes what it paused). */
  close(): Promise<void>;
}

/** The inspector answered a command with an error, or could not be asked. */
export class CdpError extends Error {
  constructor(
    readonly method: string,
    message: string,
    readonly code?: number,
  ) {
    super(`${method}: ${message}`);
    this.name = 'CdpError';
  }
}
