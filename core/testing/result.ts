/**
 * What runTopology returns: every tuple emitted (by component and stream), the message ids
 * each spout saw acked or failed, reported errors, log lines and crashes.
 */
import type { ComponentCrash } from '../component/runtime.js';
import type { LogLevelName } from '../common/multilang/messages.js';
import type { TaskLayout } from '../common/routing/tasks.js';

/** One emit, as the harness saw it. */
export interface EmittedTuple {
  /** Emitting task. */
  task: number;
  stream: string;
  values: unknown[];
  /** Tasks the tuple was routed to (after grouping). */
  targets: number[];
  /** Spout emits: the message id (absent = unreliable). */
  messageId?: string | number;
  /** Bolt emits: true when anchored to at least one input tuple. */
  anchored?: boolean;
  /** Virtual time of the emit. */
  timeMs: number;
}

/** An error a component reported (Storm UI's "last error"). */
export interface ReportedError {
  component: string;
  task: number;
  message: string;
  timeMs: number;
}

/** A line a component logged. */
export interface LogEntry {
  component: string;
  task: number;
  level: LogLevelName;
  message: string;
  timeMs: number;
}

/** Why a run ended. */
export type StopReason = 'idle' | 'time' | 'until' | 'maxSteps' | 'crash';

/** The outcome of runTopology. */
export interface TopologyRunResult {
  /** component → stream → emits, in emit order. */
  emitted: Record<string, Record<string, EmittedTuple[]>>;
  /** spout → message ids whose tuple tree completed, in the order the spout was told. */
  acked: Record<string, Array<string | number>>;
  /** spout → message ids whose tuple tree failed or timed out. */
  failed: Record<string, Array<string | number>>;
  errors: ReportedError[];
  logs: LogEntry[];
  /** Components that threw where Storm would halt the worker (the run stopped there). */
  crashes: Array<{ component: string; task: number; crash: ComponentCrash }>;
  /** Task ids as Storm would assign them. */
  layout: TaskLayout;
  /** Virtual time when the run ended. */
  timeMs: number;
  /** Scheduler steps taken (tuples delivered, spout calls, ticks). */
  steps: number;
  stoppedBy: StopReason;
  /** Values emitted by a component on a stream (default `default`), all tasks, in order. */
  values(component: string, stream?: string): unknown[][];
}

/** Collects a run's outcome as it happens. */
export class ResultRecorder {
  readonly emitted: Record<string, Record<string, EmittedTuple[]>> = {};
  readonly acked: Record<string, Array<string | number>> = {};
  readonly failed: Record<string, Array<string | number>> = {};
  readonly errors: ReportedError[] = [];
  readonly logs: LogEntry[] = [];
  readonly crashes: Array<{ component: string; task: number; crash: ComponentCrash }> = [];
  /** Emit counts by component (all streams), for `until` checks. */
  readonly emitCounts = new Map<string, number>();

  constructor(spouts: string[]) {
    for (const spout of spouts) {
      this.acked[spout] = [];
      this.failed[spout] = [];
    }
  }

  recordEmit(component: string, emit: EmittedTuple): void {
    ((this.emitted[component] ??= {})[emit.stream] ??= []).push(emit);
    this.emitCounts.set(component, (this.emitCounts.get(component) ?? 0) + 1);
  }

  /** Number of tuples a component emitted, on one stream or all of them. */
  countOf(component: string, stream?: string): number {
    if (stream === undefined) return this.emitCounts.get(component) ?? 0;
    return this.emitted[component]?.[stream]?.length ?? 0;
  }

  finish(layout: TaskLayout, timeMs: number, steps: number, stoppedBy: StopReason): TopologyRunResult {
    const emitted = this.emitted;
    return {
      emitted,
      acked: this.acked,
      failed: this.failed,
      errors: this.errors,
      logs: this.logs,
      crashes: this.crashes,
      layout,
      timeMs,
      steps,
      stoppedBy,
      values: (component, stream = 'default') => (emitted[component]?.[stream] ?? []).map((e) => e.values),
    };
  }
}
