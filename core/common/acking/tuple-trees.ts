/**
 * The executor side of Storm's reliability (SpoutOutputCollectorImpl, BoltOutputCollectorImpl),
 * shared by the local engine and the test harness: edge ids for every tuple sent, anchoring (a
 * new tuple joins every tree of its anchors), the XOR each ack carries to the acker, and the
 * spout's record of open trees. The XOR arithmetic and the timeouts are the AckerLedger's.
 */
import { AckerLedger } from './acker.js';
import { formatEdgeId } from './edge-ids.js';
import type { RandomSource } from '../routing/random.js';

/** Where a sent tuple sits in the tuple trees it belongs to; absent roots = untracked. */
export interface TreeMembership {
  /** Root ids of the trees this tuple belongs to (parallel to `edges`). */
  roots?: string[];
  /** This tuple's edge id in each tree. */
  edges?: bigint[];
}

/** A received tuple not yet acked or failed: what an ack of it must carry. */
export interface Anchor {
  tuple: TreeMembership;
  /** XOR of the edge ids of tuples emitted anchored to this one (Storm's outAckVal). */
  outXor: bigint;
}

/** What the spout task knows about one of its open trees (at least which task it is). */
export interface SpoutTree {
  spoutTask: number;
}

/** What became of a tree. */
export type TreeOutcome = 'acked' | 'failed' | 'timeout';

/** A tree that completed, failed or timed out, with what its spout recorded at the emit. */
export type Settled<Tree extends SpoutTree> = Tree & {
  rootId: string;
  outcome: TreeOutcome;
};

/** How a run's trees are tracked. */
export interface TupleTreesOptions {
  /** topology.message.timeout.secs in ms; 0 or Infinity = never time out. */
  timeoutMs: number;
  /** Source of edge and root ids (seeded for reproducible runs). */
  random: RandomSource;
  /** Clock time timeouts count from (default: the first `expire` call). */
  startMs?: number;
}

/**
 * Random non-zero 64-bit edge ids, drawn in blocks: one BigInt64Array read per id instead of
 * building each bigint from two halves (that construction was the engine's top cost).
 */
class EdgeIds {
  private readonly ids = new BigInt64Array(4096);
  private readonly halves = new Uint32Array(this.ids.buffer);
  private next = this.ids.length;

  constructor(private readonly random: RandomSource) {}

  take(): bigint {
    for (;;) {
      if (this.next === this.ids.length) {
        for (let i = 0; i < this.halves.length; i++) this.halves[i] = this.random.nextUint32();
        this.next = 0;
      }
      const id = this.ids[this.next++]!;
      // Zero would vanish in the XOR and could complete a tree early.
      if (id !== 0n) return id;
    }
  }
}

/** Tracks every open tree of a run. */
export class TupleTrees<Tree extends SpoutTree> {
  private readonly ledger: AckerLedger;
  private readonly open = new Map<string, Tree>();
  private readonly edges: EdgeIds;
  private readonly timeoutsOn: boolean;

  constructor(options: TupleTreesOptions) {
    this.ledger = new AckerLedger({ timeoutMs: options.timeoutMs, startMs: options.startMs });
    this.edges = new EdgeIds(options.random);
    this.timeoutsOn = options.timeoutMs > 0 && Number.isFinite(options.timeoutMs);
  }

  /** Number of trees waiting to complete. */
  get size(): number {
    return this.open.size;
  }

  /** When `expire` may next report a timeout, while trees are open and timeouts are on. */
  get nextExpiryCheckMs(): number | undefined {
    return this.timeoutsOn && this.open.size > 0 ? this.ledger.nextExpiryCheckMs : undefined;
  }

  /** A fresh random edge id (also usable as a tuple id: Storm draws both from one space). */
  newEdgeId(): bigint {
    return this.edges.take();
  }

