import { describe, expect, it } from 'vitest';
import { BasicBolt, Bolt, Spout, Tuple } from '../../core/component/index.js';
import { describeComponentClass, pickComponentClass } from '../../core/component/runtime.js';
import { SquallError } from '../../core/common/errors.js';

class Words extends Spout {
  static outputs = { default: ['word'], counts: { fields: ['word', 'n'], direct: true } };
  static config = { 'topology.tick.tuple.freq.secs': 5 };
  nextTuple(): void {}
}
class Sink extends BasicBolt {
  process(): void {}
}

describe('component classes', () => {
  it('picks the default export, else the single named component export', () => {
    expect(pickComponentClass({ default: Words, helper: () => 1 }, 'a.ts')).toBe(Words);
    expect(pickComponentClass({ Sink, VERSION: 2 }, 'b.ts')).toBe(Sink);
  });

  it('refuses a module without a component, with a hint showing the export', () => {
    const error = (() => {
      try {
        pickComponentClass({ helper: () => 1 }, 'c.ts');
      } catch (e) {
        return e as SquallError;
      }
    })()!;
    expect(error).toBeInstanceOf(SquallError);
    expect(error.message).toBe('c.ts exports no Spout or Bolt subclass');
    expect(error.hint).toContain('export default class X extends Bolt');
  });

  it('refuses several named components without a default', () => {
    class Other extends Bolt {
      process(): void {}
    }
    expect(() => pickComponentClass({ Sink, Other }, 'd.ts')).toThrow(/several components \(Sink, Other\)/);
  });

  it('describes kind, outputs (normalised) and class config', () => {
    expect(describeComponentClass(Words)).toEqual({
      kind: 'spout',
      outputs: { default: { fields: ['word'], direct: false }, counts: { fields: ['word', 'n'], direct: true } },
      config: { 'topology.tick.tuple.freq.secs': 5 },
    });
    expect(describeComponentClass(Sink)).toEqual({ kind: 'bolt', outputs: {}, config: {} });
  });
});

describe('Tuple', () => {
  const t = new Tuple('1', 'split', 'default', 4, ['storm', 3], ['word', 'count']);
  it('reads values by field name and says which fields exist when one is unknown', () => {
    expect(t.get('count')).toBe(3);
    expect(t.getString('word')).toBe('storm');
    expect(t.toObject()).toEqual({ word: 'storm', count: 3 });
    expect(() => t.get('nope')).toThrow("tuple from split:default has no field 'nope' (fields: word, count)");
  });
  it('recognises ticks and heartbeats', () => {
    expect(new Tuple('2', '__system', '__tick', -1, [1]).isTick).toBe(true);
    expect(t.isTick).toBe(false);
    expect(new Tuple('3', '', '__heartbeat', -1, []).isHeartbeat).toBe(true);
  });
});
