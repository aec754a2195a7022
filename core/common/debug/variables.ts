/**
 * Scopes, variables and evaluation results. Values with children carry a `variablesReference`
 * (non-zero) that DebugSessionManager.variables() expands on demand; references are valid until
 * the task resumes.
 */

/** A scope of a paused frame (local, closure, module, global…). */
export interface Scope {
  name: string;
  /** CDP scope type: local, closure, block, script, module, global, catch, with, eval. */
  type: string;
  variablesReference: number;
  /** True for big scopes (global) a UI should not expand by default. */
  expensive: boolean;
}

/** One variable (or property, or array element). */
export interface Variable {
  name: string;
  /** A one-line rendering: `"text"`, `42`, `Array(3)`, `Tuple {…}`. */
  value: string;
  /** string, number, object, function, … (and the subtype for objects: array, map, null…). */
  type: string;
  /** Non-zero when it has children to expand. */
  variablesReference: number;
}

/** The result of evaluating an expression in a paused frame (or the task's global scope). */
export interface EvaluateResult {
  value: string;
  type: string;
  variablesReference: number;
  /** JSON-safe value when the result is a primitive or a small plain object/array. */
  json?: unknown;
  /** Set when evaluation threw: the exception's text. */
  error?: string;
}
