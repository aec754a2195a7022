import { describe, expect, it } from 'vitest';
import { chain, localSandbox, waitFor } from './helpers.js';

const sandbox = localSandbox();

describe('debugging hooks', () => {
  it('starts chosen tasks with extra node flags and reports the inspector URL of each', async () => {
    const spec = chain({ name: 'inspect', config: { 'test.ids': 10, 'test.rate': 100 }, bolt: 'count.ts', boltParallelism: 2, splitParallelism: 1 });
    const { events } = await sandbox.start(spec, { execArgv: (component) => (component === 'sink' ? ['--inspect=127.0.0.1:0'] : []) });
    await waitFor(() => events.filter((e) => e.type === 'inspector').length === 2, 10_000, 'two inspector URLs');
    const urls = events.filter((e) => e.type === 'inspector');
    expect(urls.map((e) => (e as { component: string }).component)).toEqual(['sink', 'sink']);
    for (const e of urls) expect((e as { url: string }).url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/[\w-]+$/);
    expect(new Set(urls.map((e) => (e as { task: number }).task)).size).toBe(2);
  }, 20_000);
});
