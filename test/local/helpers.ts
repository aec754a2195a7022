/** Shared set-up of the local-engine tests: topologies built in code over the fixtures. */
import path from 'node:path';
import type { ComponentSpec, TopologySpec } from '../../core/common/topology/model.js';
import type { LocalEngine } from '../../core/local/engine.js';
import type { EngineEvent } from '../../core/local/events.js';

export const FIXTURES = path.join(import.meta.dirname, 'fixtures');

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
      outputs: { default: { fields: ['word', 'count'], direct: false } },
    },
  ];
  return { name: options.name, config: options.config, components, file: path.join(FIXTURES, 'topology.yaml') };
}

/** Records every event of an engine. */
export function record(engine: LocalEngine): EngineEvent[] {
  const events: EngineEvent[] = [];
  engine.events.onAny((e) => events.push(e));
  return events;
}

/** Polls until `predicate` holds; throws with `what` after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
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
