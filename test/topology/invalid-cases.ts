/** Invalid topology files (inline fixtures) for invalid-files.test.ts. */
import type { OutputDeclaration } from '../../core/common/topology/model.js';

/** A small valid topology every case breaks in one way. */
export const VALID = `name: wc
spouts:
  s:
    script: s.ts
bolts:
  b:
    script: b.ts
    inputs:
      - source: s
        grouping: shuffle
`;

const streams = (fields: string[], direct = false): OutputDeclaration => ({ default: { fields, direct } });

/** One case: a name, the file's text, optional class outputs, and the exact report. */
export interface InvalidCase {
  name: string;
  text: string;
  outputs?: Record<string, OutputDeclaration>;
  expected?: string;
}

export const INVALID_CASES: InvalidCase[] = [
  { name: 'malformed YAML: a key indented less than its siblings', text: `name: wc\nspouts:\n  s:\n    script: s.ts\n   parallelism: 1\n` },
  { name: 'malformed YAML: tabs as indentation', text: `name: wc\nspouts:\n\ts:\n` },
  { name: 'malformed YAML: unclosed flow mapping', text: `name: wc\nspouts: {s: {script: s.ts}\n` },
  { name: 'two YAML documents in one file', text: `name: a\n---\nname: b\n` },
  { name: 'an empty file', text: `# nothing yet\n` },
  { name: 'a list at the top', text: `- name: wc\n` },
  { name: "a typo'd top-level key", text: VALID.replace('name:', 'nmae:') },
  { name: 'a Storm setting at the top level', text: `${VALID}workers: 2\n` },
  { name: "a typo'd component key", text: VALID.replace('script: s.ts', 'scirpt: s.ts') },
  { name: 'streams written in the file', text: VALID.replace('script: s.ts', 'script: s.ts\n    outputs: [word]') },
  { name: "a typo'd input key", text: VALID.replace('source: s', 'sorce: s') },
  { name: 'a duplicate bolt id', text: `${VALID}  b:\n    script: c.ts\n` },
  { name: 'a duplicate top-level key', text: `${VALID}name: other\n` },
  { name: 'spouts written as a list', text: `name: wc\nspouts:\n  - s\n` },
  { name: 'an empty component', text: `name: wc\nspouts:\n  s:\n` },
  { name: 'parallelism written as a word', text: VALID.replace('script: s.ts', 'script: s.ts\n    parallelism: two') },
  { name: 'parallelism 0', text: VALID.replace('script: s.ts', 'script: s.ts\n    parallelism: 0') },
  { name: 'fractional parallelism', text: VALID.replace('script: b.ts', 'script: b.ts\n    parallelism: 1.5') },
  { name: 'negative tasks', text: VALID.replace('script: b.ts', 'script: b.ts\n    tasks: -1') },
  { name: 'script is a list', text: VALID.replace('script: s.ts', 'script: [s.ts]') },
  { name: 'missing script', text: VALID.replace('    script: s.ts\n', '    parallelism: 1\n') },
  { name: 'inputs written as a mapping', text: VALID.replace(/inputs:[\s\S]*$/, 'inputs:\n      source: s\n') },
  { name: 'an input written as a bare id', text: VALID.replace(/inputs:[\s\S]*$/, 'inputs: [s]\n') },
  { name: 'an input without source', text: VALID.replace('- source: s\n        grouping', '- grouping') },
  { name: 'an input without grouping', text: VALID.replace('\n        grouping: shuffle', '') },
  { name: "a typo'd grouping", text: VALID.replace('grouping: shuffle', 'grouping: shufle') },
  { name: 'fields grouping without fields', text: VALID.replace('grouping: shuffle', 'grouping: fields') },
  { name: 'fields not a list', text: VALID.replace('grouping: shuffle', 'grouping: {fields: word}') },
  { name: "a typo'd key in a grouping", text: VALID.replace('grouping: shuffle', 'grouping: {feilds: [word]}') },
  { name: 'config written as a list', text: `${VALID}config: [1]\n` },
  { name: 'no name', text: VALID.replace('name: wc\n', '') },
  { name: 'a name Storm refuses', text: VALID.replace('name: wc', 'name: word.count') },
  { name: 'no spout', text: `name: wc\nbolts:\n  b:\n    script: b.ts\n` },
  { name: 'a spout with inputs', text: VALID.replace('script: s.ts', 'script: s.ts\n    inputs:\n      - source: b\n        grouping: shuffle') },
  { name: 'a reserved component id', text: VALID.replace(/\bs:\n/, '__s:\n').replace('source: s', 'source: __s') },
  { name: 'a spout and a bolt with the same id', text: VALID.replace('  b:\n', '  s:\n') },
  { name: 'an unknown source', text: VALID.replace('source: s', 'source: spot') },
  { name: 'a shape error and a meaning error in one file', text: VALID.replace('script: s.ts', 'script: s.ts\n    parallelism: "2"').replace('source: s', 'source: spot') },
  { name: "a typo'd source", text: VALID.replace('source: s\n', 'source: bb\n').replace('  b:\n', '  bolt:\n').replace('  s:\n', '  b:\n') },
  { name: 'a reserved stream', text: VALID.replace('source: s', 'source: s\n        stream: __tick') },
  { name: 'the same stream read twice', text: `${VALID}      - source: s\n        grouping: all\n` },
  { name: 'an empty fields list', text: VALID.replace('grouping: shuffle', 'grouping: {fields: []}') },
  { name: 'an undeclared stream', text: VALID.replace('source: s', 'source: s\n        stream: words'), outputs: { s: streams(['w']), b: {} } },
  { name: 'fields grouping on undeclared fields', text: VALID.replace('grouping: shuffle', 'grouping:\n          fields: [word, lang]'), outputs: { s: streams(['words']), b: {} } },
  { name: 'direct grouping on a stream not declared direct', text: VALID.replace('grouping: shuffle', 'grouping: direct'), outputs: { s: streams(['w']), b: {} } },
  { name: 'shuffle grouping on a direct stream', text: VALID, outputs: { s: streams(['w'], true), b: {} } },
  { name: 'a source that declares no streams', text: VALID, outputs: { s: {}, b: {} } },
  { name: 'a class declaring a reserved stream', text: VALID, outputs: { s: { ...streams(['w']), __x: { fields: [], direct: false } }, b: {} } },
  { name: 'a Storm setting of the wrong type', text: `${VALID}config:\n  topology.workers: two\n` },
  { name: 'an environment value that is not a string', text: VALID.replace('script: b.ts', 'script: b.ts\n    config:\n      topology.environment: { RETRIES: 3 }') },
  {
    name: 'an alias bomb under config ("billion laughs")',
    text: `${VALID}config:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n  c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n`,
  },
  { name: 'a fractional tick frequency', text: VALID.replace('script: b.ts', 'script: b.ts\n    config: { topology.tick.tuple.freq.secs: 0.5 }') },
];

/** Legal files that still deserve a warning. */
export const WARNING_CASES: InvalidCase[] = [
  { name: 'a cycle', text: `${VALID}      - source: c\n        grouping: shuffle\n  c:\n    script: c.ts\n    inputs:\n      - source: b\n        grouping: shuffle\n` },
  { name: 'fewer tasks than executors', text: VALID.replace('script: b.ts', 'script: b.ts\n    parallelism: 4\n    tasks: 2') },
  { name: "a typo'd Storm setting", text: `${VALID}config:\n  topology.max.spout.pendng: 10\n  topology.my.own.setting: 1\n` },
  { name: 'a topology-wide setting in a component', text: VALID.replace('script: b.ts', 'script: b.ts\n    config:\n      topology.workers: 2\n      topology.tick.tuple.freq.secs: 5\n      my.own.setting: 1') },
  { name: 'a bolt without inputs', text: `name: wc\nspouts:\n  s:\n    script: s.ts\nbolts:\n  b:\n    script: b.ts\n` },
];
