import { afterEach, describe, expect, it } from 'vitest';
import { LocalEngine } from '../../core/local/engine.js';
import { chain, record, waitFor } from './helpers.js';

let engine: LocalEngine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

describe('debugging hooks', () => {
  it('starts chosen tasks with extra node flags and reports the inspector URL of each', async () => {
    const spec = chain({ name: 'inspect', config: { 'test.ids': 10, 'test.rate': 100 }, bolt: 'count.ts', boltParallelism: 2, splitParallelism: 1 });
    engine = new LocalEngine(spec, { execArgv: (component) => (component === 'sink' ? ['--inspect=127.0.0.1:0'] : []) });
    const events = record(engine);
    await engine.start();
    await waitFor(() => events.filter((e) => e.type === 'inspector').length === 2, 10_000, 'two inspector URLs');
    const urls = events.filter((e) => e.type === 'inspector');
    expect(urls.map((e) => (e as { component: string }).component)).toEqual(['sink', 'sink']);
    for (const e of urls) expect((e as { url: string }).url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/[\w-]+$/);
    expect(new Set(urls.map((e) => (e as { task: number }).task)).size).toBe(2);
  }, 20_000);
});
