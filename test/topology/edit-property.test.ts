import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as edit from '../../core/common/topology/edit.js';
import type { Grouping, TopologySpec } from '../../core/common/topology/model.js';
import { parseTopology } from '../../core/common/topology/parse.js';

const START = `# A topology edited at random.
name: random
config:
  topology.workers: 1   # one worker
spouts:
  s: { script: s.ts }
bolts:
  a:
    script: a.ts
    inputs:
      - source: s
        grouping: shuffle
  b:
    script: b.ts   # b
    inputs:
    - source: a
      grouping: { fields: [x] }
`;

function parse(text: string): TopologySpec {
  const { spec, diagnostics } = parseTopology(text, 't.yaml');
  expect(diagnostics).toEqual([]);
  for (const component of spec!.components) delete component.location;
  return spec!;
}

const componentId = fc.constantFrom('s', 'a', 'b');
const settingKey = fc.constantFrom('topology.workers', 'topology.debug', 'topology.tick.tuple.freq.secs');
const settingValue = fc.oneof(
  fc.integer({ min: 0, max: 99 }),
  fc.boolean(),
  fc.constantFrom('text', 'a: b', '#hash', '', ' padded ', 'two\nlines', '{not: a map}', '- item', 'null', '"quoted"', "it's"),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.dictionary(fc.constantFrom('A', 'B C', 'x.y'), fc.string({ maxLength: 6 }), { maxKeys: 2 }),
);

/** An edit, and the same change made directly to the model. */
type Step = { edit: edit.TopologyEdit; model: (spec: TopologySpec) => void };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.tuple(componentId, fc.integer({ min: 1, max: 64 })).map(([id, parallelism]): Step => ({
    edit: { op: 'setParallelism', component: id, parallelism },
    model: (spec: TopologySpec) => void (spec.components.find((c) => c.id === id)!.parallelism = parallelism),
  })),
  fc.tuple(fc.option(componentId, { nil: undefined }), settingKey, settingValue).map(([id, key, value]): Step => ({
    edit: { op: 'setConfig', key, value, component: id },
    model: (spec: TopologySpec) => void ((id ? spec.components.find((c) => c.id === id)!.config : spec.config)[key] = value),
  })),
  fc.tuple(fc.option(componentId, { nil: undefined }), settingKey).map(([id, key]): Step => ({
    edit: { op: 'unsetConfig', key, component: id },
    model: (spec: TopologySpec) => void delete (id ? spec.components.find((c) => c.id === id)!.config : spec.config)[key],
  })),
  fc.tuple(fc.constantFrom('a', 'b'), fc.array(fc.constantFrom('x', 'y', 'z'), { minLength: 1, maxLength: 3 })).map(([bolt, fields]): Step => ({
    edit: { op: 'setFields', bolt, source: bolt === 'a' ? 's' : 'a', fields },
    model: (spec: TopologySpec) => void (spec.components.find((c) => c.id === bolt)!.inputs[0]!.grouping = { type: 'fields', fields }),
  })),
);

describe('random sequences of edits', () => {
  it('always give a valid file whose model is the model edited directly, comments kept', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), (steps) => {
        let text = START;
        const expected = parse(START);
        for (const { edit: change, model } of steps) {
          text = edit.applyEdit(text, change);
          model(expected);
          expect(parse(text)).toEqual(expected);
        }
        for (const comment of ['# A topology edited at random.', '# b']) expect(text).toContain(comment);
      }),
      { numRuns: 100 },
    );
  });
});

/** Structural edits, checked against the same edit made to a plain model (or refused by both). */
describe('random structural edits', () => {
  const ids = fc.constantFrom('s', 'a', 'b', 'c', 'spout 2');
  const stream = fc.constantFrom('default', 'other');
  const grouping = fc.oneof(
    fc.constantFrom<'shuffle' | 'all' | 'global'>('shuffle', 'all', 'global').map((type): Grouping => ({ type })),
    fc.constant<Grouping>({ type: 'fields', fields: ['x'] }),
  );
  const op: fc.Arbitrary<edit.TopologyEdit> = fc.oneof(
    fc.tuple(ids, fc.constantFrom<'spout' | 'bolt'>('spout', 'bolt')).map(([id, kind]): edit.TopologyEdit => ({ op: 'addComponent', component: { id, kind, script: `${id}.ts` } })),
    ids.map((id): edit.TopologyEdit => ({ op: 'removeComponent', id })),
    fc.tuple(ids, ids).map(([from, to]): edit.TopologyEdit => ({ op: 'renameComponent', from, to })),
    fc.tuple(ids, ids, stream, grouping).map(([bolt, source, s, g]): edit.TopologyEdit => ({ op: 'addInput', bolt, input: { source, stream: s, grouping: g } })),
    fc.tuple(ids, ids, stream).map(([bolt, source, s]): edit.TopologyEdit => ({ op: 'removeInput', bolt, source, stream: s })),
  );

  /** The edit applied to the model; false when edit.ts must refuse it. */
  function simulate(spec: TopologySpec, change: edit.TopologyEdit): boolean {
    const find = (id: string) => spec.components.find((c) => c.id === id);
    switch (change.op) {
      case 'addComponent': {
        if (find(change.component.id)) return false;
        spec.components.push({ id: change.component.id, kind: change.component.kind, script: change.component.script, parallelism: 1, inputs: [], config: {} });
        spec.components.sort((x, y) => (x.kind === y.kind ? 0 : x.kind === 'spout' ? -1 : 1));
        return true;
      }
      case 'removeComponent':
        if (!find(change.id)) return false;
        spec.components = spec.components.filter((c) => c.id !== change.id);
        for (const c of spec.components) c.inputs = c.inputs.filter((i) => i.source !== change.id);
        return true;
      case 'renameComponent': {
        const component = find(change.from);
        if (!component || (change.from !== change.to && find(change.to))) return false;
        component.id = change.to;
        for (const c of spec.components) for (const i of c.inputs) if (i.source === change.from) i.source = change.to;
        return true;
      }
      case 'addInput': {
        const bolt = find(change.bolt);
        const s = change.input.stream ?? 'default';
        if (bolt?.kind !== 'bolt' || bolt.inputs.some((i) => i.source === change.input.source && i.stream === s)) return false;
        bolt.inputs.push({ source: change.input.source, stream: s, grouping: change.input.grouping });
        return true;
      }
      case 'removeInput': {
        const bolt = find(change.bolt);
        const s = change.stream ?? 'default';
        const index = bolt?.kind === 'bolt' ? bolt.inputs.findIndex((i) => i.source === change.source && i.stream === s) : -1;
        if (index === -1) return false;
        bolt!.inputs.splice(index, 1);
        return true;
      }
      default:
        throw new Error(`not simulated: ${change.op}`);
    }
  }

  it('match the model edited directly, and refuse exactly the impossible ones', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 15 }), (changes) => {
        let text = START;
        const expected = parse(START);
        for (const change of changes) {
          if (simulate(expected, change)) text = edit.applyEdit(text, change);
          else expect(() => edit.applyEdit(text, change)).toThrow();
          expect(parse(text)).toEqual(expected);
        }
        expect(text.startsWith('# A topology edited at random.\nname: random\n')).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
