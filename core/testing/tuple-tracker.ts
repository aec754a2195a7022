/**
 * Tuple trees in the harness: the bookkeeping the local engine uses (core/common/acking's
 * TupleTrees: edge ids, anchoring, the XOR acker and its timeouts), plus what the harness
 * needs around it: no-acker runs, open trees per spout task (topology.max.spout.pending),
 * tuple ids, and the ack/fail each spout must now be told.
 */
import { formatEdgeId } from '../common/acking/edge-ids.js';
import { TupleTrees, type Anchor, type Settled, type TreeMembership } from '../common/acking/tuple-trees.js';
import type { RandomSource } from '../common/routing/random.js';

/** A spout message whose tree is being tracked. */
interface PendingRoot {
  spoutTask: number;
  messageId: string | number;
}

/** What the spout must now be told. */
export interface SpoutNotice {
  spoutTask: number;
  messageId: string | number;
  outcome: 'ack' | 'fail';
}

/** Tracks every tuple tree of a run. */
export class TupleTracker {
  private readonly trees: TupleTrees<PendingRoot>;
  private readonly pendingBySpoutTask = new Map<number, number>();

  constructor(
    random: RandomSource,
    /** False when the topology has no ackers: reliable emits are acked at once. */
    readonly acking: boolean,
    timeoutMs: number,
    startMs: number,
  ) {
    this.trees = new TupleTrees({ timeoutMs, random, startMs });
  }

  /** A fresh 64-bit id (tuple ids and edge ids share the space, as in Storm). */
  newId(): bigint {
    return this.trees.newEdgeId();
  }

  /** Wire form of an id. */
  format(id: bigint): string {
    return formatEdgeId(id);
  }

  /** Reliable trees of a spout task still waiting (for topology.max.spout.pending). */
  pendingOf(spoutTask: number): number {
    return this.pendingBySpoutTask.get(spoutTask) ?? 0;
  }

  /** Trees still being tracked. */
  get pendingTrees(): number {
    return this.trees.size;
  }

  /** Time of the next timeout check, while trees are pending and timeouts are on. */
  get nextTimeoutCheckMs(): number | undefined {
    return this.trees.nextExpiryCheckMs;
  }

  /**
   * A spout emitted a reliable tuple to `targetCount` tasks. Returns the tree membership of
   * each copy, and a notice to ack at once when nothing will track it (no targets, or no
   * ackers) — Storm does the same.
   */
  startTree(spoutTask: number, messageId: string | number, targetCount: number, nowMs: number): { members: TreeMembership[]; notice?: SpoutNotice } {
    if (!this.acking) return { members: Array.from({ length: targetCount }, () => ({})), notice: { spoutTask, messageId, outcome: 'ack' } };
    const { roots, edges, settled } = this.trees.startTree({ spoutTask, messageId }, targetCount, nowMs);
    const members = edges.map((edge) => ({ roots, edges: [edge] }));
    if (settled) return { members, notice: notice(settled) };
    this.pendingBySpoutTask.set(spoutTask, this.pendingOf(spoutTask) + 1);
    return { members };
  }

  /** Membership of one copy of a tuple emitted with the given anchors (a fresh edge each). */
  anchor(anchors: readonly Anchor[]): TreeMembership {
    return this.trees.anchor(anchors) ?? {};
  }

  /** A bolt acked a tuple; returns what spouts must be told. */
  ack(tuple: Anchor, nowMs: number): SpoutNotice[] {
    return this.acking ? this.settled(this.trees.boltAck(tuple, nowMs)) : [];
  }

  /** A bolt failed a tuple: every tree it belongs to fails. */
  fail(tuple: Anchor, nowMs: number): SpoutNotice[] {
    return this.acking ? this.settled(this.trees.boltFail(tuple, nowMs)) : [];
  }

  /** Trees that timed out by `nowMs` (topology.message.timeout.secs): their spouts get fail. */
  expire(nowMs: number): SpoutNotice[] {
    return this.settled(this.trees.expire(nowMs));
  }

  private settled(trees: Array<Settled<PendingRoot>>): SpoutNotice[] {
    for (const tree of trees) this.pendingBySpoutTask.set(tree.spoutTask, this.pendingOf(tree.spoutTask) - 1);
    return trees.map(notice);
  }
}

function notice(tree: Settled<PendingRoot>): SpoutNotice {
  return { spoutTask: tree.spoutTask, messageId: tree.messageId, outcome: tree.outcome === 'acked' ? 'ack' : 'fail' };
}
