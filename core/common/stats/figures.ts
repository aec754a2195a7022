/**
 * The figures a running topology reports, per task and per component: the same names Storm UI
 * uses (emitted, transferred, acked, failed, capacity, complete latency), plus the true process
 * latency of shell components (receive → ack) as a histogram. Pure data and pure arithmetic,
 * shared by the local engine, the CLI, the workbench and the profiler.
 */
import type { ComponentKind } from '../topology/model.js';
import { LatencyHistogram, type LatencySummary } from './histogram.js';

/** The counters and latencies Storm UI shows, per task and (summed) per component. */
export interface FlowFigures {
  component: string;
  kind: ComponentKind;
  /** Tuples emitted (one per emit call, as Storm counts). */
  emitted: number;
  /** Tuple copies sent to downstream tasks (an emit to 3 tasks counts 3). */
  transferred: number;
  /** Bolt: input tuples acked. Spout: tuple trees completed. */
  acked: number;
  /** Bolt: input tuples failed. Spout: trees failed (explicitly or by timeout). */
  failed: number;
  /** Bolt: tuples received (excluding heartbeats and ticks). */
  executed: number;
  /** Bolt: receive → ack, per input tuple. */
  processLatency: LatencySummary;
  /** Spout: emit → tree completed. */
  completeLatency: LatencySummary;
  /**
   * Bolt: share of the last window a task was busy (at least one tuple in the child and not
   * yet acked). 1 = saturated, Storm UI's "capacity" but measured for real. For a component,
   * its busiest task's (Storm UI shows the max over executors).
   */
  capacity: number;
  /** Times the process was restarted. */
  restarts: number;
  /** The last error reported or died of. */
  lastError?: string;
}

/** Figures of one task since the topology started. */
export interface TaskFigures extends FlowFigures {
  task: number;
  /** Pid of the task's current process; undefined in-process or while restarting. */
  pid?: number;
  /** Tuples waiting on the host side to be written to the child. */
  queued: number;
}

/** A component's figures: its tasks' counters summed and histograms merged. */
export interface ComponentFigures extends FlowFigures {
  tasks: number;
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

  /** Capacity of the last closed window (0..1, three decimals). */
  get capacity(): number {
    return round3(this.lastCapacity);
  }

  /** A snapshot of the counters, with latency summaries; `queued` comes from the task's queue. */
  figures(queued = 0): TaskFigures {
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
      capacity: this.capacity,
      queued,
      restarts: this.restarts,
      lastError: this.lastError,
    };
  }
}

/** The counters a component's figures are the sums of. */
const SUMMED = ['emitted', 'transferred', 'acked', 'failed', 'executed', 'restarts'] as const;

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
    for (const key of SUMMED) figures[key] += t[key];
    figures.capacity = Math.max(figures.capacity, t.capacity);
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
