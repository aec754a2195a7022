import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { mapStack } from '../../core/component/multilang/source-stack.js';
import { bundleLauncher } from '../../core/package/bundle.js';

const folder = mkdtempSync(path.join(os.tmpdir(), 'squall-stack-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A stack frame pointing at the line of the bundle that holds `marker`. */
function frameAt(bundle: string, marker: string): string {
  const lines = readFileSync(bundle, 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(marker));
  return `Error: boom\n    at Marker.process (${pathToFileURL(bundle).href}:${line + 1}:${lines[line]!.indexOf('throw') + 1})`;
}

describe('crash stacks', () => {
  const script = path.join(folder, 'marker-bolt.ts');
  writeFileSync(script, "import { Bolt } from 'squall';\nexport default class Marker extends Bolt {\n  process(): void {\n    throw new Error('marker-here');\n  }\n}\n");

  it('point at the TypeScript line through the inline source map of the bundle', async () => {
    const { file } = await bundleLauncher({ script, componentId: 'marker', outFile: path.join(folder, 'inline/marker.mjs') });
    expect(mapStack(frameAt(file, 'marker-here'), pathToFileURL(file).href)).toContain(`${script}:4:5`);
  });

  it('also read a source map kept beside the bundle (as packaged in a JAR)', async () => {
    const { file } = await bundleLauncher({ script, componentId: 'marker', outFile: path.join(folder, 'packaged/marker.mjs') });
    const text = readFileSync(file, 'utf8');
    const at = text.lastIndexOf('//# sourceMappingURL=data:application/json;base64,');
    writeFileSync(`${file}.map`, Buffer.from(text.slice(at).split('base64,')[1]!.trim(), 'base64'));
    writeFileSync(file, `${text.slice(0, at)}//# sourceMappingURL=marker.mjs.map\n`);
    expect(mapStack(frameAt(file, 'marker-here'), pathToFileURL(file).href)).toContain(`${script}:4:5`);
  });

  it('leave a stack alone when there is no map', () => {
    const file = path.join(folder, 'plain.mjs');
    writeFileSync(file, 'throw 1;\n');
    const stack = `Error\n    at ${pathToFileURL(file).href}:1:1`;
    expect(mapStack(stack, pathToFileURL(file).href)).toBe(stack);
  });
});
