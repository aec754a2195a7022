import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locationsOf } from '../../core/common/topology/locations.js';
import type { Grouping } from '../../core/common/topology/model.js';
import { parseTopology } from '../../core/common/topology/parse.js';
import { validateTopology } from '../../core/common/topology/validate.js';

const withGrouping = (grouping: string): string => `name: g
spouts:
  s:
    script: s.ts
bolts:
  b:
    script: b.ts
    inputs:
      - source: s
        grouping: ${grouping}
`;

describe('parseTopology', () => {
  it.each<[string, string, Grouping]>([
    ['shuffle', 'shuffle', { type: 'shuffle' }],
    ['all', 'all', { type: 'all' }],
    ['global', 'global', { type: 'global' }],
    ['none', 'none', { type: 'none' }],
    ['direct', 'direct', { type: 'direct' }],
    ['local_or_shuffle', 'local_or_shuffle', { type: 'local_or_shuffle' }],
    ['fields, flow style', '{ fields: [word] }', { type: 'fields', fields: ['word'] }],
    ['fields, two fields', '{fields: [word, lang]}', { type: 'fields', fields: ['word', 'lang'] }],
    ['fields, block style', '\n          fields:\n            - word\n            - lang', { type: 'fields', fields: ['word', 'lang'] }],
  ])('reads the grouping %s', (_label, written, grouping) => {
    const { spec, diagnostics } = parseTopology(withGrouping(written), 'g.yaml');
    expect(diagnostics).toEqual([]);
    expect(spec!.components[1]!.inputs).toEqual([{ source: 's', stream: 'default', grouping }]);
  });

  it('reads every key of the format into the model', () => {
    const { spec, diagnostics } = parseTopology(
      `name: full
node: ">=20"
config:
  topology.workers: 2
  topology.environment: { A: "1" }
spouts:
  s:
    script: components/s.ts
    parallelism: 2
    tasks: 4
    config: { topology.max.spout.pending: 10 }
bolts:
  b:
    script: components/b.ts
    inputs:
      - source: s
        stream: errors
        grouping: global
`,
      'full.yaml',
    );
    expect(diagnostics).toEqual([]);
    expect(spec).toEqual({
      name: 'full',
      node: '>=20',
      config: { 'topology.workers': 2, 'topology.environment': { A: '1' } },
      components: [
        { id: 's', kind: 'spout', script: 'components/s.ts', parallelism: 2, tasks: 4, inputs: [], config: { 'topology.max.spout.pending': 10 }, location: { file: 'full.yaml', line: 7, column: 3 } },
        {
          id: 'b',
          kind: 'bolt',
          script: 'components/b.ts',
          parallelism: 1,
          inputs: [{ source: 's', stream: 'errors', grouping: { type: 'global' } }],
          config: {},
          location: { file: 'full.yaml', line: 13, column: 3 },
        },
      ],
    });
  });

  it('records the line and column of keys and values for validation', () => {
    const { spec } = parseTopology(withGrouping('{ fields: [word, lang] }'), 'g.yaml');
    const locations = locationsOf(spec!)!;
    expect(locations.value(['bolts', 'b', 'inputs', 0, 'source'])).toEqual({ file: 'g.yaml', line: 9, column: 17 });
    expect(locations.value(['bolts', 'b', 'inputs', 0, 'grouping', 'fields', 1])).toEqual({ file: 'g.yaml', line: 10, column: 36 });
    expect(locations.key(['bolts', 'b', 'inputs'])).toEqual({ file: 'g.yaml', line: 8, column: 5 });
  });

  it('follows YAML anchors and aliases', () => {
    const { spec, diagnostics } = parseTopology(
      `name: a
spouts:
  s: { script: s.ts }
bolts:
  b:
    script: b.ts
    config: &tick { topology.tick.tuple.freq.secs: 5 }
    inputs: [{ source: s, grouping: shuffle }]
  c:
    script: c.ts
    config: *tick
    inputs: [{ source: b, grouping: { fields: [x] } }]
`,
      'a.yaml',
    );
    expect(diagnostics).toEqual([]);
    expect(spec!.components[2]!.config).toEqual({ 'topology.tick.tuple.freq.secs': 5 });
  });

  it('accepts empty sections and a numeric name', () => {
    const { spec, diagnostics } = parseTopology('name: 2024\nspouts:\nbolts:\n', 'n.yaml');
    expect(diagnostics).toEqual([]);
    expect(spec).toMatchObject({ name: '2024', components: [] });
  });

  it('reports every structural error of a file at once', () => {
    const { diagnostics } = parseTopology('nmae: x\nspouts:\n  s:\n    scirpt: s.ts\n    paralelism: 2\n', 'x.yaml');
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      "1:1 unknown key 'nmae'",
      "4:5 unknown key 'scirpt' in spout 's'",
      "5:5 unknown key 'paralelism' in spout 's'",
    ]);
    expect(diagnostics[2]!.hint).toBe("did you mean 'parallelism'?");
  });
});

describe('component order', () => {
  it('puts spouts first, then bolts, each in file order', () => {
    const { spec } = parseTopology('name: o\nbolts:\n  z: { script: z.ts, inputs: [{ source: a, grouping: all }] }\n  y: { script: y.ts }\nspouts:\n  a: { script: a.ts }\n', 'o.yaml');
    expect(spec!.components.map((c) => `${c.kind}:${c.id}`)).toEqual(['spout:a', 'bolt:z', 'bolt:y']);
  });
});

describe('robustness', () => {
  it('never throws, whatever the text: every problem is a diagnostic with a position', () => {
    const base = 'name: wc\nconfig: { topology.workers: 1 }\nspouts:\n  s:\n    script: s.ts\nbolts:\n  b:\n    script: b.ts\n    inputs:\n      - source: s\n        grouping: { fields: [w] }\n';
    const pieces = fc.constantFrom(':', '-', ' ', '\n', '  ', '[', ']', '{', '}', ',', '&a', '*a', '? ', '"', "'", '#', 'null', '~', '1.5', 'x', '__', '!!int', '|', '>', '\t');
    const mutated = fc.tuple(fc.nat(base.length), fc.nat(8), fc.array(pieces, { maxLength: 4 })).map(([at, cut, inserted]) => base.slice(0, at) + inserted.join('') + base.slice(at + cut));
    fc.assert(
      fc.property(fc.oneof(mutated, fc.string()), (text) => {
        const { spec, diagnostics } = parseTopology(text, 'f.yaml');
        for (const d of diagnostics) expect(d.line).toBeGreaterThan(0);
        if (spec && diagnostics.length === 0) {
          for (const d of validateTopology(spec, { outputsKnown: false })) expect(d.line).toBeGreaterThan(0);
        }
      }),
      { numRuns: 400 },
    );
  });
});
