/**
 * The local-mode engine: runs a topology on this machine with no JVM, every task a child
 * process started from the same launcher Storm runs, with the host side of multilang in this
 * process (bolt-task.ts, spout-task.ts), routing by Storm's groupings, the XOR acker and its
 * timeouts, tick tuples, backpressure, heartbeats, restarts and figures.
 *
 *   const engine = new LocalEngine(spec, { cwd });
 *   engine.events.on('log', (e) => ...);
 *   await engine.start();
 *   ...
 *   await engine.stop({ drainMs: 2000 });
 */
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SquallError } from '../common/errors.js';
import type { LogLevelName } from '../common/multilang/messages.js';
import { assignTasks, handshakeContext, type TaskLayout } from '../common/routing/tasks.js';
import { componentFigures, type TopologyFigures } from '../common/stats/figures.js';
import type { ComponentSpec, TopologySpec } from '../common/topology/model.js';
import { BoltTask, type BoltOwner, type InFlight } from './bolt-task.js';
import { mergedConf, taskSettings, topologySettings, type TopologySettings } from './config.js';
import { EngineEvents, type EngineEvent, type StopReason } from './events.js';
import { DEFAULT_RESTART, RestartPolicy, type RestartOptions } from './restart-policy.js';
import { SpoutTask, type SpoutOwner } from './spout-task.js';
import type { TaskHost } from './task-host.js';
import { RoutingTable } from './routing-table.js';
import { componentClass, launcherFile } from './component-loader.js';
import { startTicks } from './ticks.js';
import { TupleTrees } from './tuple-trees.js';
import { OutputCollector } from './collector.js';
import { InProcessChannel } from './in-process-channel.js';
import type { ComponentClass } from '../component/runtime.js';

/** Options of a local run. */
export interface LocalEngineOptions {
  /** Folder the children run in (Storm: the topology's resources folder); default: the topology file's folder. */
  cwd?: string;
  /** Config overrides (`-o key=value`), applied over the topology conf. */
  overrides?: Record<string, unknown>;
  /** Returns the launcher file of a component; default: bundleLauncher (core/package). */
  launcher?: (component: ComponentSpec) => Promise<string>;
  /** Extra arguments for `node` per task (e.g. `--inspect=127.0.0.1:0` when debugging). */
  execArgv?: (component: string, task: number) => string[];
  /** Extra environment of every child. */
  env?: Record<string, string>;
  /** Seed of shuffle groupings and edge ids (reproducible runs). */
  seed?: number;
  /** Period of `stats` events (ms, default 1000). */
  statsIntervalMs?: number;
  /** Restart backoff and crash-loop rule. */
  restart?: Partial<RestartOptions>;
  /** Time allowed for every task to answer its handshake (ms, default: the subprocess timeout). */
  startTimeoutMs?: number;
  /**
   * Run every component inside this process through the runtime's executors instead of one
   * child process per task. Same host-side rules; NOT how Storm runs shell components.
   */
  inProcess?: boolean;
}

const HEARTBEAT_PERIOD_MS = 1000;
const INSPECTOR_LINE = /^Debugger listening on (ws:\/\/\S+)/;

/** A topology running locally. */
export class LocalEngine implements BoltOwner, SpoutOwner {
  /** Everything that happens, as typed events. */
  readonly events = new EngineEvents();
  /** Resolves with the reason once the run has stopped (requested, duration, crash loop). */
  readonly done: Promise<StopReason>;
  private resolveDone!: (reason: StopReason) => void;
  private readonly spec: TopologySpec;
  private readonly conf: Record<string, unknown>;
  private readonly settings: TopologySettings;
  private readonly layout: TaskLayout;
  private readonly tasks = new Map<number, TaskHost>();
  private readonly bolts: BoltTask[] = [];
  private readonly spouts: SpoutTask[] = [];
  private readonly downstream = new Map<string, BoltTask[]>();
  private readonly routing: RoutingTable;
  private readonly collector: OutputCollector;
  private readonly policies = new Map<number, RestartPolicy>();
  private readonly blocked = new Set<TaskHost>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly launchers = new Map<string, string>();
  private readonly classes = new Map<string, ComponentClass>();
  private readonly trees: TupleTrees;
  private readonly epoch = performance.now();
  private wakeScheduled = false;
  private pidRoot = '';
  private started = false;
  private stopping = false;
  private active = false;
  private startedAt = 0;
  private waitingForReady: { count: number; resolve: () => void } | undefined;
  /** Set when a crash loop stopped the run. */
  private crashLoop: { component: string; task: number; message: string } | undefined;

