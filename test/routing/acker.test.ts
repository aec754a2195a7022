import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AckerLedger, type AckerVerdict } from '../../core/common/acking/acker.js';
import { createRandom, shuffled } from '../../core/common/routing/random.js';
import { createEdgeIdSource, formatEdgeId, parseEdgeId, xorEdges } from '../../core/common/acking/edge-ids.js';
import { TupleTrees, type Anchor } from '../../core/common/acking/tuple-trees.js';

/** A tuple tree: each node is a tuple; children are the tuples emitted anchored to it. */
interface Node {
  id: string;
  children: Node[];
}

/** The shape of a tuple tree: each element is a tuple, holding the shapes of its children. */
type Shape = Shape[];

const { shape } = fc.letrec<{ shape: Shape }>((tie) => ({
  shape: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant([] as Shape), fc.array(tie('shape'), { maxLength: 3 })),
}));

/** Random trees: the spout's tuples (1–3 roots' children) and a seed for their edge ids. */
const treeArbitrary = fc.record({ roots: fc.array(shape, { minLength: 1, maxLength: 3 }), seed: fc.integer() });

/** Gives every tuple of the shape a random edge id. */
function buildTree(roots: Shape[], nextId: () => string): Node[] {
  const grow = (children: Shape): Node => ({ id: nextId(), children: children.map(grow) });
  return roots.map(grow);
}

/** The messages the acker receives for one tree: the spout's init and one ack per tuple. */
function messages(roots: Node[]): { initXor: string; acks: string[] } {
  const acks: string[] = [];
  const visit = (node: Node): void => {
    acks.push(formatEdgeId(xorEdges(node.id, ...node.children.map((c) => c.id))));
    node.children.forEach(visit);
  };
  roots.forEach(visit);
  return { initXor: formatEdgeId(xorEdges(...roots.map((r) => r.id))), acks };
}

describe('AckerLedger', () => {
  it('completes exactly when every edge is acked, whatever the order (init included)', () => {
    fc.assert(
      fc.property(treeArbitrary, fc.integer(), (tree, orderSeed) => {
        const roots = buildTree(tree.roots, createEdgeIdSource(tree.seed));
        const { initXor, acks } = messages(roots);
        const ledger = new AckerLedger({ timeoutMs: 30_000, startMs: 0 });
        const steps: Array<() => AckerVerdict> = [() => ledger.init('root', 7, initXor), ...acks.map((a) => () => ledger.ack('root', a))];
        const order = shuffled(steps, createRandom(orderSeed));
        const verdicts = order.map((step) => step());
        expect(verdicts.at(-1)).toBe('complete');
        expect(verdicts.slice(0, -1).every((v) => v === 'pending')).toBe(true);
        expect(ledger.size).toBe(0);
      }),
    );
  });

  it('never completes while an edge is missing', () => {
    fc.assert(
      fc.property(treeArbitrary, fc.nat(), (tree, drop) => {
        const roots = buildTree(tree.roots, createEdgeIdSource(tree.seed));
        const { initXor, acks } = messages(roots);
        const ledger = new AckerLedger({ timeoutMs: 30_000, startMs: 0 });
        expect(ledger.init('root', 1, initXor)).toBe('pending');
        const kept = acks.filter((_, i) => i !== drop % acks.length);
        for (const ack of kept) expect(ledger.ack('root', ack)).toBe('pending');
        expect(ledger.has('root')).toBe(true);
      }),
    );
  });

  it('fails the whole tree on any fail, and reports it once the spout task is known', () => {
    fc.assert(
      fc.property(treeArbitrary, fc.nat(), fc.boolean(), (tree, at, failBeforeInit) => {
        const roots = buildTree(tree.roots, createEdgeIdSource(tree.seed));
        const { initXor, acks } = messages(roots);
        const ledger = new AckerLedger({ timeoutMs: 30_000, startMs: 0 });
        if (failBeforeInit) {
          expect(ledger.fail('root')).toBe('pending');
          expect(ledger.init('root', 3, initXor)).toBe('failed');
        } else {
          ledger.init('root', 3, initXor);
          for (const ack of acks.slice(0, at % acks.length)) ledger.ack('root', ack);
          expect(ledger.fail('root')).toBe('failed');
        }
        expect(ledger.has('root')).toBe(false);
      }),
    );
  });

  it('times a tree out between T and 2T after it started, as Storm’s two rotating buckets do', () => {
    const ledger = new AckerLedger({ timeoutMs: 1000, startMs: 0 });
    ledger.init('early', 1, '5', 100); // rotation at 1000 ages it, at 2000 drops it
    ledger.init('late', 1, '6', 999);
    expect(ledger.expire(999)).toEqual([]);
    expect(ledger.expire(1000)).toEqual([]);
    ledger.init('after', 2, '7', 1500);
    const expired = ledger.expire(2000);
    expect(expired.map((e) => e.rootId).sort()).toEqual(['early', 'late']);
    expect(ledger.expire(3000)).toEqual([{ rootId: 'after', spoutTask: 2 }]);
  });

  it('resetTimeout moves a tree to the newest bucket; orphan acks expire silently', () => {
    const ledger = new AckerLedger({ timeoutMs: 1000, startMs: 0 });
    ledger.init('kept', 1, '5');
    ledger.ack('orphan', '9');
    ledger.expire(1000);
    ledger.resetTimeout('kept');
    expect(ledger.expire(2000)).toEqual([]);
    expect(ledger.has('orphan')).toBe(false);
    expect(ledger.expire(3000)).toEqual([{ rootId: 'kept', spoutTask: 1 }]);
  });

  it('starts its clock at the first expire call when no start is given, and a long gap expires everything', () => {
    const ledger = new AckerLedger({ timeoutMs: 1000 });
    ledger.init('a', 1, '5');
    expect(ledger.expire(1_700_000_000_000)).toEqual([]);
    expect(ledger.nextExpiryCheckMs).toBe(1_700_000_001_000);
    expect(ledger.expire(1_700_000_100_000)).toEqual([{ rootId: 'a', spoutTask: 1 }]);
  });

  it('never expires with a zero timeout', () => {
    const ledger = new AckerLedger({ timeoutMs: 0, startMs: 0 });
    ledger.init('a', 1, '5');
    expect(ledger.expire(1e12)).toEqual([]);
    expect(ledger.has('a')).toBe(true);
  });
});

