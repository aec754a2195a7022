/**
 * What Storm's output collectors and the spout executor's pending map do for shell components:
 * route each emit, count it, start or extend tuple trees, deliver the copies, and tell a spout
 * when one of its trees completed, failed or timed out (only the process generation that
 * emitted it: a restarted spout does not get acks meant for its predecessor). Tasks call it
 * directly; it also holds the backpressure between them (a task whose downstream queue is full
 * waits, as a ShellBolt's `putBoltMsg` blocks its upstream executor in Storm).
 */
import type { BoltFlow, BoltTask, InFlight, RoutedTuple } from './bolt-task.js';
import type { RoutingTable } from './routing-table.js';
import type { SpoutFlow, SpoutTask } from './spout-task.js';
import type { TaskHost } from './task-host.js';
import type { SettledTree, TupleTrees } from './tuple-trees.js';

/** Routes, counts and tracks the tuples of one run. */
export class OutputCollector implements BoltFlow, SpoutFlow {
  /** Process generation of each task (bumped when its process dies). */
  readonly generations = new Map<number, number>();
  /** Bolt tasks downstream of each component (built on first use: tasks are created after the collector). */
  private downstream: Map<string, BoltTask[]> | undefined;
  /** Tasks waiting for room downstream. */
  private readonly blocked = new Set<TaskHost>();
  private wakeScheduled = false;

  constructor(
    private readonly tasks: ReadonlyMap<number, TaskHost>,
    private readonly routing: RoutingTable,
    private readonly trees: TupleTrees,
    /** topology.acker.executors: 0 = spout tuples are acked at emit. */
    private readonly ackers: number,
    private readonly now: () => number,
  ) {}

  // ---- emits, acks, fails ----

  spoutEmit(task: SpoutTask, stream: string, values: unknown[], messageId: unknown, directTask: number | undefined): number[] {
    const targets = this.routing.route(task.taskId, task.component, stream, values, directTask);
    task.counters.emitted++;
    task.counters.transferred += targets.length;
    const base = { component: task.component, stream, sourceTask: task.taskId, values };
    if (messageId === undefined || this.ackers <= 0) {
      for (const target of targets) (this.tasks.get(target) as BoltTask).deliver(base);
      if (messageId !== undefined) {
        // No acker: Storm acks a spout tuple as soon as it is emitted.
        task.counters.acked++;
        task.counters.completeLatency.record(0);
        task.acked(messageId);
      }
      return targets;
    }
    const now = this.now();
    task.pending++;
    const tree = { spoutTask: task.taskId, generation: this.generations.get(task.taskId) ?? 0, messageId, startedAt: now };
    const { tuples, settled } = this.trees.spoutEmit(tree, targets, base, now);
    for (let i = 0; i < targets.length; i++) (this.tasks.get(targets[i]!) as BoltTask).deliver(tuples[i]!);
    if (settled) this.settled(settled, now);
    return targets;
  }

  boltEmit(task: BoltTask, stream: string, values: unknown[], anchors: InFlight[], directTask: number | undefined): number[] {
    const targets = this.routing.route(task.taskId, task.component, stream, values, directTask);
    task.counters.emitted++;
    task.counters.transferred += targets.length;
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
    for (const tree of this.trees.boltAck(input, now)) this.settled(tree, now);
  }

  boltFailed(task: BoltTask, input: InFlight): void {
    const now = this.now();
    task.counters.failed++;
    for (const tree of this.trees.boltFail(input, now)) this.settled(tree, now);
  }

  /** Fails the trees past topology.message.timeout.secs. */
  expire(now: number): void {
    for (const tree of this.trees.expire(now)) this.settled(tree, now);
  }

  /** Number of trees still open. */
  get openTrees(): number {
    return this.trees.size;
  }

  /** A task's process died: what its predecessor emitted is no longer its business. */
  newGeneration(task: number): void {
    this.generations.set(task, (this.generations.get(task) ?? 0) + 1);
  }

  private settled(tree: SettledTree, now: number): void {
    const spout = this.tasks.get(tree.spoutTask) as SpoutTask | undefined;
    if (!spout || (this.generations.get(spout.taskId) ?? 0) !== tree.generation) return;
    spout.pending = Math.max(0, spout.pending - 1);
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
