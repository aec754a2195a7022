import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { selfImportResolver } from '../../eslint/self-imports.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** Lints `code` as if it were the file at `file` (repository-relative) and returns the layer messages. */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'squall/layers').map((m) => m.message);
}

// The contract, written out independently of eslint/layer-table.mjs: each layer and what it may import.
const table: Record<string, string[]> = {
  'core/common': [],
  'core/component': ['core/common'],
  'core/build': ['core/common', 'core/component'],
  'core/project': ['core/common', 'core/component', 'core/build'],
  'core/package': ['core/common', 'core/component', 'core/build', 'core/project'],
  'core/local': ['core/common', 'core/component', 'core/build', 'core/project'],
  'core/testing': ['core/common', 'core/component', 'core/build', 'core/project', 'core/local'],
  'core/cluster': ['core/common', 'core/build', 'core/project', 'core/package'],
  'core/debug': ['core/common', 'core/component', 'core/build', 'core/project', 'core/local', 'core/cluster'],
  'core/profile': ['core/common', 'core/build', 'core/project', 'core/local', 'core/cluster', 'core/debug'],
  'core/workbench': ['core/common', 'core/component', 'core/build', 'core/project', 'core/package', 'core/local', 'core/testing', 'core/cluster', 'core/debug', 'core/profile'],
  'core/cli': ['core/common', 'core/component', 'core/build', 'core/project', 'core/package', 'core/local', 'core/testing', 'core/cluster', 'core/debug', 'core/profile', 'core/workbench'],
  electron: ['core/workbench', 'core/common'],
  renderer: ['core/common'],
};
const layers = Object.keys(table);

/** What linting `import '<to>/index.js'` inside `from` must say (undefined: allowed). */
function expectedError(from: string, to: string): string | undefined {
  if (table[from]!.includes(to)) return undefined;
  if (from.startsWith('core/') && (to === 'electron' || to === 'renderer')) return `${from} must not import ${to}: core never depends on the UI (DESIGN.md §2).`;
  const may = table[from]!.length ? table[from]!.join(', ') : 'nothing outside itself';
  return `${from} must not import ${to}: it may import ${may} (DESIGN.md §2).`;
}

describe('the layer table (DESIGN.md §2)', () => {
  it.each(layers)('%s imports exactly the layers its row allows', async (from) => {
    const file = `${from}/probe/x.ts`;
    const others = layers.filter((to) => to !== from);
    const code = others.map((to) => `import '${path.posix.relative(path.posix.dirname(file), `${to}/index.js`)}';`).join('\n') + '\n';
    const expected = others.map((to) => expectedError(from, to)).filter((m) => m !== undefined);
    expect(await layerErrors(file, code)).toEqual(expected);
  });

  it('lets core/package import core/project but not the other way round: the bundler sits below both in core/build', async () => {
    expect(await layerErrors('core/package/x.ts', "export { loadTopologyFile } from '../project/load.js';\nexport { bundleLauncher } from '../build/bundle.js';\n")).toEqual([]);
    expect(await layerErrors('core/project/x.ts', "export { packageTopology } from '../package/package-topology.js';\nexport { bundleLauncher } from '../build/bundle.js';\n")).toEqual([
      'core/project must not import core/package: it may import core/common, core/component, core/build (DESIGN.md §2).',
    ]);
  });

  it('refuses a folder under core/ that is not in the table until it is listed', async () => {
    expect(await layerErrors('core/telemetry/x.ts', 'export const x = 1;\n')).toEqual([
      'core/telemetry is not in the layer table: add it to eslint/layer-table.mjs with the layers it may import (DESIGN.md §2).',
    ]);
    expect(await layerErrors('core/local/x.ts', "export * from '../telemetry/x.js';\n")).toEqual([
      'core/local must not import core/telemetry: it may import core/common, core/component, core/build, core/project (DESIGN.md §2).',
    ]);
  });

  it('refuses a file directly in core/, outside every layer', async () => {
    expect(await layerErrors('core/shared.ts', 'export const x = 1;\n')).toEqual([
      'core/shared.ts is directly in core/, outside every layer: move it into a layer folder listed in eslint/layer-table.mjs (DESIGN.md §2).',
    ]);
  });

  it('checks every form of import: re-exports, dynamic import, type imports, import = require, require()', async () => {
    const code = [
      "export { a } from '../local/a.js';",
      "export * from '../local/b.js';",
      "export * as c from '../local/c.js';",
      "export const d = () => import('../local/d.js');",
      'export const e = () => import(`../local/e.js`);',
      "export type F = import('../local/f.js').F;",
      "import g = require('../local/g.js');",
      "export const h = require('../local/h.js');",
      "import type { I } from '../local/i.js';",
      'export { g, type I };',
    ].join('\n');
    const refusal = 'core/component must not import core/local: it may import core/common (DESIGN.md §2).';
    expect(await layerErrors('core/component/x.ts', code)).toEqual(Array(9).fill(refusal));
  });

  it('refuses code outside the layers (tests, benches, examples) imported from a layer', async () => {
    expect(await layerErrors('core/local/x.ts', "export { startLocal } from '../../test/local/helpers.js';\n")).toEqual([
      'core/local must not import test/local/helpers.js: it is outside the layers (DESIGN.md §2); only core/*, electron/ and renderer/ code may be imported.',
    ]);
  });

  it('keeps electron out of core and the UI out of core', async () => {
    const code = "import { app } from 'electron';\nimport { view } from '../../renderer/view.js';\nexport const x = [app, view];\n";
    expect(await layerErrors('core/local/x.ts', code)).toEqual([
      'core/local must not import electron: only electron/ may (DESIGN.md §2).',
      'core/local must not import renderer: core never depends on the UI (DESIGN.md §2).',
    ]);
    expect(await layerErrors('electron/main.ts', "import { app } from 'electron';\nexport const x = app;\n")).toEqual([]);
  });
});