  constructor(spec: TopologySpec, private readonly options: LocalEngineOptions = {}) {
    this.spec = spec;
    this.conf = { ...spec.config, ...(options.overrides ?? {}) };
    this.settings = topologySettings(this.conf);
    this.layout = assignTasks({ ...spec, config: this.conf });
    this.trees = new TupleTrees(this.settings.messageTimeoutMs, options.seed);
    this.routing = new RoutingTable({ ...spec, config: this.conf }, this.layout, options.seed);
    this.collector = new OutputCollector(this.tasks, this.routing, this.trees, this.settings.ackers, () => this.now());
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.buildTasks();
  }

  /** 'multiprocess' (as Storm runs shell components) or 'in-process' (for speed, labelled). */
  get mode(): 'multiprocess' | 'in-process' {
    return this.options.inProcess ? 'in-process' : 'multiprocess';
  }

  /**
   * Milliseconds since the engine was created. Read once per batch of messages (the value is
   * kept until the current synchronous work ends): a clock read per tuple cost ~8 % of the host.
   */
  now(): number {
    if (this.cachedNow === undefined) {
      this.cachedNow = performance.now() - this.epoch;
      queueMicrotask(this.clearNow);
    }
    return this.cachedNow;
  }

  private cachedNow: number | undefined;
  private readonly clearNow = (): void => {
    this.cachedNow = undefined;
  };

  /** Pids of every task process currently alive. */
  pids(): number[] {
    return [...this.tasks.values()].filter((t) => t.alive && t.pid !== undefined).map((t) => t.pid!);
  }

  /** Starts every task, waits for every handshake, then activates the spouts. */
  async start(): Promise<void> {
    if (this.started) throw new Error('this engine has already been started');
    this.started = true;
    this.startedAt = this.now();
    this.pidRoot = await mkdtemp(path.join(os.tmpdir(), 'squall-local-'));
    try {
      for (const component of this.spec.components) {
        if (this.options.inProcess) this.classes.set(component.id, await componentClass(component, this.baseDir()));
        else this.launchers.set(component.id, this.options.launcher ? await this.options.launcher(component) : await launcherFile(component, this.baseDir()));
      }
    } catch (error) {
      await rm(this.pidRoot, { recursive: true, force: true });
      this.stopping = true;
      this.resolveDone('failed-to-start');
      throw error;
    }
    const ready = new Promise<void>((resolve) => (this.waitingForReady = { count: this.tasks.size, resolve }));
    for (const task of this.tasks.values()) await this.launch(task);
    const timeoutMs = this.options.startTimeoutMs ?? this.settings.subprocessTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([ready.then(() => 'ready' as const), timedOut, this.done]);
    clearTimeout(timer);
    // Stopped on request (Ctrl-C) while starting: nothing went wrong.
    if (outcome === 'requested') return;
    if (outcome !== 'ready') {
      const missing = [...this.tasks.values()].filter((t) => !t.isReady);
      const crashLoop = this.crashLoop;
      await this.stop({ reason: 'failed-to-start' });
      if (crashLoop) {
        throw new SquallError('component', `the topology could not start: ${crashLoop.message}`, { component: crashLoop.component, task: crashLoop.task }, `the task dies before or during its handshake: read its stderr above, or run it alone with \`squall launch <topology.yaml> ${crashLoop.component}\``);
      }
      const names = missing.map((t) => `${t.component}[${t.taskId}]`).join(', ');
      throw new SquallError('component', `tasks did not answer the handshake within ${timeoutMs / 1000} s: ${names || 'stopped while starting'}`, { component: missing[0]?.component, task: missing[0]?.taskId }, 'a component that blocks in its module code or initialize() never starts; look at its log lines above');
    }
    this.timers.push(setInterval(() => this.everySecond(), HEARTBEAT_PERIOD_MS));
    this.timers.push(setInterval(() => this.emitStats(), this.options.statsIntervalMs ?? 1000));
    this.timers.push(...startTicks(this.bolts));
    this.active = true;
    for (const spout of this.spouts) spout.setActive(true);
    this.events.emit({ type: 'topology-started', topology: this.spec.name, mode: this.mode, tasks: this.tasks.size, time: Date.now() });
  }

