import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SquallError } from '../../core/common/errors.js';
import { LocalEngine } from '../../core/local/engine.js';
import { chain, FIXTURES, record, waitFor } from './helpers.js';

let engine: LocalEngine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

const RAW = path.join(FIXTURES, 'raw-bolt.mjs');

/** Runs the chain with the sink replaced by the raw wire-level bolt in `mode`. */
async function runRaw(mode: string, config: Record<string, unknown> = {}, boltConfig: Record<string, unknown> = {}, crashLoopCrashes = 100) {
  const spec = chain({ name: `raw-${mode}`, config: { 'test.ids': 1000, 'test.rate': 100_000, ...config }, bolt: 'raw-bolt.mjs', boltParallelism: 1, splitParallelism: 1, boltConfig });
  engine = new LocalEngine(spec, {
    env: { RAW_MODE: mode },
    restart: { crashLoopCrashes, initialDelayMs: 10 },
    // The real launcher for the Squall components, the raw script for the sink.
    launcher: async (component) => {
      if (component.id === 'sink') return RAW;
      const { bundleLauncher } = await import('../../core/package/bundle.js');
      return (await bundleLauncher({ script: path.join(FIXTURES, component.script), componentId: component.id })).file;
    },
  });
  const events = record(engine);
  await engine.start();
  return events;
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
    await waitFor(() => events.some((e) => e.type === 'task-exited'), 10_000, 'the task to be killed');
    const exit = events.find((e) => e.type === 'task-exited')!;
    expect(exit).toMatchObject({ component: 'sink', task: expect.any(Number), reason: expect.stringContaining('Acked a non-existent or already acked/failed id: no-such-id') });
  });

  it('a metrics command is fatal (no shell metric can be registered)', async () => {
    const events = await runRaw('metrics');
    await waitFor(() => events.some((e) => e.type === 'task-exited'), 10_000, 'the task to be killed');
    expect(events.find((e) => e.type === 'task-exited')).toMatchObject({ component: 'sink', reason: expect.stringContaining('metrics') });
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
    await new Promise((r) => setTimeout(r, 1500));
    const before = spoutEmitted();
    await new Promise((r) => setTimeout(r, 1000));
    const after = spoutEmitted();
    const sink = running.figures().tasks.find((t) => t.component === 'sink')!;
    expect(after).toBe(before);
    expect(before).toBeLessThan(100_000);
    expect(sink.queued).toBeGreaterThanOrEqual(5);
  });
});
