import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const INLINE_MAP = '//# sourceMappingURL=data:application/json;base64,';

/**
 * Rewrites stack frames that point into the launcher bundle so they point at the TypeScript
 * sources, using the bundle's inline source map. Storm starts the launcher as `node <file>`
 * (no --enable-source-maps), and a crash report is only useful with the author's line numbers.
 * Returns the stack unchanged when Node already maps it or the bundle has no map.
 */
export function mapStack(stack: string, bundleUrl: string): string {
  if ((process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled) return stack;
  let map: SourceMap;
  const bundleFile = fileURLToPath(bundleUrl);
  try {
    const text = readFileSync(bundleFile, 'utf8');
    const at = text.lastIndexOf(INLINE_MAP);
    if (at === -1) return stack;
    const base64 = text.slice(at + INLINE_MAP.length).trim();
    map = new SourceMap(JSON.parse(Buffer.from(base64, 'base64').toString('utf8')));
  } catch {
    return stack;
  }
  const frame = new RegExp(`${escape(bundleUrl)}:(\\d+):(\\d+)`, 'g');
  return stack.replace(frame, (whole, line: string, column: string) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (!entry || entry.originalSource === undefined || entry.originalLine === undefined) return whole;
    const original = entry.originalSource;
    const source = original.startsWith('file://') ? fileURLToPath(original) : path.resolve(path.dirname(bundleFile), original);
    return `${source}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