  /**
   * Stops the run. With `drainMs`, spouts are deactivated first and open tuple trees get that
   * long to complete (what `--duration` does); then every process is stopped.
   */
  async stop(options: { reason?: StopReason; drainMs?: number } = {}): Promise<void> {
    if (this.stopping) {
      await this.done;
      return;
    }
    if (options.drainMs && options.drainMs > 0 && this.active) {
      this.deactivate();
      const until = this.now() + options.drainMs;
      while (this.trees.size > 0 && this.now() < until && !this.stopping) await delay(20);
      // Let the spouts hear the last acks before they are stopped.
      const settleUntil = this.now() + 500;
      while (this.spouts.some((s) => s.isReady && !s.idle) && this.now() < settleUntil && !this.stopping) await delay(5);
    }
    if (this.stopping) {
      await this.done;
      return;
    }
    this.stopping = true;
    this.active = false;
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    for (const spout of this.spouts) spout.dispose();
    this.emitStats(false);
    await Promise.all([...this.tasks.values()].map((t) => t.stop(1000)));
    if (this.pidRoot) await rm(this.pidRoot, { recursive: true, force: true });
    const reason = options.reason ?? 'requested';
    this.events.emit({ type: 'topology-stopped', topology: this.spec.name, reason, time: Date.now() });
    this.resolveDone(reason);
  }

  /** Deactivates every spout (no more `next`); acks and fails still flow. */
  deactivate(): void {
    this.active = false;
    for (const spout of this.spouts) spout.setActive(false);
  }

  /** Activates every spout again. */
  activate(): void {
    this.active = true;
    for (const spout of this.spouts) spout.setActive(true);
  }

  /** Figures of every task and component right now. */
  figures(): TopologyFigures {
    const byComponent = new Map<string, TaskHost[]>();
    for (const task of this.tasks.values()) {
      if (task instanceof BoltTask) task.counters.queued = task.queued;
      const list = byComponent.get(task.component) ?? [];
      list.push(task);
      byComponent.set(task.component, list);
    }
    return {
      topology: this.spec.name,
      mode: this.mode,
      uptimeMs: Math.round(this.now() - this.startedAt),
      components: this.spec.components.map((c) => componentFigures(c.id, c.kind, (byComponent.get(c.id) ?? []).map((t) => t.counters))),
      tasks: [...this.tasks.values()].map((t) => t.counters.figures()),
    };
  }

  // ---- TaskOwner ----

  log(task: TaskHost, level: LogLevelName, text: string, source?: 'stderr'): void {
    const event: EngineEvent = { type: 'log', component: task.component, task: task.taskId, level, text, time: Date.now() };
    if (source) event.stream = source;
    this.events.emit(event);
    // `node --inspect` announces its WebSocket on stderr; the debugger attaches there.
    const inspector = source === 'stderr' ? INSPECTOR_LINE.exec(text) : null;
    if (inspector) this.events.emit({ type: 'inspector', component: task.component, task: task.taskId, pid: task.pid, url: inspector[1]!, time: Date.now() });
  }

  reportError(task: TaskHost, message: string): void {
    this.events.emit({ type: 'error', component: task.component, task: task.taskId, message, fatal: false, time: Date.now() });
  }

  taskReady(task: TaskHost): void {
    this.events.emit({ type: 'task-started', component: task.component, task: task.taskId, pid: task.counters.pid, restart: task.counters.restarts, time: Date.now() });
    if (task instanceof BoltTask) task.pump();
    if (task instanceof SpoutTask) task.setActive(this.active);
    const waiting = this.waitingForReady;
    if (waiting && --waiting.count === 0) {
      this.waitingForReady = undefined;
      waiting.resolve();
    }
  }

  taskExited(task: TaskHost, code: number | null, signal: NodeJS.Signals | null, reason: string | undefined): void {
    if (this.stopping || task.stopping) return;
    const tuple = task.deathTuple ?? (task instanceof BoltTask ? task.oldestInFlight() : undefined);
    const why = reason ?? (signal ? `process killed by ${signal}` : code === null ? `the process could not be started (${task.stderrTail.trim().split('\n').at(-1) ?? 'no reason given'})` : `process exited with code ${code}`);
    const lastError = task.counters.lastError;
    if (reason === undefined) task.counters.lastError = why;
    this.events.emit({ type: 'task-exited', component: task.component, task: task.taskId, pid: task.counters.pid, code, signal, reason: why, stderrTail: task.stderrTail, lastError, tuple, time: Date.now() });
    this.events.emit({ type: 'error', component: task.component, task: task.taskId, message: `task died: ${why}`, fatal: false, time: Date.now() });
    this.blocked.delete(task);
    task.counters.pid = undefined;
    this.collector.generations.set(task.taskId, (this.collector.generations.get(task.taskId) ?? 0) + 1);
    task.abandonInFlight();
    const decision = this.policies.get(task.taskId)!.crashed(this.now());
    if (decision.action === 'give-up') {
      const message = `component '${task.component}' task ${task.taskId} crashed ${decision.crashes} times in ${decision.windowMs / 1000} s (crash loop): stopping the run. Last reason: ${why}`;
      this.crashLoop = { component: task.component, task: task.taskId, message };
      this.events.emit({ type: 'error', component: task.component, task: task.taskId, message, fatal: true, time: Date.now() });
      void this.stop({ reason: 'crash-loop' });
      return;
    }
    task.counters.restarts++;
    this.events.emit({ type: 'task-restarted', component: task.component, task: task.taskId, attempt: decision.attempt, delayMs: decision.delayMs, time: Date.now() });
    const timer = setTimeout(() => {
      if (!this.stopping) void this.launch(task);
    }, decision.delayMs);
    timer.unref();
  }

