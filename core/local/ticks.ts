/**
 * Tick tuples: every N seconds (topology.tick.tuple.freq.secs in the bolt's conf) each task
 * of the bolt receives a tuple from `__system` on stream `__tick`, task -1, values [N].
 */
import { SYSTEM_COMPONENT, TICK_STREAM } from '../common/multilang/messages.js';
import type { BoltTask, RoutedTuple } from './bolt-task.js';

/** Starts one timer per tick frequency; returns them so the engine can clear them. */
export function startTicks(bolts: BoltTask[]): NodeJS.Timeout[] {
  const byFrequency = new Map<number, BoltTask[]>();
  for (const bolt of bolts) {
    const secs = bolt.settings.tickSecs;
    if (secs === undefined) continue;
    const list = byFrequency.get(secs) ?? [];
    list.push(bolt);
    byFrequency.set(secs, list);
  }
  const timers: NodeJS.Timeout[] = [];
  for (const [secs, list] of byFrequency) {
    const tick: RoutedTuple = { component: SYSTEM_COMPONENT, stream: TICK_STREAM, sourceTask: -1, values: [secs] };
    timers.push(
      setInterval(() => {
        for (const bolt of list) if (bolt.isReady) bolt.deliver(tick, true);
      }, secs * 1000),
    );
  }
  return timers;
}
