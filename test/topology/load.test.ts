import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SquallError } from '../../core/common/errors.js';
import { formatDiagnostic, TopologyError } from '../../core/common/topology/diagnostics.js';
import { loadTopology, loadTopologyFile } from '../../core/project/load.js';

const root = mkdtempSync(path.join(tmpdir(), 'squall-load-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SPOUT = `import { Spout } from 'squall';
export default class Numbers extends Spout {
  static outputs = { default: ['n'], odd: { fields: ['n', 'why'], direct: true } };
  nextTuple(): void {}
}
`;
const BOLT = `import { BasicBolt, type Tuple } from 'squall';
export default class Printer extends BasicBolt {
  static outputs = { default: ['line'] };
  static config = { 'topology.tick.tuple.freq.secs': 5, 'squall.from.class': true };
  process(_tuple: Tuple): void {}
}
`;

let projects = 0;
/** A project folder with the given files; returns the topology file's path. */
function project(files: Record<string, string>): string {
  const dir = path.join(root, `p${projects++}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return path.join(dir, 'topology.yaml');
}

const TOPOLOGY = `name: numbers
spouts:
  numbers:
    script: components/numbers.ts
bolts:
  printer:
    script: components/printer.ts
    config:
      topology.tick.tuple.freq.secs: 1
    inputs:
      - source: numbers
        grouping: { fields: [n] }
`;

/** Diagnostics as printed, with the temporary folder replaced by <dir>. */
async function report(file: string): Promise<string> {
  const { diagnostics } = await loadTopology(file);
  return diagnostics.map(formatDiagnostic).join('\n').replaceAll(path.dirname(file), '<dir>');
}

describe('loadTopologyFile', () => {
  it('reads streams and class config from the component classes; the file overrides the class', async () => {
    const file = project({ 'topology.yaml': TOPOLOGY, 'components/numbers.ts': SPOUT, 'components/printer.ts': BOLT });
    const spec = await loadTopologyFile(file);
    expect(spec.file).toBe(file);
    const [numbers, printer] = spec.components;
    expect(numbers!.outputs).toEqual({ default: { fields: ['n'], direct: false }, odd: { fields: ['n', 'why'], direct: true } });
    expect(printer!.outputs).toEqual({ default: { fields: ['line'], direct: false } });
    expect(printer!.config).toEqual({ 'topology.tick.tuple.freq.secs': 1, 'squall.from.class': true });
  });

  it('reads the classes even when a module writes to stdout at import without a newline', async () => {
    const chatty = `process.stdout.write('loading numbers...');\n${SPOUT}`;
    const file = project({ 'topology.yaml': TOPOLOGY, 'components/numbers.ts': chatty, 'components/printer.ts': BOLT });
    const spec = await loadTopologyFile(file);
    expect(spec.components.find((c) => c.id === 'numbers')!.outputs).toEqual({ default: { fields: ['n'], direct: false }, odd: { fields: ['n', 'why'], direct: true } });
  });

  it('a project folder stands for its topology.yaml', async () => {
    const file = project({ 'topology.yaml': TOPOLOGY, 'components/numbers.ts': SPOUT, 'components/printer.ts': BOLT });
    const spec = await loadTopologyFile(path.dirname(file), { introspect: false });
    expect(spec.file).toBe(file);
  });

  it('with introspect: false, checks the file only and leaves outputs unknown', async () => {
    const file = project({ 'topology.yaml': TOPOLOGY.replace('[n]', '[not-a-field]'), 'components/numbers.ts': SPOUT, 'components/printer.ts': BOLT });
    const spec = await loadTopologyFile(file, { introspect: false });
    expect(spec.components.map((c) => c.outputs)).toEqual([undefined, undefined]);
    await expect(report(file)).resolves.toBe(
      "<dir>/topology.yaml:12:30: error: the fields grouping of bolt 'printer' uses 'not-a-field', which stream numbers:default does not declare\n  hint: fields: n; declare the field in `static outputs` of components/numbers.ts",
    );
  });

  it('names the file:line of `script:` and a close file name when a script does not exist', async () => {
    const file = project({ 'topology.yaml': TOPOLOGY.replace('components/printer.ts', 'components/printr.ts'), 'components/numbers.ts': SPOUT, 'components/printer.ts': BOLT });
    await expect(report(file)).resolves.toBe(
      "<dir>/topology.yaml:7:13: error: script 'components/printr.ts' of bolt 'printer' does not exist\n  hint: did you mean 'components/printer.ts'? (paths are relative to the topology file's folder)",
    );
  });

  it('says where it looked when nothing close exists', async () => {
    const file = project({ 'topology.yaml': TOPOLOGY, 'components/numbers.ts': SPOUT });
    await expect(report(file)).resolves.toBe(
      "<dir>/topology.yaml:7:13: error: script 'components/printer.ts' of bolt 'printer' does not exist\n  hint: looked for <dir>/components/printer.ts; paths are relative to the topology file's folder — create the file or fix the path",
    );
  });

  it('reports a module that exports no component at its `script:` line', async () => {
    const file = project({ 'topology.yaml': TOPOLOGY, 'components/numbers.ts': SPOUT, 'components/printer.ts': 'export const printer = 1;\n' });
    const text = await report(file);
    expect(text).toMatch(/^<dir>\/topology\.yaml:7:13: error: bolt 'printer': components\/printer\.ts exports no Spout or Bolt subclass\n {2}hint: /);
  });

  it('reports every broken module at once, each at its own `script:` line', async () => {
    const file = project({ 'topology.yaml': TOPOLOGY, 'components/numbers.ts': 'export const n = ;\n', 'components/printer.ts': 'export const printer = 1;\n' });
    const lines = (await report(file)).split('\n').filter((line) => !line.startsWith('  '));
    expect(lines).toEqual([
      "<dir>/topology.yaml:4:13: error: spout 'numbers': cannot compile components/numbers.ts: components/numbers.ts:1:18: Unexpected \";\"",
      "<dir>/topology.yaml:7:13: error: bolt 'printer': components/printer.ts exports no Spout or Bolt subclass",
    ]);
  });

  it("explains `static outputs = { default: 'word' }` at the component's `script:` line, with the declaration it needs", async () => {
    const wrong = BOLT.replace("static outputs = { default: ['line'] };", "static outputs = { default: 'line' };");
    const file = project({ 'topology.yaml': TOPOLOGY, 'components/numbers.ts': SPOUT, 'components/printer.ts': wrong });
    expect(await report(file)).toBe(
      "<dir>/topology.yaml:7:13: error: bolt 'printer': `static outputs` of class Printer in components/printer.ts declares stream 'default' as the string 'line', not a list of field names\n" +
        "  hint: write `static outputs = { default: ['line'] }`: each stream id maps to its list of field names (or to { fields: [...], direct: true } for a direct stream)",
    );
  });

  it('lists parse errors, missing scripts and stream/field errors of one file together (a bad `parallelism: "2"` hides nothing)', async () => {
    const text = `name: numbers
spouts:
  numbers:
    script: components/numbers.ts
bolts:
  printer:
    script: components/printer.ts
    parallelism: "2"
    inputs:
      - source: numbers
        grouping: { fields: [m] }
      - source: numbrs
        grouping: shuffle
      - source: numbers
        grouping: shufle
  ghost:
    script: components/ghost.ts
    inputs: [{ source: printer, stream: lines, grouping: shuffle }]
`;
    const file = project({ 'topology.yaml': text, 'components/numbers.ts': SPOUT, 'components/printer.ts': BOLT });
    expect(await report(file)).toBe(
      [
        `<dir>/topology.yaml:8:18: error: parallelism of bolt 'printer' must be a whole number, not the string '2'`,
        '  hint: write `parallelism: 2`',
        `<dir>/topology.yaml:11:30: error: the fields grouping of bolt 'printer' uses 'm', which stream numbers:default does not declare`,
        `  hint: did you mean 'n'? (fields: n)`,
        `<dir>/topology.yaml:12:17: error: bolt 'printer' reads from 'numbrs', which is not a component of this topology`,
        `  hint: did you mean 'numbers'?`,
        `<dir>/topology.yaml:15:19: error: unknown grouping 'shufle' in bolt 'printer'`,
        `  hint: did you mean 'shuffle'?`,
        `<dir>/topology.yaml:17:13: error: script 'components/ghost.ts' of bolt 'ghost' does not exist`,
        `  hint: looked for <dir>/components/ghost.ts; paths are relative to the topology file's folder — create the file or fix the path`,
        `<dir>/topology.yaml:18:41: error: bolt 'ghost' reads stream 'lines' of 'printer', which 'printer' does not declare`,
        `  hint: 'printer' declares: 'default'; streams are declared in \`static outputs\` of components/printer.ts`,
      ].join('\n'),
    );
  });

  it('names a component whose module never finishes loading (top-level await that never settles), and still reads the others', async () => {
    const stuck = `await new Promise(() => {});\n${BOLT}`;
    const file = project({ 'topology.yaml': TOPOLOGY.replace('fields: [n]', 'fields: [m]'), 'components/numbers.ts': SPOUT, 'components/printer.ts': stuck });
    const text = await report(file);
    expect(text).toMatch(
      /^<dir>\/topology\.yaml:7:13: error: bolt 'printer': components\/printer\.ts never finished loading: a top-level await in it \(or in a module it imports\) never settled; Node gave up after \d+\.\d s with nothing left to wait for\n {2}hint: a top-level await that never settles/,
    );
    // The spout's class was still read: the fields grouping is checked against it.
    expect(text).toContain("<dir>/topology.yaml:12:30: error: the fields grouping of bolt 'printer' uses 'm', which stream numbers:default does not declare");
  });

  it('gives up on a module still loading after the introspection timeout, saying how long it waited', async () => {
    const stuck = `await new Promise(() => setInterval(() => {}, 1000));\n${BOLT}`;
    const file = project({ 'topology.yaml': TOPOLOGY, 'components/numbers.ts': SPOUT, 'components/printer.ts': stuck });
    // The message's "within 1.x s" shows it stopped at the timeout given, not at the 30 s default.
    const { diagnostics } = await loadTopology(file, { introspectionTimeoutMs: 1500 });
    expect(diagnostics.map(formatDiagnostic).join('\n').replaceAll(path.dirname(file), '<dir>')).toMatch(
      /^<dir>\/topology\.yaml:7:13: error: bolt 'printer': components\/printer\.ts did not finish loading within 1\.\d s \(introspection stopped waiting\)\n {2}hint: a top-level await that never settles .* do that work in the component's initialize\(\)/,
    );
  });

  it('refuses a Spout class listed under bolts', async () => {
    const file = project({ 'topology.yaml': TOPOLOGY, 'components/numbers.ts': SPOUT, 'components/printer.ts': SPOUT });
    await expect(report(file)).resolves.toBe(
      "<dir>/topology.yaml:6:3: error: 'printer' is listed under bolts: but components/printer.ts exports a Spout\n  hint: move 'printer' under spouts:, or make the class extend Bolt",
    );
  });

  it('checks inputs against the streams the classes declare', async () => {
    const file = project({
      'topology.yaml': `${TOPOLOGY}      - source: numbers\n        stream: odd\n        grouping: shuffle\n      - source: numbers\n        stream: evn\n        grouping: shuffle\n`,
      'components/numbers.ts': SPOUT,
      'components/printer.ts': BOLT,
    });
    await expect(report(file)).resolves.toBe(
      [
        "<dir>/topology.yaml:15:19: error: bolt 'printer' uses a shuffle grouping on stream numbers:odd, which is declared direct",
        '  hint: use `grouping: direct`: tuples on a direct stream go to the task the emitter picks',
        "<dir>/topology.yaml:17:17: error: bolt 'printer' reads stream 'evn' of 'numbers', which 'numbers' does not declare",
        "  hint: 'numbers' declares: 'default', 'odd'; streams are declared in `static outputs` of components/numbers.ts",
      ].join('\n'),
    );
  });

  it('throws one TopologyError listing every error, compiler style', async () => {
    const file = project({ 'topology.yaml': TOPOLOGY.replace('name: numbers', 'name: a.b').replace('source: numbers', 'source: numbrs'), 'components/numbers.ts': SPOUT, 'components/printer.ts': BOLT });
    const error = await loadTopologyFile(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TopologyError);
    expect((error as TopologyError).diagnostics).toHaveLength(2);
    expect((error as SquallError).format().replaceAll(path.dirname(file), '<dir>')).toBe(
      [
        '2 errors in the topology:',
        "<dir>/topology.yaml:1:7: error: topology name 'a.b' contains '.', which Storm does not allow",
        "  hint: Storm forbids / . : \\ in topology names; try 'a-b'",
        "<dir>/topology.yaml:11:17: error: bolt 'printer' reads from 'numbrs', which is not a component of this topology",
        "  hint: did you mean 'numbers'?",
        '  hint: fix the errors above (`squall validate <topology.yaml>` lists them again)',
      ].join('\n'),
    );
  });

  it('a single error formats as file:line:col: message plus hint', async () => {
    const file = project({ 'topology.yaml': TOPOLOGY.replace('grouping: { fields: [n] }', 'grouping: shufle'), 'components/numbers.ts': SPOUT, 'components/printer.ts': BOLT });
    const error = (await loadTopologyFile(file).catch((e: unknown) => e)) as SquallError;
    expect(error.format().replaceAll(path.dirname(file), '<dir>')).toBe("<dir>/topology.yaml:12:19: unknown grouping 'shufle' in bolt 'printer' (component 'printer')\n  hint: did you mean 'shuffle'?");
  });

  it('checks an unsaved text against the scripts next to the file', async () => {
    const file = project({ 'topology.yaml': TOPOLOGY, 'components/numbers.ts': SPOUT, 'components/printer.ts': BOLT });
    const { diagnostics } = await loadTopology(file, { text: TOPOLOGY.replace('[n]', '[m]') });
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual(["12:30 the fields grouping of bolt 'printer' uses 'm', which stream numbers:default does not declare"]);
  });

  it('says so when the topology file itself is missing', async () => {
    const missing = path.join(root, 'nowhere', 'topology.yaml');
    await expect(loadTopologyFile(missing)).rejects.toThrow(`topology file ${missing} does not exist`);
  });
});
