/**
 * `squall package`: builds the topology JAR Storm runs. Its resources/ folder (the only part
 * a worker extracts) holds per component a launcher (`<id>.mjs`, what ShellComponent runs),
 * the bundled code (`<id>.bundle.mjs` + source map), plus native node_modules (imported at run
 * time, never bundled), manifest extras, the setup hook, the topology file and `squall-topology.json`.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SquallError } from '../common/errors.js';
import type { TopologySpec } from '../common/topology/model.js';
import { loadTopologyFile, topologyFilePath } from '../project/load.js';
import { squallVersion } from '../project/version.js';
import { bundleLauncher } from '../build/bundle.js';
import { jarManifest, writeJar, type JarEntry } from './jar-writer.js';
import { readManifest } from './manifest-file.js';
import { listFiles, scanNativeDependencies, type BinaryTarget } from './native-addons.js';
import { isValidNodeRange } from './node-range.js';
import { PACKAGE_SCHEMA, DESCRIPTION_FILE, type PackageDescription } from './package-description.js';
import { externaliseSourceMap } from './source-map.js';
import { buildWrapper } from './wrapper-bundle.js';

/** Options of packageTopology. */
export interface PackageOptions {
  /** Where to write the JAR; default `<name>.jar` in the current folder. */
  out?: string;
  /** The Storm workers' platform, for native addon checks (default linux-x64). */
  target?: BinaryTarget;
  /** The topology, when the caller already loaded it. */
  spec?: TopologySpec;
}

/** What packageTopology built. */
export interface PackageResult {
  jar: string;
  bytes: number;
  /** Every file entry of the JAR, sorted. */
  entries: string[];
  spec: TopologySpec;
  /** Things to tell the user (native addons built for another platform, ...). */
  warnings: string[];
}

/** The Node range a topology gets when its file has no `node:` (what the bundles target). */
export const DEFAULT_NODE_RANGE = '>=20';

const SETUP_HOOKS = ['setup.sh', 'setup.mjs'];

