/**
 * The debugger's one entry point: a DebugSessionManager attaches to every debug target of a
 * local run (or to a set of remote targets, `squall debug attach`), keeps the session's
 * breakpoints, watches and exception mode, applies them to every task of a component —
 * including tasks that start or restart later, before their user code runs — and reports what
 * happens as DebugEvents. Its methods take and return ids and plain objects, so the workbench
 * can carry them over a WebSocket unchanged.
 *
 *   const debug = DebugSessionManager.forRun(run);
 *   debug.onEvent((event) => ...);
 *   await debug.start();
 *   await debug.setBreakpoint({ component: 'split', file: 'components/split.ts', line: 9 });
 */
import path from 'node:path';
import type { Breakpoint, BreakpointOptions, BreakpointTaskState, ExceptionPauseMode } from '../common/debug/breakpoints.js';
import type { DebugEvent, DebugTaskInfo } from '../common/debug/events.js';
import type { PausedState } from '../common/debug/paused.js';
import type { EvaluateResult, Scope, Variable } from '../common/debug/variables.js';
import { SquallError } from '../common/errors.js';
import { DisposableStore, Emitter, type Event } from '../common/event.js';
import type { DebugTarget, DebugTargetsChange } from '../common/run/run-types.js';
import { suggestion } from '../common/topology/suggest.js';
import { TaskThread } from './adapter/task-thread.js';
import { VariableStore } from './adapter/variable-store.js';
import type { CdpConnection } from './cdp/connection.js';
import { connectInspector, type ConnectOptions } from './cdp/connect.js';

/** Where debug targets come from: a LocalRun, or a fixed list (remote attach). */
export interface DebugTargetSource {
  debugTargets(): DebugTarget[];
  readonly onDebugTargets: Event<DebugTargetsChange>;
}

/** Options of a session. */
export interface DebugSessionOptions {
  /** How to connect to a target; default: connectInspector(target.url, connectOptions). */
  connect?: (target: DebugTarget) => Promise<CdpConnection>;
  connectOptions?: ConnectOptions;
  /** Components that may carry breakpoints (a typo is refused with a suggestion); default: any. */
  components?: readonly string[];
  /** Folder relative breakpoint files are resolved against (default: the current folder). */
  cwd?: string;
}

/** A debug session over a set of tasks. */
export class DebugSessionManager {
  private readonly emitter = new Emitter<DebugEvent>('debug');
  private readonly threads = new Map<number, TaskThread>();
  private readonly attaching = new Map<string, Promise<void>>();
  private readonly breakpointList = new Map<string, Breakpoint>();
  private readonly watchList: string[] = [];
  private readonly subscriptions = new DisposableStore();
  readonly variables = new VariableStore();
  private exceptions: ExceptionPauseMode = 'none';
  private nextBreakpoint = 1;
  private started = false;
  private stopped = false;

  constructor(
    private readonly source: DebugTargetSource,
    private readonly options: DebugSessionOptions = {},
  ) {}

  /** A session over a local run's debugged tasks. */
  static forRun(run: DebugTargetSource & { readonly topology: { components: ReadonlyArray<{ id: string }> } }, options: DebugSessionOptions = {}): DebugSessionManager {
    return new DebugSessionManager(run, { components: run.topology.components.map((c) => c.id), ...options });
  }

  /** A session over a fixed list of targets (e.g. tasks on a cluster reached through a tunnel). */
  static forTargets(targets: DebugTarget[], options: DebugSessionOptions = {}): DebugSessionManager {
    const never = new Emitter<DebugTargetsChange>('debug-targets');
    return new DebugSessionManager({ debugTargets: () => [...targets], onDebugTargets: never.event }, options);
  }

  /** Every debug event (paused, resumed, breakpoint, task-attached/detached, output, problem). */
  get onEvent(): Event<DebugEvent> {
    return this.emitter.event;
  }

  /** Attaches to every current target and follows the targets that come and go. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.subscriptions.add(this.source.onDebugTargets((change) => this.targetsChanged(change)));
    await Promise.all(this.source.debugTargets().map((target) => this.attach(target)));
  }

  /** The tasks the session is attached to. */
  tasks(): DebugTaskInfo[] {
    return [...this.threads.values()].map((thread) => this.info(thread));
  }

  /** Resolves once every target known now is attached (or failed to). */
  async settled(): Promise<void> {
    while (this.attaching.size > 0) await Promise.all(this.attaching.values());
  }

  // ---- breakpoints ----

