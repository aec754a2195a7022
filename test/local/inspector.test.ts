import { describe, expect, it } from 'vitest';
import { chain, localSandbox, problemsOf, waitFor } from './helpers.js';

const sandbox = localSandbox();

describe('debugging hooks', () => {
  it('starts chosen tasks with extra node flags and reports the inspector URL of each as a debug target', async () => {
    const spec = chain({ name: 'inspect', config: { 'test.ids': 10, 'test.rate': 100 }, bolt: 'count.ts', boltParallelism: 2, splitParallelism: 1 });
    const { engine } = await sandbox.start(spec, { execArgv: (component) => (component === 'sink' ? ['--inspect=127.0.0.1:0'] : []) });
    await waitFor(() => engine.debugTargets().length === 2, 10_000, 'two inspector URLs');
    const targets = engine.debugTargets();
    expect(targets.map((t) => t.component)).toEqual(['sink', 'sink']);
    for (const t of targets) expect(t.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/[\w-]+$/);
    expect(new Set(targets.map((t) => t.task)).size).toBe(2);
  }, 20_000);

  it('--debug runs only the named component in debug mode, announces each task as a target and raises the message timeout visibly', async () => {
    const spec = chain({ name: 'debug', config: { 'test.ids': 10, 'test.rate': 100, 'topology.message.timeout.secs': 30 }, bolt: 'count.ts', boltParallelism: 2, splitParallelism: 1 });
    const { engine, events } = await sandbox.start(spec, { debug: { components: ['sink'] } });
    await waitFor(() => engine.debugTargets().length === 2, 10_000, 'two debug targets');
    const snapshot = engine.snapshot();
    const debugged = snapshot.tasks.filter((t) => t.debug);
    expect(debugged.map((t) => t.component)).toEqual(['sink', 'sink']);
    for (const task of debugged) expect(task.debug).toMatchObject({ pid: task.pid, generation: 0, url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\//) });
    expect(snapshot.debug).toMatchObject({ components: ['sink'], messageTimeoutSecs: 3600, originalMessageTimeoutSecs: 30 });
    expect(problemsOf(events, 'debug')[0]?.message).toMatch(/raised from 30 to 3600/);
    const changes = events.filter((e) => e.type === 'debug-targets');
    expect(changes.at(-1)).toMatchObject({ targets: expect.arrayContaining(engine.debugTargets()) });
  }, 20_000);

  it('a restarted debugged task comes back as a new target of the next generation', async () => {
    const spec = chain({ name: 'debug-restart', config: { 'test.ids': 10, 'test.rate': 100 }, bolt: 'count.ts', boltParallelism: 1, splitParallelism: 1 });
    const { engine, events } = await sandbox.start(spec, { debug: { components: ['sink'] }, restart: { initialDelayMs: 10 } });
    await waitFor(() => engine.debugTargets().length === 1, 10_000, 'the first target');
    const first = engine.debugTargets()[0]!;
    expect(engine.restartTask(first.task)).toBe(true);
    await waitFor(() => engine.debugTargets()[0]?.generation === 1, 10_000, 'the restarted target');
    const second = engine.debugTargets()[0]!;
    expect(second.pid).not.toBe(first.pid);
    expect(second.url).not.toBe(first.url);
    const removed = events.flatMap((e) => (e.type === 'debug-targets' ? e.removed : []));
    expect(removed).toContainEqual(first);
  }, 20_000);

  it('refuses a --debug component that is not in the topology, with a suggestion', () => {
    const spec = chain({ name: 'debug-typo', config: {}, bolt: 'count.ts' });
    expect(() => sandbox.create(spec, { debug: { components: ['sinc'] } })).toThrow(/--debug names 'sinc', which is not a component of 'debug-typo'/);
  });
});
