/**
 * A whole topology in one process, for tests: every task is a component instance driven by
 * the runtime's own executors (the code that runs it under Storm), tuples are routed with
 * Storm's groupings and task ids, tuple trees are acked through the XOR acker, ticks and
 * timeouts follow a fake clock. One seed fixes every choice (shuffle, interleaving, ids).
 *
 * This is the labelled in-process mode of DESIGN.md §4: no multilang pipes, no child
 * processes, values copied through JSON as the wire would.
 */
import { SquallError } from '../common/errors.js';
import { TICK_STREAM, SYSTEM_COMPONENT } from '../common/multilang/messages.js';
import { EmitRefused } from '../common/host/emit-rules.js';
import { TopologyRouter } from '../common/host/topology-router.js';
import { createRandom, deriveSeed, type RandomSource } from '../common/routing/random.js';
import { assignTasks, handshakeContext, type TaskLayout } from '../common/routing/tasks.js';
import type { ComponentSpec, TopologySpec } from '../common/topology/model.js';
import { Bolt, Spout, TopologyContext, Tuple } from '../component/index.js';
import { SEED_CONF_KEY } from '../common/topology/squall-settings.js';
import { mergedConf, taskSettings, topologySettings } from '../local/config.js';
import { BoltExecutor, ComponentCrash, SpoutExecutor, type ComponentClass, type ComponentHost, type HostEmit } from '../component/runtime.js';
import type { FakeClock } from './fake-clock.js';
import { FeederSpout } from './feeder.js';
import { ResultRecorder } from './result.js';
import type { Anchor, TreeMembership } from '../common/acking/tuple-trees.js';
import { TupleTracker, type SpoutNotice } from './tuple-tracker.js';

interface TaskBase {
  task: number;
  component: ComponentSpec;
  conf: Record<string, unknown>;
}

interface BoltTask extends TaskBase {
  kind: 'bolt';
  executor: BoltExecutor;
  queue: Tuple[];
  /** Tuples delivered and not yet acked or failed, by tuple id. */
  inFlight: Map<string, Anchor>;
  tickMs?: number;
  tickSecs?: number;
  nextTickMs?: number;
}

interface SpoutTask extends TaskBase {
  kind: 'spout';
  executor: SpoutExecutor;
  commands: SpoutNotice[];
  idle: boolean;
  maxPending?: number;
  feeder?: FeederSpout;
}

type TaskState = BoltTask | SpoutTask;

/** How an in-process topology is set up. */
export interface InProcessOptions {
  /** Component class of every component that is not fed. */
  classes: ReadonlyMap<string, ComponentClass>;
  /** Spouts replaced by a feeder, with the feeder of their first task. */
  feeders: ReadonlyMap<string, FeederSpout>;
  seed: number;
  clock: FakeClock;
  ackers?: number;
  /** Also receives every log line as it happens. */
  onLog?: (line: string) => void;
}

/** Conf key telling a component it runs in-process (stdin is free, no multilang channel). */
export const IN_PROCESS_CONF_KEY = 'squall.in.process';

/** A running in-process topology; `step()` advances it by one unit of work. */
export class InProcessTopology {
  readonly layout: TaskLayout;
  readonly recorder: ResultRecorder;
  readonly tasks = new Map<number, TaskState>();
  readonly tracker: TupleTracker;
  private readonly random: RandomSource;
  private readonly byId: Map<string, ComponentSpec>;
  private readonly router: TopologyRouter;
  steps = 0;

  constructor(
    readonly spec: TopologySpec,
    private readonly options: InProcessOptions,
  ) {
    this.layout = assignTasks(spec, options.ackers === undefined ? {} : { ackers: options.ackers });
    this.byId = new Map(spec.components.map((c) => [c.id, c]));
    this.random = createRandom(deriveSeed(options.seed, 'schedule'));
    const ackers = this.layout.componentTasks.get('__acker')?.length ?? 0;
    // 0 when topology.enable.message.timeouts is false: trees then never time out.
    const { messageTimeoutMs } = topologySettings(spec.config);
    this.tracker = new TupleTracker(options.seed, ackers > 0, messageTimeoutMs, options.clock.now());
    this.router = new TopologyRouter(spec, this.layout, options.seed);
    this.recorder = new ResultRecorder(spec.components.filter((c) => c.kind === 'spout').map((c) => c.id));
  }

