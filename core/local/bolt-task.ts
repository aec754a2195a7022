/**
 * The host side of one bolt task: what Storm's ShellBolt does.
 * - Tuples wait in a queue bounded by topology.shellbolt.max.pending; while it is full the
 *   engine stops upstream tasks (ShellBoltMessageQueue.putBoltMsg blocks in Storm).
 * - Each tuple gets an id of its own for the child (ShellBolt's genId) and is remembered until
 *   the child acks or fails it: an ack/fail of an unknown id, or an emit anchored to one, is
 *   fatal, as in Storm.
 * - Task ids go back when an emit asks (need_task_ids absent or true), ahead of queued tuples.
 * - A heartbeat tuple every second; no message at all for topology.subprocess.timeout.secs
 *   kills the child ("subprocess heartbeat timeout").
 */
import { HEARTBEAT_STREAM } from '../common/multilang/messages.js';
import { EXIT_CRASH } from '../common/multilang/exit-codes.js';
import { TaskDeath, TaskHost, preview, type TaskFlow, type TaskOwner } from './task-host.js';
import type { TaskSettings } from './config.js';
import { ShellTupleIds } from './shell-tuple-ids.js';

/** A tuple on its way to a bolt task, with its place in the tuple trees it belongs to. */
export interface RoutedTuple {
  component: string;
  stream: string;
  /** Emitting task (-1 for ticks). */
  sourceTask: number;
  values: unknown[];
  /** Root ids of the trees this tuple belongs to (parallel to `edges`); absent = untracked. */
  roots?: string[];
  /** This tuple's edge id in each tree. */
  edges?: bigint[];
}

/** A tuple handed to the child and not yet acked or failed. */
export interface InFlight {
  tuple: RoutedTuple;
  /** XOR of the edge ids of tuples emitted anchored to this one (Storm's outAckVal). */
  outXor: bigint;
  /** When the task received it (engine clock, ms): process latency starts here. */
  receivedAt: number;
  tick: boolean;
}

/** What a bolt task needs from the tuple flow (the collector), beyond TaskFlow. */
export interface BoltFlow extends TaskFlow {
  /** Routes an emit; returns the target task ids. Throws TaskDeath for an invalid emit. */
  boltEmit(task: BoltTask, stream: string, values: unknown[], anchors: InFlight[], directTask: number | undefined): number[];
  boltAcked(task: BoltTask, input: InFlight): void;
  boltFailed(task: BoltTask, input: InFlight): void;
  /** The task's queue went below its bound: upstream may continue. */
  queueHasRoom(task: BoltTask): void;
}

const HEARTBEAT_COMPONENT = null;
/** How the runtime's crash report names the tuple it was processing (ComponentCrash.report). */
const CRASH_TUPLE_ID = /while processing tuple id=(\S+) /;

/** Host side of a bolt task. */
export class BoltTask extends TaskHost {
  private queue: InFlight[] = [];
  private queueHead = 0;
  private readonly inputs = new Map<string, InFlight>();
  private readonly ids = new ShellTupleIds();
  /** Tuples failed because they found the queue full while the task was restarting. */
  private overflowed = 0;

  constructor(
    owner: TaskOwner,
    private readonly flow: BoltFlow,
    component: string,
    taskId: number,
    settings: TaskSettings,
  ) {
    super(owner, flow, component, 'bolt', taskId, settings);
  }

  /** Tuples queued on the host side, not yet written to the child. */
  override get queued(): number {
    return this.queue.length - this.queueHead;
  }

  /** True when upstream must wait (topology.shellbolt.max.pending reached). */
  get full(): boolean {
    return this.queued >= this.settings.maxPending;
  }

  /** Number of tuples the child holds without having acked or failed them. */
  get inFlight(): number {
    return this.inputs.size;
  }

  /**
   * A tuple arrives for this task (Storm: BoltExecutor hands it to ShellBolt.execute).
   * While the task's process is restarting, upstream is not held back (a dead task must not
   * stall the topology) but its queue keeps the topology.shellbolt.max.pending bound: a tuple
   * beyond it fails its trees at once, so the spout replays it now rather than after
   * topology.message.timeout.secs (in Storm the whole worker dies and the spout replays
   * everything after the timeout). Ticks beyond the bound are dropped.
   */
  deliver(tuple: RoutedTuple, tick = false): void {
    const now = this.owner.now();
    const input: InFlight = { tuple, outXor: 0n, receivedAt: now, tick };
    if (!this.isReady && this.full && !this.stopping) {
      this.overflow(input);
      return;
    }
    if (!tick) this.counters.executed++;
    this.queue.push(input);
    this.pump();
  }

  /** Fails a tuple that found the queue of a restarting task full; says so once per outage. */
  private overflow(input: InFlight): void {
    if (input.tick) return;
    if (this.overflowed++ === 0) {
      this.owner.log(this, 'warn', `task is restarting and its queue is full (topology.shellbolt.max.pending = ${this.settings.maxPending}): failing the tuple trees of further tuples sent to it until it is back, so their spouts replay them`);
    }
    this.flow.boltFailed(this, input);
  }

