import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SquallError } from '../../core/common/errors.js';
import { Bolt } from '../../core/component/index.js';
import { bundleComponentModule, bundleLauncher } from '../../core/build/bundle.js';
import { ComponentLoadErrors, introspectComponents } from '../../core/project/introspect.js';

let project: string;
const file = (name: string, text: string): string => {
  const full = path.join(project, name);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
  return full;
};

beforeAll(() => {
  project = mkdtempSync(path.join(os.tmpdir(), 'squall-bundle-'));
  file('package.json', '{"name":"demo","type":"module"}');
  // A CommonJS dependency that requires a Node builtin: needs the createRequire banner in ESM.
  file('node_modules/shout/package.json', '{"name":"shout","main":"index.js"}');
  file('node_modules/shout/index.js', "const os = require('node:os'); module.exports = (s) => s.toUpperCase() + (os.EOL === '\\n' ? '!' : '?');");
  file('components/words.ts', "export const SEPARATOR: string = ' ';\n");
  file(
    'components/shout-bolt.ts',
    [
      "import { BasicBolt, type Tuple } from 'squall';",
      "import shout from 'shout';",
      "import { SEPARATOR } from './words.js';",
      'export default class ShoutBolt extends BasicBolt {',
      "  static outputs = { default: ['loud'], errors: { fields: ['why'], direct: true } };",
      "  static config = { 'topology.tick.tuple.freq.secs': 10 };",
      '  process(tuple: Tuple): void {',
      '    for (const w of String(tuple.values[0]).split(SEPARATOR)) this.emit([shout(w)]);',
      '  }',
      '}',
    ].join('\n'),
  );
  file('components/named-spout.ts', "import { Spout } from 'squall';\nexport class Ticker extends Spout {\n  static outputs = { default: ['t'] };\n  nextTuple(): void {}\n}\n");
  file('components/broken.ts', "import { Bolt } from 'squall';\nexport default class Broken extends Bolt {\n  process(tuple): void {\n    this.emit([tuple.values[0]);\n  }\n}\n");
  file('components/nothing.ts', 'export const answer = 42;\n');
  file('components/throws.ts', "throw new Error('no config file');\n");
  file('components/chatty.ts', "import { Bolt } from 'squall';\nconsole.log('hello at import');\nprocess.stdout.write('raw write\\n');\nexport default class Chatty extends Bolt {\n  static outputs = { default: ['x'] };\n  process(): void {}\n}\n");
});

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('bundleLauncher', () => {
  it('builds one ESM file that describes its class with --describe, under the project cache', async () => {
    const { file: bundle } = await bundleLauncher({ script: path.join(project, 'components/shout-bolt.ts'), componentId: 'shout' });
    expect(bundle.startsWith(path.join(project, '.squall-cache'))).toBe(true);
    const described = JSON.parse(execFileSync(process.execPath, [bundle, '--describe'], { encoding: 'utf8', timeout: 20_000 }));
    expect(described).toEqual({
      kind: 'bolt',
      outputs: { default: { fields: ['loud'], direct: false }, errors: { fields: ['why'], direct: true } },
      config: { 'topology.tick.tuple.freq.secs': 10 },
    });
  });

  it('reuses the cached bundle until an input file changes', async () => {
    const options = { script: path.join(project, 'components/shout-bolt.ts'), componentId: 'shout', outFile: path.join(project, 'out/shout.mjs') };
    const first = await bundleLauncher(options);
    const built = statSync(first.file).mtimeMs;
    await bundleLauncher(options);
    expect(statSync(first.file).mtimeMs).toBe(built);
    expect(readFileSync(first.file, 'utf8')).not.toContain('SEPARATOR = ","');
    file('components/words.ts', "export const SEPARATOR: string = ',';\n");
    await bundleLauncher(options);
    // The content says it was rebuilt (an mtime could repeat within one clock tick).
    expect(readFileSync(first.file, 'utf8')).toContain('SEPARATOR = ","');
  });

  it('keeps --describe output pure JSON when the module prints at import (the prints go to stderr)', async () => {
    const { file: bundle } = await bundleLauncher({ script: path.join(project, 'components/chatty.ts'), componentId: 'chatty' });
    const result = spawnSync(process.execPath, [bundle, '--describe'], { encoding: 'utf8', timeout: 20_000 });
    expect(JSON.parse(result.stdout)).toEqual({ kind: 'bolt', outputs: { default: { fields: ['x'], direct: false } }, config: {} });
    expect(result.stderr).toBe('hello at import\nraw write\n');
  });

  it('accepts a single named component export', async () => {
    const { file: bundle } = await bundleLauncher({ script: path.join(project, 'components/named-spout.ts'), componentId: 'ticker' });
    expect(JSON.parse(execFileSync(process.execPath, [bundle, '--describe'], { encoding: 'utf8', timeout: 20_000 })).kind).toBe('spout');
  });

  it('reports a compile error with the file and line', async () => {
    const failure = await bundleLauncher({ script: path.join(project, 'components/broken.ts'), componentId: 'broken' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SquallError);
    const error = failure as SquallError;
    expect(error.kind).toBe('component');
    expect(error.where).toMatchObject({ file: path.join(project, 'components/broken.ts'), line: 4, component: 'broken' });
    expect(error.message).toMatch(/cannot compile .*broken\.ts: .*broken\.ts:4:\d+: Expected "]" but found "\)"/);
  });

  it('reports a missing script', async () => {
    await expect(bundleLauncher({ script: path.join(project, 'nope.ts'), componentId: 'x' })).rejects.toThrow(/nope\.ts does not exist/);
  });
});

describe('bundleComponentModule', () => {
  it('leaves squall as a shared import, so the class extends the host’s own Bolt', async () => {
    const { file: module } = await bundleComponentModule({ script: path.join(project, 'components/shout-bolt.ts') });
    const loaded = (await import(pathToFileURL(module).href)) as { default: new () => unknown };
    expect(new loaded.default()).toBeInstanceOf(Bolt);
  });
});

describe('introspectComponents', () => {
  it('reads kind, outputs and config of several components in one child process', async () => {
    const scripts = [path.join(project, 'components/shout-bolt.ts'), path.join(project, 'components/named-spout.ts')];
    const found = await introspectComponents(scripts);
    expect(found.get(scripts[0]!)).toMatchObject({ kind: 'bolt', config: { 'topology.tick.tuple.freq.secs': 10 } });
    expect(found.get(scripts[1]!)).toEqual({ kind: 'spout', outputs: { default: { fields: ['t'], direct: false } }, config: {} });
  });

  it.each([
    ['components/nothing.ts', /exports no Spout or Bolt subclass/, /export default class X extends Bolt/],
    ['components/throws.ts', /throws\.ts:1: loading the module threw: no config file/, /initialize\(\)/],
    ['components/missing.ts', /does not exist/, /script:/],
    ['components/broken.ts', /cannot compile/, /fix the code at/],
  ])('names the script when %s cannot be introspected', async (script, message, hint) => {
    const failure = (await introspectComponents([path.join(project, 'components/shout-bolt.ts'), path.join(project, script)]).catch((e: unknown) => e)) as SquallError;
    expect(failure).toBeInstanceOf(SquallError);
    expect(failure.message).toMatch(message);
    expect(failure.hint).toMatch(hint);
    expect(failure.where.file).toContain(script.split('/')[1]);
  });

  it('reports every failing script at once, each with its file:line and hint', async () => {
    const scripts = ['components/shout-bolt.ts', 'components/throws.ts', 'components/broken.ts', 'components/nothing.ts', 'components/missing.ts'].map((s) => path.join(project, s));
    const failure = (await introspectComponents(scripts).catch((e: unknown) => e)) as ComponentLoadErrors;
    expect(failure).toBeInstanceOf(ComponentLoadErrors);
    expect(failure).toBeInstanceOf(SquallError);
    expect(failure.failures.map((f) => path.basename(f.where.file!))).toEqual(['throws.ts', 'broken.ts', 'nothing.ts', 'missing.ts']);
    expect(failure.failures[0]!.where).toMatchObject({ file: scripts[1], line: 1 });
    const text = failure.format();
    expect(text).toMatch(/^4 component scripts cannot be loaded:/);
    expect(text).toContain(`  - ${scripts[1]}:1: loading the module threw: no config file\n      hint: make the module load without throwing`);
    expect(text).toContain(`${scripts[2]}:4:`);
    expect(text).toMatch(/broken\.ts:4:\d+: cannot compile[\s\S]*hint: fix the code at/);
    expect(text).toMatch(/nothing\.ts[^\n]*exports no Spout or Bolt subclass\n\s+hint: export the class as default/);
    expect(text).toMatch(/missing\.ts: component script [^\n]* does not exist\n\s+hint: check the `script:` path/);
    expect(text).not.toContain('shout-bolt');
  });
});
