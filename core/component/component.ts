import type { OutputsInput } from './output-declaration.js';
import { createRandom, deriveSeed, type RandomSource } from '../common/routing/random.js';
import { SEED_CONF_KEY } from '../common/topology/squall-settings.js';
import type { LogLevelName } from '../common/multilang/messages.js';
import type { TopologyContext } from './context.js';
import type { Tuple } from './tuple.js';

/** Options of a bolt emit. */
export interface BoltEmitOptions {
  /** Output stream; `default` if absent. */
  stream?: string;
  /** Input tuples this one is anchored to (tuple tree). BasicBolt anchors to the input. */
  anchors?: Tuple | readonly Tuple[];
  /** Send to this task only (the stream must be declared direct). */
  directTask?: number;
  /** Ask Storm which tasks received the tuple; then emit returns a Promise of them. */
  needTaskIds?: boolean;
}

/** Options of a spout emit. */
export interface SpoutEmitOptions {
  stream?: string;
  /** Message id: makes the tuple reliable; Storm calls ack/fail with it, verbatim. */
  id?: string | number;
  directTask?: number;
  needTaskIds?: boolean;
}

/** Values declared on a component class: its output streams and its own config. */
export interface ComponentStatics {
  /** `{ default: ['word'] }` or `{ words: { fields: ['word'], direct: true } }`. */
  outputs?: OutputsInput;
  /** Per-component Storm config, e.g. `{ 'topology.tick.tuple.freq.secs': 5 }`. */
  config?: Record<string, unknown>;
}

export { normaliseOutputs, type OutputsInput } from './output-declaration.js';

/** Log functions every component has; lines go to the task's log, never to stdout. */
export type Logger = Record<LogLevelName, (...args: unknown[]) => void>;

/**
 * What runs a component (the multilang runtime in a real process, or the in-process
 * engine/harness) provides to it. Components never see this; they call emit/ack/log.
 */
export interface ComponentHost {
  emit(values: unknown[], options: HostEmit): Promise<number[]> | void;
  ack(tuple: Tuple): void;
  fail(tuple: Tuple): void;
  log(level: LogLevelName, message: string): void;
  reportError(message: string): void;
}

/** An emit as the host receives it, anchors reduced to tuple ids. */
export interface HostEmit {
  stream?: string;
  anchors?: string[];
  id?: string | number;
  directTask?: number;
  needTaskIds: boolean;
}

const hostSlot = Symbol('squall.host');
const randomSlot = Symbol('squall.random');

/** Formats log arguments the way console.log would, without touching stdout. */
export function formatLogArgs(args: unknown[]): string {
  return args
    .map((a) => (typeof a === 'string' ? a : a instanceof Error ? (a.stack ?? a.message) : safeStringify(a)))
    .join(' ');
}

function safeStringify(value: unknown): string {
  try {
    return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  } catch {
    return String(value);
  }
}

/** Shared base of spouts and bolts. */
export abstract class Component {
  /** Merged topology + component config, from the handshake. */
  protected conf: Record<string, unknown> = {};
  protected context!: TopologyContext;
  private [hostSlot]?: ComponentHost;
  private [randomSlot]?: RandomSource | null;

  /** Called once, after the handshake, before any tuple. */
  initialize(_conf: Record<string, unknown>, _context: TopologyContext): void | Promise<void> {}

  /** Logs to this task's log (and the workbench). */
  readonly log: Logger = {
    trace: (...a) => this.host.log('trace', formatLogArgs(a)),
    debug: (...a) => this.host.log('debug', formatLogArgs(a)),
    info: (...a) => this.host.log('info', formatLogArgs(a)),
    warn: (...a) => this.host.log('warn', formatLogArgs(a)),
    error: (...a) => this.host.log('error', formatLogArgs(a)),
  };

  /**
   * A number in [0, 1): reproducible when the run has a seed (`squall run --seed`, the test
   * harness), different for each task; Math.random otherwise. Use it where a component makes
   * random choices, so a run can be replayed exactly.
   */
  protected random(): number {
    if (this[randomSlot] === undefined) {
      const seed = this.conf[SEED_CONF_KEY];
      this[randomSlot] = typeof seed === 'number' && Number.isInteger(seed) ? createRandom(deriveSeed(seed, `component:${this.context?.taskId ?? 0}`)) : null;
    }
    return this[randomSlot] ? this[randomSlot].next() : Math.random();
  }

