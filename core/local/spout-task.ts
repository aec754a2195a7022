/**
 * The host side of one spout task: what Storm's ShellSpout and SpoutExecutor do together.
 * - Strict ping-pong: one command (`next`, `ack`, `fail`, `activate`, `deactivate`) at a time,
 *   then the child's emits/logs until its `sync`.
 * - `next` only while active, below topology.max.spout.pending open trees, and while no
 *   downstream queue is full. Acks and fails go first (Storm handles them before nextTuple).
 * - A `next` that emitted nothing makes the host wait 1 ms before the next one (Storm's
 *   default sleep wait strategy), so an idle spout does not spin.
 * - The heartbeat clock only runs while the host waits for a `sync`.
 * - Any command other than emit/log/error/sync (and metrics, which is fatal) kills the task.
 */
import { TaskDeath, TaskHost, preview, type TaskFlow, type TaskOwner } from './task-host.js';
import type { TaskSettings } from './config.js';

/** What a spout task needs from the tuple flow (the collector), beyond TaskFlow. */
export interface SpoutFlow extends TaskFlow {
  /** Open tuple trees of this spout task (for topology.max.spout.pending). */
  pendingOf(task: SpoutTask): number;
  /** The task's process died: its open trees are abandoned. */
  spoutDied(task: SpoutTask): void;
  /** Routes a spout emit (and starts tracking its tree when it has a message id). */
  spoutEmit(task: SpoutTask, stream: string, values: unknown[], messageId: unknown, directTask: number | undefined): number[];
}

/** Storm's SleepSpoutWaitStrategy default. */
const IDLE_WAIT_MS = 1;

type SpoutCommand = 'next' | 'ack' | 'fail' | 'activate' | 'deactivate';

/** Host side of a spout task. */
export class SpoutTask extends TaskHost {
  private active = false;
  private childActive = false;
  private waiting: SpoutCommand | undefined;
  private emitsDuringCommand = 0;
  private readonly control: Array<{ command: 'ack' | 'fail'; id: unknown }> = [];
  private controlHead = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private waitingForRoom = false;

  constructor(
    owner: TaskOwner,
    private readonly flow: SpoutFlow,
    component: string,
    taskId: number,
    settings: TaskSettings,
  ) {
    super(owner, flow, component, 'spout', taskId, settings);
  }

  /** Activates or deactivates the spout (sent as soon as the child is free). */
  setActive(active: boolean): void {
    this.active = active;
    this.pump();
  }

  /** A tree of this spout completed: the child gets `ack` with its message id. */
  acked(messageId: unknown): void {
    this.control.push({ command: 'ack', id: messageId });
    this.pump();
  }

  /** A tree failed or timed out: the child gets `fail`. */
  failed(messageId: unknown): void {
    this.control.push({ command: 'fail', id: messageId });
    this.pump();
  }

  /** True when nothing is waiting to be told to the child. */
  get idle(): boolean {
    return this.waiting === undefined && this.controlHead === this.control.length;
  }

  /** Sends the next command if the child is free and there is one to send. */
  pump(): void {
    if (!this.isReady || this.waiting !== undefined) return;
    if (this.controlHead < this.control.length) {
      const { command, id } = this.control[this.controlHead++]!;
      if (this.controlHead === this.control.length) {
        this.control.length = 0;
        this.controlHead = 0;
      }
      this.send(command, id);
      return;
    }
    if (this.active !== this.childActive) {
      this.childActive = this.active;
      this.send(this.active ? 'activate' : 'deactivate', '');
      return;
    }
    if (!this.active || this.stopping || this.idleTimer) return;
    const max = this.settings.maxSpoutPending;
    if (max !== undefined && this.flow.pendingOf(this) >= max) return;
    if (!this.flow.canEmit(this)) {
      if (!this.waitingForRoom) {
        this.waitingForRoom = true;
        this.flow.waitForRoom(this);
      }
      return;
    }
    this.send('next', '');
  }

  override resumeEmitting(): void {
    this.waitingForRoom = false;
    super.resumeEmitting();
    this.pump();
  }

  private send(command: SpoutCommand, id: unknown): void {
    this.waiting = command;
    this.emitsDuringCommand = 0;
    this.lastHeard = this.owner.now();
    this.proc!.send({ command, id });
  }

  protected writable(): void {}

  heartbeat(now: number, timeoutMs: number): void {
    if (!this.alive || this.deathReason !== undefined || this.stopping) return;
    if (this.waiting === undefined && this.ready) return;
    if (this.blockedDownstream) this.lastHeard = now;
    if (now - this.lastHeard > timeoutMs) {
      const what = this.ready ? `'${this.waiting}'` : 'the handshake';
      this.die(`subprocess heartbeat timeout: no sync after ${what} for ${Math.round(now - this.lastHeard)} ms (topology.subprocess.timeout.secs = ${timeoutMs / 1000})`);
    }
  }

  /** The process died: the new one starts clean; acks/fails meant for the old one are dropped. */
  abandonInFlight(): void {
    this.control.length = 0;
    this.controlHead = 0;
    this.waiting = undefined;
    this.childActive = false;
    this.flow.spoutDied(this);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  protected handle(message: Record<string, unknown>): void {
    switch (message.command) {
      case 'emit':
        return this.emit(message);
      case 'sync':
        return this.synced();
      default:
        throw new TaskDeath(`Unknown command from a spout: ${preview(message)} (a spout may only send emit, log, error and sync)`);
    }
  }

  private emit(message: Record<string, unknown>): void {
    const values = message.tuple;
    if (!Array.isArray(values)) throw new TaskDeath(`emit without a "tuple" array: ${preview(message)}`);
    const stream = typeof message.stream === 'string' ? message.stream : 'default';
    const direct = typeof message.task === 'number' && message.task !== 0 ? message.task : undefined;
    this.emitsDuringCommand++;
    const tasks = this.flow.spoutEmit(this, stream, values, message.id ?? undefined, direct);
    if (direct === undefined && message.need_task_ids !== false) this.proc!.sendTaskIds(tasks);
  }

  private synced(): void {
    const command = this.waiting;
    this.waiting = undefined;
    if (command === 'next' && this.emitsDuringCommand === 0) {
      this.idleTimer = setTimeout(() => {
        this.idleTimer = undefined;
        this.pump();
      }, IDLE_WAIT_MS);
      // Acks and fails must not wait for the idle pause.
      if (this.controlHead < this.control.length) this.pump();
      return;
    }
    this.pump();
  }

  /** Cancels timers (engine stopping). */
  dispose(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