  canEmit(task: TaskHost): boolean {
    const targets = this.downstream.get(task.component);
    if (!targets) return true;
    for (const target of targets) if (target.full && target.isReady) return false;
    return true;
  }

  waitForRoom(task: TaskHost): void {
    this.blocked.add(task);
  }

  queueHasRoom(_task: BoltTask): void {
    this.wakeBlocked();
  }

  /** Lets blocked producers try again (soon, once the current batch is done). */
  private wakeBlocked(): void {
    if (this.blocked.size === 0 || this.wakeScheduled) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      const waiting = [...this.blocked];
      this.blocked.clear();
      for (const task of waiting) if (this.canEmit(task)) task.resumeEmitting();
      else this.blocked.add(task);
    });
  }

  // ---- emits, acks, fails (the collector does the work) ----

  spoutEmit(task: SpoutTask, stream: string, values: unknown[], messageId: unknown, directTask: number | undefined): number[] {
    return this.collector.spoutEmit(task, stream, values, messageId, directTask);
  }

  boltEmit(task: BoltTask, stream: string, values: unknown[], anchors: InFlight[], directTask: number | undefined): number[] {
    return this.collector.boltEmit(task, stream, values, anchors, directTask);
  }

  boltAcked(task: BoltTask, input: InFlight): void {
    this.collector.boltAcked(task, input);
  }

  boltFailed(task: BoltTask, input: InFlight): void {
    this.collector.boltFailed(task, input);
  }

  // ---- set-up ----

  private buildTasks(): void {
    this.createTasks();
    for (const component of this.spec.components) {
      const consumers = this.routing.consumersOf(component.id);
      const bolts = consumers.flatMap((id) => this.layout.componentTasks.get(id) ?? []).map((t) => this.tasks.get(t) as BoltTask);
      if (bolts.length > 0) this.downstream.set(component.id, bolts);
    }
  }

  private createTasks(): void {
    const restart = { ...DEFAULT_RESTART, ...(this.options.restart ?? {}) };
    for (const component of this.spec.components) {
      const merged = mergedConf(this.conf, component.config);
      const settings = taskSettings(merged, component.config);
      for (const taskId of this.layout.componentTasks.get(component.id) ?? []) {
        const task = component.kind === 'spout' ? new SpoutTask(this, component.id, taskId, settings) : new BoltTask(this, component.id, taskId, settings);
        this.tasks.set(taskId, task);
        if (task instanceof SpoutTask) this.spouts.push(task);
        else this.bolts.push(task as BoltTask);
        this.policies.set(taskId, new RestartPolicy(restart));
      }
    }
  }

  private baseDir(): string {
    return this.options.cwd ?? (this.spec.file ? path.dirname(this.spec.file) : process.cwd());
  }

  private async launch(task: TaskHost): Promise<void> {
    const component = this.spec.components.find((c) => c.id === task.component)!;
    const pidDir = path.join(this.pidRoot, String(task.taskId));
    await mkdir(pidDir, { recursive: true });
    if (this.stopping) return;
    const componentClass = this.classes.get(component.id);
    task.launch({
      open: componentClass ? (handlers) => new InProcessChannel(componentClass, handlers) : undefined,
      process: {
        script: this.launchers.get(component.id) ?? '',
        execArgv: this.options.execArgv?.(component.id, task.taskId),
        cwd: this.baseDir(),
        env: { ...process.env, ...this.settings.environment, ...(this.options.env ?? {}) },
      },
      conf: mergedConf(this.conf, component.config),
      context: handshakeContext({ ...this.spec, config: this.conf }, this.layout, task.taskId),
      pidDir,
    });
  }

  private everySecond(): void {
    const now = this.now();
    for (const task of this.tasks.values()) task.heartbeat(now, this.settings.subprocessTimeoutMs);
    // Safety net: a wake-up is normally triggered by a queue leaving its bound.
    this.wakeBlocked();
    this.collector.expire(now);
  }

  /** Emits a `stats` event; `roll` closes the capacity window (not for the final snapshot). */
  private emitStats(roll = true): void {
    const now = this.now();
    if (roll) for (const task of this.tasks.values()) task.counters.rollCapacity(now);
    this.events.emit({ type: 'stats', figures: this.figures(), time: Date.now() });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
