import { describe, expect, it } from 'vitest';
import { ShellTupleIds } from '../../core/local/shell-tuple-ids.js';

const JAVA_LONG = /^-?\d{19}$/;

describe('ids of tuples sent to bolt children', () => {
  it('look like the signed 64-bit decimals Storm sends and fit in a Java long', () => {
    for (const draw of [0, 0.4999, 0.5, 0.999999]) {
      const ids = new ShellTupleIds(() => draw);
      const id = ids.next();
      expect(id).toMatch(JAVA_LONG);
      const value = BigInt(id);
      expect(value <= 9_223_372_036_854_775_807n && value >= -9_223_372_036_854_775_808n).toBe(true);
    }
  });

  it('never repeat, including across a head rotation', () => {
    let draws = 0;
    // Two heads drawn from a fixed sequence; the counter is pushed to its end to force a rotation.
    const ids = new ShellTupleIds(() => [0.1, 0.9, 0.2, 0.1][draws++ % 4]!);
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) seen.add(ids.next());
    (ids as unknown as { count: number }).count = 999_999_998;
    for (let i = 0; i < 1000; i++) seen.add(ids.next());
    expect(seen.size).toBe(2000);
    for (const id of seen) expect(id).toMatch(JAVA_LONG);
  });
});
