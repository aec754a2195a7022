/**
 * Every invalid (or suspicious) topology file gets one exact, actionable report:
 * file:line:column, what is wrong, and a hint. The fixtures are in invalid-cases.ts.
 */
import { describe, expect, it } from 'vitest';
import { report } from './check.js';
import { INVALID_CASES, WARNING_CASES } from './invalid-cases.js';

/** Case name → the exact text `squall validate` prints for it. */
const EXPECTED = new Map<string, string>([
  ["malformed YAML: a key indented less than its siblings", "topology.yaml:5:1: error: malformed YAML: All mapping items must start at the same column\n  hint: check the indentation and the `key: value` colons on this line and the one above"],
  ["malformed YAML: tabs as indentation", "topology.yaml:3:1: error: malformed YAML: Tabs are not allowed as indentation\n  hint: YAML does not allow tabs for indentation; indent with spaces"],
  ["malformed YAML: unclosed flow mapping", "topology.yaml:3:1: error: malformed YAML: Flow map in block collection must be sufficiently indented and end with a }\n  hint: check the indentation and the `key: value` colons on this line and the one above"],
  ["two YAML documents in one file", "topology.yaml:2:1: error: malformed YAML: the file holds more than one YAML document\n  hint: a topology file holds one YAML document: remove the `---` separator and what follows"],
  ["an empty file", "topology.yaml:1:1: error: the topology file is empty\n  hint: a topology file starts with `name: my-topology`, then `spouts:` and `bolts:` (run `squall init` for an example)"],
  ["a list at the top", "topology.yaml:1:1: error: the topology file must be a mapping of name, node, config, spouts, bolts, not a list\n  hint: a topology file starts with `name: my-topology`, then `spouts:` and `bolts:` (run `squall init` for an example)"],
  ["a typo'd top-level key", "topology.yaml:1:1: error: unknown key 'nmae'\n  hint: did you mean 'name'?"],
  ["a Storm setting at the top level", "topology.yaml:11:1: error: unknown key 'workers'\n  hint: the top-level keys are: 'name', 'node', 'config', 'spouts', 'bolts'; Storm settings such as `topology.workers` go under `config:`"],
  ["a typo'd component key", "topology.yaml:4:5: error: unknown key 'scirpt' in spout 's'\n  hint: did you mean 'script'?"],
  ["streams written in the file", "topology.yaml:5:5: error: unknown key 'outputs' in spout 's'\n  hint: streams and output fields are declared once, on the component class (`static outputs = { default: [...] }`), not in the topology file"],
  ["a typo'd input key", "topology.yaml:9:9: error: unknown key 'sorce' in an input of bolt 'b'\n  hint: did you mean 'source'?"],
  ["a duplicate bolt id", "topology.yaml:11:3: error: duplicate key 'b' in bolts\n  hint: 'b' is already defined at line 6; YAML would keep only the last one, so rename or remove one"],
  ["a duplicate top-level key", "topology.yaml:11:1: error: duplicate key 'name'\n  hint: 'name' is already defined at line 1; YAML would keep only the last one, so rename or remove one"],
  ["spouts written as a list", "topology.yaml:3:3: error: spouts must be a mapping of spout id to spout, not a list\n  hint: write `spouts:`, then each spout id on its own line, indented, with its `script:` under it"],
  ["an empty component", "topology.yaml:3:5: error: spout 's' must be a mapping with at least a script, not empty\n  hint: add `script: components/s.ts` under it, indented"],
  ["parallelism written as a word", "topology.yaml:5:18: error: parallelism of spout 's' must be a whole number, not the string 'two'\n  hint: write `parallelism: 2`"],
  ["parallelism 0", "topology.yaml:5:18: error: parallelism of spout 's' must be a whole number of at least 1, not 0\n  hint: set `parallelism: 1` or more (it is the number of executors)"],
  ["fractional parallelism", "topology.yaml:8:18: error: parallelism of bolt 'b' must be a whole number of at least 1, not 1.5\n  hint: set `parallelism: 2` or more (it is the number of executors)"],
  ["negative tasks", "topology.yaml:8:12: error: tasks of bolt 'b' must be a whole number of at least 1, not -1\n  hint: set `tasks: 1` or more (it is the number of tasks)"],
  ["script is a list", "topology.yaml:4:13: error: script of spout 's' must be a string, not a list\n  hint: write `script: components/s.ts`"],
  ["missing script", "topology.yaml:3:3: error: spout 's' has no script\n  hint: add `script: components/s.ts` (the path of its module, relative to the topology file)"],
  ["inputs written as a mapping", "topology.yaml:9:7: error: inputs of bolt 'b' must be a list, not a mapping\n  hint: write each input as `- source: <component id>` with `grouping: shuffle` under it"],
  ["an input written as a bare id", "topology.yaml:8:14: error: an input of bolt 'b' must be a mapping with source and grouping, not the string 's'\n  hint: write `- source: <component id>` with `grouping: shuffle` under it"],
  ["an input without source", "topology.yaml:9:9: error: an input of bolt 'b' has no source\n  hint: add `source: <component id>` (the spout or bolt it reads from)"],
  ["an input without grouping", "topology.yaml:9:9: error: the input of bolt 'b' from 's' has no grouping\n  hint: add `grouping: shuffle` (or all, global, none, direct, local_or_shuffle, { fields: [...] })"],
  ["a typo'd grouping", "topology.yaml:10:19: error: unknown grouping 'shufle' in bolt 'b'\n  hint: did you mean 'shuffle'?"],
  ["fields grouping without fields", "topology.yaml:10:19: error: the fields grouping of bolt 'b' needs the fields to group on\n  hint: write `grouping: { fields: [word] }`"],
  ["fields not a list", "topology.yaml:10:28: error: fields of the fields grouping of bolt 'b' must be a list of field names, not the string 'word'\n  hint: write `grouping: { fields: [word] }`"],
  ["a typo'd key in a grouping", "topology.yaml:10:20: error: unknown key 'feilds' in a grouping of bolt 'b'\n  hint: did you mean 'fields'?"],
  ["config written as a list", "topology.yaml:11:9: error: config must be a mapping of Storm settings, not a list\n  hint: write one `topology.some.setting: value` per line, indented under `config:`"],
  ["no name", "topology.yaml:1:1: error: the topology has no name\n  hint: add `name: my-topology` at the top of the file"],
  ["a name Storm refuses", "topology.yaml:1:7: error: topology name 'word.count' contains '.', which Storm does not allow\n  hint: Storm forbids / . : \\ in topology names; try 'word-count'"],
  ["no spout", "topology.yaml:1:1: error: the topology has no spout\n  hint: add a spout under `spouts:`; every tuple tree starts at a spout\ntopology.yaml:3:3: warning: bolt 'b' has no inputs: it will only receive tick tuples\n  hint: add `inputs:` with `- source: <component id>` and `grouping: shuffle`"],
  ["a spout with inputs", "topology.yaml:5:5: error: spout 's' has inputs, but spouts cannot subscribe to streams\n  hint: move 's' under `bolts:`, or remove its inputs\ntopology.yaml:12:17: warning: bolt 'b' is part of a cycle: s → b → s\n  hint: cycles are legal in Storm, but tuple trees can grow without end; make sure something stops them"],
  ["a reserved component id", "topology.yaml:3:3: error: component id '__s' is reserved: ids starting with '__' belong to Storm\n  hint: rename it, e.g. 's'"],
  ["a spout and a bolt with the same id", "topology.yaml:6:3: error: 's' is both a spout and a bolt\n  hint: component ids must be unique across spouts and bolts; rename one of them"],
  ["an unknown source", "topology.yaml:9:17: error: bolt 'b' reads from 'spot', which is not a component of this topology\n  hint: the components are: 's', 'b'"],
  ["a shape error and a meaning error in one file", "topology.yaml:5:18: error: parallelism of spout 's' must be a whole number, not the string '2'\n  hint: write `parallelism: 2`\ntopology.yaml:10:17: error: bolt 'b' reads from 'spot', which is not a component of this topology\n  hint: the components are: 's', 'b'"],
  ["a typo'd source", "topology.yaml:9:17: error: bolt 'bolt' reads from 'bb', which is not a component of this topology\n  hint: did you mean 'b'?"],
  ["a reserved stream", "topology.yaml:10:17: error: bolt 'b' reads stream '__tick', but stream ids starting with '__' belong to Storm\n  hint: read a stream the source component declares"],
  ["the same stream read twice", "topology.yaml:11:9: error: bolt 'b' reads stream s:default twice\n  hint: Storm keeps one grouping per stream and subscriber; remove one of these inputs"],
  ["an empty fields list", "topology.yaml:10:19: error: the fields grouping of bolt 'b' lists no fields\n  hint: name at least one field, or use `grouping: global` to send every tuple to one task"],
  ["an undeclared stream", "topology.yaml:10:17: error: bolt 'b' reads stream 'words' of 's', which 's' does not declare\n  hint: 's' declares: 'default'; streams are declared in `static outputs` of s.ts"],
  ["fields grouping on undeclared fields", "topology.yaml:11:20: error: the fields grouping of bolt 'b' uses 'word', which stream s:default does not declare\n  hint: did you mean 'words'? (fields: words)\ntopology.yaml:11:26: error: the fields grouping of bolt 'b' uses 'lang', which stream s:default does not declare\n  hint: fields: words; declare the field in `static outputs` of s.ts"],
  ["direct grouping on a stream not declared direct", "topology.yaml:10:19: error: bolt 'b' uses a direct grouping on stream s:default, which is not declared direct\n  hint: declare it as `default: { fields: [...], direct: true }` in `static outputs` of s.ts, or use another grouping"],
  ["shuffle grouping on a direct stream", "topology.yaml:10:19: error: bolt 'b' uses a shuffle grouping on stream s:default, which is declared direct\n  hint: use `grouping: direct`: tuples on a direct stream go to the task the emitter picks"],
  ["a source that declares no streams", "topology.yaml:9:17: error: bolt 'b' reads stream 'default' of 's', which 's' does not declare\n  hint: 's' declares no streams: add `static outputs = { default: ['field'] }` to the class in s.ts"],
  ["a class declaring a reserved stream", "topology.yaml:4:13: error: spout 's' declares stream '__x', but stream ids starting with '__' belong to Storm\n  hint: rename the stream in `static outputs` of s.ts"],
  ["a Storm setting of the wrong type", "topology.yaml:12:21: error: topology.workers must be a whole number of at least 1, not \"two\"\n  hint: Storm refuses the topology on submit otherwise; e.g. `topology.workers: 2`"],
  ["an environment value that is not a string", "topology.yaml:9:29: error: topology.environment must be a mapping of names to strings, not {\"RETRIES\":3}\n  hint: Storm refuses the topology on submit otherwise; e.g. `topology.environment: { NAME: \"1\" }`"],
  ['an alias bomb under config ("billion laughs")', "topology.yaml:14:3: error: the value of 'c' in config expands YAML aliases more than 100 times\n  hint: write the values out, or nest fewer aliases: Squall refuses YAML whose aliases (*name) expand more than 100 times (the \"billion laughs\" pattern)"],
  ["a fractional tick frequency", "topology.yaml:8:46: error: topology.tick.tuple.freq.secs must be a whole number, not 0.5\n  hint: Storm refuses the topology on submit otherwise; e.g. `topology.tick.tuple.freq.secs: 5`"],
  ["a cycle", "topology.yaml:16:17: warning: bolt 'c' is part of a cycle: b → c → b\n  hint: cycles are legal in Storm, but tuple trees can grow without end; make sure something stops them"],
  ["fewer tasks than executors", "topology.yaml:9:12: warning: bolt 'b' has fewer tasks (2) than parallelism (4)\n  hint: Storm runs at most one executor per task, so only 2 executors will run; raise tasks or lower parallelism"],
  ["a typo'd Storm setting", "topology.yaml:12:3: warning: 'topology.max.spout.pendng' is not a Storm setting, so Storm will ignore it\n  hint: did you mean 'topology.max.spout.pending'?"],
  ["a topology-wide setting in a component", "topology.yaml:9:7: warning: bolt 'b' sets topology.workers, but Storm ignores it in a component's config\n  hint: move it to the topology's `config:`; a component may only set topology.debug, topology.max.spout.pending, topology.max.task.parallelism, topology.transactional.id, topology.tick.tuple.freq.secs and the windowing/state settings"],
  ["a bolt without inputs", "topology.yaml:6:3: warning: bolt 'b' has no inputs: it will only receive tick tuples\n  hint: add `inputs:` with `- source: <component id>` and `grouping: shuffle`"],
]);

describe('invalid topology files', () => {
  it('has at least 25 cases, each with an expected report', () => {
    expect(INVALID_CASES.length).toBeGreaterThanOrEqual(25);
    for (const c of [...INVALID_CASES, ...WARNING_CASES]) expect(EXPECTED.has(c.name), c.name).toBe(true);
  });

  it.each(INVALID_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const text = report(c.text, c.outputs);
    expect(text).toBe(EXPECTED.get(c.name));
    expect(text).toMatch(/^topology\.yaml:\d+:\d+: error: /);
  });
});

describe('legal files with warnings', () => {
  it.each(WARNING_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const text = report(c.text, c.outputs);
    expect(text).toBe(EXPECTED.get(c.name));
    expect(text).not.toContain(': error: ');
  });
});
