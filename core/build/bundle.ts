/**
 * Turns a TypeScript component into JavaScript Node runs directly: one self-contained ESM file
 * per component (the launcher Storm or the local engine starts), or the component module alone
 * for the in-process engine. esbuild does the work; results are cached by the content of every
 * input file, so a repeated run costs a few milliseconds.
 */
import { build, type BuildFailure, type Message, type Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SquallError } from '../common/errors.js';
import { projectRoot } from './project-root.js';
import { nativeExternals } from './native-externals.js';

const componentDir = fileURLToPath(new URL('../component/', import.meta.url));
/** The authoring API every component imports as 'squall'. */
export const SQUALL_API = path.join(componentDir, 'index.ts');
const LAUNCHER_RUNTIME = path.join(componentDir, 'multilang', 'launcher.ts');
const DESCRIBE_RUNTIME = path.join(componentDir, 'describe.ts');

/** Bumped when the shape of generated entries changes, to invalidate old cache entries. */
const CACHE_FORMAT = 5;

// CJS dependencies bundled into ESM call require(); give them one that resolves from the file.
const REQUIRE_BANNER = "import { createRequire as __squallCreateRequire } from 'node:module'; const require = __squallCreateRequire(import.meta.url);";

/** Options of bundleLauncher. */
export interface LauncherBundleOptions {
  /** The component module (TypeScript or JavaScript). */
  script: string;
  /** The component's id in the topology (named in messages). */
  componentId: string;
  /** Where to write the bundle; default: a file in the cache folder. */
  outFile?: string;
  /**
   * Write a source map with the TypeScript sources beside the bundle (`<file>.map`, named by the
   * bundle's last comment; default true), for crash stacks and the debugger. Beside, not inline:
   * an inline map is source text every task would hold in memory.
   */
  sourcemap?: boolean;
  /** Always run in debug mode (heartbeats answered off the main thread), whatever the conf. */
  debug?: boolean;
  /**
   * Packages left as runtime imports instead of being bundled (native addons): resolved from
   * `resources/node_modules` inside the JAR, from the project's node_modules locally. Packages
   * holding a binding.gyp or a `.node` file are left out even when not listed.
   */
  external?: string[];
}

/** A bundle on disk. */
export interface BundleResult {
  file: string;
}

/**
 * Bundles a component and the multilang runtime into ONE ESM file. `node <file>` with Storm's
 * pipes on stdin/stdout speaks multilang; `node <file> --describe` prints the class's
 * `{"kind","outputs","config"}` as JSON.
 */
export async function bundleLauncher(options: LauncherBundleOptions): Promise<BundleResult> {
  const script = await existingScript(options.script, options.componentId);
  const entry = [
    `import { runLauncher } from ${JSON.stringify(relativeSpecifier(script, LAUNCHER_RUNTIME))};`,
    `await runLauncher({`,
    `  script: ${JSON.stringify(path.basename(script))},`,
    `  load: () => import(${JSON.stringify(relativeSpecifier(script, script))}),`,
    `  launcherUrl: import.meta.url,`,
    options.debug ? `  debug: true,` : '',
    `});`,
  ].join('\n');
  return bundleEntry({
    kind: 'launcher',
    entry,
    resolveDir: path.dirname(script),
    script,
    component: options.componentId,
    outFile: options.outFile,
    sourcemap: options.sourcemap ?? true,
    externalApi: false,
    external: options.external ?? [],
  });
}

/**
 * An import of `target` relative to the folder of `script`. The generated entry lands in the
 * source map (sourcesContent), so absolute paths would make a JAR depend on where the
 * checkout lives; relative ones keep "same input, same bytes".
 */
