/**
 * The XOR acker (Storm's Acker bolt): one 64-bit value per tuple tree, keyed by the root id.
 * The spout's init XORs in the ids of the tuples it emitted; each bolt ack XORs in the id of
 * the acked tuple and the ids of the tuples it emitted anchored to it. Every id therefore
 * enters twice, and the value returns to zero exactly when every edge has been acked.
 *
 * Messages may arrive in any order (an ack may reach the acker before the init), as in Storm:
 * a tree is only reported once its spout task is known.
 *
 * Timeouts follow Storm's RotatingMap: entries live in buckets that rotate every
 * `topology.message.timeout.secs`; a rotation drops the oldest bucket. With the spout
 * executor's two buckets a tree times out between T and 2T after it started (Storm's acker
 * itself uses three buckets and drops silently; what a spout observes is its own two-bucket
 * timeout, which is what this ledger reproduces and reports).
 */
import { xorEdges, type EdgeValue } from './edge-ids.js';

/** What became of a tuple tree after a message. */
export type AckerVerdict = 'complete' | 'failed' | 'pending';

/** A tree that timed out. */
export interface ExpiredTree {
  rootId: string;
  spoutTask: number;
}

/** Options of a ledger. */
export interface AckerLedgerOptions {
  /** topology.message.timeout.secs in ms; 0 or Infinity = never time out. */
  timeoutMs: number;
  /**
   * Clock time the ledger starts at; rotations happen at start + k * timeoutMs. Without it the
   * first `expire(nowMs)` call sets the start (so a wall clock and a fake clock both work).
   */
  startMs?: number;
  /** Number of buckets (Storm's spout executor uses 2). */
  buckets?: number;
}

interface TreeState {
  value: bigint;
  spoutTask: number;
  failed: boolean;
  startedMs: number;
}

/** Tracks tuple trees by root id until they complete, fail or time out. */
export class AckerLedger {
  private readonly buckets: Array<Map<string, TreeState>>;
  private readonly timeoutMs: number;
  private nextRotationMs: number | undefined;
  private lastSeenMs: number;

  constructor(options: AckerLedgerOptions) {
    const count = options.buckets ?? 2;
    if (count < 2) throw new RangeError('an acker ledger needs at least two buckets');
    this.buckets = Array.from({ length: count }, () => new Map<string, TreeState>());
    this.timeoutMs = options.timeoutMs;
    this.lastSeenMs = options.startMs ?? 0;
    this.nextRotationMs = options.startMs === undefined ? undefined : options.startMs + this.timeoutMs;
  }

  /** Spout emitted a tree: `xor` is the XOR of the ids of the tuples it sent. */
  init(rootId: string, spoutTask: number, xor: EdgeValue, nowMs?: number): AckerVerdict {
    const tree = this.lookup(rootId) ?? this.store(rootId, this.fresh(nowMs));
    tree.value = xorEdges(tree.value, xor);
    tree.spoutTask = spoutTask;
    return this.settle(rootId, tree);
  }

  /** A bolt acked a tuple of the tree: `xor` = acked id ^ ids emitted anchored to it. */
  ack(rootId: string, xor: EdgeValue, nowMs?: number): AckerVerdict {
    const tree = this.lookup(rootId) ?? this.store(rootId, this.fresh(nowMs));
    tree.value = xorEdges(tree.value, xor);
    return this.settle(rootId, tree);
  }

  /** A bolt failed a tuple of the tree: the whole tree fails. */
  fail(rootId: string, nowMs?: number): AckerVerdict {
    const tree = this.lookup(rootId) ?? this.fresh(nowMs);
    tree.failed = true;
    this.store(rootId, tree);
    return this.settle(rootId, tree);
  }

  /** Restarts the timeout of a tree (Storm's collector.resetTimeout). */
  resetTimeout(rootId: string): void {
    const tree = this.lookup(rootId);
    if (tree) this.store(rootId, tree);
  }

  /**
   * Rotates the buckets for every period that has ended by `nowMs` and returns the trees
   * that timed out. Trees whose init never arrived are dropped without a report.
   */
  expire(nowMs: number): ExpiredTree[] {
    this.lastSeenMs = Math.max(this.lastSeenMs, nowMs);
    if (!(this.timeoutMs > 0) || !Number.isFinite(this.timeoutMs)) return [];
    if (this.nextRotationMs === undefined) {
      this.nextRotationMs = nowMs + this.timeoutMs;
      return [];
    }
    if (nowMs < this.nextRotationMs) return [];
    const rotations = Math.floor((nowMs - this.nextRotationMs) / this.timeoutMs) + 1;
    this.nextRotationMs += rotations * this.timeoutMs;
    const expired: ExpiredTree[] = [];
    for (let i = 0; i < Math.min(rotations, this.buckets.length); i++) {
      const dead = this.buckets.pop()!;
      this.buckets.unshift(new Map());
      for (const [rootId, tree] of dead) if (tree.spoutTask >= 0) expired.push({ rootId, spoutTask: tree.spoutTask });
    }
    return expired;
  }

  /** Time of the next bucket rotation (when `expire` may report something), once started. */
  get nextExpiryCheckMs(): number | undefined {
    return this.nextRotationMs;
  }

  /** Number of trees being tracked. */
  get size(): number {
    let size = 0;
    for (const bucket of this.buckets) size += bucket.size;
    return size;
  }

  /** True while the tree is tracked. */
  has(rootId: string): boolean {
    return this.lookup(rootId) !== undefined;
  }

  /** Spout task of a tracked tree, or undefined. */
  spoutTaskOf(rootId: string): number | undefined {
    const task = this.lookup(rootId)?.spoutTask;
    return task === undefined || task < 0 ? undefined : task;
  }

  /** Milliseconds since a tracked tree was first seen (Storm's complete latency), or undefined. */
  ageOf(rootId: string, nowMs: number): number | undefined {
    const tree = this.lookup(rootId);
    return tree ? nowMs - tree.startedMs : undefined;
  }

  // Storm's order: a zero value wins over a failure, and nothing is decided before the init.
  private settle(rootId: string, tree: TreeState): AckerVerdict {
    if (tree.spoutTask < 0) return 'pending';
    if (tree.value === 0n) {
      this.remove(rootId);
      return 'complete';
    }
    if (tree.failed) {
      this.remove(rootId);
      return 'failed';
    }
    return 'pending';
  }

  private fresh(nowMs?: number): TreeState {
    return { value: 0n, spoutTask: -1, failed: false, startedMs: nowMs ?? this.lastSeenMs };
  }

  private lookup(rootId: string): TreeState | undefined {
    for (const bucket of this.buckets) {
      const tree = bucket.get(rootId);
      if (tree) return tree;
    }
    return undefined;
  }

  // RotatingMap.put: into the newest bucket, out of every other one.
  private store(rootId: string, tree: TreeState): TreeState {
    this.buckets[0]!.set(rootId, tree);
    for (let i = 1; i < this.buckets.length; i++) this.buckets[i]!.delete(rootId);
    return tree;
  }

  private remove(rootId: string): void {
    for (const bucket of this.buckets) bucket.delete(rootId);
  }
}
