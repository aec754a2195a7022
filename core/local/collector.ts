/**
 * What Storm's output collectors and the spout executor's pending map do for shell components:
 * route each emit, count it, start or extend tuple trees, deliver the copies, and tell a spout
 * when one of its trees completed, failed or timed out (only the process generation that
 * emitted it: a restarted spout does not get acks meant for its predecessor). Tasks call it
 * directly; it also holds the backpressure between them (a task whose downstream queue is full
 * waits, as a ShellBolt's `putBoltMsg` blocks its upstream executor in Storm).
 */
import { SquallError } from '../common/errors.js';
import type { TopologyRouter } from '../common/host/topology-router.js';
import type { RunTap } from '../common/run/run-types.js';
import type { BoltFlow, BoltTask, InFlight, RoutedTuple } from './bolt-task.js';
import type { SpoutFlow, SpoutTask } from './spout-task.js';
import { TaskDeath, type TaskHost } from './task-host.js';
import type { SettledTree, TupleTrees } from './tuple-trees.js';

/** Routes, counts and tracks the tuples of one run. */
export class OutputCollector implements BoltFlow, SpoutFlow {
  /** Bolt tasks downstream of each component (built on first use: tasks are created after the collector). */
  private downstream: Map<string, BoltTask[]> | undefined;
  /** Tasks waiting for room downstream. */
  private readonly blocked = new Set<TaskHost>();
  private wakeScheduled = false;

  constructor(
    private readonly tasks: ReadonlyMap<number, TaskHost>,
    private readonly routing: TopologyRouter,
    private readonly trees: TupleTrees,
    private readonly now: () => number,
    /** Observers of every emit and settled tree (tests, tracing, recording); usually absent. */
    private readonly tap?: RunTap,
  ) {}

  // ---- emits, acks, fails ----

  spoutEmit(task: SpoutTask, stream: string, values: unknown[], messageId: unknown, directTask: number | undefined): number[] {
    const targets = this.route(task, stream, values, directTask, undefined);
    task.counters.emitted++;
    task.counters.transferred += targets.length;
    if (this.tap?.emitted) this.tap.emitted(messageId === undefined ? { component: task.component, task: task.taskId, stream, values, targets } : { component: task.component, task: task.taskId, stream, values, targets, messageId });
    const base = { component: task.component, stream, sourceTask: task.taskId, values };
    if (messageId === undefined) {
      for (const target of targets) (this.tasks.get(target) as BoltTask).deliver(base);
      return targets;
    }
    const now = this.now();
    // With no ackers the ledger settles the tree at once: Storm acks such a tuple as it is emitted.
    const { tuples, settled } = this.trees.spoutEmit({ spoutTask: task.taskId, messageId, startedAt: now }, targets, base, now);
    for (let i = 0; i < targets.length; i++) (this.tasks.get(targets[i]!) as BoltTask).deliver(tuples[i]!);
    if (settled) this.settled(settled, now);
    return targets;
  }

  boltEmit(task: BoltTask, stream: string, values: unknown[], anchors: InFlight[], directTask: number | undefined): number[] {
    const targets = this.route(task, stream, values, directTask, anchors[0]?.tuple.values);
    task.counters.emitted++;
    task.counters.transferred += targets.length;
    if (this.tap?.emitted) this.tap.emitted({ component: task.component, task: task.taskId, stream, values, targets });
    const base = { component: task.component, stream, sourceTask: task.taskId, values };
    for (const target of targets) {
      const tuple: RoutedTuple = anchors.length > 0 ? this.trees.anchoredTuple(anchors, base) : base;
      (this.tasks.get(target) as BoltTask).deliver(tuple);
    }
    return targets;
  }

  boltAcked(task: BoltTask, input: InFlight): void {
    const now = this.now();
    task.counters.acked++;
    task.counters.processLatency.record((now - input.receivedAt) * 1000);
    for (const tree of this.trees.ack(input, now)) this.settled(tree, now);
  }

  boltFailed(task: BoltTask, input: InFlight): void {
    const now = this.now();
    task.counters.failed++;
    for (const tree of this.trees.fail(input, now)) this.settled(tree, now);
  }

  /** Open trees of a spout task (for topology.max.spout.pending). */
  pendingOf(task: SpoutTask): number {
    return this.trees.pendingOf(task.taskId);
  }

  /** Fails the trees past topology.message.timeout.secs. */
  expire(now: number): void {
    for (const tree of this.trees.expire(now)) this.settled(tree, now);
  }

  /** Number of trees still open. */
  get openTrees(): number {
    return this.trees.size;
  }

  /** A spout task's process died: the trees it opened are no longer its successor's business. */
  spoutDied(task: SpoutTask): void {
    this.trees.abandon(task.taskId);
  }

  /**
   * Routes an emit by the host core's rules; what Storm refuses kills the task (in Storm the
   * worker dies), blaming `culprit`, the input being handled if known.
   */
  private route(task: TaskHost, stream: string, values: unknown[], directTask: number | undefined, culprit: unknown[] | undefined): number[] {
    try {
      return this.routing.route(task.taskId, task.component, stream, values, directTask);
    } catch (error) {
      if (!(error instanceof SquallError)) throw error;
      throw new TaskDeath(`${error.message}${error.hint ? ` (${error.hint})` : ''}`, culprit);
    }
  }

  private settled(tree: SettledTree, now: number): void {
    const spout = this.tasks.get(tree.spoutTask) as SpoutTask | undefined;
    if (!spout) return;
    if (this.tap?.settled) this.tap.settled({ component: spout.component, task: spout.taskId, messageId: tree.messageId, outcome: tree.outcome });
    if (tree.outcome === 'acked') {
      spout.counters.acked++;
      spout.counters.completeLatency.record((now - tree.startedAt) * 1000);
      spout.acked(tree.messageId);
    } else {
      spout.counters.failed++;
      spout.failed(tree.messageId);
    }
  }

  // ---- backpressure ----

  canEmit(task: TaskHost): boolean {
    const targets = (this.downstream ??= this.downstreamOfEach()).get(task.component);
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

  /** Forgets a task that is going away (its process died or the run stops). */
  forget(task: TaskHost): void {
    this.blocked.delete(task);
  }

  private downstreamOfEach(): Map<string, BoltTask[]> {
    const bolts = new Map<string, BoltTask[]>();
    for (const task of this.tasks.values()) {
      if (task.kind !== 'bolt') continue;
      const list = bolts.get(task.component) ?? [];
      list.push(task as BoltTask);
      bolts.set(task.component, list);
    }
    const downstream = new Map<string, BoltTask[]>();
    for (const component of new Set([...this.tasks.values()].map((t) => t.component))) {
      const targets = this.routing.consumersOf(component).flatMap((id) => bolts.get(id) ?? []);
      if (targets.length > 0) downstream.set(component, targets);
    }
    return downstream;
  }

  /** Lets blocked producers try again (soon, once the current batch is done). */
  wakeBlocked(): void {
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
}
