/**
 * Gives a bundle's source map (inline, or beside the bundle) its JAR name, with source paths relative to
 * the topology's folder: launchers stay small, the debugger still finds the TypeScript (the
 * map carries the sources), and the JAR does not depend on where it was built.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

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
  map.sources = (map.sources ?? []).map((source) => {
    const absolute = path.resolve(bundleDir, map.sourceRoot ?? '', source);
    return path.relative(options.sourceRoot, absolute).split(path.sep).join('/');
  });
  delete map.sourceRoot;
  const stripped = code.slice(0, match.index);
  return { code: `${stripped}\n//# sourceMappingURL=${options.mapName}\n`, map: JSON.stringify(map) };
}
