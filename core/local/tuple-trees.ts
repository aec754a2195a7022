/**
 * The engine's tuple trees: the host core's ledger (core/common/host, shared with the test
 * harness) with what the engine's spout tasks record about each tree, building the routed
 * tuples of the engine's hot path.
 */
import type { Settled } from '../common/acking/tuple-trees.js';
import { SpoutTreeLedger } from '../common/host/spout-tree-ledger.js';
import type { InFlight, RoutedTuple } from './bolt-task.js';

/** An open tree as its spout task sees it. */
export interface OpenTree {
  spoutTask: number;
  messageId: unknown;
  /** Engine clock (ms) at the spout's emit. */
  startedAt: number;
}

/** What happened to a tree. */
export type SettledTree = Settled<OpenTree>;

/** An emitted tuple before it joins any tree. */
type BaseTuple = Omit<RoutedTuple, 'roots' | 'edges'>;

/** Tracks every open tree of a run; `seed` makes the edge and root ids reproducible. */
export class TupleTrees extends SpoutTreeLedger<OpenTree> {
  constructor(options: { acking: boolean; timeoutMs: number; seed?: number }) {
    super(options);
  }

  /**
   * A reliable spout emit: one root, one edge per target. Returns the tuple each target
   * receives, and the tree if it settled at once (no targets, or no ackers).
   */
  spoutEmit(tree: OpenTree, targets: readonly number[], base: BaseTuple, now: number): { tuples: RoutedTuple[]; settled?: SettledTree } {
    const { roots, edges, settled } = this.start(tree, targets.length, now);
    if (!roots || !edges) return { tuples: targets.map(() => base), settled };
    // Object literals of one shape (not spreads): the engine reads these on every hop.
    const tuples = edges.map((edge): RoutedTuple => ({ component: base.component, stream: base.stream, sourceTask: base.sourceTask, values: base.values, roots, edges: [edge] }));
    return { tuples, settled };
  }

  /** A bolt emit anchored to `anchors`: the tuple one target receives (`base` if untracked). */
  anchoredTuple(anchors: readonly InFlight[], base: BaseTuple): RoutedTuple {
    const membership = this.anchor(anchors);
    if (!membership) return base;
    return { component: base.component, stream: base.stream, sourceTask: base.sourceTask, values: base.values, roots: membership.roots, edges: membership.edges };
  }
}