/** Builds the JAR for a topology file. */
export async function packageTopology(topologyFile: string, options: PackageOptions = {}): Promise<PackageResult> {
  const file = await topologyFilePath(topologyFile);
  const folder = path.dirname(file);
  const natives = await scanNativeDependencies(folder, options.target);
  const spec =
    options.spec ??
    (await loadTopologyFile(file, { introspect: true }).catch((error: unknown) => {
      throw explainNativeImport(error, natives.natives, error instanceof SquallError ? error.where.component : undefined);
    }));
  const nodeRange = spec.node ?? DEFAULT_NODE_RANGE;
  if (!isValidNodeRange(nodeRange)) {
    throw new SquallError('topology', `node: '${nodeRange}' is not a version range`, { file }, "write it as package.json's engines does, e.g. node: \">=20\" or \"^22.4\"");
  }
  const setups = SETUP_HOOKS.filter((name) => existsSync(path.join(folder, name)));
  if (setups.length > 1) {
    throw new SquallError('package', `both ${setups.join(' and ')} exist next to the topology`, { file: path.join(folder, setups[0]!) }, 'keep one setup hook: setup.sh (run with sh) or setup.mjs (run with node)');
  }
  const setup = setups[0];
  const warnings: string[] = [];
  const entries = new Map<string, JarEntry>();
  const add = (entry: JarEntry, from: string): void => {
    if (entries.has(entry.path)) {
      throw new SquallError('package', `${entry.path} would be written twice (${from})`, { file: path.join(folder, 'manifest.txt') }, 'rename the file or drop it from manifest.txt: Squall generates that name');
    }
    entries.set(entry.path, entry);
  };

  warnings.push(...natives.warnings);

  const components = [...spec.components].sort((a, b) => (a.id < b.id ? -1 : 1));
  const built = await Promise.all(
    components.map(async (component) => {
      const bundle = await bundleLauncher({ script: path.resolve(folder, component.script), componentId: component.id, sourcemap: true, external: natives.natives }).catch((error: unknown) => {
        throw explainNativeImport(error, natives.natives, component.id);
      });
      const code = await readFile(bundle.file, 'utf8');
      const bundleName = `${component.id}.bundle.mjs`;
      const split = externaliseSourceMap(code, { bundleFile: bundle.file, mapName: `${bundleName}.map`, sourceRoot: folder });
      const wrapper = await buildWrapper({ componentId: component.id, kind: component.kind, nodeRange, bundle: bundleName, setup });
      return { component, bundleName, split, wrapper };
    }),
  );
  for (const { component, bundleName, split, wrapper } of built) {
    add({ path: `resources/${component.id}.mjs`, data: Buffer.from(wrapper) }, `launcher of ${component.id}`);
    add({ path: `resources/${bundleName}`, data: Buffer.from(split.code) }, `bundle of ${component.id}`);
    if (split.map) add({ path: `resources/${bundleName}.map`, data: Buffer.from(split.map) }, `source map of ${component.id}`);
  }

  const description: PackageDescription = {
    schema: PACKAGE_SCHEMA,
    squall: await squallVersion(),
    node: nodeRange,
    topologyFile: path.basename(file),
    setup: setup ?? null,
    natives: natives.natives,
    components: Object.fromEntries(components.map((c) => [c.id, { kind: c.kind, launcher: `${c.id}.mjs`, bundle: `${c.id}.bundle.mjs` }])),
    topology: portableSpec(spec, folder),
  };
  add({ path: `resources/${DESCRIPTION_FILE}`, data: Buffer.from(`${JSON.stringify(description, null, 2)}\n`) }, 'the topology description');
  add({ path: `resources/${path.basename(file)}`, data: await readFile(file) }, 'the topology file');
  if (setup) add({ path: `resources/${setup}`, data: await readFile(path.join(folder, setup)), mode: 0o755 }, 'the setup hook');
  for (const extra of await readManifest(folder)) {
    add({ path: `resources/${extra.target}`, data: await readFile(extra.source) }, `manifest.txt: ${extra.target}`);
  }
  for (const pkg of natives.packages) {
    for (const relative of await listFiles(pkg.dir)) {
      add({ path: `resources/node_modules/${pkg.name}/${relative}`, data: await readFile(path.join(pkg.dir, relative)) }, `native dependency ${pkg.name}`);
    }
  }
  add({ path: 'META-INF/MANIFEST.MF', data: jarManifest(`squall ${description.squall}`) }, 'the JAR manifest');

  const jarBytes = await writeJar([...entries.values()]);
  const jar = path.resolve(options.out ?? `${spec.name}.jar`);
  await mkdir(path.dirname(jar), { recursive: true });
  await writeFile(jar, jarBytes);
  return { jar, bytes: jarBytes.length, entries: [...entries.keys()].sort(), spec, warnings };
}

/**
 * A component that imports a `.node` file by path cannot be bundled (native packages are left
 * as imports, but a loose binary has no package to ship): say so instead of esbuild's error.
 */
function explainNativeImport(error: unknown, natives: readonly string[], componentId: string | undefined): unknown {
  if (!(error instanceof SquallError)) return error;
  const culprit = natives.find((name) => [`"${name}"`, `'${name}'`, `/${name}/`].some((quoted) => error.message.includes(quoted)));
  if (!culprit && !/\.node\b/.test(error.message)) return error;
  return new SquallError(
    'package',
    `${componentId ? `component '${componentId}'` : 'a component'} imports ${culprit ? `the native addon package '${culprit}'` : 'a native addon (.node file) by path'}, which cannot be bundled: ${error.message}`,
    error.where,
    'put the addon in a package listed in package.json dependencies (with its binding.gyp or prebuilt .node): native packages are left out of the bundle and shipped in resources/node_modules',
  );
}

/** The spec with paths relative to the topology folder, so the description is the same wherever it was built. */
function portableSpec(spec: TopologySpec, folder: string): TopologySpec {
  const relative = (p: string): string => path.relative(folder, path.resolve(p)).split(path.sep).join('/');
  return {
    ...spec,
    file: spec.file ? relative(spec.file) : undefined,
    components: spec.components.map((c) => ({ ...c, location: c.location ? { ...c.location, file: relative(c.location.file) } : undefined })),
  };
}
