import { afterEach, describe, expect, it } from 'vitest';
import { expectGolden } from './golden.js';
import { launchBundle, launchWithCli } from './launch.js';
import { contextFor, type ChildMessage, type StormHost } from './storm-host.js';

const hosts: StormHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.dispose()));
});

/** A launched bolt with heartbeats under the test's control (deterministic transcripts). */
async function bolt(component: string, sources?: Record<string, Record<string, string[]>>, conf: Record<string, unknown> = {}): Promise<StormHost> {
  const host = launchWithCli(component, { heartbeatIntervalMs: 0 });
  hosts.push(host);
  await host.handshake('bolt', conf, contextFor(component, 3, sources));
  return host;
}

const isAckOf = (id: string) => (m: ChildMessage) => (m.command === 'ack' || m.command === 'fail') && m.id === id;

describe('bolt under squall launch', () => {
  it('answers the handshake with its pid, syncs on heartbeats and splits a sentence (BasicBolt)', async () => {
    const host = await bolt('split', { counter: { default: ['sentence'] } });
    host.sendHeartbeat('hb0');
    expect(await host.next()).toEqual({ command: 'sync' });
    host.sendTuple('-7136', 'counter', 'default', 2, ['the cow jumped']);
    const out = await host.until(isAckOf('-7136'));
    expect(out.map((m) => m.tuple ?? m.command)).toEqual([['the'], ['cow'], ['jumped'], 'ack']);
    expect(out.slice(0, 3).every((m) => JSON.stringify(m.anchors) === '["-7136"]' && m.need_task_ids === false)).toBe(true);
    expect(host.pending).toEqual([]);
    host.closeStdin();
    expect((await host.exited).code).toBe(0);
    expect(host.stderr).toBe('');
    expectGolden('split', host.text());
  });

  it('acks and fails by hand, anchors explicitly and emits direct without asking for task ids', async () => {
    const host = await bolt('echo');
    host.sendTuple('1', 'counter', 'default', 2, [42]);
    host.sendTuple('2', 'counter', 'default', 2, ['fail-me']);
    host.sendTuple('3', 'counter', 'default', 2, ['direct']);
    const out = await host.until(isAckOf('3'));
    expect(out).toEqual([
      { command: 'emit', anchors: ['1'], tuple: [42], need_task_ids: false },
      { command: 'ack', id: '1' },
      { command: 'fail', id: '2' },
      { command: 'emit', anchors: ['3'], tuple: ['direct'], need_task_ids: false },
      { command: 'emit', anchors: ['3'], stream: 'side', task: 7, tuple: ['direct'], need_task_ids: false },
      { command: 'ack', id: '3' },
    ]);
    expect(host.fatal).toBeUndefined();
    expectGolden('echo', host.text());
  });

  it('matches task-id replies to the emits that asked, in order, interleaved with tuples', async () => {
    let next = 10;
    const host = launchWithCli('task-ids', { heartbeatIntervalMs: 0, route: () => [next++] });
    hosts.push(host);
    await host.handshake('bolt', {}, contextFor('task-ids', 3));
    host.sendTuple('1', 'counter', 'default', 2, ['x']);
    host.sendTuple('2', 'counter', 'default', 2, ['y']);
    const out = await host.until(isAckOf('2'));
    const reports = out.filter((m) => m.stream === 'report').map((m) => m.tuple);
    expect(reports).toEqual([
      [[10], [11]],
      [[12], [13]],
    ]);
    expect(out.filter((m) => m.command === 'emit' && m.stream === undefined).every((m) => m.need_task_ids === true)).toBe(true);
    expectGolden('task-ids', host.text());
  });

  it('delivers ticks to tick() and acks each exactly once itself', async () => {
    const host = await bolt('ticking');
    host.sendTuple('1', 'counter', 'default', 2, [1]);
    host.sendTuple('2', 'counter', 'default', 2, [2]);
    host.sendTick('t1');
    const out = await host.until(isAckOf('t1'));
    expect(out).toEqual([
      { command: 'ack', id: '1' },
      { command: 'ack', id: '2' },
      { command: 'emit', tuple: [2], need_task_ids: false },
      { command: 'ack', id: 't1' },
    ]);
    host.sendHeartbeat();
    expect(await host.next()).toEqual({ command: 'sync' }); // no second ack of the tick
    expectGolden('tick', host.text());
  });

  it('processes tuples one at a time in arrival order when process() is asynchronous', async () => {
    const host = await bolt('slow');
    for (const n of [0, 1, 2]) host.sendTuple(`a${n}`, 'counter', 'default', 2, [n]);
    host.sendHeartbeat(); // answered at once, even while a tuple is in progress
    const out = await host.until(isAckOf('a2'));
    expect(out[0]).toEqual({ command: 'sync' });
    expect(out.filter((m) => m.command === 'emit').map((m) => m.tuple)).toEqual([[0], [1], [2]]);
    expectGolden('async', host.text());
  });

  it('turns console.* and raw stdout/stderr writes into log messages, never protocol noise', async () => {
    const host = await bolt('noisy');
    expect(await host.next()).toEqual({ command: 'log', msg: 'loaded at import time', level: 2 });
    host.sendTuple('1', 'counter', 'default', 2, [5]);
    const out = await host.until(isAckOf('1'));
    const logs = out.filter((m) => m.command === 'log').map((m) => [m.level, m.msg]);
    expect(logs).toEqual([
      [2, 'console.log 5'],
      [2, 'console.info'],
      [1, 'console.debug'],
      [3, 'console.warn'],
      [4, 'console.error'],
      [2, 'raw stdout write'],
      [3, 'raw stderr write'],
      [0, 'trace line'],
      [4, 'error line {"n":5}'],
    ]);
    host.closeStdin();
    await host.exited;
    expect(host.stderr).toBe('');
    expect(host.fatal).toBeUndefined();
    expectGolden('noisy', host.text());
  });

  it('fails the tuple and reports the error when a BasicBolt throws, and keeps running', async () => {
    const host = await bolt('failing');
    host.sendTuple('1', 'counter', 'default', 2, ['bad']);
    host.sendTuple('2', 'counter', 'default', 2, ['good']);
    const out = await host.until(isAckOf('2'));
    expect(out.map((m) => m.command)).toEqual(['fail', 'error', 'emit', 'ack']);
    expect(String(out[1]!.msg)).toContain('Error: cannot handle bad');
    expectGolden('basic-bolt-throws', host.text());
  });

  it('keeps a double ack and an anchor to an acked tuple away from Storm, with a warning', async () => {
    const host = await bolt('careless');
    host.sendTuple('1', 'counter', 'default', 2, [1]);
    host.sendTuple('2', 'counter', 'default', 2, [2]);
    const out = await host.until((m) => m.command === 'emit');
    expect(host.fatal).toBeUndefined();
    expect(out.filter((m) => m.command === 'ack').map((m) => m.id)).toEqual(['1', '2']);
    // Both anchors were acked before the emit: both are dropped, the tuple goes out unanchored.
    expect(out.at(-1)).toEqual({ command: 'emit', tuple: [2], need_task_ids: false });
    expect(out.filter((m) => m.command === 'log' && m.level === 3)).toHaveLength(3);
    expectGolden('careless', host.text());
  });
});

