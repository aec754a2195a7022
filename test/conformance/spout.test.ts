import { afterEach, describe, expect, it } from 'vitest';
import { expectGolden } from './golden.js';
import { launchBundle, launchWithCli } from './launch.js';
import { contextFor, type StormHost } from './storm-host.js';

const hosts: StormHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.dispose()));
});

describe('spout ping-pong', () => {
  it('answers activate/next/ack/fail/deactivate with emits and logs, then exactly one sync', async () => {
    const host = launchWithCli('counter', { heartbeatTimeoutMs: 10_000, route: () => [4, 5] });
    hosts.push(host);
    await host.handshake('spout', {}, contextFor('counter', 2));
    expect(await host.command('activate')).toEqual([{ command: 'log', msg: 'activated', level: 2 }, { command: 'sync' }]);
    expect(await host.command('next')).toEqual([{ command: 'emit', id: 'm0', tuple: [0], need_task_ids: false }, { command: 'sync' }]);
    expect(await host.command('next')).toEqual([{ command: 'emit', id: 'm1', tuple: [1], need_task_ids: false }, { command: 'sync' }]);
    // The third asks for its task ids: Storm answers at once, before the spout's next message.
    expect(await host.command('next')).toEqual([
      { command: 'emit', id: 'm2', tuple: [2], need_task_ids: true },
      { command: 'emit', stream: 'tasks', tuple: [2, [4, 5]], need_task_ids: false },
      { command: 'sync' },
    ]);
    // Message ids come back verbatim, strings as strings.
    expect(await host.command('ack', 'm0')).toEqual([{ command: 'log', msg: 'acked m0', level: 2 }, { command: 'sync' }]);
    expect(await host.command('fail', 'm1')).toEqual([{ command: 'log', msg: 'failed m1', level: 3 }, { command: 'sync' }]);
    expect(await host.command('deactivate')).toEqual([{ command: 'log', msg: 'deactivated', level: 2 }, { command: 'sync' }]);
    expect(host.fatal).toBeUndefined();
    host.closeStdin();
    expect((await host.exited).code).toBe(0);
    expect(host.stderr).toBe('');
    expectGolden('spout', host.text());
  });

  it('plays the same ping-pong in debug mode, where a worker thread owns the pipes', async () => {
    const host = await launchBundle('counter', 'counter-spout.ts', { route: () => [6], env: { ...process.env, SQUALL_DEBUG: '1' } });
    hosts.push(host);
    await host.handshake('spout', {}, contextFor('counter', 2));
    await host.command('next');
    await host.command('next');
    expect(await host.command('next')).toEqual([
      { command: 'emit', id: 'm2', tuple: [2], need_task_ids: true },
      { command: 'emit', stream: 'tasks', tuple: [2, [6]], need_task_ids: false },
      { command: 'sync' },
    ]);
    expect(await host.command('ack', 'm2')).toEqual([{ command: 'log', msg: 'acked m2', level: 2 }, { command: 'sync' }]);
    host.closeStdin();
    expect((await host.exited).code).toBe(0);
  });

  it('syncs after a nextTuple that emitted nothing (after a short idle pause)', async () => {
    const host = await launchBundle('idle', 'idle-spout.ts');
    hosts.push(host);
    await host.handshake('spout', {}, contextFor('idle', 2));
    for (let i = 0; i < 3; i++) expect(await host.command('next')).toEqual([{ command: 'sync' }]);
    expectGolden('idle-spout', host.text());
  });

  it('exits with a clear message on stderr when Storm sends a command a spout does not know', async () => {
    const host = await launchBundle('idle', 'idle-spout.ts');
    hosts.push(host);
    await host.handshake('spout', {}, contextFor('idle', 9));
    host.sendRaw('{"command":"explode","id":""}\nend\n');
    expect((await host.exited).code).toBe(2);
    expect(host.stderr).toContain("malformed multilang input for component 'idle', task 9");
    expect(host.stderr).toContain('explode');
  });
});

describe('spout crashes', () => {
  it('emits direct without asking for task ids, then reports a throwing nextTuple and exits 1 without a sync', async () => {
    const host = launchWithCli('exploding');
    hosts.push(host);
    await host.handshake('spout', {}, contextFor('exploding', 2));
    expect(await host.command('next')).toEqual([{ command: 'emit', id: 'd1', stream: 'direct', task: 5, tuple: [1], need_task_ids: false }, { command: 'sync' }]);
    await expect(host.command('next')).rejects.toThrow(/exited \(1\)/);
    const report = host.transcript.filter((line) => line.startsWith('<- {"command":"error"'));
    expect(report).toEqual([`<- {"command":"error","msg":"component 'exploding', task 2: nextTuple() threw: RangeError: the source ran dry"}`]);
    expect(host.stderr).toBe('');
    expectGolden('spout-crash', host.text());
  });
});
