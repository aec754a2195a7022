/**
 * The event streams of a local run, one typed Event per kind (core/common/event.ts) plus one
 * that carries them all as a RunEvent union for transports. A listener that throws is reported
 * as a `problem` of kind 'listener' (and on stderr if a problem listener is the one throwing),
 * so a broken consumer is visible but cannot stop the topology.
 */
import { Emitter, type Event } from '../common/event.js';
import type { DebugTargetsChange, RunEvent, RunLogLine, RunProblem, RunStarted, RunStats, RunStopped, TaskStateChange } from '../common/run/run-types.js';

/** Every event stream of a run, and how to fire them. */
export class RunEvents {
  private readonly logs: Emitter<RunLogLine>;
  private readonly taskStates: Emitter<TaskStateChange>;
  private readonly stats: Emitter<RunStats>;
  private readonly problems: Emitter<RunProblem>;
  private readonly debugTargets: Emitter<DebugTargetsChange>;
  private readonly starts: Emitter<RunStarted>;
  private readonly stops: Emitter<RunStopped>;
  private readonly all: Emitter<RunEvent>;
  private reportingListenerError = false;

  constructor() {
    const onListenerError = (error: unknown, name: string) => this.listenerFailed(error, name);
    this.logs = new Emitter('log', onListenerError);
    this.taskStates = new Emitter('task-state', onListenerError);
    this.stats = new Emitter('stats', onListenerError);
    this.problems = new Emitter('problem', onListenerError);
    this.debugTargets = new Emitter('debug-targets', onListenerError);
    this.starts = new Emitter('started', onListenerError);
    this.stops = new Emitter('stopped', onListenerError);
    this.all = new Emitter('event', onListenerError);
  }

  get onLog(): Event<RunLogLine> {
    return this.logs.event;
  }
  get onTaskState(): Event<TaskStateChange> {
    return this.taskStates.event;
  }
  get onStats(): Event<RunStats> {
    return this.stats.event;
  }
  get onProblem(): Event<RunProblem> {
    return this.problems.event;
  }
  get onDebugTargets(): Event<DebugTargetsChange> {
    return this.debugTargets.event;
  }
  get onStarted(): Event<RunStarted> {
    return this.starts.event;
  }
  get onStopped(): Event<RunStopped> {
    return this.stops.event;
  }
  get onEvent(): Event<RunEvent> {
    return this.all.event;
  }

  log(line: RunLogLine): void {
    this.logs.fire(line);
    if (this.all.hasListeners) this.all.fire({ type: 'log', ...line });
  }

  taskState(change: TaskStateChange): void {
    this.taskStates.fire(change);
    this.all.fire({ type: 'task-state', ...change });
  }

  statsTaken(stats: RunStats): void {
    this.stats.fire(stats);
    this.all.fire({ type: 'stats', ...stats });
  }

  problem(problem: RunProblem): void {
    this.problems.fire(problem);
    this.all.fire({ type: 'problem', ...problem });
  }

  debugTargetsChanged(change: DebugTargetsChange): void {
    this.debugTargets.fire(change);
    this.all.fire({ type: 'debug-targets', ...change });
  }

  started(started: RunStarted): void {
    this.starts.fire(started);
    this.all.fire({ type: 'started', ...started });
  }

  stopped(stopped: RunStopped): void {
    this.stops.fire(stopped);
    this.all.fire({ type: 'stopped', ...stopped });
  }

  /** Drops every listener (the run is over and has said so). */
  dispose(): void {
    for (const emitter of [this.logs, this.taskStates, this.stats, this.problems, this.debugTargets, this.starts, this.stops, this.all]) emitter.dispose();
  }

  private listenerFailed(error: unknown, name: string): void {
    const message = `a listener of the run's '${name}' events threw: ${(error as Error)?.message ?? String(error)}`;
    const stack = (error as Error)?.stack;
    // A problem listener that throws while being told about a throwing listener would loop.
    if (this.reportingListenerError || name === 'problem') {
      process.stderr.write(`squall: ${message}\n${stack ?? ''}\n`);
      return;
    }
    this.reportingListenerError = true;
    try {
      this.problem({ kind: 'listener', severity: 'error', message, where: {}, hint: 'the run goes on; fix the code that subscribed to this event', stack, time: Date.now() });
    } finally {
      this.reportingListenerError = false;
    }
  }
}
