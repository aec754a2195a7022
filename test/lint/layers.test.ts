import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** Lints `code` as if it were the file at `file` (repository-relative) and returns the layer messages. */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'squall/layers').map((m) => m.message);
}

describe('import layers (DESIGN.md §2)', () => {
  it('refuses a Node module in core/common', async () => {
    expect(await layerErrors('core/common/topology/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).toEqual([
      "core/common must not import the Node module 'node:fs': it runs where Node APIs do not exist (DESIGN.md §2).",
    ]);
  });

  it('refuses core/common importing another layer', async () => {
    expect(await layerErrors('core/common/x.ts', "export { LocalEngine } from '../local/engine.js';\n")).toEqual([
      'core/common must not import core/local: it may import nothing outside itself (DESIGN.md §2).',
    ]);
  });

  it('lets core/component import core/common only', async () => {
    const code = "import { encodeMessage } from '../common/multilang/framing.js';\nimport { LocalEngine } from '../local/engine.js';\nexport const x = [encodeMessage, LocalEngine];\n";
    expect(await layerErrors('core/component/x.ts', code)).toEqual([
      'core/component must not import core/local: it may import core/common (DESIGN.md §2).',
    ]);
  });

  it('keeps electron out of core and the UI out of core', async () => {
    const code = "import { app } from 'electron';\nimport { view } from '../../renderer/view.js';\nexport const x = [app, view];\n";
    expect(await layerErrors('core/local/x.ts', code)).toEqual([
      'core/local must not import electron: only electron/ may (DESIGN.md §2).',
      'core/local must not import renderer: core never depends on the UI (DESIGN.md §2).',
    ]);
  });

  it('lets the renderer import core/common but not Node or core/workbench', async () => {
    const code = "import { DEFAULT_STREAM } from '../core/common/topology/model.js';\nimport { api } from '../core/workbench/api.js';\nimport os from 'os';\nexport const x = [DEFAULT_STREAM, api, os];\n";
    expect(await layerErrors('renderer/x.ts', code)).toEqual([
      'renderer must not import core/workbench: it may import core/common (DESIGN.md §2).',
      "renderer must not import the Node module 'os': it runs where Node APIs do not exist (DESIGN.md §2).",
    ]);
  });

  it('accepts the layering the repository has today', async () => {
    const results = await eslint.lintFiles(['core/**/*.ts']);
    const broken = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'squall/layers').map((m) => `${path.relative(root, r.filePath)}: ${m.message}`));
    expect(broken).toEqual([]);
  });
});
