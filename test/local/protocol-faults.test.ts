import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalEngine } from '../../core/local/engine.js';
import { chain, record, waitFor } from './helpers.js';

let engine: LocalEngine | undefined;
let dir: string | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('what Storm treats as fatal from a child', () => {
  it('reports malformed stdout with component and task, restarts the task and keeps running', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'squall-malformed-'));
    const spec = chain({
      name: 'malformed',
      config: { 'topology.message.timeout.secs': 2, 'test.ids': 300, 'test.rate': 1000, 'test.marker': path.join(dir, 'marker') },
      bolt: 'garbage-bolt.ts',
      boltParallelism: 1,
      splitParallelism: 1,
    });
    engine = new LocalEngine(spec, { restart: { initialDelayMs: 20 } });
    const events = record(engine);
    await engine.start();
    await waitFor(() => events.some((e) => e.type === 'log' && e.text.startsWith('ALL ACKED')), 20_000, 'every id acked after the restart');
    const exit = events.find((e) => e.type === 'task-exited');
    expect(exit).toMatchObject({ component: 'sink', reason: expect.stringMatching(/malformed output on stdout/) });
    expect((exit as { reason: string }).reason).toContain('this is not json');
    const error = events.find((e) => e.type === 'error' && /task died/.test(e.message));
    expect(error).toMatchObject({ component: 'sink', task: (exit as { task: number }).task, fatal: false });
    expect(engine.figures().components.find((c) => c.component === 'sink')!.restarts).toBe(1);
  }, 30_000);

  it('stops the run with a clear crash-loop error instead of restarting forever', async () => {
    const spec = chain({ name: 'loop', config: { 'topology.subprocess.timeout.secs': 1, 'test.ids': 100, 'test.rate': 1000 }, bolt: 'hanging-bolt.ts', boltParallelism: 1, splitParallelism: 1 });
    engine = new LocalEngine(spec, { restart: { initialDelayMs: 10, maxDelayMs: 20, crashLoopCrashes: 2, windowMs: 60_000 } });
    const events = record(engine);
    await engine.start();
    const reason = await engine.done;
    expect(reason).toBe('crash-loop');
    const fatal = events.find((e) => e.type === 'error' && e.fatal);
    expect(fatal).toMatchObject({ component: 'sink', message: expect.stringMatching(/crashed 2 times .* \(crash loop\)/) });
    expect(engine.pids()).toEqual([]);
  }, 30_000);
});
