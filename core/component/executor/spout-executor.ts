import { attachHost, type ComponentHost, type HostEmit, type Spout } from '../component.js';
import type { TopologyContext } from '../context.js';
import { ComponentCrash } from './crash.js';

/**
 * Drives one spout instance, independent of the wire. Storm calls a spout one command at a
 * time and waits for each to finish; callers must do the same. Every method settles when the
 * spout's method has returned (or its promise resolved) and rejects with a ComponentCrash
 * when it threw: in Storm an exception in a spout kills the worker.
 */
export class SpoutExecutor {
  private emits = 0;

  constructor(
    readonly component: Spout,
    private readonly host: ComponentHost,
    readonly conf: Record<string, unknown>,
    readonly context: TopologyContext,
  ) {
    attachHost(component, this.countingHost(), conf, context);
  }

  /** Emits made since the last call; lets a runtime idle when nextTuple emitted nothing. */
  takeEmitCount(): number {
    const count = this.emits;
    this.emits = 0;
    return count;
  }

  /** Calls initialize(conf, context) (Storm's open). */
  initialize(): Promise<void> {
    return this.call('initialize', () => this.component.initialize(this.conf, this.context));
  }

  nextTuple(): Promise<void> {
    return this.call('nextTuple', () => this.component.nextTuple());
  }

  /** Storm acked the tuple tree of this message id (verbatim as emitted). */
  ack(id: string | number): Promise<void> {
    return this.call('ack', () => this.component.ack(id), id);
  }

  /** The tuple tree of this message id failed or timed out. */
  fail(id: string | number): Promise<void> {
    return this.call('fail', () => this.component.fail(id), id);
  }

  activate(): Promise<void> {
    return this.call('activate', () => this.component.activate());
  }

  deactivate(): Promise<void> {
    return this.call('deactivate', () => this.component.deactivate());
  }

  private async call(during: string, run: () => void | Promise<void>, messageId?: string | number): Promise<void> {
    try {
      await run();
    } catch (error) {
      throw new ComponentCrash(error, during, undefined, messageId);
    }
  }

  private countingHost(): ComponentHost {
    const host = this.host;
    return {
      emit: (values: unknown[], options: HostEmit) => {
        this.emits++;
        return host.emit(values, options);
      },
      ack: () => {
        throw new Error('a spout cannot ack tuples: Storm calls ack(id) on the spout instead');
      },
      fail: () => {
        throw new Error('a spout cannot fail tuples: Storm calls fail(id) on the spout instead');
      },
      log: (level, message) => host.log(level, message),
      reportError: (message) => host.reportError(message),
    };
  }
}
