/**
 * The harness's event loop. At each step it runs one unit of work, chosen by the run's seed:
 * a queued tuple of some bolt task, or an ack/fail for some spout task. Only when none is
 * queued does it call a spout's nextTuple; only when every spout is idle does virtual time
 * move, to the next tick, timed tuple or timeout. So a seed fixes the whole run.
 */
import type { FakeClock } from './fake-clock.js';
import type { BoltTask, InProcessTopology, SpoutTask } from './in-process-topology.js';
import type { StopReason } from './result.js';

/** How far a run goes. */
export type Until =
  /** Until nothing is left to do: queues empty, spouts idle, every tuple tree settled. */
  | 'idle'
  /** Until virtual time reaches `timeMs` (ticks fire on the way) and the work of that time is done. */
  | { timeMs: number }
  /** Until `component` has emitted `count` tuples (on `stream`, or on any stream). */
  | { emitted: number; component: string; stream?: string }
  /** Until the predicate holds; checked after every step. */
  | ((progress: RunProgress) => boolean);

/** What an `until` predicate can look at. */
export interface RunProgress {
  timeMs: number;
  steps: number;
  /** Tuples emitted so far by a component (on one stream, or all). */
  emittedCount(component: string, stream?: string): number;
}

/** Knobs of the loop. */
export interface SchedulerOptions {
  clock: FakeClock;
  /** Stop after this many steps (a runaway spout cannot hang a test). */
  maxSteps: number;
  /** Virtual time each nextTuple call takes (lets ticks interleave with an endless spout). */
  spoutCallMs: number;
  /**
   * Real event-loop turns to wait for when a spout (not a feeder) is idle before concluding it
   * has nothing more: lets a spout reading a file or a pipe asynchronously catch up.
   */
  idlePolls: number;
}

/** Runs the topology until `until` (or a crash, or maxSteps); returns why it stopped. */
export async function runScheduler(topology: InProcessTopology, until: Until, options: SchedulerOptions): Promise<StopReason> {
  const { clock } = options;
  const progress: RunProgress = {
    get timeMs() {
      return clock.now();
    },
    get steps() {
      return topology.steps;
    },
    emittedCount: (component, stream) => topology.recorder.countOf(component, stream),
  };
  const reached = (): boolean => {
    if (typeof until === 'function') return until(progress);
    if (typeof until === 'object' && 'emitted' in until) return topology.recorder.countOf(until.component, until.stream) >= until.emitted;
    return false;
  };
  const states = [...topology.tasks.values()];
  const bolts = states.filter((s): s is BoltTask => s.kind === 'bolt');
  const spouts = states.filter((s): s is SpoutTask => s.kind === 'spout');
  let idleStreak = 0;

  for (;;) {
    if (topology.crashed) return 'crash';
    if (reached()) return 'until';
    if (topology.steps >= options.maxSteps) return 'maxSteps';

    const ready: Array<BoltTask | SpoutTask> = [...bolts.filter((b) => b.queue.length > 0), ...spouts.filter((s) => s.commands.length > 0)];
    if (ready.length > 0) {
      const state = topology.pick(ready);
      await (state.kind === 'bolt' ? topology.runBolt(state) : topology.runSpoutCommand(state));
      idleStreak = 0;
      continue;
    }

    const callable = spouts.filter((s) => topology.canCallNext(s));
    if (callable.length > 0) {
      const spout = topology.pick(callable);
      await topology.runNextTuple(spout);
      if (!spout.idle) idleStreak = 0;
      if (options.spoutCallMs > 0) topology.advanceTo(clock.now() + options.spoutCallMs);
      continue;
    }

    // Nothing runnable now. A real spout may be waiting on I/O: give it a few turns first.
    const waitingOnIo = spouts.filter((s) => s.idle && !s.feeder && topology.canCallNext({ ...s, idle: false }));
    if (waitingOnIo.length > 0 && idleStreak < options.idlePolls) {
      idleStreak++;
      await new Promise((resolve) => setTimeout(resolve, 1));
      for (const spout of waitingOnIo) spout.idle = false;
      continue;
    }
    idleStreak = 0;

    // Move virtual time, or stop.
    if (typeof until === 'object' && 'timeMs' in until) {
      if (clock.now() >= until.timeMs) return 'time';
      const next = topology.nextEventMs(true);
      topology.advanceTo(next === undefined ? until.timeMs : Math.min(next, until.timeMs));
      continue;
    }
    if (!topology.awaiting) return 'idle';
    // Trees pending or timed input ahead: let time run (ticks included) until they settle.
    const next = topology.nextEventMs(true);
    if (next === undefined) return 'idle';
    topology.advanceTo(next);
  }
}
