/**
 * Production dependencies that cannot be bundled: packages with a native addon (a
 * binding.gyp or prebuilt `.node` files). They travel in resources/node_modules with their own
 * dependencies — the venv equivalent — and a `.node` built for another platform or CPU than
 * the Storm workers' is worth a warning before it fails on the cluster.
 */
import { existsSync } from 'node:fs';
import { open, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../build/project-root.js';

/** The platform and CPU a native binary was built for. */
export interface BinaryTarget {
  platform: 'linux' | 'darwin' | 'win32' | 'unknown';
  arch: string;
}

/** A package to copy into resources/node_modules. */
export interface CopiedPackage {
  name: string;
  dir: string;
}

/** What the dependency scan found. */
export interface NativeScan {
  /** Packages with a native addon (to keep out of the bundle). */
  natives: string[];
  /** The natives and everything they depend on, to copy. */
  packages: CopiedPackage[];
  /** Binaries built for another target than the workers'. */
  warnings: string[];
}

const ELF_MACHINES: Record<number, string> = { 0x3e: 'x64', 0xb7: 'arm64', 0x03: 'ia32', 0x28: 'arm', 0xf3: 'riscv64', 0x15: 'ppc64', 0x16: 's390x' };
const MACHO_CPUS: Record<number, string> = { 0x01000007: 'x64', 0x0100000c: 'arm64', 7: 'ia32' };
const PE_MACHINES: Record<number, string> = { 0x8664: 'x64', 0xaa64: 'arm64', 0x14c: 'ia32' };

/** Reads the header of a native binary (ELF, Mach-O or PE) to tell what it was built for. */
export function binaryTarget(header: Buffer): BinaryTarget | undefined {
  if (header.length >= 20 && header.readUInt32BE(0) === 0x7f454c46) {
    const littleEndian = header[5] === 1;
    const machine = littleEndian ? header.readUInt16LE(18) : header.readUInt16BE(18);
    return { platform: 'linux', arch: ELF_MACHINES[machine] ?? `elf-machine-${machine}` };
  }
  if (header.length >= 8 && (header.readUInt32LE(0) === 0xfeedfacf || header.readUInt32LE(0) === 0xfeedface)) {
    const cpu = header.readUInt32LE(4);
    return { platform: 'darwin', arch: MACHO_CPUS[cpu] ?? `macho-cpu-${cpu}` };
  }
  if (header.length >= 2 && header.toString('latin1', 0, 2) === 'MZ') {
    if (header.length >= 64) {
      const peOffset = header.readUInt32LE(60);
      if (header.length >= peOffset + 6 && header.toString('latin1', peOffset, peOffset + 4) === 'PE\0\0') {
        const machine = header.readUInt16LE(peOffset + 4);
        return { platform: 'win32', arch: PE_MACHINES[machine] ?? `pe-machine-${machine}` };
      }
    }
    return { platform: 'win32', arch: 'unknown' };
  }
  return undefined;
}

async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Node's lookup: `<dir>/node_modules/<name>`, then the same in every parent. */
function resolvePackageDir(name: string, from: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Every file under `dir`, relative, sorted (symlinks followed as files). */
export async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(dir, relative)));
    else if (entry.isFile() || entry.isSymbolicLink()) files.push(relative);
  }
  return files;
}

function dependencyNames(pkg: Record<string, unknown>): string[] {
  const deps = { ...(pkg.dependencies as Record<string, string> | undefined), ...(pkg.optionalDependencies as Record<string, string> | undefined) };
  return Object.keys(deps).sort();
}

/**
 * Walks the production dependencies of the project around `topologyFolder` and returns the
 * packages with native addons, everything they need, and warnings for binaries built for
 * another target than `target` (the Storm workers; linux-x64 unless told).
 */
export async function scanNativeDependencies(topologyFolder: string, target: BinaryTarget = { platform: 'linux', arch: 'x64' }, skip: readonly string[] = ['squall']): Promise<NativeScan> {
  const root = projectRoot(topologyFolder);
  const result: NativeScan = { natives: [], packages: [], warnings: [] };
  if (!root) return result;
  const rootPkg = await readJson(path.join(root, 'package.json'));
  // Squall's own checkout (its examples): its tooling dependencies never run on a worker.
  if (!rootPkg || rootPkg.name === 'squall') return result;
  const seen = new Map<string, string>();
  const isNative = new Map<string, boolean>();
  const queue: Array<{ name: string; from: string }> = dependencyNames(rootPkg).filter((n) => !skip.includes(n)).map((name) => ({ name, from: root }));
  while (queue.length) {
    const { name, from } = queue.shift()!;
    if (seen.has(name)) continue;
    const dir = resolvePackageDir(name, from);
    if (!dir) continue; // an optional dependency that is not installed
    seen.set(name, dir);
    const files = await listFiles(dir);
    // A binary under the package's own node_modules belongs to that nested package (visited in
    // its turn), as native-externals.ts decides at bundle time: it does not make this one native.
    const binaries = files.filter((f) => f.endsWith('.node') && !f.split('/').includes('node_modules'));
    isNative.set(name, existsSync(path.join(dir, 'binding.gyp')) || binaries.length > 0);
    for (const binary of binaries) {
      const handle = await open(path.join(dir, binary), 'r');
      const header = Buffer.alloc(512);
      const { bytesRead } = await handle.read(header, 0, header.length, 0);
      await handle.close();
      const built = binaryTarget(header.subarray(0, bytesRead));
      // Prebuilt folders usually hold one binary per target; warn only about what would load.
      const prebuiltFolder = /(^|\/)prebuilds?\//.test(binary);
      if (built && (built.platform !== target.platform || built.arch !== target.arch) && !prebuiltFolder) {
        result.warnings.push(`${name}/${binary} was built for ${built.platform}-${built.arch}, but Storm workers run ${target.platform}-${target.arch}: rebuild it there (npm rebuild ${name}) or install a matching prebuilt binary`);
      }
    }
    const pkg = await readJson(path.join(dir, 'package.json'));
    for (const dependency of pkg ? dependencyNames(pkg) : []) queue.push({ name: dependency, from: dir });
  }
  result.natives = [...isNative].filter(([, native]) => native).map(([name]) => name).sort();
  // Copy each native with its dependency closure.
  const needed = new Set<string>();
  const visit = async (name: string): Promise<void> => {
    if (needed.has(name) || !seen.has(name)) return;
    needed.add(name);
    const pkg = await readJson(path.join(seen.get(name)!, 'package.json'));
    for (const dependency of pkg ? dependencyNames(pkg) : []) await visit(dependency);
  };
  for (const name of result.natives) await visit(name);
  result.packages = [...needed].sort().map((name) => ({ name, dir: seen.get(name)! }));
  return result;
}