describe('edge ids', () => {
  it('are non-zero signed 64-bit decimals that round-trip, reproducible for a seed', () => {
    const a = createEdgeIdSource(42);
    const b = createEdgeIdSource(42);
    for (let i = 0; i < 200; i++) {
      const id = a();
      expect(id).toBe(b());
      expect(id).not.toBe('0');
      expect(formatEdgeId(parseEdgeId(id))).toBe(id);
    }
  });

  it('XOR is self-inverse and wraps to the signed range', () => {
    expect(xorEdges('5', '5')).toBe(0n);
    expect(formatEdgeId(xorEdges('-1', '9223372036854775807'))).toBe('-9223372036854775808');
    expect(() => parseEdgeId('12abc')).toThrow(RangeError);
    expect(() => parseEdgeId('9223372036854775808')).toThrow(RangeError);
  });
});

describe('TupleTrees (the bookkeeping the engine and the harness share)', () => {
  const received = (tuple: Anchor['tuple']): Anchor => ({ tuple, outXor: 0n });

  it('completes a tree through a two-anchor emit joining two trees, once every tuple is acked', () => {
    const trees = new TupleTrees<{ spoutTask: number; messageId: string }>({ timeoutMs: 30_000, random: createRandom(3) });
    const first = trees.startTree({ spoutTask: 1, messageId: 'a' }, 1, 0);
    const second = trees.startTree({ spoutTask: 1, messageId: 'b' }, 1, 0);
    const a = received({ roots: first.roots, edges: first.edges });
    const b = received({ roots: second.roots, edges: second.edges });
    const joined = trees.anchor([a, b])!;
    expect(joined.roots).toEqual([...first.roots, ...second.roots]);
    expect(trees.boltAck(a, 1)).toEqual([]);
    expect(trees.boltAck(b, 1)).toEqual([]);
    expect(trees.size).toBe(2);
    const settled = trees.boltAck(received(joined), 2);
    expect(settled.map((t) => [t.messageId, t.outcome])).toEqual([['a', 'acked'], ['b', 'acked']]);
    expect(trees.size).toBe(0);
  });

  it('leaves a copy untracked when no anchor is tracked, and never expires with timeouts off', () => {
    const trees = new TupleTrees<{ spoutTask: number }>({ timeoutMs: 0, random: createRandom(4), startMs: 0 });
    expect(trees.anchor([received({})])).toBeUndefined();
    trees.startTree({ spoutTask: 1 }, 2, 0);
    expect(trees.nextExpiryCheckMs).toBeUndefined();
    expect(trees.expire(10 ** 9)).toEqual([]);
    expect(trees.size).toBe(1);
  });

  it('draws the same ids for the same seed (reproducible runs)', () => {
    const ids = (seed: number) => {
      const trees = new TupleTrees<{ spoutTask: number }>({ timeoutMs: 1000, random: createRandom(seed) });
      const { roots, edges } = trees.startTree({ spoutTask: 1 }, 3, 0);
      return [...roots, ...edges.map(String)];
    };
    expect(ids(9)).toEqual(ids(9));
    expect(ids(9)).not.toEqual(ids(10));
  });
});
