/**
 * What bolt and spout tasks share on the host side: the child process, the handshake, the
 * "any message counts as alive" clock, logs and errors, death (what Storm treats as fatal)
 * and the stash that implements backpressure (a task whose downstream queues are full stops
 * being read, so its child blocks on its own stdout, as a shell component blocks in Storm).
 */
import type { HandshakeContext, LogLevelName } from '../common/multilang/messages.js';
import { LOG_LEVELS } from '../common/multilang/messages.js';
import type { FramingError } from '../common/multilang/framing.js';
import { TaskCounters, type TaskFigures } from '../common/stats/figures.js';
import type { ComponentKind } from '../common/topology/model.js';
import { TaskProcess, type StopOutcome, type TaskChannel, type TaskProcessHandlers, type TaskProcessOptions } from './task-process.js';
import type { TaskSettings } from './config.js';

/** What a task needs from the supervisor that runs it: its clock, its logs, its life. */
export interface TaskOwner {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  log(task: TaskHost, level: LogLevelName, text: string, source?: 'stderr'): void;
  reportError(task: TaskHost, message: string): void;
  /** The task's process is gone; `reason` says why (from the host's point of view). */
  taskExited(task: TaskHost, code: number | null, signal: NodeJS.Signals | null, reason: string | undefined): void;
  /** The task finished its handshake (pid known). */
  taskReady(task: TaskHost): void;
}

/** What every task needs from the tuple flow (the collector): room downstream. */
export interface TaskFlow {
  /** False while a downstream queue of this task is full: its emits must wait. */
  canEmit(task: TaskHost): boolean;
  /** Call task.resumeEmitting() once there is room downstream. */
  waitForRoom(task: TaskHost): void;
}

/** How to start a task's process. */
export interface TaskLaunch {
  process: TaskProcessOptions;
  /** Runs the task some other way than a child process (the in-process mode). */
  open?: (handlers: TaskProcessHandlers) => TaskChannel;
  conf: Record<string, unknown>;
  context: HandshakeContext;
  pidDir: string;
}

/** A fatal protocol violation: the task is killed and restarted. */
export class TaskDeath extends Error {
  constructor(
    message: string,
    /** The tuple being handled when it happened, if known. */
    readonly tuple?: unknown[],
  ) {
    super(message);
  }
}

/** One task of a component on the host side. */
export abstract class TaskHost {
  readonly counters: TaskCounters;
  protected proc: TaskChannel | undefined;
  /** Last time anything arrived from the child (Storm's heartbeat timestamp). */
  protected lastHeard = 0;
  protected ready = false;
  /** Why we killed the process, if we did. */
  protected deathReason: string | undefined;
  /** The tuple involved in the death, if known. */
  deathTuple: unknown[] | undefined;
  /** The last `error` the child reported since it started (a crash report, when it crashed). */
  protected lastReported: string | undefined;
  private stash: unknown[] = [];
  private stashIndex = 0;
  /** Set when the engine is stopping: no more work, no restart. */
  stopping = false;

