/**
 * Builds the small launcher a Storm worker runs first (`resources/<id>.mjs`): the
 * launcher-wrapper runtime with this component's settings baked in, as one standalone file
 * that any Node able to parse ESM can run far enough to report a wrong version.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { WrapperOptions } from './launcher-wrapper.js';

const WRAPPER_RUNTIME = fileURLToPath(new URL('./launcher-wrapper.ts', import.meta.url));

/** Settings of one component's wrapper (everything but its own URL). */
export type WrapperSettings = Omit<WrapperOptions, 'launcherUrl'>;

/** Returns the wrapper's JavaScript. Deterministic: same settings, same bytes. */
export async function buildWrapper(settings: WrapperSettings): Promise<string> {
  const entry = [
    `import { runWrapper } from ${JSON.stringify(WRAPPER_RUNTIME)};`,
    // No top-level await: a worker's Node too old for it must still reach the version check.
    `runWrapper({ ...${JSON.stringify(settings)}, launcherUrl: import.meta.url }).catch((error) => {`,
    `  process.stderr.write(String(error && error.stack || error) + '\\n');`,
    `  process.exit(1);`,
    `});`,
  ].join('\n');
  const result = await build({
    stdin: { contents: entry, resolveDir: path.dirname(WRAPPER_RUNTIME), sourcefile: `${settings.componentId}-launcher.js`, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    // Old enough that a worker with the wrong Node still gets to say so.
    target: 'node14',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
    absWorkingDir: path.dirname(WRAPPER_RUNTIME),
    banner: { js: `// Squall launcher for component '${settings.componentId}': checks Node, runs the setup hook once, then starts ${settings.bundle}.` },
  });
  return result.outputFiles[0]!.text;
}
