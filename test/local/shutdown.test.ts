import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chain, FIXTURES, localSandbox, problemsOf, waitFor } from './helpers.js';

const sandbox = localSandbox();
afterEach(() => vi.restoreAllMocks());

describe('stopping a run', () => {
  it('says which task had to be killed because it ignored the end of its input and SIGTERM', async () => {
    const spec = chain({ name: 'stubborn', config: { 'test.ids': 10, 'test.rate': 100 }, bolt: 'raw-bolt.mjs', boltParallelism: 1, splitParallelism: 1 });
    const { engine, events } = await sandbox.start(spec, {
      env: { RAW_MODE: 'stubborn' },
      launcher: async (component) => {
        if (component.id === 'sink') return path.join(FIXTURES, 'raw-bolt.mjs');
        const { bundleLauncher } = await import('../../core/build/bundle.js');
        return (await bundleLauncher({ script: path.join(FIXTURES, component.script), componentId: component.id })).file;
      },
    });
    await engine.stop();
    const shutdown = problemsOf(events, 'shutdown');
    expect(shutdown).toHaveLength(1);
    expect(shutdown[0]).toMatchObject({ severity: 'warning', where: { component: 'sink' }, message: expect.stringMatching(/killed with SIGKILL \(it ignored EOF on stdin and SIGTERM\)/) });
    expect(engine.pids()).toEqual([]);
  }, 30_000);

  it('counts the tuple trees still open at the end', async () => {
    const spec = chain({ name: 'open-trees', config: { 'test.ids': 20, 'test.rate': 1000 }, bolt: 'silent-bolt.ts', boltParallelism: 1, splitParallelism: 1 });
    const { engine, events } = await sandbox.start(spec);
    await waitFor(() => engine.figures().components.find((c) => c.component === 'sink')!.executed > 0, 10_000, 'tuples at the silent bolt');
    await engine.stop();
    const stopped = events.find((e) => e.type === 'stopped');
    expect(stopped).toMatchObject({ reason: 'requested', openTrees: expect.any(Number) });
    expect((stopped as { openTrees: number }).openTrees).toBeGreaterThan(0);
    expect(engine.snapshot()).toMatchObject({ state: 'stopped', stopReason: 'requested' });
  }, 30_000);
});

describe('starting a run', () => {
  it('warns before starting more task processes than free memory holds (~55 MB each)', async () => {
    vi.spyOn(os, 'freemem').mockReturnValue(100 * 1024 * 1024);
    const spec = chain({ name: 'big', config: { 'test.ids': 1, 'test.rate': 1 }, bolt: 'count.ts', boltParallelism: 1, splitParallelism: 1 });
    const { events } = await sandbox.start(spec);
    const [warning] = problemsOf(events, 'resources');
    expect(warning).toMatchObject({ severity: 'warning', message: expect.stringMatching(/^3 task processes will need about 0\.2 GiB of memory \(~55 MB each\); this machine has 0\.1 GiB free$/), hint: expect.stringContaining('--in-process') });
  }, 30_000);

  it('does not warn in-process, where tasks are no processes', async () => {
    vi.spyOn(os, 'freemem').mockReturnValue(1);
    const spec = chain({ name: 'small', config: { 'test.ids': 1, 'test.rate': 1 }, bolt: 'count.ts', boltParallelism: 1, splitParallelism: 1 });
    const { events } = await sandbox.start(spec, { inProcess: true });
    expect(events.some((e) => e.type === 'started')).toBe(true);
    expect(problemsOf(events, 'resources')).toEqual([]);
  }, 30_000);
});

describe('reading a run', () => {
  it('snapshot() and figures() change nothing: two reads in a row agree, tasks and figures included', async () => {
    const spec = chain({ name: 'read', config: { 'test.ids': 50, 'test.rate': 1000 }, bolt: 'count.ts', boltParallelism: 2, splitParallelism: 1 });
    const { engine } = await sandbox.start(spec, { statsIntervalMs: 60_000 });
    await waitFor(() => engine.figures().components.find((c) => c.component === 'spout')!.acked === 50, 15_000, 'every id acked');
    engine.deactivate();
    const first = engine.snapshot();
    const second = engine.snapshot();
    // Uptime is the only moving part of a quiet run.
    expect({ ...second, figures: { ...second.figures, uptimeMs: 0 } }).toEqual({ ...first, figures: { ...first.figures, uptimeMs: 0 } });
    expect(first.state).toBe('inactive');
    expect(first.tasks.map((t) => [t.component, t.state]).sort()).toEqual([
      ['sink', 'running'],
      ['sink', 'running'],
      ['split', 'running'],
      ['spout', 'running'],
    ]);
    expect(first.tasks.every((t) => typeof t.pid === 'number' && t.generation === 0)).toBe(true);
  }, 30_000);
});
