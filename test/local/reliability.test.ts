import { describe, expect, it } from 'vitest';
import { allAcked, chain, exitsOf, localSandbox, processExists, restartsOf, waitFor } from './helpers.js';

const sandbox = localSandbox();

describe('local engine reliability (real processes)', () => {
  it('acks every one of 10,000 message ids while bolt tasks are killed every second; replays are counted', async () => {
    const spec = chain({
      name: 'faults',
      config: { 'topology.message.timeout.secs': 3, 'topology.max.spout.pending': 500, 'test.ids': 10_000, 'test.rate': 2500 },
      bolt: 'count.ts',
      boltConfig: { 'topology.tick.tuple.freq.secs': 1 },
    });
    const { engine, events } = await sandbox.start(spec, { seed: 7, restart: { crashLoopCrashes: 1000, initialDelayMs: 50 } });
    const running = engine;
    const everyIdAcked = () => allAcked(events);
    const killed: number[] = [];
    const injector = setInterval(() => {
      if (everyIdAcked()) return;
      const bolts = running.figures().tasks.filter((t) => t.kind === 'bolt' && t.pid !== undefined);
      const victim = bolts[Math.floor(Math.random() * bolts.length)];
      if (victim?.pid && processExists(victim.pid)) {
        process.kill(victim.pid, 'SIGKILL');
        killed.push(victim.pid);
      }
    }, 1000);
    try {
      await waitFor(everyIdAcked, 50_000, 'every id to be acked');
    } finally {
      clearInterval(injector);
    }
    const done = events.find((e) => e.type === 'log' && e.text.startsWith('ALL ACKED'));
    const replays = Number(/replays=(\d+)/.exec((done as { text: string }).text)![1]);
    const spout = engine.figures().components.find((c) => c.component === 'spout')!;
    const diagnosis = JSON.stringify({ killed: killed.length, replays, spout });
    // Every id acked exactly once; every failed tree was replayed once, under the same id.
    expect(spout.acked, diagnosis).toBe(10_000);
    expect(spout.failed, diagnosis).toBe(replays);
    expect(spout.emitted, diagnosis).toBe(10_000 + replays);
    expect(killed.length, diagnosis).toBeGreaterThanOrEqual(2);
    const exits = exitsOf(events);
    expect(exits.length, diagnosis).toBeGreaterThanOrEqual(killed.length - 1);
    expect(exits.every((e) => e.signal === 'SIGKILL'), JSON.stringify(exits)).toBe(true);
    // Tick tuples reached the counting bolt.
    expect(events.some((e) => e.type === 'log' && e.component === 'sink' && e.text.startsWith('TICK'))).toBe(true);
    console.info(`fault injection: ${killed.length} kills, ${replays} replays (duplicates), ${spout.failed} trees failed`);
  }, 60_000);

  it('fails a tree at the spout after topology.message.timeout.secs when a bolt never acks', async () => {
    const spec = chain({ name: 'silent', config: { 'topology.message.timeout.secs': 1, 'test.ids': 5, 'test.rate': 100 }, bolt: 'silent-bolt.ts', boltParallelism: 1, splitParallelism: 1 });
    const { engine, events } = await sandbox.start(spec);
    await waitFor(() => events.some((e) => e.type === 'log' && e.component === 'spout' && e.text.startsWith('FAILED')), 10_000, 'a spout fail');
    const spout = engine.figures().components.find((c) => c.component === 'spout')!;
    expect(spout.failed).toBeGreaterThan(0);
    expect(spout.acked).toBe(0);
  }, 20_000);

  it('kills a hung bolt by the heartbeat rule (topology.subprocess.timeout.secs) and names it', async () => {
    const spec = chain({ name: 'hung', config: { 'topology.subprocess.timeout.secs': 2, 'test.ids': 3, 'test.rate': 100 }, bolt: 'hanging-bolt.ts', boltParallelism: 1, splitParallelism: 1 });
    // The start defaults to the (short) subprocess timeout: under a loaded CPU, starting the
    // three children could take longer than the rule under test.
    const { events } = await sandbox.start(spec, { startTimeoutMs: 20_000 });
    await waitFor(() => exitsOf(events).length > 0, 15_000, 'the hung task to be killed');
    const exit = exitsOf(events)[0]!;
    expect(exit).toMatchObject({ component: 'sink', signal: 'SIGKILL' });
    expect((exit as { reason: string }).reason).toMatch(/subprocess heartbeat timeout/);
    expect((exit as { tuple?: unknown[] }).tuple).toBeDefined();
    expect(restartsOf(events).some((r) => r.component === 'sink')).toBe(true);
  }, 25_000);
});