  /** Creates every task (ascending task id), runs initialize, then activates the spouts. */
  async start(): Promise<void> {
    for (const [task, componentId] of [...this.layout.taskToComponent].sort(([a], [b]) => a - b)) {
      const component = this.byId.get(componentId);
      if (!component) continue; // __acker and friends: their work is the tracker's.
      try {
        this.tasks.set(task, this.createTask(task, component));
      } catch (error) {
        if (error instanceof SquallError) throw error;
        // The constructor is user code (field initializers): in a worker this kills the task.
        this.recorder.crashes.push({ component: component.id, task, crash: new ComponentCrash(error, 'constructor') });
        return;
      }
    }
    for (const state of this.tasks.values()) {
      if (!(await this.guard(state, () => state.executor.initialize()))) return;
    }
    for (const state of this.tasks.values()) {
      if (state.kind === 'spout' && !(await this.guard(state, () => state.executor.activate()))) return;
    }
  }

  /** True once a component crashed (the run must stop, as the Storm worker would). */
  get crashed(): boolean {
    return this.recorder.crashes.length > 0;
  }

  private createTask(task: number, component: ComponentSpec): TaskState {
    // The same conf a Storm executor (and the local engine) gives the task: Storm's rule for
    // which settings a component's own conf may change.
    const conf: Record<string, unknown> = { ...mergedConf(this.spec.config, component.config), 'topology.name': this.spec.name, [SEED_CONF_KEY]: this.options.seed, [IN_PROCESS_CONF_KEY]: true };
    const context = new TopologyContext(handshakeContext(this.spec, this.layout, task));
    const base = { task, component, conf };
    // Read the way the local engine reads them (Storm's defaults, numbers given as text too).
    const settings = taskSettings(conf, component.config);
    const host = this.hostFor(task, component);
    if (component.kind === 'spout') {
      const feeder = this.options.feeders.get(component.id);
      const isFirst = this.layout.componentTasks.get(component.id)![0] === task;
      const instance = feeder ? (isFirst ? feeder : new FeederSpout([], this.options.clock)) : this.instantiate(component);
      if (!(instance instanceof Spout)) throw this.kindError(component, 'Spout');
      return {
        ...base,
        kind: 'spout',
        executor: new SpoutExecutor(instance, host, conf, context),
        commands: [],
        idle: false,
        maxPending: settings.maxSpoutPending,
        feeder: feeder && instance instanceof FeederSpout ? instance : undefined,
      };
    }
    const instance = this.instantiate(component);
    if (!(instance instanceof Bolt)) throw this.kindError(component, 'Bolt');
    const tickSecs = settings.tickSecs;
    const tickMs = tickSecs === undefined ? undefined : tickSecs * 1000;
    return {
      ...base,
      kind: 'bolt',
      executor: new BoltExecutor(instance, host, conf, context),
      queue: [],
      inFlight: new Map(),
      tickSecs,
      tickMs,
      nextTickMs: tickMs ? this.options.clock.now() + tickMs : undefined,
    };
  }

  private instantiate(component: ComponentSpec): Spout | Bolt {
    const cls = this.options.classes.get(component.id);
    if (!cls) {
      throw new SquallError('component', `no component class for '${component.id}'`, { component: component.id }, 'pass it in `components`, load the topology from its file, or feed the spout with `spoutTuples`');
    }
    return new cls();
  }

  private kindError(component: ComponentSpec, expected: string): SquallError {
    return new SquallError('component', `'${component.id}' is a ${component.kind} in the topology but its class does not extend ${expected}`, { component: component.id }, `make the class extend ${expected}`);
  }