describe('package names that resolve into this repository', () => {
  it("checks 'squall' and 'squall/testing' like relative imports of the files package.json exports", async () => {
    expect(await layerErrors('core/common/x.ts', "export { Bolt } from 'squall';\n")).toEqual([
      "core/common must not import core/component (through 'squall'): it may import nothing outside itself (DESIGN.md §2).",
    ]);
    expect(await layerErrors('core/component/x.ts', "export { Bolt } from 'squall';\nexport { runTopology } from 'squall/testing';\n")).toEqual([
      "core/component must not import core/testing (through 'squall/testing'): it may import core/common (DESIGN.md §2).",
    ]);
    expect(await layerErrors('renderer/x.ts', "import { Bolt } from 'squall';\nexport const x = Bolt;\n")).toEqual([
      "renderer must not import core/component (through 'squall'): it may import core/common (DESIGN.md §2).",
    ]);
    expect(await layerErrors('core/cli/x.ts', "export { runTopology } from 'squall/testing';\n")).toEqual([]);
  });

  it('refuses a subpath package.json does not export', async () => {
    expect(await layerErrors('core/cli/x.ts', "export { LocalEngine } from 'squall/core/local/engine.js';\n")).toEqual([
      `'squall/core/local/engine.js' is not exported by package.json: import the file by a relative path, or add it to "exports" (DESIGN.md §2).`,
    ]);
  });

  it('reads exports the way Node does: sugar, conditions, subpath patterns', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'squall-exports-'));
    try {
      const write = (pkg: object) => writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
      write({ name: 'demo', exports: './core/component/index.ts' });
      expect(selfImportResolver(dir)('demo')).toEqual({ file: path.join(dir, 'core/component/index.ts') });
      expect(selfImportResolver(dir)('demo/testing')).toEqual({ unexported: true });
      expect(selfImportResolver(dir)('demonstration')).toBeUndefined();
      expect(selfImportResolver(dir)('yaml')).toBeUndefined();
      write({ name: 'demo', exports: { '.': { types: './core/component/index.d.ts', import: './core/component/index.ts' }, './tools/*': './core/cli/tools/*.ts' } });
      expect(selfImportResolver(dir)('demo')).toEqual({ file: path.join(dir, 'core/component/index.d.ts') });
      expect(selfImportResolver(dir)('demo/tools/init')).toEqual({ file: path.join(dir, 'core/cli/tools/init.ts') });
      expect(selfImportResolver(dir)('demo/other')).toEqual({ unexported: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Node stays out of core/common and renderer', () => {
  const nodeGlobal = (layer: string, name: string) => `${layer} must not use the Node global '${name}': it runs where Node APIs do not exist; let a Node layer pass the value in (DESIGN.md §2).`;
  const usesNode = [
    'export const env = process.env.HOME;',
    "export const bytes = Buffer.from('x');",
    'export const here = __dirname;',
    "export const lib = require('yaml');",
    'export const g = global;',
    'setImmediate(() => undefined);',
    'export type Timer = NodeJS.Timeout;',
    'export function size(b: Buffer): number { return b.length; }',
    'export const p = globalThis.process;',
    'export const dir = import.meta.dirname;',
  ].join('\n');

  it.each(['core/common', 'renderer'])('refuses Node globals in %s, found by scope analysis rather than by import', async (layer) => {
    expect(await layerErrors(`${layer}/x.ts`, usesNode)).toEqual([
      nodeGlobal(layer, 'process'),
      nodeGlobal(layer, 'Buffer'),
      nodeGlobal(layer, '__dirname'),
      nodeGlobal(layer, 'require'),
      nodeGlobal(layer, 'global'),
      nodeGlobal(layer, 'setImmediate'),
      nodeGlobal(layer, 'NodeJS'),
      nodeGlobal(layer, 'Buffer'),
      nodeGlobal(layer, 'process'),
      `${layer} must not use import.meta.dirname: only Node defines it (DESIGN.md §2).`,
    ]);
  });

  it('accepts the same code in a layer that runs on Node', async () => {
    expect(await layerErrors('core/local/x.ts', usesNode)).toEqual([]);
  });

  it('accepts local names that shadow Node globals, and timers browsers have too', async () => {
    const code = 'const process = { id: 1 };\nexport function f(Buffer: number): number { return Buffer + process.id; }\nexport const t = setTimeout(() => undefined, 1);\nexport const u = new URL(\'file:///x\');\n';
    expect(await layerErrors('core/common/x.ts', code)).toEqual([]);
  });

  it('refuses a Node module in core/common and the renderer', async () => {
    expect(await layerErrors('core/common/topology/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).toEqual([
      "core/common must not import the Node module 'node:fs': it runs where Node APIs do not exist (DESIGN.md §2).",
    ]);
    expect(await layerErrors('renderer/x.ts', "import os from 'os';\nexport const x = os;\n")).toEqual([
      "renderer must not import the Node module 'os': it runs where Node APIs do not exist (DESIGN.md §2).",
    ]);
  });
});

describe('the repository as it is', () => {
  it('keeps every layer rule', async () => {
    const results = await eslint.lintFiles(['core/**/*.ts']);
    const broken = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'squall/layers').map((m) => `${path.relative(root, r.filePath)}: ${m.message}`));
    expect(broken).toEqual([]);
    expect(results.map((r) => path.relative(root, r.filePath))).toContain('core/common/event.ts');
  }, 120_000); // parses all of core: seconds alone, much longer beside the process-heavy suites on two cores
});
