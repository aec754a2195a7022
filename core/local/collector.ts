/**
 * What Storm's output collectors and the spout executor's pending map do for shell components:
 * route each emit, count it, start or extend tuple trees, deliver the copies, and tell a spout
 * when one of its trees completed, failed or timed out (only the process generation that
 * emitted it: a restarted spout does not get acks meant for its predecessor).
 */
import type { BoltTask, InFlight, RoutedTuple } from './bolt-task.js';
import type { RoutingTable } from './routing-table.js';
import type { SpoutTask } from './spout-task.js';
import type { TaskHost } from './task-host.js';
import type { SettledTree, TupleTrees } from './tuple-trees.js';

/** Routes, counts and tracks the tuples of one run. */
export class OutputCollector {
  /** Process generation of each task (bumped when its process dies). */
  readonly generations = new Map<number, number>();

  constructor(
    private readonly tasks: Map<number, TaskHost>,
    private readonly routing: RoutingTable,
    private readonly trees: TupleTrees,
    /** topology.acker.executors: 0 = spout tuples are acked at emit. */
    private readonly ackers: number,
    private readonly now: () => number,
  ) {}

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
}
