import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { javaHashCode, javaListHash, javaNumberKind, javaStringHash } from '../../core/common/routing/java-hash.js';
import { chooseTaskIndex, floorMod } from '../../core/common/routing/grouping.js';

// Every expected figure below was computed with the JDK's own hashCode (String, Long, Double,
// Boolean, Arrays.asList, HashMap) and Math.floorMod.
describe('Java hash codes of JSON-decoded values', () => {
  it.each([
    ['hello', 99162322],
    ['', 0],
    ['the', 114801],
    ['storm', 109770985],
    ['polygenelubricants', -2147483648],
    ['été 😀', -1803469019],
  ])('String %j hashes to %d', (text, expected) => {
    expect(javaStringHash(text)).toBe(expected);
    expect(javaHashCode(text)).toBe(expected);
  });

  it.each([
    [0, 0],
    [1, 1],
    [-1, 0],
    [4294967296, 1],
    [-9223372036854775808n, -2147483648],
    [9007199254740993n, 2097153],
  ] as Array<[number | bigint, number]>)('Long %s hashes to %d', (value, expected) => {
    expect(javaHashCode(value)).toBe(expected);
  });

  it.each([
    [1.5, 1073217536],
    [0.1, -1507852285],
    [-2.75, -1073348608],
    [1e21, -1834355276],
  ])('Double %d hashes to %d', (value, expected) => {
    expect(javaHashCode(value)).toBe(expected);
  });

  it('types numbers the way json-simple decodes their JSON text', () => {
    expect(javaNumberKind(3)).toBe('long');
    expect(javaNumberKind(-0)).toBe('long');
    expect(javaNumberKind(2.5)).toBe('double');
    expect(javaNumberKind(1e21)).toBe('double');
    expect(javaNumberKind(NaN)).toBe('null');
    expect(javaHashCode(Infinity)).toBe(0);
  });

  it('hashes booleans, null, lists and maps like Boolean, Objects.hashCode, List and HashMap', () => {
    expect(javaHashCode(true)).toBe(1231);
    expect(javaHashCode(false)).toBe(1237);
    expect(javaHashCode(null)).toBe(0);
    expect(javaListHash([1, 'a'])).toBe(1089);
    expect(javaListHash([[1, 2]])).toBe(1025);
    expect(javaListHash([null])).toBe(31);
    expect(javaListHash([true, false])).toBe(40359);
    expect(javaHashCode({ a: 1, b: 'x', c: null })).toBe(221);
    expect(javaListHash([{ c: null, b: 'x', a: 1 }])).toBe(252);
  });

  it('drops what JSON.stringify drops and follows toJSON', () => {
    expect(javaHashCode({ a: 1, gone: undefined })).toBe(javaHashCode({ a: 1 }));
    expect(javaListHash([undefined])).toBe(javaListHash([null]));
    const date = new Date(0);
    expect(javaHashCode(date)).toBe(javaStringHash(date.toJSON()));
  });

  it('map hash does not depend on key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.boolean())), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(javaHashCode(reversed)).toBe(javaHashCode(record));
      }),
    );
  });

  it('hash codes are 32-bit signed integers', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const hash = javaHashCode(value);
        expect(Number.isInteger(hash)).toBe(true);
        expect(hash | 0).toBe(hash);
      }),
    );
  });
});

describe('fields grouping task index (TupleUtils.chooseTaskIndex)', () => {
  it.each([
    [['hello'], 4, 1],
    [['polygenelubricants'], 3, 2], // abs(h) % n (Storm 2.0 betas) would give 1
    [['user-42', 7], 5, 3],
    [[1, 'a'], 7, 1089 % 7],
  ] as Array<[unknown[], number, number]>)('%j over %d tasks picks index %d', (values, tasks, expected) => {
    expect(chooseTaskIndex(values, tasks)).toBe(expected);
  });

  it('floorMod is never negative for a positive divisor', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 1000 }), (value, divisor) => {
        const result = floorMod(value, divisor);
        expect(result).toBeGreaterThanOrEqual(0);
        expect(result).toBeLessThan(divisor);
        expect((value - result) % divisor === 0).toBe(true);
      }),
    );
  });
});