  /** The ComponentHost a task's executor talks to. */
  private hostFor(task: number, component: ComponentSpec): ComponentHost {
    const now = (): number => this.options.clock.now();
    return {
      emit: (values: unknown[], options: HostEmit) => {
        const targets = this.emit(task, component, values, options);
        return options.needTaskIds ? Promise.resolve(targets) : undefined;
      },
      ack: (tuple) => this.settleTuple(task, tuple, 'ack'),
      fail: (tuple) => this.settleTuple(task, tuple, 'fail'),
      log: (level, message) => {
        this.recorder.logs.push({ component: component.id, task, level, message, timeMs: now() });
        this.options.onLog?.(`${component.id}:${task} ${level} ${message}`);
      },
      reportError: (message) => {
        this.recorder.errors.push({ component: component.id, task, message, timeMs: now() });
      },
    };
  }

  private emit(task: number, component: ComponentSpec, values: unknown[], options: HostEmit): number[] {
    const stream = options.stream ?? 'default';
    const where = { component: component.id, task };
    // What crosses the wire is JSON: copy through it, so the harness sees what Storm would.
    let json: string;
    try {
      json = JSON.stringify(values);
    } catch (error) {
      throw new SquallError('component', `emit values cannot be sent as JSON: ${(error as Error).message}`, where, 'emit strings, numbers, booleans, null, arrays and plain objects');
    }
    const wireValues = JSON.parse(json) as unknown[];
    const state = this.tasks.get(task)!;
    let targets: number[];
    try {
      targets = this.router.route(task, component.id, stream, wireValues, options.directTask);
    } catch (error) {
      // Storm halts the worker over a refused emit, whatever the component does with the
      // exception (a BasicBolt would only fail its tuple): record the crash, then abort the emit.
      if (error instanceof EmitRefused) this.recorder.crashes.push({ component: component.id, task, crash: new ComponentCrash(error, 'emit') });
      throw error;
    }
    const declared = component.outputs![stream]!;
    const timeMs = this.options.clock.now();
    // Where each copy sits in the tuple trees: untracked unless a reliable spout emit or anchored.
    let membershipOf: (index: number) => TreeMembership = () => ({});
    if (state.kind === 'spout') {
      const reliable = options.id !== undefined && options.id !== null;
      this.recorder.recordEmit(component.id, { task, stream, values: wireValues, targets, timeMs, ...(reliable ? { messageId: options.id } : {}) });
      if (reliable) {
        const { members, notice } = this.tracker.startTree(task, options.id!, targets.length, timeMs);
        if (notice) this.notifySpout(notice);
        membershipOf = (index) => members[index]!;
      }
    } else {
      const anchors = (options.anchors ?? []).map((id) => state.inFlight.get(id)).filter((a): a is Anchor => a !== undefined);
      this.recorder.recordEmit(component.id, { task, stream, values: wireValues, targets, timeMs, anchored: anchors.length > 0 });
      if (anchors.length > 0) membershipOf = () => this.tracker.anchor(anchors);
    }
    targets.forEach((target, i) => this.deliver(target, component.id, stream, task, JSON.parse(json) as unknown[], declared.fields, membershipOf(i)));
    return targets;
  }

  private deliver(target: number, source: string, stream: string, sourceTask: number, values: unknown[], fields: string[], membership: TreeMembership): void {
    const state = this.tasks.get(target);
    if (!state || state.kind !== 'bolt') return;
    const tuple = new Tuple(this.tracker.format(this.tracker.newId()), source, stream, sourceTask, values, fields);
    state.inFlight.set(tuple.id, { tuple: membership, outXor: 0n });
    state.queue.push(tuple);
  }

  private settleTuple(task: number, tuple: Tuple, outcome: 'ack' | 'fail'): void {
    const state = this.tasks.get(task);
    if (!state || state.kind !== 'bolt') return;
    const membership = state.inFlight.get(tuple.id);
    if (!membership) return;
    state.inFlight.delete(tuple.id);
    const now = this.options.clock.now();
    const notices = outcome === 'ack' ? this.tracker.ack(membership, now) : this.tracker.fail(membership, now);
    notices.forEach((n) => this.notifySpout(n));
  }