  /** Sets a breakpoint on every task of the component (now and later); resolves with its per-task states. */
  async setBreakpoint(options: BreakpointOptions): Promise<Breakpoint> {
    this.checkComponent(options.component);
    if (!Number.isInteger(options.line) || options.line < 1) throw new SquallError('usage', `a breakpoint line must be a whole number from 1, got ${options.line}`, { file: options.file, component: options.component });
    const bp: Breakpoint = { ...options, file: path.resolve(this.options.cwd ?? process.cwd(), options.file), id: `bp${this.nextBreakpoint++}`, enabled: options.enabled ?? true, tasks: [] };
    this.breakpointList.set(bp.id, bp);
    await Promise.all(this.threadsOf(bp.component).map((thread) => thread.applyBreakpoint(bp)));
    return this.copy(bp);
  }

  /** Changes a breakpoint (condition, hit condition, log message, enabled) and re-applies it. */
  async updateBreakpoint(id: string, changes: Partial<Pick<BreakpointOptions, 'condition' | 'hitCondition' | 'logMessage' | 'enabled'>>): Promise<Breakpoint> {
    const bp = this.breakpoint(id);
    Object.assign(bp, changes, changes.enabled === undefined ? {} : { enabled: changes.enabled });
    await Promise.all(this.threadsOf(bp.component).map((thread) => thread.applyBreakpoint(bp)));
    return this.copy(bp);
  }

  async removeBreakpoint(id: string): Promise<void> {
    const bp = this.breakpoint(id);
    this.breakpointList.delete(id);
    await Promise.all(this.threadsOf(bp.component).map((thread) => thread.removeBreakpoint(id)));
  }

  breakpoints(): Breakpoint[] {
    return [...this.breakpointList.values()].map((bp) => this.copy(bp));
  }

  /** When to pause on exceptions, in every task. */
  async setExceptionPause(mode: ExceptionPauseMode): Promise<void> {
    this.exceptions = mode;
    await Promise.all([...this.threads.values()].map((thread) => thread.setExceptionMode(mode)));
  }

  get exceptionPause(): ExceptionPauseMode {
    return this.exceptions;
  }

  // ---- watches ----

  /** Adds an expression evaluated in the top frame at every pause (results in the paused event). */
  addWatch(expression: string): void {
    if (!this.watchList.includes(expression)) this.watchList.push(expression);
  }

  removeWatch(expression: string): void {
    const at = this.watchList.indexOf(expression);
    if (at !== -1) this.watchList.splice(at, 1);
  }

  watches(): string[] {
    return [...this.watchList];
  }

  // ---- execution ----

  /** Pauses one task, or every task of a component. */
  async pause(where: { task: number } | { component: string }): Promise<void> {
    await Promise.all(this.select(where).map((thread) => thread.pause()));
  }

  /** Resumes one task, every task of a component, or (no argument) every paused task. */
  async resume(where?: { task: number } | { component: string }): Promise<void> {
    await Promise.all((where ? this.select(where) : [...this.threads.values()]).map((thread) => thread.resume()));
  }

  async stepOver(task: number): Promise<void> {
    await this.thread(task).step('over');
  }

  async stepInto(task: number): Promise<void> {
    await this.thread(task).step('into');
  }

  async stepOut(task: number): Promise<void> {
    await this.thread(task).step('out');
  }

  /** Every paused task's state. */
  paused(): PausedState[] {
    return [...this.threads.values()].flatMap((thread) => (thread.pausedState ? [thread.pausedState] : []));
  }

  /** The scopes of a frame of a paused task. */
  scopes(task: number, frame = 0): Scope[] {
    return this.thread(task).scopes(frame);
  }

  /** Expands a variables reference (from a scope, a variable, an evaluation or a watch). */
  async variablesOf(reference: number): Promise<Variable[]> {
    const handle = this.variables.get(reference);
    if (!handle) throw new SquallError('usage', `variables reference ${reference} is not valid (any more): references die when their task resumes`);
    return this.thread(handle.task).variables(handle.objectId);
  }

  /** Evaluates an expression in a frame of a paused task (or globally in a running one). `json`: return the value itself. */
  async evaluate(task: number, expression: string, options: { frame?: number; json?: boolean } = {}): Promise<EvaluateResult> {
    return this.thread(task).evaluate(expression, options);
  }

  /** Resumes every task, takes the session's breakpoints out of them and disconnects. */
  async detach(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.subscriptions.dispose();
    await Promise.allSettled([...this.attaching.values()]);
    await Promise.allSettled([...this.threads.values()].map((thread) => thread.detach()));
    this.threads.clear();
    this.emitter.dispose();
  }

  // ---- targets ----

  private targetsChanged(change: DebugTargetsChange): void {
    for (const removed of change.removed) {
      const thread = this.threads.get(removed.task);
      if (thread && thread.target.url === removed.url) this.drop(thread, 'the task stopped or restarted');
    }
    for (const added of change.added) void this.attach(added);
  }

