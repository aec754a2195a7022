import { describe, expect, it } from 'vitest';
import { allAcked, localSandbox, misbehaveOnceChain, waitFor } from './helpers.js';

const sandbox = localSandbox();

describe('a component that throws', () => {
  for (const inProcess of [false, true]) {
    it(`${inProcess ? 'in-process' : 'multiprocess'}: is logged with exit code, last error and tuple, restarted, and its tuples replayed`, async () => {
      const dir = await sandbox.tempDir('squall-crash-');
      const spec = misbehaveOnceChain({ name: 'crash', bolt: 'throwing-bolt.ts', dir, ids: 200 });
      const { engine, events } = await sandbox.start(spec, { inProcess, restart: { initialDelayMs: 20 } });
      await waitFor(() => allAcked(events), 20_000, 'every id acked after the restart');
      const exit = events.find((e) => e.type === 'task-exited') as Extract<(typeof events)[number], { type: 'task-exited' }>;
      expect(exit).toMatchObject({ component: 'sink', signal: null });
      expect(exit.code).not.toBe(0);
      expect(exit.lastError).toMatch(/boom on id-/);
      expect(exit.lastError).toMatch(/values=\["id-/);
      expect(events.some((e) => e.type === 'task-restarted' && e.component === 'sink')).toBe(true);
      const spout = engine.figures().components.find((c) => c.component === 'spout')!;
      expect(spout.acked).toBe(200);
      expect(spout.failed).toBeGreaterThan(0);
    }, 30_000);
  }
});

describe('a bolt task that is restarting', () => {
  it("keeps its queue within topology.shellbolt.max.pending and fails the overflow's trees at once, so the spout replays them", async () => {
    const dir = await sandbox.tempDir('squall-restart-queue-');
    const spec = misbehaveOnceChain({
      name: 'restart-queue',
      bolt: 'throwing-bolt.ts',
      dir,
      ids: 300,
      // The message timeout is far beyond the test's wait: every replay comes from an immediate fail.
      config: { 'topology.message.timeout.secs': 600, 'topology.shellbolt.max.pending': 5, 'topology.max.spout.pending': 20 },
    });
    const { engine, events } = await sandbox.start(spec, { inProcess: true, restart: { initialDelayMs: 1000 } });
    let mostQueued = 0;
    await waitFor(
      () => {
        const sink = engine.figures().tasks.find((t) => t.component === 'sink')!;
        mostQueued = Math.max(mostQueued, sink.queued);
        return allAcked(events);
      },
      20_000,
      'every id acked after the restart',
    );
    expect(events.some((e) => e.type === 'task-restarted' && e.component === 'sink')).toBe(true);
    expect(mostQueued).toBeGreaterThan(0);
    expect(mostQueued).toBeLessThanOrEqual(5);
    const warning = events.find((e) => e.type === 'log' && e.component === 'sink' && e.level === 'warn' && /restarting and its queue is full/.test(e.text));
    expect(warning).toBeDefined();
    const spout = engine.figures().components.find((c) => c.component === 'spout')!;
    expect(spout.acked).toBe(300);
    expect(spout.failed).toBeGreaterThan(5);
  }, 30_000);
});
