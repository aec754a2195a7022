import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEBUG_HOOKS_SYMBOL, type DebugHooks, type RelayEndpoint, type TupleView } from '../../common/debug/hooks.js';
import type { Tuple } from '../tuple.js';

/**
 * What a task under the inspector offers the debugger (core/common/debug/hooks.ts): installed
 * on a global only in debug mode with an inspector, read with Runtime.evaluate. The hot path
 * pays nothing: the debugger asks for the current tuple, the runtime never pushes it.
 */
export function installDebugHooks(sources: { relay: () => RelayEndpoint | undefined; currentTuple: () => Tuple | undefined }): DebugHooks {
  const hooks: DebugHooks = {
    version: 1,
    relay: sources.relay,
    currentTuple: () => {
      const tuple = sources.currentTuple();
      return tuple ? tupleView(tuple) : undefined;
    },
    sourceMap: readSourceMapOf,
    pauseOnCrash: false,
  };
  Object.defineProperty(globalThis, Symbol.for(DEBUG_HOOKS_SYMBOL), { value: hooks, configurable: true, enumerable: false, writable: false });
  return hooks;
}

/** The hooks of this process, when installed. */
export function debugHooks(): DebugHooks | undefined {
  return (globalThis as Record<symbol, DebugHooks | undefined>)[Symbol.for(DEBUG_HOOKS_SYMBOL)];
}

/**
 * Called when an error escapes the component's own code (process, tick, nextTuple, …), before
 * the runtime fails the tuple (BasicBolt) or crashes the task: pauses here when the debugger
 * asked for "pause on uncaught exceptions". The runtime catches every component error, so V8
 * itself would call them all caught. `error` and `tuple` are what the paused frame shows.
 */
export function pauseOnComponentError(error: unknown, tuple: Tuple | undefined): void {
  if (!debugHooks()?.pauseOnCrash) return;
  void error;
  void tuple;
  // eslint-disable-next-line no-debugger -- the one place the runtime stops for the debugger on purpose
  debugger;
}

/** A tuple with JSON-safe values by field name. */
export function tupleView(tuple: Tuple): TupleView {
  const values: Record<string, unknown> = {};
  tuple.values.forEach((value, index) => (values[tuple.fields[index] ?? `_${index}`] = jsonSafe(value)));
  return { id: tuple.id, component: tuple.component, stream: tuple.stream, task: tuple.task, values };
}

function jsonSafe(value: unknown): unknown {
  if (value === undefined) return null;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : (JSON.parse(text) as unknown);
  } catch {
    return String(value);
  }
}

/** The text of the source map a script names in its last `sourceMappingURL` comment (beside it, or inline). */
function readSourceMapOf(url: string): string | undefined {
  try {
    const file = url.startsWith('file:') ? fileURLToPath(url) : url;
    const text = readFileSync(file, 'utf8');
    const at = text.lastIndexOf('//# sourceMappingURL=');
    if (at === -1) return undefined;
    const reference = text.slice(at + '//# sourceMappingURL='.length).trim();
    const inline = 'data:application/json;base64,';
    if (reference.startsWith(inline)) return Buffer.from(reference.slice(inline.length), 'base64').toString('utf8');
    return readFileSync(path.resolve(path.dirname(file), reference), 'utf8');
  } catch {
    return undefined;
  }
}
