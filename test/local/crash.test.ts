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

describe('a component that throws', () => {
  for (const inProcess of [false, true]) {
    it(`${inProcess ? 'in-process' : 'multiprocess'}: is logged with exit code, last error and tuple, restarted, and its tuples replayed`, async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'squall-crash-'));
      const spec = chain({
        name: 'crash',
        config: { 'test.ids': 200, 'test.rate': 1000, 'topology.message.timeout.secs': 2, 'test.marker': path.join(dir, 'marker') },
        bolt: 'throwing-bolt.ts',
        boltParallelism: 1,
        splitParallelism: 1,
      });
      engine = new LocalEngine(spec, { inProcess, restart: { initialDelayMs: 20 } });
      const events = record(engine);
      await engine.start();
      await waitFor(() => events.some((e) => e.type === 'log' && e.text.startsWith('ALL ACKED')), 20_000, 'every id acked after the restart');
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
