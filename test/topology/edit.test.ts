import { describe, expect, it } from 'vitest';
import * as edit from '../../core/common/topology/edit.js';
import type { TopologySpec } from '../../core/common/topology/model.js';
import { parseTopology } from '../../core/common/topology/parse.js';

/** A file written by a person: comments everywhere, 4-space config, flow and block styles, blank lines. */
const ORIGINAL = `# Word count, hand written.
name: wordcount   # the name Storm shows
node: ">=20"

config:
    topology.max.spout.pending: 1000    # keep memory bounded
    topology.message.timeout.secs: 30

# Sources of tuples.
spouts:
  sentences: { script: components/sentences.ts, parallelism: 1 }
bolts:
  # Splits sentences.
  split:
    script: 'components/split.ts'
    parallelism: 2
    inputs:
    - source: sentences   # unindented list, as some people write it
      grouping: shuffle
  count:
    script: components/count.ts
    parallelism: 2
    inputs:
      # Same word, same task.
      - source: split
        grouping:
          fields: [word]
# end of file
`;

function model(text: string): TopologySpec {
  const { spec, diagnostics } = parseTopology(text, 'topology.yaml');
  expect(diagnostics).toEqual([]);
  for (const component of spec!.components) delete component.location;
  return spec!;
}

/** Lines of `after` that are not in `before` and vice versa (as multisets, in order). */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return { removed: a.slice(start, endA), added: b.slice(start, endB) };
}

