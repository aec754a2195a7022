/**
 * runTopology: a whole topology in this process, deterministic for a seed. See
 * in-process-topology.ts for what is faithful to Storm and scheduler.ts for the order of work.
 */
import { SquallError } from '../common/errors.js';
import type { TopologySpec } from '../common/topology/model.js';
import type { ComponentClass } from '../component/runtime.js';
import { FakeClock } from './fake-clock.js';
import { FeederSpout, feedItems, type SpoutTupleInput } from './feeder.js';
import { InProcessTopology } from './in-process-topology.js';
import { loadTopologyInProcess, resolveWithClasses } from './load.js';
import type { TopologyRunResult } from './result.js';
import { runScheduler, type Until } from './scheduler.js';

/** Options of runTopology. */
export interface RunTopologyOptions {
  /** Component classes by component id (needed for a spec that did not come from a file). */
  components?: Record<string, ComponentClass>;
  /**
   * Tuples to feed instead of running a spout's own class, by spout id (the first task of the
   * spout emits them in order; values are reliable with their index as message id unless told).
   */
  spoutTuples?: Record<string, SpoutTupleInput[]>;
  /**
   * Config that wins over the topology file and the classes, for every component (e.g. a
   * faster tick or a test data file): applied to the topology conf and each component conf.
   */
  config?: Record<string, unknown>;
  /** When to stop (default 'idle'). */
  until?: Until;
  /** Fixes every random choice: shuffle, interleaving, ids (default 1). */
  seed?: number;
  /** Virtual clock (default one starting at 0); read it after the run for the end time. */
  clock?: FakeClock;
  /** Acker tasks (default from the topology conf: 1). 0 = no acking, reliable emits acked at once. */
  ackers?: number;
  /** Step budget (default 100,000). */
  maxSteps?: number;
  /** Virtual milliseconds each nextTuple call takes (default 0). */
  spoutCallMs?: number;
  /** Real event-loop turns to wait for an idle spout doing async I/O (default 2). */
  idlePolls?: number;
  /** Receives every log line as it is written (e.g. `console.log` while debugging a test). */
  onLog?: (line: string) => void;
  /** Return the result of a run that crashed instead of rejecting (default false). */
  allowCrash?: boolean;
}

/**
 * Runs a topology (a model, or the path of a topology.yaml) in-process, with Storm's task
 * ids, groupings, acking, ticks and timeouts, and returns what happened.
 */
export async function runTopology(topology: TopologySpec | string, options: RunTopologyOptions = {}): Promise<TopologyRunResult> {
  const given = new Map(Object.entries(options.components ?? {}));
  let spec: TopologySpec;
  let classes: Map<string, ComponentClass>;
  if (typeof topology === 'string') {
    const loaded = await loadTopologyInProcess(topology);
    classes = new Map([...loaded.classes, ...given]);
    spec = given.size > 0 ? resolveWithClasses(loaded.spec, classes) : loaded.spec;
  } else {
    classes = given;
    spec = resolveWithClasses(topology, classes);
  }

  if (options.config) spec = withOverrides(spec, options.config);
  const clock = options.clock ?? new FakeClock();
  const feeders = new Map<string, FeederSpout>();
  for (const [spout, inputs] of Object.entries(options.spoutTuples ?? {})) {
    const component = spec.components.find((c) => c.id === spout);
    if (!component || component.kind !== 'spout') {
      const spouts = spec.components.filter((c) => c.kind === 'spout').map((c) => c.id);
      throw new SquallError('usage', `spoutTuples names '${spout}', which is not a spout of '${spec.name}'`, {}, `spouts: ${spouts.join(', ') || 'none'}`);
    }
    feeders.set(spout, new FeederSpout(feedItems(inputs), clock));
  }

  const seed = options.seed ?? 1;
  const running = new InProcessTopology(spec, { classes, feeders, seed, clock, ackers: options.ackers, onLog: options.onLog });
  await running.start();
  const stoppedBy = running.crashed
    ? 'crash'
    : await runScheduler(running, options.until ?? 'idle', {
        clock,
        maxSteps: options.maxSteps ?? 100_000,
        spoutCallMs: options.spoutCallMs ?? 0,
        idlePolls: options.idlePolls ?? 2,
      });
  const result = running.recorder.finish(running.layout, clock.now(), running.steps, stoppedBy);
  const first = result.crashes[0];
  if (first && !options.allowCrash) {
    throw new SquallError('component', `component crashed (Storm would halt the worker): ${first.crash.report()}`, { component: first.component, task: first.task }, 'fix the component, or pass { allowCrash: true } to inspect the crash in the result');
  }
  return result;
}

function withOverrides(spec: TopologySpec, overrides: Record<string, unknown>): TopologySpec {
  return {
    ...spec,
    config: { ...spec.config, ...overrides },
    components: spec.components.map((c) => ({ ...c, config: { ...c.config, ...overrides } })),
  };
}
