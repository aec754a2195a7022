/**
 * The figures a running topology reports, per task and per component: the same names Storm UI
 * uses (emitted, transferred, acked, failed, capacity, complete latency), plus the true process
 * latency of shell components (receive → ack) as a histogram. Pure data and pure arithmetic,
 * shared by the local engine, the CLI, the workbench and the profiler.
 */
import type { ComponentKind } from '../topology/model.js';
import { LatencyHistogram, type LatencySummary } from './histogram.js';

/** Figures of one task since the topology started. */
export interface TaskFigures {
  component: string;
  kind: ComponentKind;
  task: number;
  /** Pid of the task's current process; undefined in-process or while restarting. */
  pid?: number;
  /** Tuples the task emitted (one per emit call, as Storm counts). */
  emitted: number;
  /** Tuple copies sent to downstream tasks (an emit to 3 tasks counts 3). */
  transferred: number;
  /** Bolt: input tuples acked. Spout: tuple trees completed. */
  acked: number;
  /** Bolt: input tuples failed. Spout: trees failed (explicitly or by timeout). */
  failed: number;
  /** Bolt: tuples received (excluding heartbeats). */
  executed: number;
  /** Bolt: receive → ack, per input tuple. */
  processLatency: LatencySummary;
  /** Spout: emit → tree completed. */
  completeLatency: LatencySummary;
  /**
   * Bolt: share of the last window the task was busy (at least one tuple in the child and
   * not yet acked). 1 = saturated, Storm UI's "capacity" but measured for real.
   */
  capacity: number;
  /** Tuples waiting on the host side to be written to the child. */
  queued: number;
  /** Times this task's process was restarted. */
  restarts: number;
  /** The last error the task reported or died of. */
  lastError?: string;
}

/** A component's figures: its tasks' counters summed and histograms merged. */
export interface ComponentFigures {
  component: string;
  kind: ComponentKind;
  tasks: number;
  emitted: number;
  transferred: number;
  acked: number;
  failed: number;
  executed: number;
  processLatency: LatencySummary;
  completeLatency: LatencySummary;
  /** The busiest task's capacity (Storm UI shows the max over executors). */
  capacity: number;
  restarts: number;
  lastError?: string;
}

/** Everything known about a run at one moment. */
export interface TopologyFigures {
  topology: string;
  /** 'multiprocess' (one child per task, like Storm) or 'in-process' (labelled as such). */
  mode: 'multiprocess' | 'in-process';
  /** Milliseconds since the topology started. */
  uptimeMs: number;
  components: ComponentFigures[];
  tasks: TaskFigures[];
}

/** Live counters of one task, kept by whoever runs it; `figures()` freezes them. */
export class TaskCounters {
  emitted = 0;
  transferred = 0;
  acked = 0;
  failed = 0;
  executed = 0;
  restarts = 0;
  queued = 0;
  pid?: number;
  lastError?: string;
  readonly processLatency = new LatencyHistogram();
  readonly completeLatency = new LatencyHistogram();
  /** Busy time accumulated in the current capacity window, in ms. */
  private busyMs = 0;
  private busySince: number | undefined;
  private windowStart: number;
  private lastCapacity = 0;

  constructor(
    readonly component: string,
    readonly kind: ComponentKind,
    readonly task: number,
    now: number,
  ) {
    this.windowStart = now;
  }

  /** The task went from idle to having work in flight. */
  markBusy(now: number): void {
    if (this.busySince === undefined) this.busySince = now;
  }

  /** The task has nothing in flight any more. */
  markIdle(now: number): void {
    if (this.busySince !== undefined) {
      this.busyMs += now - this.busySince;
      this.busySince = undefined;
    }
  }

  /** Closes the capacity window (called once per stats period) and returns its capacity. */
  rollCapacity(now: number): number {
    const window = now - this.windowStart;
    let busy = this.busyMs;
    if (this.busySince !== undefined) {
      busy += now - this.busySince;
      this.busySince = now;
    }
    this.busyMs = 0;
    this.windowStart = now;
    this.lastCapacity = window > 0 ? Math.min(1, busy / window) : 0;
    return this.lastCapacity;
  }

  figures(): TaskFigures {
    return {
      component: this.component,
      kind: this.kind,
      task: this.task,
      pid: this.pid,
      emitted: this.emitted,
      transferred: this.transferred,
      acked: this.acked,
      failed: this.failed,
      executed: this.executed,
      processLatency: this.processLatency.summary(),
      completeLatency: this.completeLatency.summary(),
      capacity: round3(this.lastCapacity),
      queued: this.queued,
      restarts: this.restarts,
      lastError: this.lastError,
    };
  }
}

/** Sums the figures of one component's tasks (histograms merged, not averaged). */
export function componentFigures(component: string, kind: ComponentKind, tasks: TaskCounters[]): ComponentFigures {
  const process = new LatencyHistogram();
  const complete = new LatencyHistogram();
  const figures: ComponentFigures = {
    component,
    kind,
    tasks: tasks.length,
    emitted: 0,
    transferred: 0,
    acked: 0,
    failed: 0,
    executed: 0,
    processLatency: process.summary(),
    completeLatency: complete.summary(),
    capacity: 0,
    restarts: 0,
  };
  for (const t of tasks) {
    figures.emitted += t.emitted;
    figures.transferred += t.transferred;
    figures.acked += t.acked;
    figures.failed += t.failed;
    figures.executed += t.executed;
    figures.restarts += t.restarts;
    figures.capacity = Math.max(figures.capacity, t.figures().capacity);
    if (t.lastError !== undefined) figures.lastError = t.lastError;
    process.merge(t.processLatency);
    complete.merge(t.completeLatency);
  }
  figures.processLatency = process.summary();
  figures.completeLatency = complete.summary();
  return figures;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** One line for a console: `sentences emitted 1200 acked 1180 | split ... p99 2.1ms`. */
export function summaryLine(figures: TopologyFigures): string {
  const parts = figures.components.map((c) => {
    if (c.kind === 'spout') {
      return `${c.component}: emitted ${c.emitted} acked ${c.acked} failed ${c.failed} complete p99 ${c.completeLatency.p99Ms}ms`;
    }
    return `${c.component}: executed ${c.executed} emitted ${c.emitted} p99 ${c.processLatency.p99Ms}ms cap ${c.capacity.toFixed(2)}${c.restarts ? ` restarts ${c.restarts}` : ''}`;
  });
  return `[${(figures.uptimeMs / 1000).toFixed(0)}s] ${parts.join(' | ')}`;
}