  /** Reports an error to Storm (shown as the component's last error); the task keeps running. */
  reportError(error: unknown): void {
    this.host.reportError(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }

  protected get host(): ComponentHost {
    const host = this[hostSlot];
    if (!host) throw new Error(`${this.constructor.name} is not running: emit/ack/log are only available once a runtime has started it`);
    return host;
  }
}

/** Connects a component instance to what runs it. Used by runtimes, not by authors. */
export function attachHost(component: Component, host: ComponentHost, conf: Record<string, unknown>, context: TopologyContext): void {
  (component as unknown as Record<symbol, ComponentHost>)[hostSlot] = host;
  (component as unknown as { conf: Record<string, unknown> }).conf = conf;
  (component as unknown as { context: TopologyContext }).context = context;
}

/** A source of tuples. Storm calls nextTuple/ack/fail one at a time and waits for each. */
export abstract class Spout extends Component {
  /** Emit zero or more tuples. Returning without emitting tells the runtime to idle briefly. */
  abstract nextTuple(): void | Promise<void>;
  ack(_id: string | number): void | Promise<void> {}
  fail(_id: string | number): void | Promise<void> {}
  activate(): void | Promise<void> {}
  deactivate(): void | Promise<void> {}

  emit(values: unknown[], options: SpoutEmitOptions & { needTaskIds: true }): Promise<number[]>;
  emit(values: unknown[], options?: SpoutEmitOptions): void;
  emit(values: unknown[], options: SpoutEmitOptions = {}): Promise<number[]> | void {
    return this.host.emit(values, {
      stream: options.stream,
      id: options.id,
      directTask: options.directTask,
      needTaskIds: options.needTaskIds === true,
    });
  }
}

/** A bolt with manual acking: call ack/fail for every input tuple, anchor emits yourself. */
export abstract class Bolt extends Component {
  abstract process(tuple: Tuple): void | Promise<void>;
  /**
   * Tick tuples go here if defined, else to process(). Either way the runtime acks ticks
   * itself (an author's ack of a tick is ignored), so a tick can never be acked twice.
   */
  tick?(tuple: Tuple): void | Promise<void>;

  emit(values: unknown[], options: BoltEmitOptions & { needTaskIds: true }): Promise<number[]>;
  emit(values: unknown[], options?: BoltEmitOptions): void;
  emit(values: unknown[], options: BoltEmitOptions = {}): Promise<number[]> | void {
    return this.host.emit(values, {
      stream: options.stream,
      anchors: anchorIds(options.anchors),
      directTask: options.directTask,
      needTaskIds: options.needTaskIds === true,
    });
  }

  ack(tuple: Tuple): void {
    this.host.ack(tuple);
  }

  fail(tuple: Tuple): void {
    this.host.fail(tuple);
  }
}

/**
 * A bolt that anchors every emit to the input tuple and acks it when process() returns
 * (or its promise resolves), or fails it when process() throws (Storm's BaseBasicBolt).
 */
export abstract class BasicBolt extends Bolt {
  /** Set by the runtime while process() runs. */
  current?: Tuple;

  override emit(values: unknown[], options: BoltEmitOptions & { needTaskIds: true }): Promise<number[]>;
  override emit(values: unknown[], options?: BoltEmitOptions): void;
  override emit(values: unknown[], options: BoltEmitOptions = {}): Promise<number[]> | void {
    const current = this.current;
    const anchors = options.anchors ? anchorIds(options.anchors) : current && !current.isTick ? [current.id] : undefined;
    // Straight to the host (no option spreading): this is the hottest path of most topologies.
    return this.host.emit(values, {
      stream: options.stream,
      anchors,
      directTask: options.directTask,
      needTaskIds: options.needTaskIds === true,
    });
  }
}

function anchorIds(anchors: Tuple | readonly Tuple[] | undefined): string[] | undefined {
  if (!anchors) return undefined;
  const list = Array.isArray(anchors) ? (anchors as readonly Tuple[]) : [anchors as Tuple];
  return list.map((t) => t.id);
}

/** A component class as a module exports it. */
export type ComponentClass = (new () => Spout | Bolt) & ComponentStatics;
