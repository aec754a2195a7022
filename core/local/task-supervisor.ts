/**
 * The tasks of a local run and their lives: creates one host-side task per Storm task, starts
 * its process (or in-process channel) with the handshake, restarts it with backoff when it dies,
 * stops a crash loop, stops everything at the end, and knows where each debugged task's
 * inspector listens. What flows between tasks is the collector's business, not this one's.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { LogLevelName } from '../common/multilang/messages.js';
import { handshakeContext, type TaskLayout } from '../common/routing/tasks.js';
import { parseInspectorAnnouncement } from '../common/run/inspector-announcement.js';
import type { DebugTarget, TaskSnapshot, TaskState, TaskExit } from '../common/run/run-types.js';
import type { ComponentSpec, TopologySpec } from '../common/topology/model.js';
import type { ComponentClass } from '../component/runtime.js';
import { BoltTask } from './bolt-task.js';
import type { OutputCollector } from './collector.js';
import { mergedConf, taskSettings, type TopologySettings } from './config.js';
import { InProcessChannel } from './in-process-channel.js';
import { RestartPolicy, type RestartOptions } from './restart-policy.js';
import type { RunEvents } from './run-events.js';
import { SpoutTask } from './spout-task.js';
import type { TaskHost, TaskOwner } from './task-host.js';
import type { StopOutcome } from './task-process.js';

/** How the supervisor starts tasks. */
export interface SupervisorOptions {
  spec: TopologySpec;
  /** The topology conf in effect (file + overrides + debug adjustments). */
  conf: Record<string, unknown>;
  layout: TaskLayout;
  settings: TopologySettings;
  /** Folder the children run in. */
  cwd: string;
  /** Folder that holds one pid folder per task. */
  pidRoot: () => string;
  restart: RestartOptions;
  events: RunEvents;
  now: () => number;
  /** Extra node arguments per task. */
  execArgv?: (component: string, task: number) => string[];
  /** Extra environment of every child. */
  env?: Record<string, string>;
  /** Components whose tasks run in debug mode under the inspector, and how long they wait for a debugger. */
  debug?: { components: ReadonlySet<string>; waitSecs: number };
  /** A task crashed too often: the run must stop. */
  onCrashLoop: (task: TaskHost, message: string) => void;
  /** Whether spouts are active now (a restarted spout is told). */
  isActive: () => boolean;
}

/** What the supervisor knows of one task beyond its host object. */
interface TaskLife {
  state: TaskState;
  generation: number;
  debug?: DebugTarget;
  policy: RestartPolicy;
}

/** Where each component's code comes from: a launcher file (multiprocess) or a class (in-process). */
export type ComponentCode = { launcher: string } | { componentClass: ComponentClass };

/** Starts, watches, restarts and stops the tasks of one run. */
export class TaskSupervisor implements TaskOwner {
  private readonly lives = new Map<number, TaskLife>();
  private readonly code = new Map<string, ComponentCode>();
  private readonly components: Map<string, ComponentSpec>;
  private stopping = false;
  private waitingForReady: { count: number; resolve: () => void } | undefined;

  constructor(
    private readonly options: SupervisorOptions,
    /** Every task of the run by task id (shared with the collector). */
    readonly tasks: Map<number, TaskHost>,
    private readonly collector: OutputCollector,
  ) {
    this.components = new Map(options.spec.components.map((c) => [c.id, c]));
    for (const component of options.spec.components) {
      const merged = mergedConf(options.conf, component.config);
      const settings = taskSettings(merged, component.config);
      for (const taskId of options.layout.componentTasks.get(component.id) ?? []) {
        const task = component.kind === 'spout' ? new SpoutTask(this, collector, component.id, taskId, settings) : new BoltTask(this, collector, component.id, taskId, settings);
        tasks.set(taskId, task);
        this.lives.set(taskId, { state: 'starting', generation: 0, policy: new RestartPolicy(options.restart) });
      }
    }
  }

  now(): number {
    return this.options.now();
  }

  /** Sets where a component's code comes from (before start). */
  setCode(component: string, code: ComponentCode): void {
    this.code.set(component, code);
  }

  /** True if the component's tasks run under the inspector. */
  isDebugged(component: string): boolean {
    return this.options.debug?.components.has(component) ?? false;
  }

  /** Launches every task; resolves once each has answered its handshake. */
  async startAll(): Promise<void> {
    const ready = new Promise<void>((resolve) => (this.waitingForReady = { count: this.tasks.size, resolve }));
    for (const task of this.tasks.values()) await this.launch(task);
    return ready;
  }

  /** Tasks that have not answered their handshake yet. */
  notReady(): TaskHost[] {
    return [...this.tasks.values()].filter((t) => !t.isReady);
  }

