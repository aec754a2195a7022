import { isHeartbeatTuple, type TupleMessage } from '../../common/multilang/messages.js';
import type { BoltExecutor } from '../executor/bolt-executor.js';
import { Tuple } from '../tuple.js';
import type { TopologyContext } from '../context.js';
import type { WireHost } from './wire-host.js';

/** What the loop reports upward. */
export interface LoopEvents {
  crash(error: unknown, tuple?: Tuple): void;
  malformed(error: Error): void;
}

/**
 * Maps ShellBolt's asynchronous input onto a BoltExecutor: tuples are processed one at a time
 * in arrival order (queued while an asynchronous process() runs), task-id replies go straight
 * to the emits waiting for them (they may be what the running process() awaits), and
 * heartbeats are answered at once with `sync`.
 */
export class BoltLoop {
  private readonly queue: Tuple[] = [];
  private head = 0;
  private busy = true; // until start(): tuples wait for initialize()
  private readonly fieldsBySource = new Map<string, readonly string[]>();
  /** The tuple being processed, for crash reports. */
  current: Tuple | undefined;

  constructor(
    private readonly executor: BoltExecutor,
    private readonly host: WireHost,
    private readonly context: TopologyContext,
    private readonly events: LoopEvents,
  ) {}

  /** Begins processing (after initialize); tuples received before wait in order. */
  start(): void {
    this.busy = false;
    this.drain();
  }

  /** Handles a batch of decoded messages from the host. */
  receive(messages: unknown[]): void {
    for (const message of messages) {
      if (Array.isArray(message)) {
        const unexpected = this.host.acceptTaskIds(message);
        if (!unexpected) continue;
        this.events.malformed(unexpected);
        return;
      }
      // Storm's heartbeat has `comp: null`: recognise it before checking the tuple's shape.
      if (isHeartbeatTuple(message)) {
        this.host.sync();
        continue;
      }
      const tuple = this.toTuple(message);
      if (!tuple) return;
      if (!this.busy && this.head === this.queue.length) this.run(tuple);
      else this.queue.push(tuple);
    }
  }

  private run(tuple: Tuple): void {
    this.current = tuple;
    let result: Promise<void> | undefined;
    try {
      result = this.executor.deliver(tuple);
    } catch (error) {
      this.busy = true; // nothing more runs on a crashing bolt
      this.events.crash(error, tuple);
      return;
    }
    if (result) {
      this.busy = true;
      result.then(this.resume, (error: unknown) => this.events.crash(error, tuple));
    } else {
      this.current = undefined;
    }
  }

  private readonly resume = (): void => {
    this.current = undefined;
    this.busy = false;
    this.drain();
  };

  private drain(): void {
    while (!this.busy && this.head < this.queue.length) {
      const tuple = this.queue[this.head++]!;
      if (this.head === this.queue.length) {
        this.queue.length = 0;
        this.head = 0;
      }
      this.run(tuple);
    }
  }

  private toTuple(message: unknown): Tuple | undefined {
    const m = message as Partial<TupleMessage> | null;
    if (!m || typeof m !== 'object' || typeof m.stream !== 'string' || typeof m.comp !== 'string' || !Array.isArray(m.tuple) || (typeof m.id !== 'string' && typeof m.id !== 'number')) {
      this.events.malformed(new Error(`expected a tuple {id, comp, stream, task, tuple} or a task-id list, got ${JSON.stringify(message)?.slice(0, 200)}`));
      return undefined;
    }
    return new Tuple(String(m.id), m.comp, m.stream, typeof m.task === 'number' ? m.task : -1, m.tuple, this.fieldsOf(m.comp, m.stream));
  }

  private fieldsOf(component: string, stream: string): readonly string[] {
    // Most bolts read one stream: remember the last answer before touching the map.
    if (component === this.lastComponent && stream === this.lastStream) return this.lastFields;
    this.lastComponent = component;
    this.lastStream = stream;
    this.lastFields = this.lookupFields(component, stream);
    return this.lastFields;
  }

  private lastComponent = '';
  private lastStream = '';
  private lastFields: readonly string[] = [];

  private lookupFields(component: string, stream: string): readonly string[] {
    const key = `${component}\u0000${stream}`;
    let fields = this.fieldsBySource.get(key);
    if (!fields) {
      fields = this.context.sourceFields(component, stream);
      this.fieldsBySource.set(key, fields);
    }
    return fields;
  }
}