  /**
   * A spout emit with a message id to `targetCount` tasks: one root, one edge per target
   * (`edges[i]` for target i; every copy may share the one-element `roots` array, which is
   * never mutated). `settled` is the tree if it completed at once (no targets).
   */
  startTree(tree: Tree, targetCount: number, now: number): { roots: string[]; edges: bigint[]; settled?: Settled<Tree> } {
    const rootId = formatEdgeId(this.edges.take());
    this.open.set(rootId, tree);
    let xor = 0n;
    const edges: bigint[] = [];
    for (let i = 0; i < targetCount; i++) {
      const edge = this.edges.take();
      xor ^= edge;
      edges.push(edge);
    }
    const verdict = this.ledger.init(rootId, tree.spoutTask, xor, now);
    return { roots: [rootId], edges, settled: verdict === 'pending' ? undefined : this.settle(rootId, verdict === 'complete' ? 'acked' : 'failed') };
  }

  /**
   * One copy of a bolt emit anchored to `anchors`: it joins all their trees on a fresh edge.
   * Returns its membership, or undefined when no anchor is tracked (the copy is untracked).
   * Callers build the tuple themselves: the engine's hot path wants one object shape.
   */
  anchor(anchors: readonly Anchor[]): Required<TreeMembership> | undefined {
    // The common case: one anchor in one tree (its roots array is shared, never mutated).
    if (anchors.length === 1) {
      const anchor = anchors[0]!;
      const roots = anchor.tuple.roots;
      if (!roots || roots.length === 0) return undefined;
      const edge = this.edges.take();
      anchor.outXor ^= edge;
      return { roots, edges: roots.length === 1 ? [edge] : roots.map(() => edge) };
    }
    let roots: string[] | undefined;
    let edges: bigint[] | undefined;
    let edge: bigint | undefined;
    for (const anchor of anchors) {
      const anchorRoots = anchor.tuple.roots;
      if (!anchorRoots || anchorRoots.length === 0) continue;
      edge ??= this.edges.take();
      anchor.outXor ^= edge;
      roots ??= [];
      edges ??= [];
      for (const root of anchorRoots) {
        const at = roots.indexOf(root);
        // Storm's putXor: the same root reached through two anchors gets the edge twice.
        if (at === -1) {
          roots.push(root);
          edges.push(edge);
        } else edges[at] = edges[at]! ^ edge;
      }
    }
    return roots && edges ? { roots, edges } : undefined;
  }

  /** A bolt acked `input`: each of its trees gets `edge ^ outXor`. Returns trees that settled. */
  boltAck(input: Anchor, now: number): Array<Settled<Tree>> {
    const roots = input.tuple.roots;
    if (!roots) return [];
    const edges = input.tuple.edges!;
    const settled: Array<Settled<Tree>> = [];
    for (let i = 0; i < roots.length; i++) {
      const verdict = this.ledger.ack(roots[i]!, edges[i]! ^ input.outXor, now);
      if (verdict !== 'pending') {
        const tree = this.settle(roots[i]!, verdict === 'complete' ? 'acked' : 'failed');
        if (tree) settled.push(tree);
      }
    }
    return settled;
  }

  /** A bolt failed `input` (or its task died holding it): each of its trees fails. */
  boltFail(input: Anchor, now: number): Array<Settled<Tree>> {
    const roots = input.tuple.roots;
    if (!roots) return [];
    const settled: Array<Settled<Tree>> = [];
    for (const root of roots) {
      const verdict = this.ledger.fail(root, now);
      if (verdict !== 'pending') {
        const tree = this.settle(root, verdict === 'complete' ? 'acked' : 'failed');
        if (tree) settled.push(tree);
      }
    }
    return settled;
  }

  /** Trees past topology.message.timeout.secs. */
  expire(now: number): Array<Settled<Tree>> {
    const settled: Array<Settled<Tree>> = [];
    for (const { rootId } of this.ledger.expire(now)) {
      const tree = this.settle(rootId, 'timeout');
      if (tree) settled.push(tree);
    }
    return settled;
  }

  // A late ack of a tree that already timed out finds nothing: the spout was told once, as in Storm.
  private settle(rootId: string, outcome: TreeOutcome): Settled<Tree> | undefined {
    const tree = this.open.get(rootId);
    if (!tree) return undefined;
    this.open.delete(rootId);
    return { ...tree, rootId, outcome };
  }
}
