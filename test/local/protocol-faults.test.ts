import { describe, expect, it } from 'vitest';
import { allAcked, chain, exitsOf, localSandbox, misbehaveOnceChain, problemsOf, waitFor } from './helpers.js';

const sandbox = localSandbox();

describe('what Storm treats as fatal from a child', () => {
  it('reports malformed stdout with component and task, restarts the task and keeps running', async () => {
    const dir = await sandbox.tempDir('squall-malformed-');
    const spec = misbehaveOnceChain({ name: 'malformed', bolt: 'garbage-bolt.ts', dir, ids: 300 });
    const { engine, events } = await sandbox.start(spec, { restart: { initialDelayMs: 20 } });
    await waitFor(() => allAcked(events), 20_000, 'every id acked after the restart');
    const exit = exitsOf(events)[0];
    expect(exit).toMatchObject({ component: 'sink', reason: expect.stringMatching(/malformed output on stdout/) });
    expect(exit!.reason).toContain('this is not json');
    const error = problemsOf(events, 'task-died')[0];
    expect(error).toMatchObject({ where: { component: 'sink', task: exit!.task }, severity: 'error', message: expect.stringMatching(/task died/) });
    expect(engine.figures().components.find((c) => c.component === 'sink')!.restarts).toBe(1);
  }, 30_000);

  it('stops the run with a clear crash-loop error instead of restarting forever', async () => {
    const spec = chain({ name: 'loop', config: { 'topology.subprocess.timeout.secs': 1, 'test.ids': 100, 'test.rate': 1000 }, bolt: 'hanging-bolt.ts', boltParallelism: 1, splitParallelism: 1 });
    // startTimeoutMs: the start would otherwise get only the 1 s subprocess timeout, short on a loaded CPU.
    const { engine, events } = await sandbox.start(spec, { startTimeoutMs: 20_000, restart: { initialDelayMs: 10, maxDelayMs: 20, crashLoopCrashes: 2, windowMs: 60_000 } });
    const reason = await engine.done;
    expect(reason).toBe('crash-loop');
    const fatal = problemsOf(events, 'crash-loop')[0];
    expect(fatal).toMatchObject({ severity: 'fatal', where: { component: 'sink' }, message: expect.stringMatching(/crashed 2 times .* \(crash loop\)/) });
    expect(engine.pids()).toEqual([]);
  }, 30_000);
});
