/**
 * Tuple trees in the harness, kept the way Storm's executors keep them: every delivered tuple
 * carries, per root, its own edge id; every emit anchored to it XORs the new edge into its
 * "ack value"; acking it sends `edge ^ ackValue` to the acker (our AckerLedger), which tells
 * the spout when the tree completes, fails or times out.
 */
import { AckerLedger, type AckerVerdict } from '../common/acking/acker.js';
import { formatEdgeId, randomEdgeId } from '../common/acking/edge-ids.js';
import type { RandomSource } from '../common/routing/random.js';

/** Where a tuple sits in the tuple trees it belongs to. */
export interface TreeMembership {
  /** Root id → this tuple's edge id in that tree. */
  roots: Map<string, bigint>;
  /** XOR of the edge ids of the tuples emitted anchored to this one. */
  ackValue: bigint;
}

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
  private readonly ledger: AckerLedger;
  private readonly pendingRoots = new Map<string, PendingRoot>();
  private readonly pendingBySpoutTask = new Map<number, number>();

  constructor(
    private readonly random: RandomSource,
    /** False when the topology has no ackers: reliable emits are acked at once. */
    readonly acking: boolean,
    private readonly timeoutMs: number,
    startMs: number,
  ) {
    this.ledger = new AckerLedger({ timeoutMs, startMs });
  }

  /** A fresh 64-bit id (tuple ids and edge ids share the space, as in Storm). */
  newId(): bigint {
    return randomEdgeId(this.random);
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
    return this.pendingRoots.size;
  }

  /** Time of the next timeout check, while trees are pending. */
  get nextTimeoutCheckMs(): number | undefined {
    // Timeouts off (0 or Infinity): nothing will ever expire, so there is no time to wait for.
    if (!(this.timeoutMs > 0) || !Number.isFinite(this.timeoutMs)) return undefined;
    return this.pendingRoots.size > 0 ? this.ledger.nextExpiryCheckMs : undefined;
  }

  /**
   * A spout emitted a reliable tuple to `edges.length` tasks. Returns the root id, or a notice
   * to ack at once when nothing will track it (no targets, or no ackers) — Storm does the same.
   */
  startTree(spoutTask: number, messageId: string | number, edges: bigint[], nowMs: number): { rootId?: string; notice?: SpoutNotice } {
    if (!this.acking || edges.length === 0) return { notice: { spoutTask, messageId, outcome: 'ack' } };
    const rootId = formatEdgeId(this.newId());
    this.pendingRoots.set(rootId, { spoutTask, messageId });
    this.pendingBySpoutTask.set(spoutTask, this.pendingOf(spoutTask) + 1);
    let xor = 0n;
    for (const edge of edges) xor ^= edge;
    const verdict = this.ledger.init(rootId, spoutTask, xor, nowMs);
    const notice = this.settle(rootId, verdict);
    return notice ? { rootId, notice } : { rootId };
  }

  /** Membership of a tuple emitted with the given anchors, on the given edge. */
  anchor(anchors: TreeMembership[], edge: bigint): Map<string, bigint> {
    const roots = new Map<string, bigint>();
    for (const anchor of anchors) {
      for (const rootId of anchor.roots.keys()) roots.set(rootId, (roots.get(rootId) ?? 0n) ^ edge);
      anchor.ackValue ^= edge;
    }
    return roots;
  }

  /** A bolt acked a tuple; returns what spouts must be told. */
  ack(tuple: TreeMembership, nowMs: number): SpoutNotice[] {
    if (!this.acking) return [];
    const notices: SpoutNotice[] = [];
    for (const [rootId, edge] of tuple.roots) {
      const notice = this.settle(rootId, this.ledger.ack(rootId, BigInt.asIntN(64, edge ^ tuple.ackValue), nowMs));
      if (notice) notices.push(notice);
    }
    return notices;
  }

  /** A bolt failed a tuple: every tree it belongs to fails. */
  fail(tuple: TreeMembership, nowMs: number): SpoutNotice[] {
    if (!this.acking) return [];
    const notices: SpoutNotice[] = [];
    for (const rootId of tuple.roots.keys()) {
      const notice = this.settle(rootId, this.ledger.fail(rootId, nowMs));
      if (notice) notices.push(notice);
    }
    return notices;
  }

  /** Trees that timed out by `nowMs` (topology.message.timeout.secs): their spouts get fail. */
  expire(nowMs: number): SpoutNotice[] {
    const notices: SpoutNotice[] = [];
    for (const { rootId } of this.ledger.expire(nowMs)) {
      const notice = this.settle(rootId, 'failed');
      if (notice) notices.push(notice);
    }
    return notices;
  }

  private settle(rootId: string, verdict: AckerVerdict): SpoutNotice | undefined {
    if (verdict === 'pending') return undefined;
    const root = this.pendingRoots.get(rootId);
    // A late ack of a tree that already timed out: the spout was told once, as in Storm.
    if (!root) return undefined;
    this.pendingRoots.delete(rootId);
    this.pendingBySpoutTask.set(root.spoutTask, this.pendingOf(root.spoutTask) - 1);
    return { spoutTask: root.spoutTask, messageId: root.messageId, outcome: verdict === 'complete' ? 'ack' : 'fail' };
  }
}
