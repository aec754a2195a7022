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

describe('static outputs of the wrong shape', () => {
  /** The SquallError describeComponentClass throws for a class declaring `outputs`. */
  function refusal(outputs: unknown): SquallError {
    class Splitter extends BasicBolt {
      process(): void {}
    }
    Object.assign(Splitter, { outputs });
    try {
      describeComponentClass(Splitter, { script: 'components/split.ts', component: 'split' });
    } catch (error) {
      return error as SquallError;
    }
    throw new Error('describeComponentClass accepted the outputs');
  }

  it("says what `{ default: 'word' }` must look like, naming the class, its script and the component", () => {
    const error = refusal({ default: 'word' });
    expect(error).toBeInstanceOf(SquallError);
    expect(error.format()).toBe(
      "components/split.ts: `static outputs` of class Splitter in components/split.ts declares stream 'default' as the string 'word', not a list of field names (component 'split')\n" +
        "  hint: write `static outputs = { default: ['word'] }`: each stream id maps to its list of field names (or to { fields: [...], direct: true } for a direct stream)",
    );
  });

  it('suggests the list a space- or comma-separated string meant', () => {
    expect(refusal({ counts: 'word, count' }).hint).toMatch(/^write `static outputs = \{ counts: \['word', 'count'\] \}`/);
  });

  it('refuses a list where the stream map belongs, a mapping without fields, non-string and duplicate fields, a non-boolean direct', () => {
    expect(refusal(['word']).message).toBe('`static outputs` of class Splitter in components/split.ts must map each stream id to its fields, not a list');
    expect(refusal(['word']).hint).toMatch(/^write `static outputs = \{ default: \['word'\] \}`/);
    expect(refusal({ default: { field: ['word'] } }).message).toContain("declares stream 'default' as a mapping without a `fields` list (undefined)");
    expect(refusal({ default: ['word', 3] }).message).toContain("declares stream 'default' with field 2 being the number 3; field names are non-empty strings");
    expect(refusal({ default: ['word', 'word'] }).message).toContain("declares stream 'default' with the field 'word' twice");
    expect(refusal({ 'side-out': { fields: ['w'], direct: 'yes' } }).hint).toMatch(/^write `static outputs = \{ 'side-out': \{ fields: \['w'\], direct: true \} \}`/);
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