  /** Stops every task; reports the ones that had to be terminated or killed. */
  async stopAll(graceMs: number): Promise<void> {
    this.stopping = true;
    const outcomes = await Promise.all([...this.tasks.values()].map(async (task) => [task, await task.stop(graceMs)] as const));
    for (const [task, outcome] of outcomes) {
      this.setState(task, 'stopped');
      if (outcome === 'terminated' || outcome === 'killed') this.reportUnstopped(task, outcome, graceMs);
    }
  }

  /** Enforces the heartbeat rule once a second. A debugged spout cannot sync while paused: it is spared. */
  heartbeat(now: number, timeoutMs: number): void {
    for (const task of this.tasks.values()) {
      const spared = task.kind === 'spout' && this.isDebugged(task.component);
      task.heartbeat(now, spared ? Number.POSITIVE_INFINITY : timeoutMs);
    }
  }

  /** Kills a task's process; it is restarted like any crashed task (a tool for tests and the workbench). */
  restartTask(taskId: number): boolean {
    const task = this.tasks.get(taskId);
    if (!task?.alive) return false;
    task.die('restart requested');
    return true;
  }

  /** Each task as it is now. */
  snapshot(): TaskSnapshot[] {
    return [...this.tasks.values()].map((task) => {
      const life = this.lives.get(task.taskId)!;
      const snapshot: TaskSnapshot = { component: task.component, kind: task.kind, task: task.taskId, state: life.state, generation: life.generation };
      if (task.pid !== undefined && task.alive) snapshot.pid = task.pid;
      if (life.debug) snapshot.debug = { ...life.debug };
      if (task.counters.lastError !== undefined) snapshot.lastError = task.counters.lastError;
      return snapshot;
    });
  }

  /** Every task currently listening for a debugger. */
  debugTargets(): DebugTarget[] {
    return [...this.lives.values()].flatMap((life) => (life.debug ? [{ ...life.debug }] : []));
  }

  // ---- TaskOwner ----

  log(task: TaskHost, level: LogLevelName, text: string, source?: 'stderr'): void {
    const time = Date.now();
    this.options.events.log(source ? { component: task.component, task: task.taskId, level, text, time, pid: task.pid, stream: source } : { component: task.component, task: task.taskId, level, text, time, pid: task.pid });
    // A debugged task's bootloader announces itself in full (relay, waiting); node's own stderr line says less.
    if ((source === 'stderr' && !this.isDebugged(task.component)) || (source === undefined && level === 'info')) {
      const announced = parseInspectorAnnouncement(text);
      if (announced) this.debugTargetFound(task, announced.url, announced.pid ?? task.pid, announced.waiting);
    }
  }

  reportError(task: TaskHost, message: string): void {
    this.options.events.problem({ kind: 'reported', severity: 'error', message, where: { component: task.component, task: task.taskId }, time: Date.now() });
  }

  taskReady(task: TaskHost): void {
    this.setState(task, 'running');
    if (task instanceof BoltTask) task.pump();
    if (task instanceof SpoutTask) task.setActive(this.options.isActive());
    const waiting = this.waitingForReady;
    if (waiting && --waiting.count === 0) {
      this.waitingForReady = undefined;
      waiting.resolve();
    }
  }

  taskExited(task: TaskHost, code: number | null, signal: NodeJS.Signals | null, reason: string | undefined): void {
    this.dropDebugTarget(task);
    if (this.stopping || task.stopping) return;
    const why = reason ?? (signal ? `process killed by ${signal}` : code === null ? `the process could not be started (${task.stderrTail.trim().split('\n').at(-1) ?? 'no reason given'})` : `process exited with code ${code}`);
    const exit: TaskExit = { pid: task.counters.pid, code, signal, reason: why, stderrTail: task.stderrTail };
    if (task.counters.lastError !== undefined) exit.lastError = task.counters.lastError;
    const tuple = task.culpritTuple(code);
    if (tuple) exit.tuple = tuple;
    if (reason === undefined) task.counters.lastError = why;
    const time = Date.now();
    this.options.events.problem({ kind: 'task-died', severity: 'error', message: `task died: ${why}`, where: { component: task.component, task: task.taskId }, tuple, time });
    this.collector.forget(task);
    task.counters.pid = undefined;
    task.abandonInFlight();
    const life = this.lives.get(task.taskId)!;
    const decision = life.policy.crashed(this.now());
    if (decision.action === 'give-up') {
      const message = `component '${task.component}' task ${task.taskId} crashed ${decision.crashes} times in ${decision.windowMs / 1000} s (crash loop): stopping the run. Last reason: ${why}`;
      this.setState(task, 'stopped', { exit });
      this.options.events.problem({ kind: 'crash-loop', severity: 'fatal', message, where: { component: task.component, task: task.taskId }, hint: `run the component alone with \`squall launch <topology.yaml> ${task.component}\`, or read its log`, tuple, time });
      this.options.onCrashLoop(task, message);
      return;
    }
    task.counters.restarts++;
    life.generation++;
    this.setState(task, 'restarting', { exit, restart: { attempt: decision.attempt, delayMs: decision.delayMs } });
    const timer = setTimeout(() => {
      if (!this.stopping) void this.launch(task);
    }, decision.delayMs);
    timer.unref();
  }

