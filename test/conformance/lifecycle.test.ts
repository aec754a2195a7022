import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { launchBundle, launchWithCli } from './launch.js';
import { contextFor, type StormHost } from './storm-host.js';

const hosts: StormHost[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.dispose()));
  for (const cleanup of cleanups.splice(0)) cleanup();
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

  it('answers heartbeats during an asynchronous initialize(), and holds tuples until it is done', async () => {
    const host = await start('slow-start', 'slow-start-bolt.ts', { heartbeatIntervalMs: 0 });
    host.sendTuple('1', 'counter', 'default', 2, ['first']);
    host.sendHeartbeat();
    expect(await host.next()).toEqual({ command: 'sync' });
    expect(await host.until((m) => m.command === 'ack')).toEqual([
      { command: 'emit', anchors: ['1'], tuple: [true, 'first'], need_task_ids: false },
      { command: 'ack', id: '1' },
    ]);
  });

  it('answers heartbeats while its module is still loading (top-level await), then processes the tuple', async () => {
    // The module takes 1.5 s to load; Storm's rule here: no message for 1 s is death.
    const host = await start('slow-module', 'slow-module-bolt.ts', { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 1000 });
    host.sendTuple('1', 'counter', 'default', 2, ['late']);
    const out = await host.until((m) => m.command === 'ack', 10_000);
    expect(host.fatal).toBeUndefined();
    expect(out.filter((m) => m.command === 'sync').length).toBeGreaterThanOrEqual(5);
    expect(out.filter((m) => m.command !== 'sync')).toEqual([
      { command: 'emit', anchors: ['1'], tuple: ['late'], need_task_ids: false },
      { command: 'ack', id: '1' },
    ]);
  });

  it('`squall launch`: a module that never finishes loading is reported with component, script and time waited, then the process exits 1', async () => {
    const host = launchWithCli('stuck', { heartbeatIntervalMs: 200, heartbeatTimeoutMs: 1000 });
    hosts.push(host);
    await host.handshake('bolt', { 'topology.subprocess.timeout.secs': 1 }, contextFor('stuck', 3));
    const out = await host.until((m) => m.command === 'error', 15_000);
    expect(host.fatal).toBeUndefined();
    // Heartbeats are answered while the module loads, so Storm does not kill it for silence first.
    expect(out.filter((m) => m.command === 'sync').length).toBeGreaterThanOrEqual(2);
    const error = out.at(-1)!.msg as string;
    expect(error).toMatch(/^component 'stuck', task 3: loading the component module failed: SquallError: the module of component 'stuck' \(stuck-module-bolt\.ts\) did not finish loading within 1 s\n {2}hint: most likely a top-level await that never settles/);
    expect((await host.exited).code).toBe(1);
  });

  it('exits 2 naming the component and task when the host sends something that is not JSON', async () => {
    const host = await start('echo', 'echo-bolt.ts', { heartbeatIntervalMs: 0 });
    host.sendRaw('this is not json\nend\n');
    expect((await host.exited).code).toBe(2);
    expect(host.stderr).toMatch(/^squall: malformed multilang input for component 'echo', task 3: not a JSON message/);
  });

  it.each([
    ['main-thread mode', {}],
    ['debug mode', { SQUALL_DEBUG: '1' }],
  ])('answers the pid first even when a heartbeat arrives with the handshake (%s)', async (_mode, extra) => {
    const host = await launchBundle('echo', 'echo-bolt.ts', { env: { ...process.env, ...extra } });
    hosts.push(host);
    const pidDir = mkdtempSync(path.join(os.tmpdir(), 'squall-eager-'));
    cleanups.push(() => rmSync(pidDir, { recursive: true, force: true }));
    const handshake = { conf: {}, pidDir, context: contextFor('echo', 3) };
    host.sendRaw(`${JSON.stringify(handshake)}\nend\n{"id":"hb","comp":null,"stream":"__heartbeat","task":-1,"tuple":[]}\nend\n`);
    expect(await host.next()).toEqual({ pid: expect.any(Number) });
    expect(await host.next()).toEqual({ command: 'sync' });
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
    // Blocked twice as long as the heartbeat timeout: only debug mode can survive it.
    const host = await start('blocking', 'blocking-bolt.ts', { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 1000, env: { ...process.env, SQUALL_DEBUG: '1' } });
    host.sendTuple('1', 'counter', 'default', 2, [2000]);
    const out = await host.until((m) => m.command === 'ack', 10_000);
    expect(host.fatal).toBeUndefined();
    // Two seconds of heartbeats the main thread could not answer, yet syncs kept coming.
    expect(out.filter((m) => m.command === 'sync').length).toBeGreaterThanOrEqual(5);
    expect(out.filter((m) => m.command !== 'sync')).toEqual([
      { command: 'emit', anchors: ['1'], tuple: [2000], need_task_ids: false },
      { command: 'ack', id: '1' },
    ]);
  });

  it('turns on debug mode from the topology conf (squall.debug: true)', async () => {
    const host = await start('blocking', 'blocking-bolt.ts', { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 1000 }, { 'squall.debug': true });
    host.sendTuple('1', 'counter', 'default', 2, [1800]);
    await host.until((m) => m.command === 'ack', 10_000);
    expect(host.fatal).toBeUndefined();
    host.closeStdin();
    expect((await host.exited).code).toBe(0);
  });
});

