/** A paused task as the debugger shows it: where, why, the call stack and the current tuple. */
import type { TupleView } from './hooks.js';

/** A position in a source file (TypeScript when a source map says so). 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** One frame of a paused task's call stack. */
export interface StackFrame {
  /** 0 = the top frame. */
  index: number;
  /** Function name ('(anonymous)' when it has none). */
  name: string;
  /** Where in the source (source-mapped); absent for code with no known source. */
  location?: SourceLocation;
  /** Where in the JavaScript that runs (the bundle). */
  generated: SourceLocation;
  /** False for the runtime's own frames and Node internals (what a user rarely wants to see). */
  userCode: boolean;
}

/** Why a task paused. */
export type PauseReason = 'breakpoint' | 'step' | 'exception' | 'pause' | 'debugger-statement' | 'entry' | 'other';

/** The value of one watch expression at a pause. */
export interface WatchValue {
  expression: string;
  value?: string;
  type?: string;
  error?: string;
  /** Non-zero when the value has children (see DebugSessionManager.variables). */
  variablesReference: number;
}

/** A paused task. */
export interface PausedState {
  component: string;
  task: number;
  generation: number;
  reason: PauseReason;
  /** The top frame's location (source-mapped when possible). */
  location?: SourceLocation;
  callStack: StackFrame[];
  /** Ids of the session's breakpoints that caused the pause. */
  breakpoints: string[];
  /** The tuple the bolt is processing (absent for spouts and between tuples). */
  tuple?: TupleView;
  /** For an exception pause: the exception's description (message and stack). */
  exception?: string;
  watches: WatchValue[];
  /** Wall clock (ms since the epoch). */
  time: number;
}
