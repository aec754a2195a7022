/** Shared set-up of the local-engine tests: topologies built in code over the fixtures. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { ComponentSpec, TopologySpec } from '../../core/common/topology/model.js';
import type { RunEvent } from '../../core/common/run/run-types.js';
import { LocalRun, type LocalRunOptions } from '../../core/local/run.js';

export const FIXTURES = path.join(import.meta.dirname, 'fixtures');

/**
 * What each sink fixture declares (its `static outputs`; raw-bolt.mjs emits [word, 1]). The
 * engine refuses an emit whose value count differs from the declaration, so this must match.
 */
const SINK_FIELDS: Record<string, string[]> = {
  'count.ts': ['word', 'count'],
  'raw-bolt.mjs': ['word', 'count'],
  'pass-bolt.ts': ['n'],
};

/** A spout → split → (bolt) chain over the fixture components. */
export function chain(options: { name: string; config: Record<string, unknown>; bolt: string; boltParallelism?: number; boltConfig?: Record<string, unknown>; splitParallelism?: number }): TopologySpec {
  const components: ComponentSpec[] = [
    { id: 'spout', kind: 'spout', script: 'reliable-spout.ts', parallelism: 1, inputs: [], config: {}, outputs: { default: { fields: ['sentence'], direct: false } } },
    {
      id: 'split',
      kind: 'bolt',
      script: 'split.ts',
      parallelism: options.splitParallelism ?? 2,
      inputs: [{ source: 'spout', stream: 'default', grouping: { type: 'shuffle' } }],
      config: {},
      outputs: { default: { fields: ['word'], direct: false } },
    },
    {
      id: 'sink',
      kind: 'bolt',
      script: options.bolt,
      parallelism: options.boltParallelism ?? 2,
      inputs: [{ source: 'split', stream: 'default', grouping: { type: 'fields', fields: ['word'] } }],
      config: options.boltConfig ?? {},
      outputs: { default: { fields: SINK_FIELDS[options.bolt] ?? ['word'], direct: false } },
    },
  ];
  return { name: options.name, config: options.config, components, file: path.join(FIXTURES, 'topology.yaml') };
}

/**
 * A spout → split → sink chain whose sink misbehaves once: on its first tuple it finds no
 * marker file in `dir`, writes it and fails in its own way; a restarted task behaves.
 */
export function misbehaveOnceChain(options: { name: string; bolt: string; dir: string; ids: number; config?: Record<string, unknown> }): TopologySpec {
  return chain({
    name: options.name,
    config: { 'topology.message.timeout.secs': 2, 'test.ids': options.ids, 'test.rate': 1000, 'test.marker': path.join(options.dir, 'marker'), ...options.config },
    bolt: options.bolt,
    boltParallelism: 1,
    splitParallelism: 1,
  });
}

/** True once the reliable spout fixture logged that every one of its ids was acked. */
export function allAcked(events: RunEvent[]): boolean {
  return events.some((e) => e.type === 'log' && e.text.startsWith('ALL ACKED'));
}

/** Records every event of an engine. */
export function record(engine: LocalRun): RunEvent[] {
  const events: RunEvent[] = [];
  engine.onEvent((e) => events.push(e));
  return events;
}

/** Polls (every `everyMs`) until `predicate` holds; throws with `what` after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs: number, what: string, everyMs = 25): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** True while a process with this pid exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An engine created through a sandbox, with every event it emits. */
export interface RecordedEngine {
  engine: LocalRun;
  events: RunEvent[];
}

/**
 * The engines and temporary folders of one test file: call it at module level; after each
 * test the engine is stopped (its processes with it) and the folders are removed.
 */
export function localSandbox() {
  let current: LocalRun | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await current?.stop();
    current = undefined;
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  return {
    /** A new engine whose events are recorded; not started. */
    create(spec: TopologySpec, options?: LocalRunOptions): RecordedEngine {
      current = new LocalRun(spec, options);
      return { engine: current, events: record(current) };
    },
    /** A new engine, started. */
    async start(spec: TopologySpec, options?: LocalRunOptions): Promise<RecordedEngine> {
      const created = this.create(spec, options);
      await created.engine.start();
      return created;
    },
    /** A fresh temporary folder, removed after the test. */
    async tempDir(prefix: string): Promise<string> {
      const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
  };
}

/** A task's death as the run reported it: the task-state change and its exit, flattened. */
export type ExitRecord = { component: string; task: number; generation: number } & import('../../core/common/run/run-types.js').TaskExit;

/** Every task death among the events, in order. */
export function exitsOf(events: RunEvent[]): ExitRecord[] {
  return events.flatMap((e) => (e.type === 'task-state' && e.exit ? [{ component: e.component, task: e.task, generation: e.generation, ...e.exit }] : []));
}

/** Every scheduled restart among the events. */
export function restartsOf(events: RunEvent[]): Array<{ component: string; task: number; attempt: number; delayMs: number }> {
  return events.flatMap((e) => (e.type === 'task-state' && e.restart ? [{ component: e.component, task: e.task, ...e.restart }] : []));
}

/** Every problem among the events (optionally of one kind). */
export function problemsOf(events: RunEvent[], kind?: string): Array<Extract<RunEvent, { type: 'problem' }>> {
  return events.filter((e): e is Extract<RunEvent, { type: 'problem' }> => e.type === 'problem' && (kind === undefined || e.kind === kind));
}
