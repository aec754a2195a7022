import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TopologyBuilder } from '../../core/common/topology/builder.js';
import type { TopologySpec } from '../../core/common/topology/model.js';
import { parseTopology } from '../../core/common/topology/parse.js';
import { toYaml } from '../../core/common/topology/to-yaml.js';
import { validateTopology } from '../../core/common/topology/validate.js';

const WORDCOUNT = new URL('../../examples/wordcount/topology.yaml', import.meta.url);

/** The model without where it was written (the builder has no file). */
function withoutLocations(spec: TopologySpec): TopologySpec {
  const copy = structuredClone(spec);
  delete copy.file;
  for (const component of copy.components) delete component.location;
  return copy;
}

function wordcountBuilder(): TopologyBuilder {
  return new TopologyBuilder('wordcount')
    .node('>=20')
    .config({ 'topology.max.spout.pending': 1000, 'topology.message.timeout.secs': 30 })
    .spout('sentences', 'components/sentences.ts', { parallelism: 1 })
    .bolt('split', 'components/split.ts', { parallelism: 2 })
    .shuffle('sentences')
    .bolt('count', 'components/count.ts', { parallelism: 2 })
    .fields('split', ['word']);
}

describe('TopologyBuilder', () => {
  it('builds the same model as examples/wordcount/topology.yaml', () => {
    const parsed = parseTopology(readFileSync(WORDCOUNT, 'utf8'), 'topology.yaml');
    expect(parsed.diagnostics).toEqual([]);
    expect(wordcountBuilder().build()).toEqual(withoutLocations(parsed.spec!));
  });

  it('offers every grouping, streams and per-component options', () => {
    const spec = new TopologyBuilder('all-groupings')
      .spout('s', 's.ts', { parallelism: 2, tasks: 4, config: { 'topology.max.spout.pending': 5 } })
      .bolt('b', 'b.ts')
      .shuffle('s')
      .all('s', 'control')
      .global('s', 'totals')
      .none('s', 'misc')
      .direct('s', 'replies')
      .localOrShuffle('s', 'nearby')
      .fields('s', ['k'], 'keyed')
      .build();
    expect(spec.components[0]).toEqual({ id: 's', kind: 'spout', script: 's.ts', parallelism: 2, tasks: 4, inputs: [], config: { 'topology.max.spout.pending': 5 } });
    expect(spec.components[1]!.inputs.map((i) => `${i.stream}:${i.grouping.type}${i.grouping.fields ? `(${i.grouping.fields.join()})` : ''}`)).toEqual([
      'default:shuffle',
      'control:all',
      'totals:global',
      'misc:none',
      'replies:direct',
      'nearby:local_or_shuffle',
      'keyed:fields(k)',
    ]);
  });

  it('refuses an input before any bolt', () => {
    expect(() => new TopologyBuilder('x').spout('s', 's.ts').shuffle('s')).toThrow("input from 's': add a bolt with .bolt(id, script) before its inputs");
  });

  it('gives models that validate without a file, errors naming the builder', () => {
    const spec = new TopologyBuilder('bad.name').bolt('b', 'b.ts', { parallelism: 0 }).shuffle('nowhere').build();
    const messages = validateTopology(spec, { outputsKnown: false }).map((d) => `${d.file}:${d.line} ${d.message}`);
    expect(messages).toEqual([
      "(builder):0 topology name 'bad.name' contains '.', which Storm does not allow",
      '(builder):0 the topology has no spout',
      "(builder):0 parallelism of bolt 'b' must be a whole number of at least 1, not 0",
      "(builder):0 bolt 'b' reads from 'nowhere', which is not a component of this topology",
    ]);
  });
});

describe('toYaml', () => {
  it('writes a file that parses back to the same model', () => {
    const spec = wordcountBuilder().bolt('report', 'components/report.ts', { tasks: 3, config: { 'topology.tick.tuple.freq.secs': 5 } }).global('count', 'totals').build();
    const text = toYaml(spec);
    const parsed = parseTopology(text, 'out.yaml');
    expect(parsed.diagnostics).toEqual([]);
    expect(withoutLocations(parsed.spec!)).toEqual(spec);
    expect(toYaml(withoutLocations(parsed.spec!))).toBe(text);
  });

  it('writes the canonical layout', () => {
    expect(toYaml(wordcountBuilder().build())).toBe(`name: wordcount
node: ">=20"
config:
  topology.max.spout.pending: 1000
  topology.message.timeout.secs: 30
spouts:
  sentences:
    script: components/sentences.ts
    parallelism: 1
bolts:
  split:
    script: components/split.ts
    parallelism: 2
    inputs:
      - source: sentences
        grouping: shuffle
  count:
    script: components/count.ts
    parallelism: 2
    inputs:
      - source: split
        grouping:
          fields: [word]
`);
  });
});