describe('debug bootloader (SQUALL_INSPECT)', () => {
  it('opens the inspector on loopback, registers its URL, waits for a debugger, answering heartbeats meanwhile', async () => {
    const register = mkdtempSync(path.join(os.tmpdir(), 'squall-inspect-'));
    cleanups.push(() => rmSync(register, { recursive: true, force: true }));
    const env = { ...process.env, SQUALL_INSPECT: '127.0.0.1:0', SQUALL_INSPECT_WAIT: '1', SQUALL_INSPECT_REGISTER: register };
    const host = await start('echo', 'echo-bolt.ts', { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 3000, env });
    const announced = await host.next();
    expect(announced).toMatchObject({ command: 'log', level: 2 });
    expect(String(announced.msg)).toMatch(/^debugger listening on ws:\/\/127\.0\.0\.1:\d+\//);
    const registration = JSON.parse(readFileSync(path.join(register, 'echo-3.json'), 'utf8')) as { url: string; task: number };
    expect(registration.task).toBe(3);
    host.sendTuple('1', 'counter', 'default', 2, ['hello']);
    // Paused before user code: only the I/O thread answers, with syncs.
    const waiting = await host.until((m) => m.command === 'sync');
    expect(waiting.every((m) => m.command === 'sync')).toBe(true);
    // Attach as a debugger would (raw CDP over the inspector's WebSocket) and let the task run.
    const client = new WebSocket(registration.url);
    try {
      await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
      client.send(JSON.stringify({ id: 1, method: 'Runtime.runIfWaitingForDebugger' }));
      const out = await host.until((m) => m.command === 'ack');
      expect(out.filter((m) => m.command !== 'sync')).toEqual([
        { command: 'emit', anchors: ['1'], tuple: ['hello'], need_task_ids: false },
        { command: 'ack', id: '1' },
      ]);
    } finally {
      client.close();
    }
  });

  it('refuses to listen beyond loopback and says so in the task log', async () => {
    const host = await start('echo', 'echo-bolt.ts', { heartbeatIntervalMs: 0, env: { ...process.env, SQUALL_INSPECT: '0.0.0.0:0' } });
    const refused = await host.next();
    expect(refused).toMatchObject({ command: 'log', level: 4 });
    expect(String(refused.msg)).toContain('the inspector only listens on loopback');
    host.sendTuple('1', 'counter', 'default', 2, ['still works']);
    expect((await host.until((m) => m.command === 'ack')).at(-1)).toEqual({ command: 'ack', id: '1' });
  });
});

describe('framing at the edges', () => {
  it('carries large tuples with multi-byte characters intact across pipe chunks', async () => {
    const host = await start('echo', 'echo-bolt.ts', { heartbeatIntervalMs: 0 });
    const text = 'Sturm und Drang — 暴风雨 🌩️ '.repeat(8000); // ~250 KB, characters cut across reads
    host.sendTuple('1', 'counter', 'default', 2, [text, { nested: ['ü', 1.5, null, true] }]);
    const out = await host.until((m) => m.command === 'ack');
    expect(out[0]).toEqual({ command: 'emit', anchors: ['1'], tuple: [text, { nested: ['ü', 1.5, null, true] }], need_task_ids: false });
  });

  it('exits 2 when Storm sends task ids no emit asked for', async () => {
    const host = await start('echo', 'echo-bolt.ts', { heartbeatIntervalMs: 0 });
    host.sendRaw('[4, 5]\nend\n');
    expect((await host.exited).code).toBe(2);
    expect(host.stderr).toContain('task ids [4,5] arrived but no emit asked for them');
  });
});