describe('topology edits keep the rest of the file byte for byte', () => {
  it('setParallelism changes one value on one line', () => {
    const after = edit.setParallelism(ORIGINAL, 'split', 4);
    expect(changedLines(ORIGINAL, after)).toEqual({ removed: ['    parallelism: 2'], added: ['    parallelism: 4'] });
    expect(model(after).components[1]!.parallelism).toBe(4);
  });

  it('setParallelism works inside a flow mapping', () => {
    const after = edit.setParallelism(ORIGINAL, 'sentences', 3);
    expect(changedLines(ORIGINAL, after)).toEqual({
      removed: ['  sentences: { script: components/sentences.ts, parallelism: 1 }'],
      added: ['  sentences: { script: components/sentences.ts, parallelism: 3 }'],
    });
  });

  it('setTasks adds a key under the component, and removing it restores the file', () => {
    const after = edit.setTasks(ORIGINAL, 'count', 4);
    expect(changedLines(ORIGINAL, after)).toEqual({ removed: [], added: ['    tasks: 4'] });
    expect(edit.setTasks(after, 'count', undefined)).toBe(ORIGINAL);
  });

  it('addComponent appends a block at the end of its section; removeComponent takes it back out', () => {
    const after = edit.addComponent(ORIGINAL, {
      id: 'report',
      kind: 'bolt',
      script: 'components/report.ts',
      inputs: [{ source: 'count', grouping: { type: 'global' } }],
      config: { 'topology.tick.tuple.freq.secs': 10 },
    });
    expect(changedLines(ORIGINAL, after).added).toEqual([
      '  report:',
      '    script: components/report.ts',
      '    parallelism: 1',
      '    inputs:',
      '      - source: count',
      '        grouping: global',
      '    config:',
      '      topology.tick.tuple.freq.secs: 10',
    ]);
    expect(model(after).components.map((c) => c.id)).toEqual(['sentences', 'split', 'count', 'report']);
    expect(edit.removeComponent(after, 'report')).toBe(ORIGINAL);
  });

  it('addComponent puts a spout in a flow-style spouts section', () => {
    const after = edit.addComponent(ORIGINAL, { id: 'more', kind: 'spout', script: 'components/more.ts' });
    expect(after).toContain('spouts:\n  sentences: { script: components/sentences.ts, parallelism: 1 }\n  more:\n    script: components/more.ts\n    parallelism: 1\nbolts:');
  });

  it('removeComponent removes its comment and every input that reads from it', () => {
    const after = edit.removeComponent(ORIGINAL, 'split');
    expect(after).toBe(`# Word count, hand written.
name: wordcount   # the name Storm shows
node: ">=20"

config:
    topology.max.spout.pending: 1000    # keep memory bounded
    topology.message.timeout.secs: 30

# Sources of tuples.
spouts:
  sentences: { script: components/sentences.ts, parallelism: 1 }
bolts:
  count:
    script: components/count.ts
    parallelism: 2
# end of file
`);
  });

  it('renameComponent renames the key and the inputs that read from it', () => {
    const after = edit.renameComponent(ORIGINAL, 'split', 'tokenize');
    expect(changedLines(ORIGINAL, after)).toEqual({
      removed: ['  split:', '    script: \'components/split.ts\'', '    parallelism: 2', '    inputs:', '    - source: sentences   # unindented list, as some people write it', '      grouping: shuffle', '  count:', '    script: components/count.ts', '    parallelism: 2', '    inputs:', '      # Same word, same task.', '      - source: split'],
      added: ['  tokenize:', '    script: \'components/split.ts\'', '    parallelism: 2', '    inputs:', '    - source: sentences   # unindented list, as some people write it', '      grouping: shuffle', '  count:', '    script: components/count.ts', '    parallelism: 2', '    inputs:', '      # Same word, same task.', '      - source: tokenize'],
    });
    expect(edit.renameComponent(after, 'tokenize', 'split')).toBe(ORIGINAL);
  });

  it('addInput appends to an unindented list in its own style; removeInput restores the file', () => {
    const after = edit.addInput(ORIGINAL, 'split', { source: 'sentences', stream: 'urgent', grouping: { type: 'fields', fields: ['id'] } });
    expect(changedLines(ORIGINAL, after).added).toEqual(['    - source: sentences', '      stream: urgent', '      grouping:', '        fields: [id]']);
    expect(model(after).components[1]!.inputs[1]).toEqual({ source: 'sentences', stream: 'urgent', grouping: { type: 'fields', fields: ['id'] } });
    expect(edit.removeInput(after, 'split', 'sentences', 'urgent')).toBe(ORIGINAL);
  });

  it('removing the last input drops `inputs:`; adding it back writes a fresh list', () => {
    const after = edit.removeInput(ORIGINAL, 'split', 'sentences');
    expect(changedLines(ORIGINAL, after)).toEqual({ removed: ['    inputs:', '    - source: sentences   # unindented list, as some people write it', '      grouping: shuffle'], added: [] });
    const back = edit.addInput(after, 'split', { source: 'sentences', grouping: { type: 'shuffle' } });
    expect(changedLines(ORIGINAL, back)).toEqual({
      removed: ['    - source: sentences   # unindented list, as some people write it', '      grouping: shuffle'],
      added: ['      - source: sentences', '        grouping: shuffle'],
    });
    expect(model(back)).toEqual(model(ORIGINAL));
  });

  it('setGrouping replaces a block fields grouping with a name, and back', () => {
    const after = edit.setGrouping(ORIGINAL, 'count', 'split', { type: 'shuffle' });
    expect(changedLines(ORIGINAL, after)).toEqual({ removed: ['        grouping:', '          fields: [word]'], added: ['        grouping: shuffle'] });
    const back = edit.setGrouping(after, 'count', 'split', { type: 'fields', fields: ['word'] });
    expect(back).toContain('        grouping: { fields: [word] }\n');
    expect(model(back)).toEqual(model(ORIGINAL));
  });

  it('setFields changes only the field list of a fields grouping', () => {
    const after = edit.setFields(ORIGINAL, 'count', 'split', ['word', 'lang']);
    expect(changedLines(ORIGINAL, after)).toEqual({ removed: ['          fields: [word]'], added: ['          fields: [word, lang]'] });
  });

  it('setFields turns another grouping into a fields grouping', () => {
    const after = edit.setFields(ORIGINAL, 'split', 'sentences', ['sentence']);
    expect(changedLines(ORIGINAL, after)).toEqual({ removed: ['      grouping: shuffle'], added: ['      grouping: { fields: [sentence] }'] });
  });

  it('setConfig adds a topology setting in the file indentation and keeps trailing comments', () => {
    const after = edit.setConfig(ORIGINAL, 'topology.workers', 2);
    expect(changedLines(ORIGINAL, after)).toEqual({ removed: [], added: ['    topology.workers: 2'] });
    const changed = edit.setConfig(ORIGINAL, 'topology.max.spout.pending', 500);
    expect(changedLines(ORIGINAL, changed)).toEqual({ removed: ['    topology.max.spout.pending: 1000    # keep memory bounded'], added: ['    topology.max.spout.pending: 500    # keep memory bounded'] });
    expect(edit.unsetConfig(after, 'topology.workers')).toBe(ORIGINAL);
  });

  it('setConfig on a component creates its config; unsetConfig of the last key removes it', () => {
    const after = edit.setConfig(ORIGINAL, 'topology.tick.tuple.freq.secs', 5, 'count');
    expect(changedLines(ORIGINAL, after).added).toEqual(['    config:', '      topology.tick.tuple.freq.secs: 5']);
    expect(model(after).components[2]!.config).toEqual({ 'topology.tick.tuple.freq.secs': 5 });
    expect(edit.unsetConfig(after, 'topology.tick.tuple.freq.secs', 'count')).toBe(ORIGINAL);
    const flow = edit.setConfig(ORIGINAL, 'topology.debug', true, 'sentences');
    expect(flow).toContain('  sentences: { script: components/sentences.ts, parallelism: 1, config: { topology.debug: true } }\n');
  });

  it('writes values that need quoting with quotes', () => {
    const after = edit.setConfig(ORIGINAL, 'topology.environment', { NODE_OPTIONS: '--max-old-space-size=512', COLON: 'a: b' });
    expect(model(after).config['topology.environment']).toEqual({ NODE_OPTIONS: '--max-old-space-size=512', COLON: 'a: b' });
  });

  it('applyEdits runs edits given as data (what the workbench sends)', () => {
    const edits: edit.TopologyEdit[] = [
      { op: 'addComponent', component: { id: 'report', kind: 'bolt', script: 'components/report.ts' } },
      { op: 'addInput', bolt: 'report', input: { source: 'count', grouping: { type: 'global' } } },
      { op: 'setParallelism', component: 'count', parallelism: 3 },
      { op: 'setScript', component: 'count', script: 'components/counter.ts' },
      { op: 'renameComponent', from: 'count', to: 'counter' },
    ];
    const spec = model(edit.applyEdits(ORIGINAL, edits));
    expect(spec.components.map((c) => `${c.id} ${c.script} ${c.parallelism} ${c.inputs.map((i) => i.source).join(',')}`)).toEqual([
      'sentences components/sentences.ts 1 ',
      'split components/split.ts 2 sentences',
      'counter components/counter.ts 3 split',
      'report components/report.ts 1 counter',
    ]);
  });

  it('the same edit applied twice gives the same text', () => {
    const once = edit.setFields(edit.setParallelism(ORIGINAL, 'count', 5), 'count', 'split', ['word', 'n']);
    expect(edit.setFields(edit.setParallelism(once, 'count', 5), 'count', 'split', ['word', 'n'])).toBe(once);
  });

  it('refuses edits that make no sense, saying why', () => {
    expect(() => edit.setParallelism(ORIGINAL, 'nope', 2)).toThrow("there is no component 'nope' in the topology");
    expect(() => edit.addComponent(ORIGINAL, { id: 'split', kind: 'spout', script: 'x.ts' })).toThrow("'split' already exists in bolts");
    expect(() => edit.renameComponent(ORIGINAL, 'split', 'count')).toThrow("cannot rename 'split' to 'count': 'count' already exists in bolts");
    expect(() => edit.addInput(ORIGINAL, 'sentences', { source: 'split', grouping: { type: 'shuffle' } })).toThrow("'sentences' is a spout; only bolts have inputs");
    expect(() => edit.addInput(ORIGINAL, 'count', { source: 'split', grouping: { type: 'all' } })).toThrow("bolt 'count' already reads split:default");
    expect(() => edit.removeInput(ORIGINAL, 'count', 'sentences')).toThrow("bolt 'count' has no input from sentences:default");
    expect(() => edit.setParallelism('name: [', 'split', 2)).toThrow(/^the topology file is not valid YAML/);
  });

  it('keeps Windows line endings', () => {
    const crlf = ORIGINAL.replace(/\n/g, '\r\n');
    const after = edit.addInput(edit.setParallelism(crlf, 'split', 3), 'count', { source: 'sentences', grouping: { type: 'all' } });
    expect(after.split('\r\n').length - 1).toBe(after.split('\n').length - 1);
    expect(after.replace(/\r\n/g, '\n')).toBe(edit.addInput(edit.setParallelism(ORIGINAL, 'split', 3), 'count', { source: 'sentences', grouping: { type: 'all' } }));
  });

  it('builds a whole topology from an empty file', () => {
    let text = edit.setConfig('name: fresh\n', 'topology.workers', 1);
    text = edit.addComponent(text, { id: 's', kind: 'spout', script: 's.ts' });
    text = edit.addComponent(text, { id: 'b', kind: 'bolt', script: 'b.ts', inputs: [{ source: 's', grouping: { type: 'fields', fields: ['k'] } }] });
    expect(text).toBe(`name: fresh
config:
  topology.workers: 1
spouts:
  s:
    script: s.ts
    parallelism: 1
bolts:
  b:
    script: b.ts
    parallelism: 1
    inputs:
      - source: s
        grouping:
          fields: [k]
`);
  });
});
