import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAP_COMMENT = '//# sourceMappingURL=';
const INLINE_PREFIX = 'data:application/json;base64,';

/**
 * Rewrites stack frames that point into the launcher bundle so they point at the TypeScript
 * sources, using the bundle's source map (inline, or beside it once packaged). Storm starts the
 * launcher as `node <file>` (no --enable-source-maps), and a crash report is only useful with
 * the author's line numbers.
 * Returns the stack unchanged when Node already maps it or the bundle has no map.
 */
export function mapStack(stack: string, bundleUrl: string): string {
  return stackMapper(bundleUrl)(stack);
}

/**
 * A mapper for any text (a crash report, a log line carrying `log.error(err)`'s stack): text
 * that names no frame of the bundle costs one substring search; the source map is read once,
 * on the first text that needs it.
 */
export function stackMapper(bundleUrl: string): (text: string) => string {
  if ((process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled) return (text) => text;
  let map: SourceMap | null | undefined;
  const names = new Map<string, string>();
  /**
   * A source as a stack should name it: the absolute path when the file is there (a local run,
   * where the map names the real sources), else the map's own name — in a packaged JAR that is
   * `components/split.ts` or `squall/core/…`, files a Storm worker does not have.
   */
  const sourceName = (original: string): string => {
    let name = names.get(original);
    if (name === undefined) {
      const absolute = original.startsWith('file://') ? fileURLToPath(original) : path.resolve(path.dirname(bundleFile), original);
      name = existsSync(absolute) ? absolute : original;
      names.set(original, name);
    }
    return name;
  };
  const frame = new RegExp(`${escape(bundleUrl)}:(\\d+):(\\d+)`, 'g');
  const bundleFile = fileURLToPath(bundleUrl);
  return (text) => {
    if (!text.includes(bundleUrl)) return text;
    if (map === undefined) {
      try {
        map = new SourceMap(readSourceMap(bundleFile));
      } catch {
        map = null;
      }
    }
    if (map === null) return text;
    const found = map;
    return text.replace(frame, (whole, line: string, column: string) => {
      const entry = found.findEntry(Number(line) - 1, Number(column) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
      if (!entry || entry.originalSource === undefined || entry.originalLine === undefined) return whole;
      return `${sourceName(entry.originalSource)}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
    });
  };
}

/** The bundle's source map: inline (as bundled) or in the file its last comment names (as packaged). */
function readSourceMap(bundleFile: string): SourceMapPayload {
  const text = readFileSync(bundleFile, 'utf8');
  const at = text.lastIndexOf(MAP_COMMENT);
  if (at === -1) throw new Error('no source map');
  const reference = text.slice(at + MAP_COMMENT.length).trim();
  if (reference.startsWith(INLINE_PREFIX)) return JSON.parse(Buffer.from(reference.slice(INLINE_PREFIX.length), 'base64').toString('utf8')) as SourceMapPayload;
  return JSON.parse(readFileSync(path.resolve(path.dirname(bundleFile), reference), 'utf8')) as SourceMapPayload;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
