import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as edit from '../../core/common/topology/edit.js';
import type { TopologySpec } from '../../core/common/topology/model.js';
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
const settingValue = fc.oneof(fc.integer({ min: 0, max: 99 }), fc.boolean(), fc.constantFrom('text', 'a: b', '#hash', ''));

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
      { numRuns: 60 },
    );
  });
});
