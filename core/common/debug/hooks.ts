/**
 * The small contract between a debugged task's runtime (core/component) and the debugger
 * (core/debug): what the runtime puts on a global only in debug mode, and how the debugger
 * reaches it with Runtime.evaluate. Nothing here runs; the shapes and the expression are shared
 * so both sides name the same thing.
 */

/** `Symbol.for` key of the hooks object a debugged task installs on globalThis. */
export const DEBUG_HOOKS_SYMBOL = 'squall.debug';

/** JavaScript that evaluates to the hooks object (or undefined outside debug mode). */
export const DEBUG_HOOKS_EXPRESSION = `globalThis[Symbol.for(${JSON.stringify(DEBUG_HOOKS_SYMBOL)})]`;

/** Name of the CDP binding (Runtime.addBinding) a logpoint calls with its text. */
export const LOGPOINT_BINDING = '__squallLogpoint';

/** Where a task's fast inspector channel listens, and the secret it demands first. */
export interface RelayEndpoint {
  host: string;
  port: number;
  secret: string;
}

/** The tuple a bolt is processing, as a debugger shows it (values made JSON-safe). */
export interface TupleView {
  /** Storm's tuple id. */
  id: string;
  /** The component that emitted it. */
  component: string;
  stream: string;
  /** The emitting task (-1 for system tuples). */
  task: number;
  /** Values by field name (`_0`, `_1`, … when the stream declares no fields). */
  values: Record<string, unknown>;
}

/** What a debugged task's runtime offers the debugger (version 1). */
export interface DebugHooks {
  version: 1;
  /** The task's fast inspector channel, when it has one. */
  relay(): RelayEndpoint | undefined;
  /** The tuple being processed (bolts), if any. */
  currentTuple(): TupleView | undefined;
  /** The source map text of a script the task runs (by its file URL), read where the task runs. */
  sourceMap(url: string): string | undefined;
  /** When true, the task pauses (with `debugger`) before a component error crashes it. */
  pauseOnCrash: boolean;
}

/** Protocol name the inspector relay answers with once the secret is accepted. */
export const RELAY_PROTOCOL = 'squall-inspector-relay/1';