function relativeSpecifier(script: string, target: string): string {
  const relative = path.relative(path.dirname(script), target).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

/**
 * Bundles the component module alone, leaving 'squall' as an import of core/component/index.ts
 * by absolute file URL, so a host process that loaded the same file (the in-process engine)
 * shares the Spout/Bolt classes with the component.
 */
export async function bundleComponentModule(options: { script: string; outFile?: string; sourcemap?: boolean }): Promise<BundleResult> {
  const script = await existingScript(options.script);
  return bundleEntry({
    kind: 'module',
    entry: `export * from ${JSON.stringify(script)};\nexport { default } from ${JSON.stringify(script)};`,
    resolveDir: path.dirname(script),
    script,
    outFile: options.outFile,
    sourcemap: options.sourcemap ?? true,
    externalApi: true,
    external: [],
  });
}

/** Bundles the introspection program: describes several component modules in one process. */
export async function bundleDescriber(scripts: string[]): Promise<BundleResult> {
  const absolute = await Promise.all(scripts.map((s) => existingScript(s)));
  const targets = absolute.map((s) => `  { script: ${JSON.stringify(s)}, load: () => import(${JSON.stringify(s)}) },`);
  const entry = [`import { describeModules } from ${JSON.stringify(DESCRIBE_RUNTIME)};`, `await describeModules([`, ...targets, `]);`].join('\n');
  return bundleEntry({ kind: 'describe', entry, resolveDir: path.dirname(absolute[0] ?? process.cwd()), script: absolute[0], scripts: absolute, sourcemap: true, externalApi: false, external: [] });
}

interface EntryBuild {
  kind: string;
  entry: string;
  resolveDir: string;
  /** The component script (for the cache folder and for error messages). */
  script?: string;
  scripts?: string[];
  component?: string;
  outFile?: string;
  sourcemap: boolean;
  externalApi: boolean;
  /** Packages to leave as imports (native addons are detected on top of these). */
  external: string[];
}

interface CacheRecord {
  inputs: Record<string, string>;
  output: string;
  /** Hash of the source map beside the output, when there is one. */
  map?: string;
}

async function bundleEntry(job: EntryBuild): Promise<BundleResult> {
  const cacheDir = cacheFolder(job.script ?? job.resolveDir);
  const key = sha1(JSON.stringify([CACHE_FORMAT, job.kind, job.entry, job.resolveDir, job.outFile ?? '', job.sourcemap, job.externalApi, [...job.external].sort()]));
  const outFile = path.resolve(job.outFile ?? path.join(cacheDir, `${job.kind}-${key.slice(0, 16)}.mjs`));
  const recordFile = path.join(cacheDir, `${key}.json`);
  if (await upToDate(recordFile, outFile)) return { file: outFile };

  let result;
  try {
    result = await build({
      stdin: { contents: job.entry, resolveDir: job.resolveDir, sourcefile: `squall-${job.kind}-entry.js`, loader: 'js' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: outFile,
      write: false,
      sourcemap: job.sourcemap ? 'linked' : false,
      sourcesContent: true,
      alias: job.externalApi ? {} : { squall: SQUALL_API },
      plugins: job.externalApi ? [externalApi(), nativeExternals(job.external)] : [nativeExternals(job.external)],
      banner: { js: REQUIRE_BANNER },
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: job.resolveDir,
    });
  } catch (error) {
    throw compileError(error as BuildFailure, job);
  }
  const outputs = result.outputFiles ?? [];
  const text = (outputs.find((f) => f.path === outFile) ?? outputs[0])!.text;
  const map = outputs.find((f) => f.path === `${outFile}.map`)?.text;
  // The map first: a bundle on disk never names a map that is not there yet.
  if (map !== undefined) await writeAtomically(`${outFile}.map`, map);
  await writeAtomically(outFile, text);
  const inputs: Record<string, string> = {};
  for (const input of Object.keys(result.metafile?.inputs ?? {})) {
    const file = path.resolve(job.resolveDir, input);
    if (existsSync(file)) inputs[file] = sha1(await readFile(file));
  }
  await writeAtomically(recordFile, JSON.stringify({ inputs, output: sha1(text), map: map === undefined ? undefined : sha1(map) } satisfies CacheRecord));
  return { file: outFile };
}

/** True when the bundle on disk was built from inputs that have not changed since. */
async function upToDate(recordFile: string, outFile: string): Promise<boolean> {
  try {
    const record = JSON.parse(await readFile(recordFile, 'utf8')) as CacheRecord;
    if (sha1(await readFile(outFile)) !== record.output) return false;
    if (record.map !== undefined && sha1(await readFile(`${outFile}.map`)) !== record.map) return false;
    for (const [file, hash] of Object.entries(record.inputs)) {
      if (sha1(await readFile(file)) !== hash) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** `<project>/.squall-cache` for the nearest folder with a package.json, else the temp folder. */
export function cacheFolder(from: string): string {
  const root = projectRoot(path.dirname(path.resolve(from)));
  return root ? path.join(root, '.squall-cache') : path.join(os.tmpdir(), 'squall-cache');
}

function externalApi(): Plugin {
  return {
    name: 'squall-external-api',
    setup(builder) {
      builder.onResolve({ filter: /^squall$/ }, () => ({ path: pathToFileURL(SQUALL_API).href, external: true }));
    },
  };
}

async function existingScript(script: string, component?: string): Promise<string> {
  const absolute = path.resolve(script);
  if (!existsSync(absolute)) {
    throw new SquallError('component', `component script ${script} does not exist`, { file: script, component }, 'check the `script:` path in topology.yaml (it is relative to the topology file)');
  }
  return absolute;
}

function compileError(failure: BuildFailure, job: EntryBuild): Error {
  const errors: Message[] = failure.errors ?? [];
  if (errors.length === 0) return failure;
  const first = errors[0]!;
  const location = first.location;
  const erroring = location ? path.resolve(job.resolveDir, location.file) : undefined;
  // The culprit is the component whose module graph holds the error; for one script, that script.
  const script = (job.scripts ?? (job.script ? [job.script] : [])).find((s) => s === erroring) ?? job.script;
  const where = location ? `${path.relative(process.cwd(), erroring!) || erroring}:${location.line}:${location.column + 1}: ` : '';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
  return new SquallError(
    'component',
    `cannot compile ${script ? path.relative(process.cwd(), script) || script : 'the component'}: ${where}${first.text}${more}`,
    { file: script, line: erroring === script ? location?.line : undefined, column: erroring === script && location ? location.column + 1 : undefined, component: job.component },
    location?.lineText ? `fix the code at: ${location.lineText.trim()}` : 'fix the error esbuild reports, then run again',
  );
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

function sha1(data: string | Uint8Array): string {
  return createHash('sha1').update(data).digest('hex');
}
