/**
 * Tuple-tree edge ids: random 64-bit numbers, XORed together by the acker. On the multilang
 * wire (and in Storm's ShellBolt) a tuple id is the decimal text of a signed Java long, so
 * ids are kept as strings at the edges and as bigint while XORing.
 */
import { createRandom, type RandomSource } from '../routing/random.js';

/** An edge id or an XOR of edge ids: a signed 64-bit value, as bigint or decimal text. */
export type EdgeValue = bigint | string;

const SIGNED_LONG = /^-?\d{1,19}$/;

/** Parses a decimal long as sent on the wire; throws on anything else. */
export function parseEdgeId(text: string): bigint {
  if (!SIGNED_LONG.test(text)) throw new RangeError(`'${text}' is not a 64-bit tuple id`);
  const value = BigInt(text);
  if (BigInt.asIntN(64, value) !== value) throw new RangeError(`'${text}' is outside the 64-bit range`);
  return value;
}

/** Formats a 64-bit value the way Java's Long.toString does (signed decimal). */
export function formatEdgeId(value: bigint): string {
  return BigInt.asIntN(64, value).toString();
}

function toBigInt(value: EdgeValue): bigint {
  return typeof value === 'bigint' ? BigInt.asIntN(64, value) : parseEdgeId(value);
}

/** XOR of any number of edge ids, as a signed 64-bit bigint (0n for none). */
export function xorEdges(...values: EdgeValue[]): bigint {
  let result = 0n;
  for (const value of values) result ^= toBigInt(value);
  return BigInt.asIntN(64, result);
}

/** Draws a random non-zero 64-bit id from two 32-bit halves. */
export function randomEdgeId(random: RandomSource): bigint {
  for (;;) {
    const value = BigInt.asIntN(64, (BigInt(random.nextUint32()) << 32n) | BigInt(random.nextUint32()));
    // Zero would vanish in the XOR and could complete a tree early.
    if (value !== 0n) return value;
  }
}

/** A generator of edge ids as wire strings; reproducible when given a seed. */
export function createEdgeIdSource(seed?: number): () => string {
  const random = createRandom(seed);
  return () => formatEdgeId(randomEdgeId(random));
}
