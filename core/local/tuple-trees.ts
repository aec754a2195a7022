/**
 * The engine's tuple trees: the shared executor-side bookkeeping (core/common/acking's
 * TupleTrees, which the test harness uses too) with what the engine's spout tasks record
 * about each tree, building the routed tuples of the engine's hot path.
 */
import { TupleTrees as SharedTupleTrees, type Settled } from '../common/acking/tuple-trees.js';
import { createRandom } from '../common/routing/random.js';
import type { InFlight, RoutedTuple } from './bolt-task.js';

/** An open tree as its spout task sees it. */
export interface OpenTree {
  spoutTask: number;
  /** Generation of the spout process that emitted it: a restarted spout does not get old acks. */
  generation: number;
  messageId: unknown;
  /** Engine clock (ms) at the spout's emit. */
  startedAt: number;
}

/** What happened to a tree. */
export type SettledTree = Settled<OpenTree>;

/** An emitted tuple before it joins any tree. */
type BaseTuple = Omit<RoutedTuple, 'roots' | 'edges'>;

/** Tracks every open tree of a run; `seed` makes the edge and root ids reproducible. */
export class TupleTrees extends SharedTupleTrees<OpenTree> {
  constructor(timeoutMs: number, seed?: number) {
    super({ timeoutMs, random: createRandom(seed) });
  }

  /**
   * A spout emit with a message id: one root, one edge per target. Returns the tuple each
   * target receives, and the tree if it completed at once (no targets).
   */
  spoutEmit(tree: OpenTree, targets: readonly number[], base: BaseTuple, now: number): { tuples: RoutedTuple[]; settled?: SettledTree } {
    const { roots, edges, settled } = this.startTree(tree, targets.length, now);
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
