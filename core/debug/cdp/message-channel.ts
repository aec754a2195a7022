/**
 * The bookkeeping every CDP transport shares: numbered requests and their answers, event
 * listeners by name, and one close. A transport feeds it what arrives and tells it how to send.
 */
import { Emitter, type Disposable } from '../../common/event.js';
import { CdpError, type CdpChannel, type CdpCommand, type CdpConnection, type CdpEventName, type CdpEventParams, type CdpParams, type CdpResult } from './connection.js';

/** What a transport gives the channel. */
export interface Transport {
  write(message: { id: number; method: string; params?: unknown }): void;
  /** Ends the transport; the channel is closed right after. */
  end(): Promise<void>;
}

/** A CdpConnection over any transport of JSON messages. */
export class MessageChannel implements CdpConnection {
  private nextId = 1;
  private readonly pending = new Map<number, { method: string; resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  private readonly listeners = new Map<string, Set<(params: never) => void>>();
  private readonly closeEmitter = new Emitter<{ reason: string }>('cdp-close');
  private closeReason: string | undefined;

  constructor(
    readonly channel: CdpChannel,
    private readonly transport: Transport,
  ) {}

  get closed(): boolean {
    return this.closeReason !== undefined;
  }

  readonly onClose = this.closeEmitter.event;

  send<M extends CdpCommand>(method: M, ...params: CdpParams<M>): Promise<CdpResult<M>> {
    if (this.closeReason !== undefined) return Promise.reject(new CdpError(method, `the connection is closed (${this.closeReason})`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (result: unknown) => void, reject });
      try {
        this.transport.write(params[0] === undefined ? { id, method } : { id, method, params: params[0] });
      } catch (error) {
        this.pending.delete(id);
        reject(new CdpError(method, (error as Error).message));
      }
    });
  }

  on<E extends CdpEventName>(event: E, listener: (params: CdpEventParams<E>) => void): Disposable {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (params: never) => void);
    return { dispose: () => void set.delete(listener as (params: never) => void) };
  }

  /** A message arrived: an answer (`id`) or an event (`method`). */
  receive(message: { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message?: string; code?: number } }): void {
    if (typeof message.id === 'number') {
      const request = this.pending.get(message.id);
      if (!request) return;
      this.pending.delete(message.id);
      if (message.error) request.reject(new CdpError(request.method, message.error.message ?? 'failed', message.error.code));
      else request.resolve(message.result ?? {});
      return;
    }
    if (typeof message.method !== 'string') return;
    const set = this.listeners.get(message.method);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(message.params as never);
      } catch (error) {
        // A listener's bug must not break the connection for the others.
        console.error(`squall: a listener of ${message.method} threw: ${(error as Error)?.stack ?? String(error)}`);
      }
    }
  }

  /** The transport is gone: every open request fails, onClose fires once. */
  gone(reason: string): void {
    if (this.closeReason !== undefined) return;
    this.closeReason = reason;
    for (const [, request] of this.pending) request.reject(new CdpError(request.method, `the connection closed (${reason})`));
    this.pending.clear();
    this.listeners.clear();
    this.closeEmitter.fire({ reason });
    this.closeEmitter.dispose();
  }

  async close(): Promise<void> {
    if (this.closeReason !== undefined) return;
    await this.transport.end();
    this.gone('closed by the debugger');
  }
}
