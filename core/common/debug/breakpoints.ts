/**
 * Breakpoints as the workbench and the CLI see them: set per component at a TypeScript source
 * location, applied to every task of that component (including tasks that start or restart
 * later), each task resolving it on its own. Plain data, so it crosses a WebSocket unchanged.
 */

/** What the user asks for. `file` is the TypeScript (or JavaScript) source as they wrote it. */
export interface BreakpointOptions {
  component: string;
  file: string;
  /** 1-based line in `file`. */
  line: number;
  /** 1-based column; default: the first statement on the line. */
  column?: number;
  /** Pause only when this JavaScript expression is truthy (evaluated in the paused frame). */
  condition?: string;
  /**
   * Pause only on some hits, counted per task among hits whose condition held:
   * `5` or `>= 5` (the 5th hit and after), `== 5`, `> 5`, `< 5`, `<= 5`, `% 5` (every 5th).
   */
  hitCondition?: string;
  /**
   * A logpoint: print this text instead of pausing; `{expression}` parts are evaluated in the
   * frame. Output arrives as `output` debug events, never on the task's stdout.
   */
  logMessage?: string;
  enabled?: boolean;
}

/** Where a breakpoint stands in one task. */
export interface BreakpointTaskState {
  task: number;
  /** Process generation of the task the state belongs to. */
  generation: number;
  resolved: boolean;
  /** Where it landed in the source (may be a later line than asked: the first code there). */
  line?: number;
  column?: number;
  /** Why it did not resolve. */
  message?: string;
}

/** A breakpoint of a debug session. */
export interface Breakpoint extends BreakpointOptions {
  /** Session-wide id (`bp1`, `bp2`, …). */
  id: string;
  enabled: boolean;
  /** One entry per task of the component that the session is attached to. */
  tasks: BreakpointTaskState[];
}

/** When to pause on thrown exceptions. */
export type ExceptionPauseMode =
  /** never */
  | 'none'
  /** only errors that would crash the task (escaping the component's own code) */
  | 'uncaught'
  /** every throw, caught or not, at the throw site */
  | 'all';