  private attach(target: DebugTarget): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const existing = this.threads.get(target.task);
    if (existing?.target.url === target.url) return Promise.resolve();
    const pending = this.attaching.get(target.url);
    if (pending) return pending;
    const attaching = this.connectThread(target).finally(() => this.attaching.delete(target.url));
    this.attaching.set(target.url, attaching);
    return attaching;
  }

  private async connectThread(target: DebugTarget): Promise<void> {
    let cdp: CdpConnection;
    try {
      cdp = await (this.options.connect ?? ((t) => connectInspector(t.url, this.options.connectOptions)))(target);
    } catch (error) {
      this.fire({ type: 'problem', component: target.component, task: target.task, message: `cannot attach to ${target.component}[${target.task}]: ${(error as Error).message}`, hint: 'the task may have stopped; it is attached again when it restarts', time: Date.now() });
      return;
    }
    if (this.stopped) return void (await cdp.close());
    const thread = new TaskThread(target, cdp, {
      fire: (event) => this.fire(event),
      breakpointState: (id, state) => this.breakpointState(id, state),
      variables: this.variables,
      watches: () => this.watchList,
    });
    const previous = this.threads.get(target.task);
    if (previous) this.drop(previous, 'the task restarted');
    this.threads.set(target.task, thread);
    cdp.onClose(({ reason }) => {
      if (this.threads.get(target.task) === thread) this.drop(thread, reason);
    });
    try {
      await thread.attach(this.breakpointsOf(target.component), this.exceptions);
    } catch (error) {
      if (!cdp.closed) this.fire({ type: 'problem', component: target.component, task: target.task, message: `attaching to ${target.component}[${target.task}] failed: ${(error as Error).message}`, time: Date.now() });
      return;
    }
    if (this.threads.get(target.task) === thread) this.fire({ type: 'task-attached', ...this.info(thread), time: Date.now() });
  }

  private drop(thread: TaskThread, reason: string): void {
    if (this.threads.get(thread.task) !== thread) return;
    this.threads.delete(thread.task);
    this.variables.releaseTask(thread.task);
    for (const bp of this.breakpointList.values()) bp.tasks = bp.tasks.filter((state) => state.task !== thread.task || state.generation !== thread.generation);
    void thread.cdp.close().catch(() => undefined);
    this.fire({ type: 'task-detached', component: thread.component, task: thread.task, generation: thread.generation, reason, time: Date.now() });
  }

  // ---- helpers ----

  private breakpointState(id: string, state: BreakpointTaskState): void {
    const bp = this.breakpointList.get(id);
    if (!bp) return;
    const before = bp.tasks.find((s) => s.task === state.task);
    bp.tasks = [...bp.tasks.filter((s) => s.task !== state.task), state].sort((a, b) => a.task - b.task);
    if (!before || before.resolved !== state.resolved || before.line !== state.line || before.generation !== state.generation) {
      this.fire({ type: 'breakpoint', breakpoint: this.copy(bp), task: state.task, resolved: state.resolved, time: Date.now() });
    }
  }

  private breakpointsOf(component: string): Breakpoint[] {
    return [...this.breakpointList.values()].filter((bp) => bp.component === component);
  }

  private threadsOf(component: string): TaskThread[] {
    return [...this.threads.values()].filter((thread) => thread.component === component);
  }

  private select(where: { task: number } | { component: string }): TaskThread[] {
    return 'task' in where ? [this.thread(where.task)] : this.threadsOf(where.component);
  }

  private thread(task: number): TaskThread {
    const thread = this.threads.get(task);
    if (!thread) throw new SquallError('usage', `task ${task} is not attached to this debug session`, { task }, `attached tasks: ${[...this.threads.keys()].join(', ') || 'none'}`);
    return thread;
  }

  private breakpoint(id: string): Breakpoint {
    const bp = this.breakpointList.get(id);
    if (!bp) throw new SquallError('usage', `no breakpoint '${id}' in this debug session`, {}, `breakpoints: ${[...this.breakpointList.keys()].join(', ') || 'none'}`);
    return bp;
  }

  private checkComponent(component: string): void {
    const known = this.options.components;
    if (known && !known.includes(component)) throw new SquallError('usage', `'${component}' is not a component of this topology`, { component }, suggestion(component, [...known], 'components'));
  }

  private info(thread: TaskThread): DebugTaskInfo {
    return { component: thread.component, task: thread.task, generation: thread.generation, pid: thread.target.pid, channel: thread.cdp.channel, paused: thread.pausedState !== undefined };
  }

  private copy(bp: Breakpoint): Breakpoint {
    return { ...bp, tasks: bp.tasks.map((state) => ({ ...state })) };
  }

  private fire(event: DebugEvent): void {
    if (!this.stopped || event.type === 'task-detached') this.emitter.fire(event);
  }
}
