/** Shared set-up of the debugger tests: a word-count chain over the debug fixtures. */
import path from 'node:path';
import type { DebugEvent } from '../../core/common/debug/events.js';
import type { ComponentSpec, TopologySpec } from '../../core/common/topology/model.js';
import type { DebugSessionManager } from '../../core/debug/session-manager.js';

export const DEBUG_FIXTURES = path.join(import.meta.dirname, 'fixtures');
export const SPLIT_TS = path.join(DEBUG_FIXTURES, 'split.ts');
export const COUNT_TS = path.join(DEBUG_FIXTURES, 'picky-count.ts');

/** sentences (the local engine's reliable spout) → split (parallelism n) → count. */
export function wordcount(options: { name: string; ids: number; rate?: number; split?: number; count?: string; config?: Record<string, unknown> }): TopologySpec {
  const components: ComponentSpec[] = [
    { id: 'sentences', kind: 'spout', script: '../../local/fixtures/reliable-spout.ts', parallelism: 1, inputs: [], config: {}, outputs: { default: { fields: ['sentence'], direct: false } } },
    { id: 'split', kind: 'bolt', script: 'split.ts', parallelism: options.split ?? 1, inputs: [{ source: 'sentences', stream: 'default', grouping: { type: 'shuffle' } }], config: {}, outputs: { default: { fields: ['word'], direct: false } } },
    { id: 'count', kind: 'bolt', script: options.count ?? 'picky-count.ts', parallelism: 1, inputs: [{ source: 'split', stream: 'default', grouping: { type: 'fields', fields: ['word'] } }], config: {}, outputs: { default: { fields: ['word', 'count'], direct: false } } },
  ];
  return { name: options.name, config: { 'test.ids': options.ids, 'test.rate': options.rate ?? 1000, 'test.bad': 'never', ...options.config }, components, file: path.join(DEBUG_FIXTURES, 'topology.yaml') };
}

/** Records a session's events. */
export function recordDebug(session: DebugSessionManager): DebugEvent[] {
  const events: DebugEvent[] = [];
  session.onEvent((event) => events.push(event));
  return events;
}

/** Resolves with the next event of a type that matches. */
export function nextDebugEvent<T extends DebugEvent['type']>(session: DebugSessionManager, type: T, matches: (event: Extract<DebugEvent, { type: T }>) => boolean = () => true, timeoutMs = 15_000): Promise<Extract<DebugEvent, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`no '${type}' debug event within ${timeoutMs} ms`));
    }, timeoutMs);
    const subscription = session.onEvent((event) => {
      if (event.type !== type || !matches(event as Extract<DebugEvent, { type: T }>)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(event as Extract<DebugEvent, { type: T }>);
    });
  });
}
