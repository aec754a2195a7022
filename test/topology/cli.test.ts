import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const wordcount = path.join(repo, 'examples/wordcount/topology.yaml');
const temp = mkdtempSync(path.join(tmpdir(), 'squall-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `squall <args>` the way a user does (node bin/squall.mjs), from the repository root. */
function squall(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(repo, 'bin/squall.mjs'), ...args], { cwd: repo, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const WORDCOUNT_JSON = {
  schema: 'squall.topology/1',
  name: 'wordcount',
  file: wordcount,
  node: '>=20',
  config: { 'topology.max.spout.pending': 1000, 'topology.message.timeout.secs': 30 },
  spouts: [
    { id: 'sentences', kind: 'spout', script: 'components/sentences.ts', parallelism: 1, tasks: 1, config: {}, streams: { default: { fields: ['sentence'], direct: false } }, inputs: [] },
  ],
  bolts: [
    {
      id: 'split',
      kind: 'bolt',
      script: 'components/split.ts',
      parallelism: 2,
      tasks: 2,
      config: {},
      streams: { default: { fields: ['word'], direct: false } },
      inputs: [{ source: 'sentences', stream: 'default', grouping: { type: 'shuffle' } }],
    },
    {
      id: 'count',
      kind: 'bolt',
      script: 'components/count.ts',
      parallelism: 2,
      tasks: 2,
      config: {},
      streams: { default: { fields: ['word', 'count'], direct: false } },
      inputs: [{ source: 'split', stream: 'default', grouping: { type: 'fields', fields: ['word'] } }],
    },
  ],
};

describe('squall validate / describe / init', () => {
  it.each(['init', 'validate', 'describe'])('`squall %s --help` explains the command with an example', async (command) => {
    const run = await squall(command, '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: squall ${command} [options]`);
    expect(run.stdout).toContain('Example');
  });

  it('validate accepts the wordcount example', async () => {
    const run = await squall('validate', 'examples/wordcount/topology.yaml');
    expect(run).toEqual({ code: 0, stdout: 'examples/wordcount/topology.yaml: ok (1 spout, 2 bolts)\n', stderr: '' });
  });

  it('validate prints every problem compiler-style and exits 1, without a stack trace', async () => {
    const file = path.join(temp, 'broken.yaml');
    writeFileSync(file, 'name: broken\nspouts:\n  s:\n    scirpt: s.ts\nbolts:\n  b:\n    script: b.ts\n    inputs:\n      - source: s\n        grouping: shufle\n');
    const run = await squall('validate', file);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      [
        `${file}:4:5: error: unknown key 'scirpt' in spout 's'`,
        "  hint: did you mean 'script'?",
        `${file}:7:13: error: script 'b.ts' of bolt 'b' does not exist`,
        `  hint: looked for ${path.join(temp, 'b.ts')}; paths are relative to the topology file's folder — create the file or fix the path`,
        `${file}:10:19: error: unknown grouping 'shufle' in bolt 'b'`,
        "  hint: did you mean 'shuffle'?",
        `${file}: 3 errors`,
        '',
      ].join('\n'),
    );
  });

  it('validate of malformed YAML gives a line and column, not a crash', async () => {
    const file = path.join(temp, 'malformed.yaml');
    writeFileSync(file, 'name: x\nspouts: [\n');
    const run = await squall('validate', file);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:1: error: malformed YAML: `));
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('validate refuses a YAML alias bomb under config: with its file:line, not a stack trace', async () => {
    const file = path.join(temp, 'laughs.yaml');
    const lines = ['name: laughs', 'config:', '  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const [name, from] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f']]) lines.push(`  ${name}: &${name} [${Array(9).fill(`*${from}`).join(', ')}]`);
    writeFileSync(file, [...lines, 'spouts:', '  s: { script: s.ts }', ''].join('\n'));
    const run = await squall('validate', file);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr).toContain(`${file}:6:3: error: the value of 'd' in config expands YAML aliases more than 100 times`);
    expect(run.stderr).toContain('hint: write the values out, or nest fewer aliases');
  });

  it('describe --json gives the stable JSON form of wordcount, streams read from the classes', async () => {
    const run = await squall('describe', 'examples/wordcount/topology.yaml', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(WORDCOUNT_JSON);
  });

  it('describe prints the resolved topology for people', async () => {
    const run = await squall('describe', 'examples/wordcount/topology.yaml');
    expect(run.stdout).toBe(`topology wordcount  (${wordcount})
  node >=20
  config
    topology.max.spout.pending: 1000
    topology.message.timeout.secs: 30

spout sentences  components/sentences.ts  parallelism 1
  emits  default [sentence]

bolt split  components/split.ts  parallelism 2
  reads  sentences:default  shuffle
  emits  default [word]

bolt count  components/count.ts  parallelism 2
  reads  split:default  fields(word)
  emits  default [word, count]
`);
  });

  it('describe of a topology with errors exits 1 with the error and its hint', async () => {
    const file = path.join(temp, 'nospout.yaml');
    writeFileSync(file, 'name: lonely\nbolts:\n  b:\n    script: b.ts\n');
    writeFileSync(path.join(temp, 'b.ts'), 'export {};\n');
    const run = await squall('describe', file, '--no-introspect');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`squall: ${file}:1:1: the topology has no spout\n  hint: add a spout under \`spouts:\`; every tuple tree starts at a spout\n`);
  });

  it('init scaffolds a project that describes, validates and type-checks without npm install, and whose test passes', async () => {
    const dir = path.join(temp, 'fresh');
    const init = await squall('init', dir, '--name', 'fresh-words');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("(topology 'fresh-words')");
    for (const file of ['topology.yaml', 'components/sentences.ts', 'components/split.ts', 'components/count.ts', 'test/split.test.ts', 'package.json', 'tsconfig.json', '.gitignore']) {
      expect(existsSync(path.join(dir, file)), file).toBe(true);
    }
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(path.resolve(dir, pkg.dependencies.squall!.replace(/^file:/, ''))).toBe(path.resolve(repo));

    const described = await squall('describe', path.join(dir, 'topology.yaml'), '--json');
    expect(described.stderr).toBe('');
    const json = JSON.parse(described.stdout) as typeof WORDCOUNT_JSON;
    expect(json.name).toBe('fresh-words');
    expect([...json.spouts, ...json.bolts].map((c) => `${c.kind} ${c.id} ${JSON.stringify(c.streams)} ${c.inputs.map((i) => `${i.source}:${i.grouping.type}`).join()}`)).toEqual([
      'spout sentences {"default":{"fields":["sentence"],"direct":false}} ',
      'bolt split {"default":{"fields":["word"],"direct":false}} sentences:shuffle',
      'bolt count {"default":{"fields":["word","count"],"direct":false}} split:fields',
    ]);

    const validated = await squall('validate', path.join(dir, 'topology.yaml'));
    expect(validated.code).toBe(0);

    // What an editor sees: 'squall' and 'vitest' resolve through tsconfig paths, no node_modules needed.
    const tsc = await new Promise<Run>((resolve) =>
      execFile(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', path.join(dir, 'tsconfig.json')], { timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? 1 : 0, stdout, stderr }),
      ),
    );
    expect(tsc).toEqual({ code: 0, stdout: '', stderr: '' });

    // What `npm install` would link (squall as a file: dependency, vitest), then the project's own test.
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(repo, path.join(dir, 'node_modules', 'squall'), 'dir');
    symlinkSync(path.join(repo, 'node_modules', 'vitest'), path.join(dir, 'node_modules', 'vitest'), 'dir');
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_OPTIONS' && key !== 'TEST' && key !== 'FORCE_COLOR')), NO_COLOR: '1' };
    const test = await new Promise<Run>((resolve) =>
      execFile(process.execPath, [path.join(repo, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=dot'], { cwd: dir, env, timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? 1 : 0, stdout, stderr }),
      ),
    );
    expect(test.code, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/Tests\s+3 passed/);
  });

  it('init refuses a folder that is not empty', async () => {
    const dir = path.join(temp, 'taken');
    await squall('init', dir);
    const again = await squall('init', dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`squall: ${dir} is not empty (6 entries); squall init only writes into a new or empty folder\n  hint: choose a new folder, or empty this one first\n`);
  });

  it('init on a path the system refuses (/proc/x) fails at once with the reason, instead of hanging', async () => {
    const run = await squall('init', '/proc/squall-init-test');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'squall: cannot create /proc/squall-init-test: /proc exists but refuses new entries (ENOENT; a virtual file system such as /proc or /sys?)\n' +
        '  hint: choose a folder on a writable disk, e.g. `squall init ~/my-topology` or `squall init $(mktemp -d)/my-topology`\n',
    );
  });

  it('init under a file (a/file/x) names the file in the way, without a stack, and creates nothing', async () => {
    const file = path.join(temp, 'plain-file');
    writeFileSync(file, 'not a folder\n');
    const run = await squall('init', path.join(file, 'deeper', 'project'));
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`squall: cannot create ${path.join(file, 'deeper', 'project')}: ${file} is a file, not a folder\n  hint: choose a path whose parents are folders (${file} is not one)\n`);
    expect(readFileSync(file, 'utf8')).toBe('not a folder\n');
  });

  it('init creates missing parent folders one by one', async () => {
    const dir = path.join(temp, 'parents', 'one', 'two');
    const run = await squall('init', dir);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'components', 'split.ts'))).toBe(true);
  });

  it('init refuses a topology name Storm would refuse', async () => {
    const run = await squall('init', path.join(temp, 'named'), '--name', 'my.topology');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("squall: topology name 'my.topology' contains '.', which Storm does not allow\n  hint: pass another --name, e.g. --name my-topology\n");
    expect(existsSync(path.join(temp, 'named'))).toBe(false);
  });
});
