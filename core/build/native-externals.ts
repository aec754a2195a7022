/**
 * Keeps native addon packages out of a bundle. A `.node` binary cannot be inlined, and loaders
 * such as `bindings` look for it next to their package, so such a package stays a runtime
 * import: resolved from `resources/node_modules` inside the JAR (where the packager copies it)
 * and from the project's node_modules when run locally.
 */
import type { Plugin } from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** `@scope/name` or `name` of a bare import specifier; undefined for relative/absolute/builtin paths. */
export function packageName(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.includes(':')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? (parts.length > 1 ? `${parts[0]}/${parts[1]}` : undefined) : parts[0];
}

/** True when a package folder holds a native addon: a binding.gyp or a `.node` file anywhere below it. */
export function isNativePackage(dir: string): boolean {
  return existsSync(path.join(dir, 'binding.gyp')) || holdsNodeBinary(dir, 0);
}

function holdsNodeBinary(dir: string, depth: number): boolean {
  // node_modules of its own are other packages; a native binary sits within a few levels (build/Release, prebuilds/<target>).
  if (depth > 4) return false;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const entry of entries) {
    if (entry.isFile() && entry.name.endsWith('.node')) return true;
    if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.') && holdsNodeBinary(path.join(dir, entry.name), depth + 1)) return true;
  }
  return false;
}

/** The package folder `node_modules/<name>` that holds `file`, if any. */
function packageFolderOf(file: string, name: string): string | undefined {
  const marker = `${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}`;
  const at = file.lastIndexOf(`${marker}${path.sep}`);
  return at === -1 ? undefined : file.slice(0, at + marker.length);
}

/**
 * An esbuild plugin that leaves `explicit` packages and every package found to hold a native
 * addon as imports of the bundle. Detection is cached per package folder for the build.
 */
export function nativeExternals(explicit: readonly string[] = []): Plugin {
  return {
    name: 'squall-native-externals',
    setup(builder) {
      const verdicts = new Map<string, boolean>();
      builder.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'squall-native-probe') return undefined;
        const name = packageName(args.path);
        if (!name || name === 'squall') return undefined;
        if (explicit.includes(name)) return { path: args.path, external: true };
        const resolved = await builder.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'squall-native-probe' });
        if (resolved.errors.length > 0 || resolved.external || !resolved.path) return undefined;
        const folder = packageFolderOf(resolved.path, name);
        if (!folder) return undefined;
        let native = verdicts.get(folder);
        if (native === undefined) verdicts.set(folder, (native = isNativePackage(folder)));
        return native ? { path: args.path, external: true } : undefined;
      });
    },
  };
}
