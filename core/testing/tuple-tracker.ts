/**
 * Tuple trees in the harness: the host core's ledger (core/common/host, which the local engine
 * uses too: edge ids, anchoring, the XOR acker and its timeouts, no-acker runs, open trees per
 * spout task), plus tuple ids and the ack/fail each spout must now be told.
 */
import { formatEdgeId } from '../common/acking/edge-ids.js';
import type { Anchor, Settled, TreeMembership } from '../common/acking/tuple-trees.js';
import { SpoutTreeLedger } from '../common/host/spout-tree-ledger.js';

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

/** Tracks every tuple tree of a run, with the host core's ledger (the engine's too). */
export class TupleTracker {
  private readonly ledger: SpoutTreeLedger<PendingRoot>;

  constructor(
    /** The run's seed: ids and edges as the engine draws them for the same seed. */
    seed: number,
    /** False when the topology has no ackers: reliable emits are acked at once. */
    readonly acking: boolean,
    timeoutMs: number,
    startMs: number,
  ) {
    this.ledger = new SpoutTreeLedger({ acking, timeoutMs, seed, startMs });
  }

  /** A fresh 64-bit id (tuple ids and edge ids share the space, as in Storm). */
  newId(): bigint {
    return this.ledger.newId();
  }

  /** Wire form of an id. */
  format(id: bigint): string {
    return formatEdgeId(id);
  }

  /** Reliable trees of a spout task still waiting (for topology.max.spout.pending). */
  pendingOf(spoutTask: number): number {
    return this.ledger.pendingOf(spoutTask);
  }

  /** Trees still being tracked. */
  get pendingTrees(): number {
    return this.ledger.size;
  }

  /** Time of the next timeout check, while trees are pending and timeouts are on. */
  get nextTimeoutCheckMs(): number | undefined {
    return this.ledger.nextExpiryCheckMs;
  }

  /**
   * A spout emitted a reliable tuple to `targetCount` tasks. Returns the tree membership of
   * each copy, and a notice to ack at once when nothing will track it (no targets, or no
   * ackers) — Storm does the same.
   */
  startTree(spoutTask: number, messageId: string | number, targetCount: number, nowMs: number): { members: TreeMembership[]; notice?: SpoutNotice } {
    const { roots, edges, settled } = this.ledger.start({ spoutTask, messageId }, targetCount, nowMs);
    const members = roots && edges ? edges.map((edge) => ({ roots, edges: [edge] })) : Array.from({ length: targetCount }, () => ({}));
    return settled ? { members, notice: notice(settled) } : { members };
  }

  /** Membership of one copy of a tuple emitted with the given anchors (a fresh edge each). */
  anchor(anchors: readonly Anchor[]): TreeMembership {
    return this.ledger.anchor(anchors) ?? {};
  }

  /** A bolt acked a tuple; returns what spouts must be told. */
  ack(tuple: Anchor, nowMs: number): SpoutNotice[] {
    return this.ledger.ack(tuple, nowMs).map(notice);
  }

  /** A bolt failed a tuple: every tree it belongs to fails. */
  fail(tuple: Anchor, nowMs: number): SpoutNotice[] {
    return this.ledger.fail(tuple, nowMs).map(notice);
  }

  /** Trees that timed out by `nowMs` (topology.message.timeout.secs): their spouts get fail. */
  expire(nowMs: number): SpoutNotice[] {
    return this.ledger.expire(nowMs).map(notice);
  }
}

function notice(tree: Settled<PendingRoot>): SpoutNotice {
  return { spoutTask: tree.spoutTask, messageId: tree.messageId, outcome: tree.outcome === 'acked' ? 'ack' : 'fail' };
}
