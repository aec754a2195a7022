import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contextFor, StormHost } from './storm-host.js';

// The conformance host is only worth its verdicts if it catches what Storm treats as fatal.
const rogue = path.join(import.meta.dirname, 'rogue-child.mjs');
const hosts: StormHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.dispose()));
});

async function rogueBolt(mode: string, options: ConstructorParameters<typeof StormHost>[1] = {}): Promise<StormHost> {
  const host = new StormHost([process.execPath, rogue], { heartbeatIntervalMs: 0, ...options, env: { ...process.env, ROGUE: mode } });
  hosts.push(host);
  await host.handshake(mode.startsWith('spout') ? 'spout' : 'bolt', {}, contextFor('rogue', 3));
  return host;
}

describe('the test host enforces Storm’s fatal rules', () => {
  it.each([
    ['stray-output', 'stdout is not multilang JSON'],
    ['ack-unknown', 'Acked a non-existent or already acked/failed id: no-such-tuple'],
    ['double-ack', 'Acked a non-existent or already acked/failed id: 1'],
    ['anchor-after-ack', 'Anchored onto 1 after ack/fail'],
    ['metrics', 'no shell metric is registered'],
  ])('%s is fatal', async (mode, why) => {
    const host = await rogueBolt(mode);
    host.sendTuple('1', 'counter', 'default', 2, ['x']);
    await host.exited;
    expect(host.fatal).toContain(why);
  });

  it.each([
    ['spout-ack', 'Unknown command received: ack'],
    ['spout-unknown', 'Unknown command received: flush'],
  ])('%s is fatal for a spout', async (mode, why) => {
    const host = await rogueBolt(mode);
    await expect(host.command('next')).rejects.toThrow(why);
    expect(host.fatal).toBe(why);
  });

  it('declares a silent bolt dead after the heartbeat timeout', async () => {
    const host = await rogueBolt('silent', { heartbeatIntervalMs: 50, heartbeatTimeoutMs: 300 });
    await host.exited;
    expect(host.fatal).toBe('subprocess heartbeat timeout');
  });
});
