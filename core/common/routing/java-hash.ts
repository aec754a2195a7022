/**
 * Java's hashCode for the values a Storm worker holds after json-simple decodes a multilang
 * emit: String, Long (integral numbers), Double (other numbers), Boolean, null, JSONArray
 * (a java.util.List) and JSONObject (a java.util.HashMap). Fields grouping hashes these, so
 * computing the same number here sends a key to the same task locally and on a cluster.
 */

/** `String.hashCode()`: s[0]*31^(n-1) + … + s[n-1] over UTF-16 code units, in 32-bit ints. */
export function javaStringHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** `Long.hashCode()`: (int)(value ^ (value >>> 32)). */
export function javaLongHash(value: bigint): number {
  const bits = BigInt.asUintN(64, value);
  return Number(BigInt.asIntN(32, bits ^ (bits >> 32n)));
}

const doubleView = new DataView(new ArrayBuffer(8));

/** `Double.hashCode()`: the Long hash of doubleToLongBits (NaN collapsed to one bit pattern). */
export function javaDoubleHash(value: number): number {
  doubleView.setFloat64(0, Number.isNaN(value) ? NaN : value);
  const high = doubleView.getUint32(0);
  const low = doubleView.getUint32(4);
  return (high ^ low) | 0;
}

/** `Boolean.hashCode()`: 1231 for true, 1237 for false. */
export function javaBooleanHash(value: boolean): number {
  return value ? 1231 : 1237;
}

/**
 * How json-simple would type a JS number after `JSON.stringify`: a text without `.` or an
 * exponent becomes a Long, anything else a Double. NaN and ±Infinity stringify as `null`.
 */
export function javaNumberKind(value: number): 'long' | 'double' | 'null' {
  if (!Number.isFinite(value)) return 'null';
  const text = JSON.stringify(value);
  if (/[.eE]/.test(text)) return 'double';
  // json-simple's Long.valueOf would throw past the long range; treat as Double (Storm would fail).
  const big = BigInt(text);
  return big < LONG_MIN || big > LONG_MAX ? 'double' : 'long';
}

/**
 * Java's hashCode of a JSON value as the worker sees it (`Objects.hashCode`, so null = 0).
 * A bigint is taken as a Long (how Squall keeps 64-bit ids exact).
 */
export function javaHashCode(value: unknown): number {
  if (value === null || value === undefined) return 0;
  switch (typeof value) {
    case 'string':
      return javaStringHash(value);
    case 'boolean':
      return javaBooleanHash(value);
    case 'bigint':
      return javaLongHash(value);
    case 'number': {
      const kind = javaNumberKind(value);
      if (kind === 'null') return 0;
      return kind === 'long' ? javaLongHash(BigInt(value)) : javaDoubleHash(value);
    }
    case 'object': {
      if (Array.isArray(value)) return javaListHash(value);
      // A Date (or anything with toJSON) reaches Storm as whatever toJSON returns.
      const toJson = (value as { toJSON?: () => unknown }).toJSON;
      if (typeof toJson === 'function') return javaHashCode(toJson.call(value));
      return javaMapHash(Object.entries(value).filter(([, v]) => keptInObject(v)));
    }
    default:
      // Functions and symbols do not survive JSON.stringify; Storm never sees them.
      return 0;
  }
}

/** `List.hashCode()` (and `Arrays.deepHashCode`): 31*h + element hash, starting at 1. */
export function javaListHash(values: readonly unknown[]): number {
  let hash = 1;
  for (const value of values) {
    // JSON.stringify turns undefined, functions and symbols inside arrays into null.
    hash = (Math.imul(hash, 31) + javaHashCode(value)) | 0;
  }
  return hash;
}

/** `AbstractMap.hashCode()`: the sum of key.hashCode() ^ value.hashCode() over entries. */
function javaMapHash(entries: Array<[string, unknown]>): number {
  let hash = 0;
  for (const [key, value] of entries) hash = (hash + (javaStringHash(key) ^ javaHashCode(value))) | 0;
  return hash;
}

function keptInObject(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}
