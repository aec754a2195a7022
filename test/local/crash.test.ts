import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SquallError } from '../../core/common/errors.js';
import { allAcked, chain, exitsOf, FIXTURES, localSandbox, misbehaveOnceChain, problemsOf, restartsOf, waitFor } from './helpers.js';

const sandbox = localSandbox();

describe('a component that throws', () => {
  for (const inProcess of [false, true]) {
    it(`${inProcess ? 'in-process' : 'multiprocess'}: is logged with exit code, last error and tuple, restarted, and its tuples replayed`, async () => {
      const dir = await sandbox.tempDir('squall-crash-');
      const spec = misbehaveOnceChain({ name: 'crash', bolt: 'throwing-bolt.ts', dir, ids: 200 });
      const { engine, events } = await sandbox.start(spec, { inProcess, restart: { initialDelayMs: 20 } });
      await waitFor(() => allAcked(events), 20_000, 'every id acked after the restart');
      const exit = exitsOf(events)[0]!;
      expect(exit).toMatchObject({ component: 'sink', signal: null });
      expect(exit.code).not.toBe(0);
      expect(exit.lastError).toMatch(/boom on id-/);
      expect(exit.lastError).toMatch(/values=\["id-/);
      // The tuple blamed is the one the crash report names, not merely the oldest one in flight.
      const named = /values=(\[[^\n]*\])/.exec(exit.lastError!)![1]!;
      expect(exit.tuple).toEqual(JSON.parse(named));
      expect(restartsOf(events).some((r) => r.component === 'sink')).toBe(true);
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
    expect(restartsOf(events).some((r) => r.component === 'sink')).toBe(true);
    expect(mostQueued).toBeGreaterThan(0);
    expect(mostQueued).toBeLessThanOrEqual(5);
    const warning = events.find((e) => e.type === 'log' && e.component === 'sink' && e.level === 'warn' && /restarting and its queue is full/.test(e.text));
    expect(warning).toBeDefined();
    const spout = engine.figures().components.find((c) => c.component === 'spout')!;
    expect(spout.acked).toBe(300);
    expect(spout.failed).toBeGreaterThan(5);
  }, 30_000);
});

describe('a bolt whose constructor throws', () => {
  for (const inProcess of [false, true]) {
    it(`${inProcess ? 'in-process' : 'multiprocess'}: crash-loops and stops the run with a fatal error naming the component and the constructor's error`, async () => {
      const spec = chain({ name: 'constructor-throws', config: { 'test.ids': 10 }, bolt: 'constructor-throws-bolt.ts', boltParallelism: 1 });
      const { engine, events } = sandbox.create(spec, { inProcess, restart: { initialDelayMs: 10, crashLoopCrashes: 2 } });
      // A child answers the handshake before it loads the module, so the run may start first.
      await engine.start().catch((error: unknown) => expect(error).toBeInstanceOf(SquallError));
      expect(['crash-loop', 'failed-to-start']).toContain(await engine.done);
      const fatal = problemsOf(events, 'crash-loop')[0];
      expect(fatal).toMatchObject({ severity: 'fatal', where: { component: 'sink' }, message: expect.stringMatching(/crash loop/) });
      const exits = exitsOf(events).filter((e) => e.component === 'sink');
      expect(exits).toHaveLength(2);
      for (const exit of exits) {
        expect(exit.lastError).toMatch(/SyntaxError/);
        // Tuples may already wait in the child, but a constructor that throws is no tuple's fault.
        expect(exit.tuple).toBeUndefined();
      }
    }, 30_000);
  }
});

describe('a task whose process cannot be spawned', () => {
  it('fails the start with a crash loop that says why (spawn ENOENT)', async () => {
    const spec = chain({ name: 'no-cwd', config: { 'test.ids': 10 }, bolt: 'pass-bolt.ts', boltParallelism: 1, splitParallelism: 1 });
    const { engine, events } = sandbox.create(spec, {
      cwd: '/nonexistent-squall-folder',
      restart: { initialDelayMs: 10, crashLoopCrashes: 3 },
      launcher: async (component) => {
        const { bundleLauncher } = await import('../../core/build/bundle.js');
        return (await bundleLauncher({ script: path.join(FIXTURES, component.script), componentId: component.id })).file;
      },
    });
    const failure = await engine.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SquallError);
    expect((failure as SquallError).message).toMatch(/crashed 3 times .*the process could not be started \(spawn .*ENOENT\)/);
    // Every exit is answered once: by a restart, or by the give-up that stops the run.
    const restarts = restartsOf(events);
    const exits = exitsOf(events);
    expect(exits.length).toBe(restarts.length + 1);
  }, 30_000);
});
