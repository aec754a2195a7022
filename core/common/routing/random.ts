/**
 * A small seeded pseudo-random generator, so that shuffle groupings, edge ids and the test
 * harness give the same result for the same seed. Not cryptographic: Storm's own choices
 * here (java.util.Random in the groupers) are not either.
 */

/** A source of uniform numbers in [0, 1), reproducible from its seed. */
export interface RandomSource {
  /** Next number in [0, 1). */
  next(): number;
  /** Next unsigned 32-bit integer. */
  nextUint32(): number;
  /** Next integer in [0, bound). */
  nextInt(bound: number): number;
}

/** Creates a generator (mulberry32) from a 32-bit seed; without one, seeds from Math.random. */
export function createRandom(seed?: number): RandomSource {
  let state = (seed ?? Math.floor(Math.random() * 0x1_0000_0000)) >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    nextUint32,
    next: () => nextUint32() / 0x1_0000_0000,
    nextInt: (bound) => Math.floor((nextUint32() / 0x1_0000_0000) * bound),
  };
}

/**
 * Derives a seed for one consumer (a router, a spout's edge ids) from the run's seed and a
 * label, so that adding a component does not change the random choices of the others.
 */
export function deriveSeed(seed: number, label: string): number {
  // FNV-1a over the label, mixed with the seed.
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Shuffles a copy of `items` (Fisher–Yates) with the given generator. */
export function shuffled<T>(items: readonly T[], random: RandomSource): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
