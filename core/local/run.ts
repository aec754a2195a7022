/**
 * A topology running locally, no JVM: the public face of the local engine that the CLI, the
 * debugger, the profiler and the workbench all use. Every task is a child process started from
 * the launcher Storm runs (or, labelled, a channel in this process); the supervisor keeps them
 * alive, the collector moves their tuples by Storm's groupings and acks them with the XOR acker.
 *
 *   const run = new LocalRun(spec, { debug: { components: ['split'] } });
 *   run.onLog((line) => ...);
 *   run.onDebugTargets(({ targets }) => ...);
 *   await run.start();
 *   const snapshot = run.snapshot();
 *   await run.stop({ drainMs: 2000 });
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SquallError } from '../common/errors.js';
import type { Event } from '../common/event.js';
import { TopologyRouter } from '../common/host/topology-router.js';
import { assignTasks, type TaskLayout } from '../common/routing/tasks.js';
import type { DebugTarget, DebugTargetsChange, RunDebugInfo, RunEvent, RunLogLine, RunMode, RunProblem, RunSnapshot, RunStarted, RunState, RunStats, RunStopped, RunTap, StopReason, TaskStateChange } from '../common/run/run-types.js';
import { componentFigures, type TopologyFigures } from '../common/stats/figures.js';
import type { ComponentSpec, TopologySpec } from '../common/topology/model.js';
import { SEED_CONF_KEY } from '../common/topology/squall-settings.js';
import { suggestion } from '../common/topology/suggest.js';
import { OutputCollector } from './collector.js';
import { componentClass, launcherFile } from './component-loader.js';
import { topologySettings, type TopologySettings } from './config.js';
import { DEFAULT_RESTART, type RestartOptions } from './restart-policy.js';
import { RunEvents } from './run-events.js';
import { SpoutTask } from './spout-task.js';
import type { TaskHost } from './task-host.js';
import { TaskSupervisor } from './task-supervisor.js';
import { startTicks } from './ticks.js';
import { TupleTrees } from './tuple-trees.js';
import type { BoltTask } from './bolt-task.js';

/** Options of a local run. */
export interface LocalRunOptions {
  /** Folder the children run in (Storm: the topology's resources folder); default: the topology file's folder. */
  cwd?: string;
  /** Config overrides (`-o key=value`), applied over the topology conf. */
  overrides?: Record<string, unknown>;
  /** Returns the launcher file of a component; default: the bundled launcher. */
  launcher?: (component: ComponentSpec) => Promise<string>;
  /** Extra arguments for `node` per task (e.g. `--cpu-prof`). */
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
  /** Run these components' tasks under the inspector (see LocalDebugOptions). */
  debug?: LocalDebugOptions;
  /** Observers of every routed emit and settled tree (tests, tracing, recording): one call per tuple. */
  tap?: RunTap;
}

/** What `squall run --debug` asks for. */
export interface LocalDebugOptions {
  /** Component ids, or '*' for every component. */
  components: readonly string[] | '*';
  /** Each debugged task waits up to this long for a debugger before its user code runs (default 0). */
  waitSecs?: number;
  /**
   * topology.message.timeout.secs during the run (default 3600), so tuples paused at a
   * breakpoint are not failed and replayed underneath the user. An explicit override wins.
   */
  messageTimeoutSecs?: number;
}

const HEARTBEAT_PERIOD_MS = 1000;
const DEBUG_MESSAGE_TIMEOUT_SECS = 3600;
/** Resident memory of one task process, measured by bench/wordcount (51–55 MB); used to warn early. */
const TASK_RSS_BYTES = 55 * 1024 * 1024;

/** A topology running locally. */
export class LocalRun {
  /** Resolves with the reason once the run has stopped (requested, duration, crash loop, failed to start). */
  readonly done: Promise<StopReason>;
  /** The topology as run (config overrides and debug adjustments applied). */
  readonly topology: TopologySpec;
  private resolveDone!: (reason: StopReason) => void;
  private readonly events = new RunEvents();
  private readonly conf: Record<string, unknown>;
  private readonly settings: TopologySettings;
  private readonly layout: TaskLayout;
  private readonly tasks = new Map<number, TaskHost>();
  private readonly collector: OutputCollector;
  private readonly supervisor: TaskSupervisor;
  private readonly debugInfo: RunDebugInfo | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly epoch = performance.now();
  private pidRoot = '';
  private state: RunState = 'starting';
  private started = false;
  private startedAt: number | undefined;
  private startedAtMs = 0;
  private stopReason: StopReason | undefined;
  /** Set when a crash loop stopped the run. */
  private crashLoop: { component: string; task: number; message: string } | undefined;

