/**
 * The executor side of Storm's reliability (SpoutOutputCollectorImpl, BoltOutputCollectorImpl):
 * edge ids for every tuple sent, anchoring (a new tuple joins every tree of its anchors), the
 * XOR each ack carries to the acker, and the spout's record of open trees (message id, start
 * time). The XOR arithmetic and timeouts live in the acker ledger (core/common/acking).
 */
import { AckerLedger, createEdgeIdSource } from '../common/acking/index.js';
import { createRandom, type RandomSource } from '../common/routing/random.js';
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
export interface SettledTree extends OpenTree {
  rootId: string;
  outcome: 'acked' | 'failed' | 'timeout';
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
export class TupleTrees {
  private readonly ledger: AckerLedger;
  private readonly open = new Map<string, OpenTree>();
  private readonly edges: EdgeIds;
  private readonly rootIds: () => string;

  constructor(timeoutMs: number, seed?: number) {
    this.ledger = new AckerLedger({ timeoutMs });
    this.edges = new EdgeIds(createRandom(seed));
    this.rootIds = createEdgeIdSource(seed === undefined ? undefined : seed ^ 0x5eed);
  }

  /** Number of trees waiting to complete. */
  get size(): number {
    return this.open.size;
  }

  /**
   * A spout emit with a message id: one root, one edge per target. Returns the tuple each
   * target receives, and the tree if it completed at once (no targets).
   */
  spoutEmit(tree: OpenTree, targets: number[], base: Omit<RoutedTuple, 'roots' | 'edges'>, now: number): { tuples: RoutedTuple[]; settled?: SettledTree } {
    const rootId = this.rootIds();
    this.open.set(rootId, tree);
    let xor = 0n;
    const tuples: RoutedTuple[] = [];
    for (let i = 0; i < targets.length; i++) {
      const edge = this.edges.take();
      xor ^= edge;
      tuples.push({ component: base.component, stream: base.stream, sourceTask: base.sourceTask, values: base.values, roots: [rootId], edges: [edge] });
    }
    const verdict = this.ledger.init(rootId, tree.spoutTask, xor, now);
    return { tuples, settled: verdict === 'pending' ? undefined : this.settle(rootId, verdict === 'complete' ? 'acked' : 'failed') };
  }

  /** A bolt emit anchored to `anchors`: the new tuple for one target joins all their trees. */
  anchoredTuple(anchors: InFlight[], base: Omit<RoutedTuple, 'roots' | 'edges'>): RoutedTuple {
    // The common case: one anchor in one tree (roots arrays are never mutated, so they are shared).
    if (anchors.length === 1) {
      const anchor = anchors[0]!;
      const roots = anchor.tuple.roots;
      if (!roots || roots.length === 0) return base;
      const edge = this.edges.take();
      anchor.outXor ^= edge;
      return { component: base.component, stream: base.stream, sourceTask: base.sourceTask, values: base.values, roots, edges: roots.length === 1 ? [edge] : roots.map(() => edge) };
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
    return roots ? { ...base, roots, edges } : base;
  }

  /** A bolt acked `input`: each of its trees gets `edge ^ outXor`. Returns trees that settled. */
  boltAck(input: InFlight, now: number): SettledTree[] {
    const roots = input.tuple.roots;
    if (!roots) return [];
    const edges = input.tuple.edges!;
    const settled: SettledTree[] = [];
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
  boltFail(input: InFlight, now: number): SettledTree[] {
    const roots = input.tuple.roots;
    if (!roots) return [];
    const settled: SettledTree[] = [];
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
  expire(now: number): SettledTree[] {
    const settled: SettledTree[] = [];
    for (const { rootId } of this.ledger.expire(now)) {
      const tree = this.settle(rootId, 'timeout');
      if (tree) settled.push(tree);
    }
    return settled;
  }

  private settle(rootId: string, outcome: SettledTree['outcome']): SettledTree | undefined {
    const tree = this.open.get(rootId);
    if (!tree) return undefined;
    this.open.delete(rootId);
    return { ...tree, rootId, outcome };
  }
}
