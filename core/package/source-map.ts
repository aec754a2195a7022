/**
 * Gives a bundle's source map (inline, or beside the bundle) its JAR name, and names its sources
 * by what they are rather than where they were built: the user's files relative to the topology
 * folder (`components/split.ts`), Squall's own as package-relative names
 * (`squall/core/component/executor/bolt-executor.ts`). Launchers stay small, the debugger still
 * finds the TypeScript (the map carries the sources), crash stacks on a worker name files a
 * reader can find, and the JAR does not depend on where it was built or where Squall lives.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The root of Squall's own package (this checkout, or node_modules/squall). */
const SQUALL_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** How Squall's own sources are named in a packaged map. */
export const SQUALL_SOURCE_PREFIX = 'squall/';

const INLINE_MAP = /\n\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/;
const LINKED_MAP = /\n\/\/# sourceMappingURL=([^\s:]+\.map)\s*$/;

/**
 * The code with a `sourceMappingURL` pointing at `mapName`, and the map's JSON (if there was
 * one: inline, or in the file the bundle's last comment names).
 */
export function externaliseSourceMap(code: string, options: { bundleFile: string; mapName: string; sourceRoot: string }): { code: string; map?: string } {
  const inline = INLINE_MAP.exec(code);
  const linked = inline ? null : LINKED_MAP.exec(code);
  const match = inline ?? linked;
  if (!match) return { code };
  const mapText = inline ? Buffer.from(match[1]!, 'base64').toString('utf8') : readFileSync(path.resolve(path.dirname(options.bundleFile), match[1]!), 'utf8');
  const map = JSON.parse(mapText) as { sources?: string[]; sourceRoot?: string };
  const bundleDir = path.dirname(options.bundleFile);
  map.sources = (map.sources ?? []).map((source) => packagedSourceName(path.resolve(bundleDir, map.sourceRoot ?? '', source), options.sourceRoot));
  delete map.sourceRoot;
  const stripped = code.slice(0, match.index);
  return { code: `${stripped}\n//# sourceMappingURL=${options.mapName}\n`, map: JSON.stringify(map) };
}

/**
 * The name a source gets in a packaged map: Squall's own files (its `core/`, or anything of its
 * package outside the topology folder) as `squall/<path in the package>`, everything else
 * relative to the topology folder. An example topology inside the Squall checkout keeps its
 * components project-relative.
 */
export function packagedSourceName(absolute: string, topologyFolder: string, squallRoot: string = SQUALL_ROOT): string {
  const inSquall = isInside(absolute, squallRoot);
  const ownCode = inSquall && (isInside(absolute, path.join(squallRoot, 'core')) || !isInside(absolute, topologyFolder));
  const relative = ownCode ? `${SQUALL_SOURCE_PREFIX}${path.relative(squallRoot, absolute)}` : path.relative(topologyFolder, absolute);
  return relative.split(path.sep).join('/');
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