describe('bolt crashes', () => {
  it('reports a throwing process() once, as an error with the stack and the tuple, and exits 1', async () => {
    const host = await bolt('crashing');
    host.sendTuple('1', 'counter', 'default', 2, ['fine']);
    host.sendTuple('99', 'counter', 'default', 2, ['crash']);
    const out = await host.until((m) => m.command === 'error');
    expect(out.map((m) => m.command)).toEqual(['ack', 'error']);
    const error = String(out[1]!.msg);
    expect(error).toContain('Error: boom in process');
    expect(error).toMatch(/crash-bolt\.ts:\d+/); // the stack points at the TypeScript source
    expect(error).toContain('tuple id=99 from counter:default (task 2) values=["crash"]');
    expect((await host.exited).code).toBe(1);
    // Storm logs a reported error in the worker log itself: no log line repeats the report.
    expect(host.text()).not.toMatch(/"command":"log"/);
    expect(host.stderr).toBe('');
    expectGolden('crash', host.text());
  });

  it('treats an unhandled rejection as a crash', async () => {
    const host = await launchBundle('crashing', 'crash-bolt.ts', { heartbeatIntervalMs: 0 });
    hosts.push(host);
    await host.handshake('bolt', {}, contextFor('crashing', 3));
    host.sendTuple('5', 'counter', 'default', 2, ['reject']);
    const out = await host.until((m) => m.command === 'error');
    const error = String(out.find((m) => m.command === 'error')!.msg);
    expect(error).toContain('boom in a promise');
    // Storm runs `node <bundle>` without --enable-source-maps: the runtime maps the stack itself.
    expect(error).toMatch(/fixtures\/components\/crash-bolt\.ts:\d+:\d+/);
    expect((await host.exited).code).toBe(1);
  });

  it('reports an initialize() that throws and exits 1', async () => {
    const host = await launchBundle('broken-init', 'init-crash-bolt.ts', { heartbeatIntervalMs: 0 });
    hosts.push(host);
    await host.handshake('bolt', {}, contextFor('broken-init', 3));
    const out = await host.until((m) => m.command === 'error');
    expect(String(out[0]!.msg)).toContain('initialize() threw: Error: cannot connect to the database');
    expect((await host.exited).code).toBe(1);
    expectGolden('init-crash', host.text());
  });
});

describe('a module that is not a component', () => {
  it('answers the handshake, then reports the missing export with a hint and exits 1', async () => {
    const host = await launchBundle('nothing', 'not-a-component.ts', { heartbeatIntervalMs: 0 });
    hosts.push(host);
    await host.handshake('bolt', {}, contextFor('nothing', 3));
    const out = await host.until((m) => m.command === 'error');
    expect(String(out[0]!.msg)).toContain('loading the component module failed: SquallError: not-a-component.ts exports no Spout or Bolt subclass');
    expect(String(out[0]!.msg)).toContain('hint: export the class as default');
    expect((await host.exited).code).toBe(1);
  });
});