  /** Writes queued tuples to the child while its pipe takes them. */
  pump(): void {
    if (!this.isReady || this.stopping) return;
    if (this.overflowed > 0) {
      this.owner.log(this, 'info', `task is back: ${this.overflowed} tuples sent to it while it restarted were failed (queue full)`);
      this.overflowed = 0;
    }
    const proc = this.proc!;
    const wasFull = this.full;
    while (this.queueHead < this.queue.length && !proc.congested) {
      const input = this.queue[this.queueHead]!;
      this.queue[this.queueHead++] = undefined as unknown as InFlight;
      const id = this.ids.next();
      if (this.inputs.size === 0) this.counters.markBusy(this.owner.now());
      this.inputs.set(id, input);
      const t = input.tuple;
      proc.sendTuple(id, t.component, t.stream, t.sourceTask, t.values);
    }
    if (this.queueHead === this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
    } else if (this.queueHead > 1024) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    if (wasFull && !this.full) this.flow.queueHasRoom(this);
  }

  protected writable(): void {
    this.pump();
  }

  heartbeat(now: number, timeoutMs: number): void {
    if (!this.alive || this.deathReason !== undefined || this.stopping) return;
    // While we are not reading it (downstream full) the child cannot prove anything.
    if (this.blockedDownstream) this.lastHeard = now;
    if (now - this.lastHeard > timeoutMs) {
      const oldest = this.inputs.values().next().value as InFlight | undefined;
      this.die(`subprocess heartbeat timeout: no message from the child for ${Math.round(now - this.lastHeard)} ms (topology.subprocess.timeout.secs = ${timeoutMs / 1000})`, oldest?.tuple.values);
      return;
    }
    if (!this.ready) return;
    this.proc!.send({ id: this.ids.next(), comp: HEARTBEAT_COMPONENT, stream: HEARTBEAT_STREAM, task: -1, tuple: [] });
  }

  /** The process died: everything it held (and everything queued for it) fails. */
  abandonInFlight(): void {
    const lost = [...this.inputs.values()];
    this.inputs.clear();
    for (let i = this.queueHead; i < this.queue.length; i++) lost.push(this.queue[i]!);
    this.queue = [];
    this.queueHead = 0;
    this.counters.markIdle(this.owner.now());
    for (const input of lost) if (!input.tick) this.flow.boltFailed(this, input);
    this.flow.queueHasRoom(this);
  }

  /**
   * A crash report names the tuple it died on (`while processing tuple id=...`): that one.
   * A report that names none (constructor, initialize, a timer) blames no tuple. Without any
   * report (killed, out of memory) the oldest tuple the child held is the likely culprit.
   */
  override culpritTuple(exitCode: number | null): unknown[] | undefined {
    if (this.deathTuple) return this.deathTuple;
    if (exitCode === EXIT_CRASH && this.lastReported !== undefined) {
      const id = CRASH_TUPLE_ID.exec(this.lastReported)?.[1];
      return id === undefined ? undefined : this.inputs.get(id)?.tuple.values;
    }
    return (this.inputs.values().next().value as InFlight | undefined)?.tuple.values;
  }

  protected handle(message: Record<string, unknown>): void {
    switch (message.command) {
      case 'emit':
        return this.emit(message);
      case 'ack':
        return this.settle(message, true);
      case 'fail':
        return this.settle(message, false);
      case 'sync':
        return; // any message counts as a heartbeat
      case undefined:
      case null:
        throw new TaskDeath(`Command not found in bolt message: ${preview(message)}`);
      default:
        // ShellBolt ignores commands it does not know.
        this.owner.log(this, 'warn', `ignored unknown command from the child: ${preview(message)}`);
    }
  }

  private emit(message: Record<string, unknown>): void {
    const values = message.tuple;
    if (!Array.isArray(values)) throw new TaskDeath(`emit without a "tuple" array: ${preview(message)}`);
    const anchors: InFlight[] = [];
    const ids = message.anchors;
    if (ids !== undefined && ids !== null) {
      const list = typeof ids === 'string' ? [ids] : ids;
      if (!Array.isArray(list)) throw new TaskDeath(`emit "anchors" is not a list: ${preview(message)}`);
      for (const id of list) {
        const anchor = this.inputs.get(String(id));
        if (!anchor) throw new TaskDeath(`Anchored onto ${String(id)} after ack/fail`, values);
        anchors.push(anchor);
      }
    }
    const stream = typeof message.stream === 'string' ? message.stream : 'default';
    const direct = typeof message.task === 'number' && message.task !== 0 ? message.task : undefined;
    const tasks = this.flow.boltEmit(this, stream, values, anchors, direct);
    if (direct === undefined && message.need_task_ids !== false) this.proc!.sendTaskIds(tasks);
  }

  private settle(message: Record<string, unknown>, ack: boolean): void {
    const id = String(message.id);
    const input = this.inputs.get(id);
    if (!input) throw new TaskDeath(`${ack ? 'Acked' : 'Failed'} a non-existent or already acked/failed id: ${id}`);
    this.inputs.delete(id);
    if (this.inputs.size === 0) this.counters.markIdle(this.owner.now());
    if (input.tick) return;
    if (ack) this.flow.boltAcked(this, input);
    else this.flow.boltFailed(this, input);
  }
}
