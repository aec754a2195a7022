/**
 * The spout side of Storm's reliability, for every host (the local engine in both modes and the
 * test harness): which tuple trees each spout task has open (topology.max.spout.pending counts
 * them), what becomes of a reliable emit when the topology has no ackers (acked at once, as
 * Storm does), and which spout process a settled tree belongs to: when a spout task's process
 * dies its open trees are abandoned, so acks meant for it never reach its successor. Edge and
 * root ids come from the run's seed. The XOR arithmetic is core/common/acking's.
 */
import { TupleTrees, type Anchor, type Settled, type SpoutTree, type TreeMembership } from '../acking/tuple-trees.js';
import { createRandom, deriveSeed } from '../routing/random.js';

/** How a run tracks its trees. */
export interface SpoutTreeLedgerOptions {
  /** False when the topology has no acker tasks: reliable emits are acked at once. */
  acking: boolean;
  /** topology.message.timeout.secs in ms; 0 = never time out. */
  timeoutMs: number;
  /** The run's seed (edge and root ids); without one, random. */
  seed?: number;
  /** Clock time timeouts count from. */
  startMs?: number;
}

/** A tree as the ledger keeps it: what the spout recorded, stamped with its process generation. */
type Stamped<Tree extends SpoutTree> = Tree & { generation: number };

/** What a reliable spout emit became. */
export interface StartedTree<Tree extends SpoutTree> {
  /** Tree membership of each target's copy (parallel to the targets); absent when untracked. */
  roots?: string[];
  edges?: bigint[];
  /** Set when the tree is settled at once: no targets, or no ackers. */
  settled?: Settled<Tree>;
}

/** Open trees of every spout task of a run. */
export class SpoutTreeLedger<Tree extends SpoutTree> {
  private readonly trees: TupleTrees<Stamped<Tree>>;
  private readonly pending = new Map<number, number>();
  private readonly generations = new Map<number, number>();

  constructor(private readonly options: SpoutTreeLedgerOptions) {
    this.trees = new TupleTrees({ timeoutMs: options.timeoutMs, random: createRandom(options.seed === undefined ? undefined : deriveSeed(options.seed, 'ids')), startMs: options.startMs });
  }

  /** Trees still open (abandoned ones included until they settle or time out). */
  get size(): number {
    return this.trees.size;
  }

  /** When a timeout may next be due, while trees are open and timeouts are on. */
  get nextExpiryCheckMs(): number | undefined {
    return this.trees.nextExpiryCheckMs;
  }

  /** Open trees of one spout task's current process (topology.max.spout.pending compares this). */
  pendingOf(spoutTask: number): number {
    return this.pending.get(spoutTask) ?? 0;
  }

  /** A fresh 64-bit id (tuple ids and edge ids share one space, as in Storm). */
  newId(): bigint {
    return this.trees.newEdgeId();
  }

  /** A reliable spout emit to `targetCount` tasks: starts its tree (or settles it at once). */
  start(tree: Tree, targetCount: number, now: number): StartedTree<Tree> {
    if (!this.options.acking) return { settled: { ...tree, rootId: '', outcome: 'acked' } };
    const stamped = { ...tree, generation: this.generations.get(tree.spoutTask) ?? 0 };
    const { roots, edges, settled } = this.trees.startTree(stamped, targetCount, now);
    if (settled) return { roots, edges, settled };
    this.pending.set(tree.spoutTask, this.pendingOf(tree.spoutTask) + 1);
    return { roots, edges };
  }

  /** Membership of one copy of a tuple emitted anchored to `anchors` (undefined = untracked). */
  anchor(anchors: readonly Anchor[]): Required<TreeMembership> | undefined {
    return this.trees.anchor(anchors);
  }

  /** A bolt acked `input`: the trees that completed (or failed) with it. */
  ack(input: Anchor, now: number): Array<Settled<Tree>> {
    return this.current(this.trees.boltAck(input, now));
  }

  /** A bolt failed `input` (or its task died holding it): every tree it belongs to fails. */
  fail(input: Anchor, now: number): Array<Settled<Tree>> {
    return this.current(this.trees.boltFail(input, now));
  }

  /** Trees past the message timeout. */
  expire(now: number): Array<Settled<Tree>> {
    return this.current(this.trees.expire(now));
  }

  /** A spout task's process died: its open trees will settle unseen, and it starts with none pending. */
  abandon(spoutTask: number): void {
    this.generations.set(spoutTask, (this.generations.get(spoutTask) ?? 0) + 1);
    this.pending.set(spoutTask, 0);
  }

  /** Keeps the trees of current spout processes (and counts them off); drops abandoned ones. */
  private current(settled: Array<Settled<Stamped<Tree>>>): Array<Settled<Tree>> {
    const result: Array<Settled<Tree>> = [];
    for (const tree of settled) {
      if (tree.generation !== (this.generations.get(tree.spoutTask) ?? 0)) continue;
      this.pending.set(tree.spoutTask, Math.max(0, this.pendingOf(tree.spoutTask) - 1));
      result.push(tree);
    }
    return result;
  }
}
