/** The debug events a DebugSessionManager emits (one union, so a transport carries them all). */
import type { Breakpoint } from './breakpoints.js';
import type { PausedState } from './paused.js';

/** A debugged task, as the session knows it. */
export interface DebugTaskInfo {
  component: string;
  task: number;
  generation: number;
  pid: number;
  /** How the session talks to it: the fast relay or the inspector's WebSocket. */
  channel: 'relay' | 'websocket';
  paused: boolean;
}

export type DebugEvent =
  | ({ type: 'paused' } & PausedState)
  | { type: 'resumed'; component: string; task: number; generation: number; time: number }
  /** A breakpoint's per-task state changed (resolved or unresolved in one task). */
  | { type: 'breakpoint'; breakpoint: Breakpoint; task: number; resolved: boolean; time: number }
  | ({ type: 'task-attached'; time: number } & DebugTaskInfo)
  | { type: 'task-detached'; component: string; task: number; generation: number; reason: string; time: number }
  /** A logpoint's text. */
  | { type: 'output'; component: string; task: number; breakpoint: string; text: string; time: number }
  /** Something went wrong that the user should know (a task could not be attached, a bad condition…). */
  | { type: 'problem'; component?: string; task?: number; message: string; hint?: string; time: number };

export type DebugEventType = DebugEvent['type'];
