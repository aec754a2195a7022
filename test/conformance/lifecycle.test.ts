import { afterEach, describe, expect, it } from 'vitest';
import { launchBundle } from './launch.js';
import { contextFor, type StormHost } from './storm-host.js';

const hosts: StormHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.dispose()));
});

async function start(component: string, script: string, options: ConstructorParameters<typeof StormHost>[1] = {}, conf: Record<string, unknown> = {}): Promise<StormHost> {
  const host = await launchBundle(component, script, options);
  hosts.push(host);
  await host.handshake('bolt', conf, contextFor(component, 3));
  return host;
}

describe('process lifecycle', () => {
  it('exits 0 quietly when Storm closes stdin', async () => {
    const host = await start('echo', 'echo-bolt.ts', { heartbeatIntervalMs: 0 });
    host.closeStdin();
    expect(await host.exited).toEqual({ code: 0, signal: null });
    expect(host.stderr).toBe('');
  });

  it('exits 2 naming the component and task when the host sends something that is not JSON', async () => {
    const host = await start('echo', 'echo-bolt.ts', { heartbeatIntervalMs: 0 });
    host.sendRaw('this is not json\nend\n');
    expect((await host.exited).code).toBe(2);
    expect(host.stderr).toMatch(/^squall: malformed multilang input for component 'echo', task 3: not a JSON message/);
  });

  it('exits 2 when the handshake is not a handshake', async () => {
    const host = await launchBundle('echo', 'echo-bolt.ts');
    hosts.push(host);
    host.sendRaw('{"hello":"world"}\nend\n');
    expect((await host.exited).code).toBe(2);
    expect(host.stderr).toContain('handshake has no "pidDir"');
  });

  it('is declared dead by the heartbeat timeout when its main thread blocks (outside debug mode)', async () => {
    const host = await start('blocking', 'blocking-bolt.ts', { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 600 });
    host.sendTuple('1', 'counter', 'default', 2, [5000]);
    await host.exited;
    expect(host.fatal).toBe('subprocess heartbeat timeout');
  });

  it('keeps answering heartbeats in debug mode while the main thread is blocked', async () => {
    const host = await start('blocking', 'blocking-bolt.ts', { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 600, env: { ...process.env, SQUALL_DEBUG: '1' } });
    host.sendTuple('1', 'counter', 'default', 2, [1500]);
    const out = await host.until((m) => m.command === 'ack', 10_000);
    expect(host.fatal).toBeUndefined();
    // At least a second of heartbeats went unanswered by the main thread, yet syncs kept coming.
    expect(out.filter((m) => m.command === 'sync').length).toBeGreaterThanOrEqual(5);
    expect(out.filter((m) => m.command !== 'sync')).toEqual([
      { command: 'emit', anchors: ['1'], tuple: [1500], need_task_ids: false },
      { command: 'ack', id: '1' },
    ]);
  });

  it('turns on debug mode from the topology conf (squall.debug: true)', async () => {
    const host = await start('blocking', 'blocking-bolt.ts', { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 600 }, { 'squall.debug': true });
    host.sendTuple('1', 'counter', 'default', 2, [1000]);
    await host.until((m) => m.command === 'ack', 10_000);
    expect(host.fatal).toBeUndefined();
    host.closeStdin();
    expect((await host.exited).code).toBe(0);
  });
});