  constructor(spec: TopologySpec, private readonly options: LocalRunOptions = {}) {
    const debugged = debugComponents(spec, options);
    const conf: Record<string, unknown> = { ...spec.config, ...(options.overrides ?? {}) };
    // Components read it through this.random(): the same seed, the same choices, in every mode.
    if (options.seed !== undefined) conf[SEED_CONF_KEY] = options.seed;
    const original = topologySettings(conf).messageTimeoutMs / 1000;
    if (debugged.size > 0) {
      const explicit = options.overrides && 'topology.message.timeout.secs' in options.overrides;
      const raised = options.debug?.messageTimeoutSecs ?? DEBUG_MESSAGE_TIMEOUT_SECS;
      if (!explicit && original > 0 && original < raised) conf['topology.message.timeout.secs'] = raised;
      this.debugInfo = { components: [...debugged], waitSecs: options.debug?.waitSecs ?? 0, messageTimeoutSecs: topologySettings(conf).messageTimeoutMs / 1000, originalMessageTimeoutSecs: original };
    }
    this.conf = conf;
    this.topology = { ...spec, config: conf };
    this.settings = topologySettings(conf);
    this.layout = assignTasks(this.topology);
    const trees = new TupleTrees({ acking: this.settings.ackers > 0, timeoutMs: this.settings.messageTimeoutMs, seed: options.seed });
    const routing = new TopologyRouter(this.topology, this.layout, options.seed);
    this.collector = new OutputCollector(this.tasks, routing, trees, () => this.now(), options.tap);
    this.supervisor = new TaskSupervisor(
      {
        spec,
        conf,
        layout: this.layout,
        settings: this.settings,
        cwd: this.baseDir(),
        pidRoot: () => this.pidRoot,
        restart: { ...DEFAULT_RESTART, ...(options.restart ?? {}) },
        events: this.events,
        now: () => this.now(),
        execArgv: options.execArgv,
        env: options.env,
        debug: debugged.size > 0 ? { components: debugged, waitSecs: options.debug?.waitSecs ?? 0 } : undefined,
        onCrashLoop: (task, message) => {
          this.crashLoop = { component: task.component, task: task.taskId, message };
          void this.stop({ reason: 'crash-loop' });
        },
        isActive: () => this.state === 'active',
      },
      this.tasks,
      this.collector,
    );
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  // ---- events ----

  /** Every line a task logs (multilang `log`, console.* in a component, stderr). */
  get onLog(): Event<RunLogLine> {
    return this.events.onLog;
  }
  /** A task started, died, is restarting or stopped. */
  get onTaskState(): Event<TaskStateChange> {
    return this.events.onTaskState;
  }
  /** Figures, every `statsIntervalMs`. */
  get onStats(): Event<RunStats> {
    return this.events.onStats;
  }
  /** Errors and warnings, as values with where and hint. */
  get onProblem(): Event<RunProblem> {
    return this.events.onProblem;
  }
  /** Debugged tasks came or went (their inspector endpoints). */
  get onDebugTargets(): Event<DebugTargetsChange> {
    return this.events.onDebugTargets;
  }
  /** The run started (every task answered its handshake, spouts active). */
  get onStarted(): Event<RunStarted> {
    return this.events.onStarted;
  }
  /** The run stopped. */
  get onStopped(): Event<RunStopped> {
    return this.events.onStopped;
  }
  /** Everything above as one RunEvent stream (for transports). */
  get onEvent(): Event<RunEvent> {
    return this.events.onEvent;
  }

  // ---- life ----

  /** 'multiprocess' (as Storm runs shell components) or 'in-process' (for speed, labelled). */
  get mode(): RunMode {
    return this.options.inProcess ? 'in-process' : 'multiprocess';
  }

  /** Starts every task, waits for every handshake, then activates the spouts. */
  async start(): Promise<void> {
    if (this.started) throw new Error('this run has already been started');
    this.started = true;
    this.startedAtMs = this.now();
    this.warnAboutMemory();
    if (this.debugInfo) this.announceDebugSetup(this.debugInfo);
    this.pidRoot = await mkdtemp(path.join(os.tmpdir(), 'squall-local-'));
    try {
      for (const component of this.topology.components) {
        if (this.options.inProcess) this.supervisor.setCode(component.id, { componentClass: await componentClass(component, this.baseDir()) });
        else this.supervisor.setCode(component.id, { launcher: this.options.launcher ? await this.options.launcher(component) : await launcherFile(component, this.baseDir()) });
      }
    } catch (error) {
      await rm(this.pidRoot, { recursive: true, force: true });
      this.state = 'stopped';
      this.finish('failed-to-start');
      throw error;
    }
    const ready = this.supervisor.startAll();
    const timeoutMs = this.options.startTimeoutMs ?? this.settings.subprocessTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([ready.then(() => 'ready' as const), timedOut, this.done]);
    clearTimeout(timer);
    // Stopped on request (Ctrl-C) while starting: nothing went wrong.
    if (outcome === 'requested') return;
    if (outcome !== 'ready') {
      const missing = this.supervisor.notReady();
      const crashLoop = this.crashLoop;
      await this.stop({ reason: 'failed-to-start' });
      const error = crashLoop
        ? new SquallError('component', `the topology could not start: ${crashLoop.message}`, { component: crashLoop.component, task: crashLoop.task }, `the task dies before or during its handshake: read its stderr above, or run it alone with \`squall launch <topology.yaml> ${crashLoop.component}\``)
        : new SquallError('component', `tasks did not answer the handshake within ${timeoutMs / 1000} s: ${missing.map((t) => `${t.component}[${t.taskId}]`).join(', ') || 'stopped while starting'}`, { component: missing[0]?.component, task: missing[0]?.taskId }, 'a component that blocks in its module code or initialize() never starts; look at its log lines above');
      this.events.problem({ kind: 'start-failed', severity: 'fatal', message: error.message, where: error.where, hint: error.hint, time: Date.now() });
      throw error;
    }
    this.timers.push(setInterval(() => this.everySecond(), HEARTBEAT_PERIOD_MS));
    this.timers.push(setInterval(() => this.emitStats(), this.options.statsIntervalMs ?? 1000));
    this.timers.push(...startTicks([...this.tasks.values()].filter((t): t is BoltTask => t.kind === 'bolt')));
    this.startedAt = Date.now();
    this.setActive(true);
    this.events.started({ topology: this.topology.name, mode: this.mode, tasks: this.tasks.size, time: Date.now(), ...(this.debugInfo ? { debug: this.debugInfo } : {}) });
  }

  /**
   * Stops the run. With `drainMs`, spouts are deactivated first and open tuple trees get that
   * long to complete (what `--duration` does); then every process is stopped.
   */
  async stop(options: { reason?: StopReason; drainMs?: number } = {}): Promise<void> {
    if (this.state === 'stopping' || this.state === 'stopped') {
      await this.done;
      return;
    }
    if (options.drainMs && options.drainMs > 0 && this.state === 'active') {
      this.deactivate();
      const until = this.now() + options.drainMs;
      while (this.collector.openTrees > 0 && this.now() < until && this.isRunning) await delay(20);
      // Let the spouts hear the last acks before they are stopped.
      const settleUntil = this.now() + 500;
      while (this.spouts().some((s) => s.isReady && !s.idle) && this.now() < settleUntil && this.isRunning) await delay(5);
    }
    if (!this.isRunning) {
      await this.done;
      return;
    }
    this.state = 'stopping';
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    for (const spout of this.spouts()) spout.dispose();
    this.emitStats(false);
    await this.supervisor.stopAll(1000);
    if (this.pidRoot) await rm(this.pidRoot, { recursive: true, force: true });
    this.state = 'stopped';
    const reason = options.reason ?? 'requested';
    this.events.stopped({ topology: this.topology.name, reason, openTrees: this.collector.openTrees, time: Date.now() });
    this.finish(reason);
  }

  /** Deactivates every spout (no more `next`); acks and fails still flow. */
  deactivate(): void {
    if (this.state === 'active') this.setActive(false);
  }

  /** Activates every spout again. */
  activate(): void {
    if (this.state === 'inactive') this.setActive(true);
  }

  /** Kills one task's process; it restarts like a crashed task (its breakpoints re-apply). */
  restartTask(task: number): boolean {
    return this.supervisor.restartTask(task);
  }

  // ---- reading ----

  /** Everything about the run now. Reading it changes nothing. */
  snapshot(): RunSnapshot {
    const snapshot: RunSnapshot = {
      topology: this.topology.name,
      mode: this.mode,
      state: this.state,
      tasks: this.supervisor.snapshot(),
      figures: this.figures(),
      debugTargets: this.supervisor.debugTargets(),
      openTrees: this.collector.openTrees,
    };
    if (this.startedAt !== undefined) snapshot.startedAt = this.startedAt;
    if (this.debugInfo) snapshot.debug = { ...this.debugInfo, components: [...this.debugInfo.components] };
    if (this.stopReason) snapshot.stopReason = this.stopReason;
    return snapshot;
  }

  /** Figures of every task and component right now (reading them changes nothing). */
  figures(): TopologyFigures {
    const byComponent = new Map<string, TaskHost[]>();
    for (const task of this.tasks.values()) {
      const list = byComponent.get(task.component) ?? [];
      list.push(task);
      byComponent.set(task.component, list);
    }
    return {
      topology: this.topology.name,
      mode: this.mode,
      uptimeMs: this.started ? Math.round(this.now() - this.startedAtMs) : 0,
      components: this.topology.components.map((c) => componentFigures(c.id, c.kind, (byComponent.get(c.id) ?? []).map((t) => t.counters))),
      tasks: [...this.tasks.values()].map((t) => t.figures()),
    };
  }

  /** Every task currently listening for a debugger. */
  debugTargets(): DebugTarget[] {
    return this.supervisor.debugTargets();
  }

  /** Pids of every task process currently alive. */
  pids(): number[] {
    return [...this.tasks.values()].filter((t) => t.alive && t.pid !== undefined).map((t) => t.pid!);
  }

  /**
   * Milliseconds since the run was created. Read once per batch of messages (the value is
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

  // ---- inside ----

  private get isRunning(): boolean {
    return this.state !== 'stopping' && this.state !== 'stopped';
  }

  private setActive(active: boolean): void {
    this.state = active ? 'active' : 'inactive';
    for (const spout of this.spouts()) spout.setActive(active);
  }

  private spouts(): SpoutTask[] {
    return [...this.tasks.values()].filter((t): t is SpoutTask => t instanceof SpoutTask);
  }

  private finish(reason: StopReason): void {
    this.stopReason = reason;
    this.resolveDone(reason);
  }

  private baseDir(): string {
    return this.options.cwd ?? (this.topology.file ? path.dirname(this.topology.file) : process.cwd());
  }

  private everySecond(): void {
    const now = this.now();
    this.supervisor.heartbeat(now, this.settings.subprocessTimeoutMs);
    // Safety net: a wake-up is normally triggered by a queue leaving its bound.
    this.collector.wakeBlocked();
    this.collector.expire(now);
  }

  /** Emits a `stats` event; `roll` closes the capacity window (not for the final figures, marked `final`). */
  private emitStats(roll = true): void {
    const now = this.now();
    if (roll) for (const task of this.tasks.values()) task.counters.rollCapacity(now);
    this.events.statsTaken(roll ? { figures: this.figures(), time: Date.now() } : { figures: this.figures(), time: Date.now(), final: true });
  }

  private warnAboutMemory(): void {
    if (this.mode !== 'multiprocess') return;
    const needed = this.tasks.size * TASK_RSS_BYTES;
    const free = os.freemem();
    if (needed < free * 0.8) return;
    const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
    this.events.problem({
      kind: 'resources',
      severity: 'warning',
      message: `${this.tasks.size} task processes will need about ${gib(needed)} of memory (~55 MB each); this machine has ${gib(free)} free`,
      where: {},
      hint: 'lower the parallelism of the largest components (or pass -o to override it), or run with --in-process',
      time: Date.now(),
    });
  }

  private announceDebugSetup(debug: RunDebugInfo): void {
    const raised = debug.messageTimeoutSecs !== debug.originalMessageTimeoutSecs;
    const parts = [`debug run: ${debug.components.join(', ')} run under the inspector on 127.0.0.1 and answer Storm's heartbeats from a separate thread, so a paused task is not killed`];
    if (raised) parts.push(`topology.message.timeout.secs raised from ${debug.originalMessageTimeoutSecs} to ${debug.messageTimeoutSecs} s so tuples paused at a breakpoint are not failed and replayed underneath you`);
    this.events.problem({ kind: 'debug', severity: 'warning', message: parts.join('; '), where: {}, hint: raised ? 'pass -o topology.message.timeout.secs=<s> to choose another timeout' : undefined, time: Date.now() });
  }
}

/** The components `options.debug` names, checked against the topology. */
function debugComponents(spec: TopologySpec, options: LocalRunOptions): Set<string> {
  const asked = options.debug?.components;
  if (!asked) return new Set();
  const ids = spec.components.map((c) => c.id);
  if (asked === '*') return new Set(ids);
  for (const id of asked) {
    if (!ids.includes(id)) throw new SquallError('usage', `--debug names '${id}', which is not a component of '${spec.name}'`, { file: spec.file }, suggestion(id, ids, 'components'));
  }
  if (options.inProcess && asked.length > 0) throw new SquallError('usage', 'debugging needs one process per task: --debug cannot be combined with --in-process', {}, 'drop --in-process');
  return new Set(asked);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