  constructor(
    protected readonly owner: TaskOwner,
    private readonly taskFlow: TaskFlow,
    readonly component: string,
    readonly kind: ComponentKind,
    readonly taskId: number,
    readonly settings: TaskSettings,
  ) {
    this.counters = new TaskCounters(component, kind, taskId, owner.now());
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get alive(): boolean {
    return this.proc !== undefined && this.proc.alive;
  }

  get isReady(): boolean {
    return this.ready && this.alive && this.deathReason === undefined;
  }

  /** Spawns the child and sends the handshake; the pid reply marks the task ready. */
  launch(launch: TaskLaunch): void {
    this.ready = false;
    this.deathReason = undefined;
    this.deathTuple = undefined;
    this.lastReported = undefined;
    this.stash = [];
    this.stashIndex = 0;
    this.lastHeard = this.owner.now();
    const handlers: TaskProcessHandlers = {
      onMessages: (messages) => this.received(messages),
      onProtocolError: (error) => this.protocolError(error),
      // Storm logs a shell component's stderr at INFO (ShellProcess's error-stream drainer).
      onStderr: (line) => this.owner.log(this, 'info', line, 'stderr'),
      onExit: (code, signal) => this.exited(proc, code, signal),
    };
    const proc: TaskChannel = launch.open ? launch.open(handlers) : new TaskProcess(launch.process, handlers);
    this.proc = proc;
    proc.onWritable = () => this.writable();
    proc.send({ conf: launch.conf, pidDir: launch.pidDir, context: launch.context });
  }

  /** Kills the child for a reason Storm would halt the worker for; the engine restarts it. */
  die(reason: string, tuple?: unknown[]): void {
    if (this.deathReason !== undefined || !this.proc?.alive) return;
    this.deathReason = reason;
    this.deathTuple = tuple;
    this.counters.lastError = reason;
    this.proc.kill('SIGKILL');
  }

  /** Stops the child: stdin closed, then TERM, then KILL; says how it ended. */
  async stop(graceMs: number): Promise<StopOutcome> {
    this.stopping = true;
    return (await this.proc?.stop(graceMs)) ?? 'gone';
  }

  /** The task's figures now (reading them changes nothing). */
  figures(): TaskFigures {
    return this.counters.figures(this.queued);
  }

  /** Tuples waiting on the host side to be written to the child (bolts). */
  get queued(): number {
    return 0;
  }

  /** The child's stderr tail, for crash reports. */
  get stderrTail(): string {
    return this.proc?.stderr ?? '';
  }

  /**
   * The tuple to blame for the death that just happened: the one the host killed it over, else
   * whatever the task's own crash report names (none when it crashed outside a tuple, in its
   * constructor or initialize()). `exitCode` is how the process ended.
   */
  culpritTuple(_exitCode: number | null): unknown[] | undefined {
    return this.deathTuple;
  }

  /** Called every second by the engine: enforces topology.subprocess.timeout.secs. */
  abstract heartbeat(now: number, timeoutMs: number): void;

  /** Fails/forgets whatever the dead process held. */
  abstract abandonInFlight(): void;

  /** Handles one message after the handshake; throws TaskDeath for fatal ones. */
  protected abstract handle(message: Record<string, unknown>): void;

  /** The pipe to the child can take more. */
  protected abstract writable(): void;

  /** True if `message` is an emit (which may have to wait for room downstream). */
  private static isEmit(message: unknown): boolean {
    return (message as { command?: unknown }).command === 'emit';
  }

  /** Room downstream again: handle what was stashed, then read the child again. */
  resumeEmitting(): void {
    if (!this.proc?.alive) return;
    this.lastHeard = this.owner.now();
    this.drainStash();
  }

  private received(messages: unknown[]): void {
    this.lastHeard = this.owner.now();
    if (this.stashIndex < this.stash.length) {
      for (const m of messages) this.stash.push(m);
      return;
    }
    this.stash = messages;
    this.stashIndex = 0;
    this.drainStash();
  }

  private drainStash(): void {
    const stash = this.stash;
    while (this.stashIndex < stash.length) {
      if (this.deathReason !== undefined || this.stopping) return;
      const message = stash[this.stashIndex]!;
      if (this.ready && TaskHost.isEmit(message) && !this.taskFlow.canEmit(this)) {
        this.proc?.pauseReading();
        this.taskFlow.waitForRoom(this);
        return;
      }
      this.stashIndex++;
      this.dispatch(message);
    }
    this.stash = [];
    this.stashIndex = 0;
    this.proc?.resumeReading();
  }

  /** True while the host is not reading the child because downstream is full. */
  protected get blockedDownstream(): boolean {
    return this.stashIndex < this.stash.length;
  }

  private dispatch(message: unknown): void {
    try {
      if (!this.ready) {
        const pid = (message as { pid?: unknown } | null)?.pid;
        if (typeof pid !== 'number') throw new TaskDeath(`expected the pid reply to the handshake, got ${preview(message)}`);
        this.ready = true;
        this.counters.pid = pid;
        this.owner.taskReady(this);
        return;
      }
      if (message === null || typeof message !== 'object' || Array.isArray(message)) {
        throw new TaskDeath(`not a command object: ${preview(message)}`);
      }
      const record = message as Record<string, unknown>;
      const command = record.command;
      if (command === 'log') {
        const level = typeof record.level === 'number' ? (LOG_LEVELS[record.level] ?? 'info') : 'info';
        this.owner.log(this, level, String(record.msg));
        return;
      }
      if (command === 'error') {
        this.lastReported = String(record.msg);
        this.counters.lastError = this.lastReported;
        this.owner.reportError(this, String(record.msg));
        return;
      }
      if (command === 'metrics') {
        // ShellBolt/ShellSpout.handleMetrics: no JVM-side metric can exist for a shell component.
        throw new TaskDeath(`sent a metrics command ('${String(record.name)}'): Storm halts the worker because no such metric is registered`);
      }
      this.handle(record);
    } catch (error) {
      if (error instanceof TaskDeath) this.die(error.message, error.tuple);
      else this.die(`host failed handling ${preview(message)}: ${(error as Error).message}`);
    }
  }

  private protocolError(error: FramingError): void {
    this.die(`malformed output on stdout (${error.message}): ${JSON.stringify(error.excerpt)}`);
  }

  private exited(proc: TaskChannel, code: number | null, signal: NodeJS.Signals | null): void {
    if (proc !== this.proc) return;
    this.ready = false;
    this.owner.taskExited(this, code, signal, this.deathReason);
  }
}

/** A short JSON rendering for error messages. */
export function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