  private notifySpout(notice: SpoutNotice): void {
    const state = this.tasks.get(notice.spoutTask);
    if (state?.kind === 'spout') state.commands.push(notice);
  }

  /** Delivers the next queued tuple of a bolt task. */
  async runBolt(state: BoltTask): Promise<void> {
    const tuple = state.queue.shift()!;
    this.steps++;
    await this.guard(state, () => state.executor.deliver(tuple));
  }

  /** Tells a spout task about one completed or failed tree. */
  async runSpoutCommand(state: SpoutTask): Promise<void> {
    const notice = state.commands.shift()!;
    this.steps++;
    const spout = state.component.id;
    (notice.outcome === 'ack' ? this.recorder.acked : this.recorder.failed)[spout]!.push(notice.messageId);
    state.idle = false;
    await this.guard(state, () => (notice.outcome === 'ack' ? state.executor.ack(notice.messageId) : state.executor.fail(notice.messageId)));
  }

  /** Calls nextTuple once; a call that emits nothing leaves the spout idle until time moves. */
  async runNextTuple(state: SpoutTask): Promise<void> {
    this.steps++;
    await this.guard(state, () => state.executor.nextTuple());
    if (state.executor.takeEmitCount() === 0) state.idle = true;
  }

  /** True when a spout may be asked for a tuple (not idle, under max spout pending). */
  canCallNext(state: SpoutTask): boolean {
    if (state.idle) return false;
    return state.maxPending === undefined || this.tracker.pendingOf(state.task) < state.maxPending;
  }

  /** Moves virtual time to `ms`: due ticks are queued, timed-out trees fail, spouts wake. */
  advanceTo(ms: number): void {
    this.options.clock.advanceTo(ms);
    const now = this.options.clock.now();
    for (const state of this.tasks.values()) {
      if (state.kind === 'spout') state.idle = false;
      if (state.kind !== 'bolt' || state.nextTickMs === undefined) continue;
      while (state.nextTickMs <= now) {
        const tick = new Tuple(this.tracker.format(this.tracker.newId()), SYSTEM_COMPONENT, TICK_STREAM, -1, [state.tickSecs], ['rate_secs']);
        state.inFlight.set(tick.id, { tuple: {}, outXor: 0n });
        state.queue.push(tick);
        state.nextTickMs += state.tickMs!;
      }
    }
    this.tracker.expire(now).forEach((n) => this.notifySpout(n));
  }

  /** Earliest virtual time something is scheduled: ticks (if `withTicks`), fed tuples, timeouts. */
  nextEventMs(withTicks: boolean): number | undefined {
    const times: number[] = [];
    for (const state of this.tasks.values()) {
      if (state.kind === 'bolt' && withTicks && state.nextTickMs !== undefined) times.push(state.nextTickMs);
      if (state.kind === 'spout' && state.feeder?.nextDueMs !== undefined) times.push(state.feeder.nextDueMs);
    }
    const timeout = this.tracker.nextTimeoutCheckMs;
    if (timeout !== undefined) times.push(timeout);
    return times.length ? Math.min(...times) : undefined;
  }

  /** Something is still awaited: a fed tuple in the future or a tuple tree not yet settled. */
  get awaiting(): boolean {
    if (this.tracker.pendingTrees > 0) return true;
    for (const state of this.tasks.values()) if (state.kind === 'spout' && state.feeder?.remaining) return true;
    return false;
  }

  /** Picks uniformly (by the run's seed) among items. */
  pick<T>(items: T[]): T {
    return items[this.random.nextInt(items.length)]!;
  }

  /** Runs a component call; a crash is recorded and returns false. */
  private async guard(state: TaskState, run: () => Promise<void> | void): Promise<boolean> {
    try {
      await run();
      return true;
    } catch (error) {
      const crash = error instanceof ComponentCrash ? error : new ComponentCrash(error, 'harness');
      this.recorder.crashes.push({ component: state.component.id, task: state.task, crash });
      return false;
    }
  }
}

export type { BoltTask, SpoutTask, TaskState };