  // ---- launching ----

  private async launch(task: TaskHost): Promise<void> {
    const component = this.components.get(task.component)!;
    const pidDir = path.join(this.options.pidRoot(), String(task.taskId));
    await mkdir(pidDir, { recursive: true });
    if (this.stopping) return;
    const code = this.code.get(component.id);
    const componentClass = code && 'componentClass' in code ? code.componentClass : undefined;
    const env: Record<string, string | undefined> = { ...process.env, ...this.options.settings.environment, ...(this.options.env ?? {}) };
    if (this.isDebugged(component.id)) Object.assign(env, debugEnvironment(this.options.debug!.waitSecs));
    if (this.lives.get(task.taskId)!.state !== 'starting') this.setState(task, 'starting');
    task.launch({
      open: componentClass ? (handlers) => new InProcessChannel(componentClass, handlers) : undefined,
      process: {
        script: code && 'launcher' in code ? code.launcher : '',
        execArgv: this.options.execArgv?.(component.id, task.taskId),
        cwd: this.options.cwd,
        env,
      },
      conf: mergedConf(this.options.conf, component.config),
      context: handshakeContext({ ...this.options.spec, config: this.options.conf }, this.options.layout, task.taskId),
      pidDir,
    });
  }

  private setState(task: TaskHost, state: TaskState, extra: { exit?: TaskExit; restart?: { attempt: number; delayMs: number } } = {}): void {
    const life = this.lives.get(task.taskId)!;
    const previous = life.state;
    if (previous === state && !extra.exit) return;
    life.state = state;
    const pid = state === 'running' ? task.pid : extra.exit?.pid;
    this.options.events.taskState({ component: task.component, kind: task.kind, task: task.taskId, state, previous, ...(pid !== undefined ? { pid } : {}), generation: life.generation, time: Date.now(), ...extra });
  }

  private debugTargetFound(task: TaskHost, url: string, pid: number | undefined, waiting: boolean): void {
    const life = this.lives.get(task.taskId)!;
    // `node` says it on stderr and the bootloader in its log: one target, announced once.
    if (life.debug?.url === url) {
      if (pid !== undefined) life.debug.pid = pid;
      return;
    }
    const target: DebugTarget = { component: task.component, task: task.taskId, pid: pid ?? task.pid ?? 0, url, generation: life.generation, waiting };
    const removed = life.debug ? [life.debug] : [];
    life.debug = target;
    this.options.events.debugTargetsChanged({ targets: this.debugTargets(), added: [{ ...target }], removed, time: Date.now() });
  }

  private dropDebugTarget(task: TaskHost): void {
    const life = this.lives.get(task.taskId);
    if (!life?.debug) return;
    const removed = life.debug;
    life.debug = undefined;
    this.options.events.debugTargetsChanged({ targets: this.debugTargets(), added: [], removed: [removed], time: Date.now() });
  }

  private reportUnstopped(task: TaskHost, outcome: Exclude<StopOutcome, 'exited' | 'gone'>, graceMs: number): void {
    const how = outcome === 'killed' ? 'killed with SIGKILL (it ignored EOF on stdin and SIGTERM)' : 'stopped with SIGTERM (it did not exit on EOF on stdin)';
    this.options.events.problem({
      kind: 'shutdown',
      severity: 'warning',
      message: `task did not stop within ${graceMs / 2} ms of the end of its input: ${how}`,
      where: { component: task.component, task: task.taskId },
      hint: 'a component that keeps timers, sockets or intervals open keeps its process alive after Storm closes its stdin; close them, or unref() them',
      time: Date.now(),
    });
  }
}

/** The environment that puts a task in debug mode with its inspector on loopback (read by the runtime's bootloader). */
export function debugEnvironment(waitSecs: number): Record<string, string> {
  const env: Record<string, string> = { SQUALL_DEBUG: '1', SQUALL_INSPECT: '127.0.0.1:0' };
  if (waitSecs > 0) env.SQUALL_INSPECT_WAIT_SECS = String(waitSecs);
  return env;
}
