import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SquallError } from '../../core/common/errors.js';
import type { LocalRun } from '../../core/local/run.js';
import { chain, exitsOf, FIXTURES, localSandbox, waitFor } from './helpers.js';

const sandbox = localSandbox();
/** The engine of the current test (set by runRaw before it starts). */
let engine: LocalRun | undefined;

const RAW = path.join(FIXTURES, 'raw-bolt.mjs');

/** Runs the chain with the sink replaced by the raw wire-level bolt in `mode`. */
async function runRaw(mode: string, config: Record<string, unknown> = {}, boltConfig: Record<string, unknown> = {}, crashLoopCrashes = 100) {
  const spec = chain({ name: `raw-${mode}`, config: { 'test.ids': 1000, 'test.rate': 100_000, ...config }, bolt: 'raw-bolt.mjs', boltParallelism: 1, splitParallelism: 1, boltConfig });
  const created = sandbox.create(spec, {
    env: { RAW_MODE: mode },
    restart: { crashLoopCrashes, initialDelayMs: 10 },
    // The real launcher for the Squall components, the raw script for the sink.
    launcher: async (component) => {
      if (component.id === 'sink') return RAW;
      const { bundleLauncher } = await import('../../core/build/bundle.js');
      return (await bundleLauncher({ script: path.join(FIXTURES, component.script), componentId: component.id })).file;
    },
  });
  engine = created.engine;
  await engine.start();
  return created.events;
}

describe('protocol rules on the host side (a child written against the raw wire)', () => {
  it('a task that dies before its handshake makes start() fail with the crash loop, component and task named', async () => {
    const error = await runRaw('die-at-start', {}, {}, 3).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SquallError);
    const squall = error as SquallError;
    expect(squall.where).toMatchObject({ component: 'sink' });
    expect(squall.message).toMatch(/could not start: .*crashed 3 times .*exited with code 3/);
    expect(engine!.pids()).toEqual([]);
  });

  it('an ack of an unknown id is fatal for the task, named with component and task', async () => {
    const events = await runRaw('ack-unknown');
    await waitFor(() => exitsOf(events).length > 0, 10_000, 'the task to be killed');
    const exit = exitsOf(events)[0]!;
    expect(exit).toMatchObject({ component: 'sink', task: expect.any(Number), reason: expect.stringContaining('Acked a non-existent or already acked/failed id: no-such-id') });
  });

  it('a metrics command is fatal (no shell metric can be registered)', async () => {
    const events = await runRaw('metrics');
    await waitFor(() => exitsOf(events).length > 0, 10_000, 'the task to be killed');
    expect(exitsOf(events)[0]).toMatchObject({ component: 'sink', reason: expect.stringContaining('metrics') });
  });

  it('answers an emit that asks for task ids (need_task_ids absent) with the target task list', async () => {
    const events = await runRaw('task-ids');
    await waitFor(() => events.some((e) => e.type === 'log' && e.text.startsWith('TASKIDS')), 10_000, 'a task-id reply');
    const line = events.find((e) => e.type === 'log' && e.text.startsWith('TASKIDS')) as { text: string };
    // The sink's stream has no subscriber: Storm answers with an empty list.
    expect(line.text).toBe('TASKIDS []');
  });

  it('backpressure: a bolt that stops reading fills its queue to topology.shellbolt.max.pending and upstream stops', async () => {
    await runRaw('stall', { 'topology.shellbolt.max.pending': 5, 'test.ids': 1_000_000 });
    const running = engine!;
    const spoutEmitted = () => running.figures().components.find((c) => c.component === 'spout')!.emitted;
    const sinkQueued = () => running.figures().tasks.find((t) => t.component === 'sink')!.queued;
    // Pipes fill first (how long depends on the machine's load): wait for the bound, then for
    // the spout to go quiet, and check that it stays quiet.
    await waitFor(() => sinkQueued() >= 5, 20_000, "the sink's queue to reach its bound");
    let last = -1;
    await waitFor(
      () => {
        const now = spoutEmitted();
        const quiet = now === last;
        last = now;
        return quiet;
      },
      20_000,
      'the spout to stop emitting',
      500,
    );
    const before = spoutEmitted();
    await new Promise((r) => setTimeout(r, 1000));
    const after = spoutEmitted();
    const sink = running.figures().tasks.find((t) => t.component === 'sink')!;
    expect(after).toBe(before);
    expect(before).toBeLessThan(100_000);
    expect(sink.queued).toBeGreaterThanOrEqual(5);
  });
});
