import { attachHost, BasicBolt, type Bolt, type ComponentHost, type HostEmit } from '../component.js';
import type { TopologyContext } from '../context.js';
import type { Tuple } from '../tuple.js';
import { ComponentCrash, stackOf } from './crash.js';
import { pauseOnComponentError } from '../multilang/debug-hooks.js';

const DONE: Promise<void> = Promise.resolve();

/**
 * Drives one bolt instance, independent of how tuples reach it (multilang pipes or the
 * in-process engine). Tuples must be handed over one at a time, in arrival order: the next
 * only once the previous handleTuple has settled, which is how Storm runs a bolt.
 *
 * Rules it enforces so a bolt cannot halt a Storm worker by mistake:
 * - BasicBolt: emits are anchored to the input, the input is acked when process() returns
 *   (or its promise resolves) and failed + reported when it throws (Storm's FailedException
 *   semantics; a BasicBolt exception is not a crash).
 * - Tick tuples go to tick() if defined, else process(); the executor acks them itself and
 *   ignores an author's ack/fail of a tick.
 * - An ack/fail of a tuple already acked or failed, or an emit anchored to one, is dropped
 *   with a warning in the task log instead of reaching Storm (where it is fatal).
 * - Anything else thrown by process()/tick()/initialize() rejects with a ComponentCrash
 *   carrying the error and the tuple: the caller decides to die, as Storm would.
 */
export class BoltExecutor {
  /** Ids of input tuples received and not yet acked or failed. */
  private readonly pending = new Set<string>();
  private readonly basic: boolean;

  constructor(
    readonly component: Bolt,
    private readonly host: ComponentHost,
    readonly conf: Record<string, unknown>,
    readonly context: TopologyContext,
  ) {
    this.basic = component instanceof BasicBolt;
    attachHost(component, this.guardedHost(), conf, context);
  }

  /** Number of input tuples the bolt holds without having acked or failed them. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Calls the bolt's initialize(conf, context); rejects with a ComponentCrash if it throws. */
  async initialize(): Promise<void> {
    try {
      await this.component.initialize(this.conf, this.context);
    } catch (error) {
      throw new ComponentCrash(error, 'initialize');
    }
  }

  /** Hands one tuple (or tick) to the bolt; settles when the bolt is done with it. */
  handleTuple(tuple: Tuple): Promise<void> {
    try {
      return this.deliver(tuple) ?? DONE;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Same as handleTuple, for hot loops: returns undefined when the bolt finished synchronously
   * (no promise, no microtask) and throws a ComponentCrash synchronously.
   */
  deliver(tuple: Tuple): Promise<void> | undefined {
    this.pending.add(tuple.id);
    if (tuple.isTick) return this.deliverTick(tuple);
    if (this.basic) return this.deliverBasic(tuple);
    let result: void | Promise<void>;
    try {
      result = this.component.process(tuple);
    } catch (error) {
      throw new ComponentCrash(error, 'process', tuple);
    }
    if (result instanceof Promise) {
      return result.then(undefined, (error: unknown) => {
        throw new ComponentCrash(error, 'process', tuple);
      });
    }
    return undefined;
  }

  private deliverBasic(tuple: Tuple): Promise<void> | undefined {
    const bolt = this.component as BasicBolt;
    bolt.current = tuple;
    let result: void | Promise<void>;
    try {
      result = bolt.process(tuple);
    } catch (error) {
      this.failBasic(tuple, error);
      return undefined;
    }
    if (result instanceof Promise) {
      return result.then(
        () => this.ackBasic(tuple),
        (error: unknown) => this.failBasic(tuple, error),
      );
    }
    this.ackBasic(tuple);
    return undefined;
  }

  private ackBasic(tuple: Tuple): void {
    (this.component as BasicBolt).current = undefined;
    if (this.pending.delete(tuple.id)) this.host.ack(tuple);
  }

  private failBasic(tuple: Tuple, error: unknown): void {
    pauseOnComponentError(error, tuple);
    (this.component as BasicBolt).current = undefined;
    if (this.pending.delete(tuple.id)) this.host.fail(tuple);
    this.host.reportError(stackOf(error));
  }

  private deliverTick(tuple: Tuple): Promise<void> | undefined {
    const bolt = this.component;
    const during = bolt.tick ? 'tick' : 'process';
    let result: void | Promise<void>;
    try {
      result = bolt.tick ? bolt.tick(tuple) : bolt.process(tuple);
    } catch (error) {
      this.settleTick(tuple, error, during);
      return undefined;
    }
    if (result instanceof Promise) {
      return result.then(
        () => this.settleTick(tuple, undefined, during),
        (error: unknown) => this.settleTick(tuple, error, during),
      );
    }
    this.settleTick(tuple, undefined, during);
    return undefined;
  }

  /** Acks a tick whatever happened; a throwing tick is a crash except for a BasicBolt. */
  private settleTick(tuple: Tuple, error: unknown, during: string): void {
    if (this.pending.delete(tuple.id)) this.host.ack(tuple);
    if (error === undefined) return;
    if (this.basic) this.host.reportError(stackOf(error));
    else throw new ComponentCrash(error, during, tuple);
  }

  /** The host the bolt sees: the real one behind the guards described on the class. */
  private guardedHost(): ComponentHost {
    const host = this.host;
    const pending = this.pending;
    const warn = (text: string): void => host.log('warn', text);
    return {
      emit: (values: unknown[], options: HostEmit) => {
        const anchors = options.anchors;
        if (anchors && anchors.length > 0) {
          for (const id of anchors) {
            if (!pending.has(id)) {
              warn(`emit anchored to tuple ${id}, which was already acked or failed: anchor dropped (Storm would halt the worker)`);
              options = { ...options, anchors: anchors.filter((a) => pending.has(a)) };
              break;
            }
          }
        }
        return host.emit(values, options);
      },
      ack: (tuple: Tuple) => {
        if (tuple.isTick) return;
        if (pending.delete(tuple.id)) host.ack(tuple);
        else warn(`ack of tuple ${tuple.id} ignored: it was already acked or failed (Storm would halt the worker)`);
      },
      fail: (tuple: Tuple) => {
        if (tuple.isTick) return;
        if (pending.delete(tuple.id)) host.fail(tuple);
        else warn(`fail of tuple ${tuple.id} ignored: it was already acked or failed (Storm would halt the worker)`);
      },
      log: (level, message) => host.log(level, message),
      reportError: (message) => host.reportError(message),
    };
  }
}
