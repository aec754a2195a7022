import { describe, expect, it } from 'vitest';
import { allAcked, chain, localSandbox, waitFor } from './helpers.js';

const sandbox = localSandbox();

describe('in-process mode (labelled, same host-side rules)', () => {
  it('runs the reliable chain inside this process: every id acked, ticks delivered, no child process', async () => {
    const spec = chain({ name: 'inproc', config: { 'test.ids': 3000, 'test.rate': 100_000, 'topology.max.spout.pending': 200 }, bolt: 'count.ts', boltConfig: { 'topology.tick.tuple.freq.secs': 1 } });
    const { engine, events } = await sandbox.start(spec, { inProcess: true });
    await waitFor(() => allAcked(events), 20_000, 'every id acked');
    await waitFor(() => events.some((e) => e.type === 'log' && e.text.startsWith('TICK')), 5_000, 'a tick');
    const figures = engine.figures();
    expect(figures.mode).toBe('in-process');
    expect(events.find((e) => e.type === 'topology-started')).toMatchObject({ mode: 'in-process' });
    const spout = figures.components.find((c) => c.component === 'spout')!;
    expect(spout).toMatchObject({ acked: 3000, failed: 0, emitted: 3000 });
    const sink = figures.components.find((c) => c.component === 'sink')!;
    expect(sink.acked).toBe(6000);
    // Every task reports this process's pid: nothing else was started.
    expect(new Set(figures.tasks.map((t) => t.pid))).toEqual(new Set([process.pid]));
  }, 30_000);
});
