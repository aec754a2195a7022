// Package names that resolve back into this repository ('squall', 'squall/testing', any later
// entry of package.json "exports"): Node resolves a package's own name through its exports, so
// `import 'squall/testing'` inside core/ is an import of core/testing and is layered like one.
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The first file path a conditional export target names ("import" before "default", as written). */
function targetPath(target) {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) return target.map(targetPath).find(Boolean);
  if (target && typeof target === 'object') return Object.values(target).map(targetPath).find(Boolean);
  return undefined;
}

/** package.json "exports" as subpath → target path ('./x' keys; '*' patterns kept). */
function subpathMap(exportsField) {
  if (exportsField === undefined) return new Map();
  const sugar = typeof exportsField === 'string' || Array.isArray(exportsField) || !Object.keys(exportsField).some((k) => k.startsWith('.'));
  const entries = sugar ? [['.', exportsField]] : Object.entries(exportsField);
  return new Map(entries.map(([key, target]) => [key, targetPath(target)]).filter(([, target]) => target));
}

/**
 * Reads the package.json at `root` and returns a resolver: for a specifier naming this package,
 * `{ file }` (absolute) or `{ unexported: true }`; for any other specifier, undefined.
 */
export function selfImportResolver(root) {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const name = pkg.name;
  const subpaths = subpathMap(pkg.exports);
  return (spec) => {
    if (!name || (spec !== name && !spec.startsWith(`${name}/`))) return undefined;
    const subpath = `.${spec.slice(name.length)}`;
    const exact = subpaths.get(subpath);
    if (exact) return exact.includes('*') ? { unexported: true } : { file: path.resolve(root, exact) };
    for (const [key, target] of subpaths) {
      const star = key.indexOf('*');
      if (star < 0 || !target.includes('*')) continue;
      const [before, after] = [key.slice(0, star), key.slice(star + 1)];
      if (subpath.length >= key.length - 1 && subpath.startsWith(before) && subpath.endsWith(after)) {
        const match = subpath.slice(before.length, subpath.length - after.length);
        return { file: path.resolve(root, target.replaceAll('*', match)) };
      }
    }
    return { unexported: true };
  };
}
