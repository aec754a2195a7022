/**
 * A component bundle's source map, both ways: a TypeScript file:line the user names → the
 * bundle's line:column a breakpoint goes on, and a paused bundle position → file:line:column.
 * Source paths in a map are relative to the bundle (locally) or to the topology folder (in a
 * packaged JAR); a file is matched by its absolute path first, else by the longest common tail
 * of path segments, so a breakpoint set on a local checkout finds the code a Storm worker runs.
 */
import { GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND, TraceMap, generatedPositionFor, originalPositionFor } from '@jridgewell/trace-mapping';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceLocation } from '../../common/debug/paused.js';

/** How far below the asked line a breakpoint may move to reach code (blank lines, comments, types). */
const MAX_LINE_SHIFT = 40;

/** Sources that are Squall's runtime (or a dependency), not the user's component. */
const RUNTIME_SOURCE = /(^|[\\/])(core[\\/](component|common)[\\/]|node_modules[\\/])|squall-[a-z]+-entry\.js$/;

/** A bundle's map. */
export class BundleSourceMap {
  private readonly map: TraceMap;
  /** Each source of the map as the map names it, with its absolute path (relative sources resolved against the bundle's folder). */
  private readonly sources: Array<{ name: string; absolute: string }>;

  constructor(
    mapText: string,
    /** The bundle's URL (`file:///…/launcher-….mjs`). */
    readonly bundleUrl: string,
  ) {
    const bundleFile = bundleUrl.startsWith('file:') ? fileURLToPath(bundleUrl) : bundleUrl;
    // Resolved against the bundle's own path, the map's sources come back as absolute paths.
    this.map = new TraceMap(mapText, bundleFile);
    this.sources = this.map.resolvedSources.map((resolved) => ({ name: resolved, absolute: path.resolve(resolved) }));
  }

  /** The map's source for a file the user named (absolute, or compared by its path tail); undefined if the bundle does not hold it. */
  findSource(file: string): string | undefined {
    const wanted = path.resolve(file);
    const exact = this.sources.find((s) => s.absolute === wanted);
    if (exact) return exact.name;
    const tail = segments(file);
    let best: { name: string; score: number } | undefined;
    for (const source of this.sources) {
      const score = commonTail(segments(source.absolute), tail);
      if (score > 0 && (!best || score > best.score)) best = { name: source.name, score };
    }
    return best?.name;
  }

  /**
   * Where a breakpoint on `line` (1-based) of `source` goes in the bundle: the first mapped
   * position on that line, or on the next line that has code. `line` in the answer is the
   * source line it landed on.
   */
  toGenerated(source: string, line: number, column?: number): { generated: { line: number; column: number }; line: number } | undefined {
    for (let candidate = line; candidate <= line + MAX_LINE_SHIFT; candidate++) {
      const start = candidate === line && column !== undefined ? column - 1 : 0;
      const found = generatedPositionFor(this.map, { source, line: candidate, column: start, bias: LEAST_UPPER_BOUND });
      if (found.line !== null && found.column !== null) {
        // A LEAST_UPPER_BOUND hit may belong to a later source line: make sure it maps back to this one.
        const back = originalPositionFor(this.map, { line: found.line, column: found.column });
        if (back.source === source && back.line === candidate) return { generated: { line: found.line, column: found.column + 1 }, line: candidate };
      }
    }
    return undefined;
  }

  /** The source position of a bundle position (1-based line and column). */
  toOriginal(line: number, column: number): SourceLocation | undefined {
    let found = originalPositionFor(this.map, { line, column: column - 1, bias: GREATEST_LOWER_BOUND });
    if (found.source === null) found = originalPositionFor(this.map, { line, column: column - 1, bias: LEAST_UPPER_BOUND });
    if (found.source === null || found.line === null) return undefined;
    return { file: path.resolve(found.source), line: found.line, column: (found.column ?? 0) + 1 };
  }

  /** True when a source (as toOriginal returns it) is the user's code, not Squall's runtime. */
  static isUserSource(file: string): boolean {
    return !RUNTIME_SOURCE.test(file);
  }
}

function segments(file: string): string[] {
  return file.split(/[\\/]+/).filter((s) => s.length > 0 && s !== '.');
}

/** How many trailing path segments two paths share (0 when even the file names differ). */
function commonTail(a: string[], b: string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}
