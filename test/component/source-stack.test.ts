import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { mapStack } from '../../core/component/multilang/source-stack.js';
import { bundleLauncher } from '../../core/build/bundle.js';

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

  it('point at the TypeScript line through the source map beside the bundle', async () => {
    const { file } = await bundleLauncher({ script, componentId: 'marker', outFile: path.join(folder, 'linked/marker.mjs') });
    expect(readFileSync(file, 'utf8').trimEnd().endsWith('//# sourceMappingURL=marker.mjs.map')).toBe(true);
    expect(mapStack(frameAt(file, 'marker-here'), pathToFileURL(file).href)).toContain(`${script}:4:5`);
  });

  it('also read a source map inlined in the bundle', async () => {
    const { file } = await bundleLauncher({ script, componentId: 'marker', outFile: path.join(folder, 'inline/marker.mjs') });
    const text = readFileSync(file, 'utf8');
    const at = text.lastIndexOf('//# sourceMappingURL=');
    writeFileSync(file, `${text.slice(0, at)}//# sourceMappingURL=data:application/json;base64,${readFileSync(`${file}.map`).toString('base64')}\n`);
    rmSync(`${file}.map`);
    expect(mapStack(frameAt(file, 'marker-here'), pathToFileURL(file).href)).toContain(`${script}:4:5`);
  });

  it('leave a stack alone when there is no map', () => {
    const file = path.join(folder, 'plain.mjs');
    writeFileSync(file, 'throw 1;\n');
    const stack = `Error\n    at ${pathToFileURL(file).href}:1:1`;
    expect(mapStack(stack, pathToFileURL(file).href)).toBe(stack);
  });
});

describe('log lines with a stack', () => {
  it('point at the TypeScript line too (log.error(err), console.error(err), reportError(err))', async () => {
    const script = path.join(folder, 'logging-bolt.ts');
    writeFileSync(
      script,
      [
        "import { Bolt, type Tuple } from 'squall';",
        'export default class Logging extends Bolt {',
        '  process(tuple: Tuple): void {',
        "    this.log.error('lookup failed:', new Error('from-log'));",
        "    console.error(new Error('from-console'));",
        "    this.reportError(new Error('from-report'));",
        "    this.log.info('no stack here');",
        '    this.ack(tuple);',
        '  }',
        '}',
      ].join('\n'),
    );
    const { file } = await bundleLauncher({ script, componentId: 'logging', outFile: path.join(folder, 'logging/logging.mjs') });
    const handshake = { conf: {}, pidDir: folder, context: { taskid: 2, componentid: 'logging', 'task->component': { '1': 's', '2': 'logging' }, 'source->stream->fields': { s: { default: ['n'] } } } };
    const tuple = { id: '9', comp: 's', stream: 'default', task: 1, tuple: [1] };
    const input = `${JSON.stringify(handshake)}\nend\n${JSON.stringify(tuple)}\nend\n`;
    const result = spawnSync(process.execPath, [file], { input, encoding: 'utf8', timeout: 20_000 });
    const messages = result.stdout.split('\nend\n').filter(Boolean).map((m) => JSON.parse(m) as { command?: string; msg?: string });
    const text = (command: string, marker: string): string => messages.find((m) => m.command === command && m.msg?.includes(marker))?.msg ?? '';
    expect(text('log', 'from-log')).toMatch(/^lookup failed: Error: from-log\n\s+at Logging\.process \(.*logging-bolt\.ts:4:\d+\)/);
    expect(text('log', 'from-console')).toContain(`${script}:5:`);
    expect(text('error', 'from-report')).toContain(`${script}:6:`);
    expect(text('log', 'no stack here')).toBe('no stack here');
    expect(result.stdout).not.toContain(pathToFileURL(file).href);
    expect(messages.at(-1)).toEqual({ command: 'ack', id: '9' });
  });
});
