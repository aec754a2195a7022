/**
 * The data a local run (and, later, a cluster view) shows the outside world: its events and
 * its snapshot. Pure types, so the renderer, the CLI, the debugger and the profiler all speak
 * the same shapes without importing Node code.
 */
import type { ErrorWhere } from '../errors.js';
import type { LogLevelName } from '../multilang/messages.js';
import type { TopologyFigures } from '../stats/figures.js';
import type { ComponentKind } from '../topology/model.js';

/** 'multiprocess' (one child per task, as Storm runs shell components) or 'in-process' (labelled). */
export type RunMode = 'multiprocess' | 'in-process';

/** Where a run is in its life. `inactive` = spouts deactivated, acks still flowing. */
export type RunState = 'starting' | 'active' | 'inactive' | 'stopping' | 'stopped';

/** Why a run ended. */
export type StopReason = 'requested' | 'duration' | 'crash-loop' | 'failed-to-start';

/** Where one task is in its life. */
export type TaskState = 'starting' | 'running' | 'restarting' | 'stopped';

/** A task listening for a debugger (vscode-js-debug's "target"). */
export interface DebugTarget {
  component: string;
  task: number;
  pid: number;
  /** The inspector's WebSocket, always on loopback: `ws://127.0.0.1:<port>/<uuid>`. */
  url: string;
  /** Process generation of the task: 0 for its first process, +1 per restart. */
  generation: number;
  /** True while the task holds user code back, waiting for a debugger (`--debug-wait`). */
  waiting: boolean;
}

/** One task as it is right now. */
export interface TaskSnapshot {
  component: string;
  kind: ComponentKind;
  task: number;
  state: TaskState;
  /** Pid of the current process (absent while starting/restarting, and in-process). */
  pid?: number;
  /** Process generation (restarts so far). */
  generation: number;
  /** Set while the task's inspector is known. */
  debug?: DebugTarget;
  lastError?: string;
}

/** Debug settings a run was started with (so a UI can say "debug run: timeouts raised"). */
export interface RunDebugInfo {
  /** Components whose tasks run under the inspector. */
  components: string[];
  /** Seconds each task waits for a debugger before running user code (0 = no wait). */
  waitSecs: number;
  /** topology.message.timeout.secs in effect (raised for debug runs), and what it was. */
  messageTimeoutSecs: number;
  originalMessageTimeoutSecs: number;
}

/** Everything about a run at one moment. Reading it changes nothing. */
export interface RunSnapshot {
  topology: string;
  mode: RunMode;
  state: RunState;
  /** Wall-clock time the run started (ms since the epoch), once started. */
  startedAt?: number;
  tasks: TaskSnapshot[];
  figures: TopologyFigures;
  /** Every task currently listening for a debugger. */
  debugTargets: DebugTarget[];
  /** Tuple trees not yet acked, failed or timed out. */
  openTrees: number;
  debug?: RunDebugInfo;
  stopReason?: StopReason;
}

/** A line a task logged (multilang `log`, console.* in the component, or its stderr). */
export interface RunLogLine {
  component: string;
  task: number;
  level: LogLevelName;
  text: string;
  /** Wall clock, ms since the epoch. */
  time: number;
  pid?: number;
  /** Set for a line the task wrote to stderr. */
  stream?: 'stderr';
}

/** Why a task's process ended, when it did. */
export interface TaskExit {
  pid?: number;
  code: number | null;
  signal: string | null;
  reason: string;
  stderrTail: string;
  lastError?: string;
  /** The tuple being handled when it died, if known. */
  tuple?: unknown[];
}

/** A task moved from one state to another. */
export interface TaskStateChange {
  component: string;
  kind: ComponentKind;
  task: number;
  state: TaskState;
  previous: TaskState;
  pid?: number;
  generation: number;
  time: number;
  /** Set when the change is a death (state 'restarting' or 'stopped'). */
  exit?: TaskExit;
  /** Set when a restart is scheduled. */
  restart?: { attempt: number; delayMs: number };
}

/** Periodic figures. */
export interface RunStats {
  figures: TopologyFigures;
  time: number;
  /** True for the last figures of a run, taken as it stops. */
  final?: boolean;
}

/** What kind of trouble a RunProblem is. */
export type RunProblemKind =
  | 'reported' // the component called reportError (multilang `error`)
  | 'task-died' // a task's process ended unexpectedly (it is restarted)
  | 'crash-loop' // a task kept dying: the run stops
  | 'start-failed' // the run could not start
  | 'shutdown' // something did not stop cleanly
  | 'resources' // e.g. many tasks for this machine's memory
  | 'debug' // the debug setup (raised timeouts, inspector trouble)
  | 'listener'; // a consumer of the run's events threw

/** An error or warning, as a value a UI can place and act on. */
export interface RunProblem {
  kind: RunProblemKind;
  severity: 'fatal' | 'error' | 'warning';
  message: string;
  /** Component, task, file and line when known. */
  where: ErrorWhere;
  /** What to do about it. */
  hint?: string;
  tuple?: unknown[];
  stack?: string;
  time: number;
}

/** The set of debug targets changed (a task started, restarted or stopped under the inspector). */
export interface DebugTargetsChange {
  targets: DebugTarget[];
  added: DebugTarget[];
  removed: DebugTarget[];
  time: number;
}

/** The run started: every task answered its handshake and the spouts are active. */
export interface RunStarted {
  topology: string;
  mode: RunMode;
  tasks: number;
  time: number;
  debug?: RunDebugInfo;
}

/** The run stopped. */
export interface RunStopped {
  topology: string;
  reason: StopReason;
  /** Tuple trees still open when it stopped (they were neither acked nor failed). */
  openTrees: number;
  time: number;
}

/** Every run event as one union, for transports that carry them all (the workbench's socket). */
export type RunEvent =
  | ({ type: 'log' } & RunLogLine)
  | ({ type: 'task-state' } & TaskStateChange)
  | ({ type: 'stats' } & RunStats)
  | ({ type: 'problem' } & RunProblem)
  | ({ type: 'debug-targets' } & DebugTargetsChange)
  | ({ type: 'started' } & RunStarted)
  | ({ type: 'stopped' } & RunStopped);

/** The `type` of a run event. */
export type RunEventType = RunEvent['type'];

/** One emit as a host routed it: who emitted what, and which tasks it went to. */
export interface RoutedEmit {
  component: string;
  task: number;
  stream: string;
  values: unknown[];
  /** Target task ids (after grouping). */
  targets: number[];
  /** Spout emits: the message id (absent = unreliable). */
  messageId?: unknown;
}

/** A spout tuple tree that completed, failed or timed out. */
export interface SettledTreeRecord {
  component: string;
  task: number;
  messageId: unknown;
  outcome: 'acked' | 'failed' | 'timeout';
}

/**
 * Optional observers of every routed emit and every settled tree (tests, tracing, recording).
 * Each costs one call per tuple: leave them unset on a hot run.
 */
export interface RunTap {
  emitted?(emit: RoutedEmit): void;
  settled?(tree: SettledTreeRecord): void;
}
