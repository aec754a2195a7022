import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTopology } from 'squall/testing';
import type { TopologyContext } from 'squall';
import { PassThrough } from 'node:stream';
import { streamLineReader } from './line-reader.js';
import { ndjsonSpout, pickField } from './ndjson-spout.js';
import Events from './components/events.js';

const topologyFile = path.join(import.meta.dirname, 'topology.yaml');
const sample = path.join(import.meta.dirname, 'data', 'events.ndjson');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'squall-ndjson-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Last total emitted per user. */
function totals(values: unknown[][]): Record<string, number> {
  return Object.fromEntries(values.map(([user, total]) => [user as string, total as number]));
}

describe('NDJSON spout', () => {
  it('feeds the example topology from the bundled file: totals per user, every line acked', async () => {
    const result = await runTopology(topologyFile, { config: { 'ndjson.path': sample } });
    expect(totals(result.values('user-totals'))).toEqual({ ada: 42, ishmael: 20, queequeg: 45, starbuck: 10, stubb: 3, flask: 20 });
    expect(result.values('events')).toHaveLength(12);
    // Message ids are line numbers; line 8 of the file is blank.
    expect([...result.acked['events']!].sort((a, b) => Number(a) - Number(b))).toEqual([1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13]);
  });

  it('emits dotted fields, null for missing ones, and skips lines that are not objects', async () => {
    const file = path.join(dir, 'mixed.ndjson');
    writeFileSync(file, ['{"user": {"id": 7}, "tags": ["a"]}', 'not json', '[1, 2]', '{"other": true}', '{"user": {"id": 8}, "tags": null}'].join('\n'));
    const MixedSpout = ndjsonSpout({ fields: ['user.id', 'tags'] });
    const spec = { name: 'mixed', config: {}, components: [{ id: 'in', kind: 'spout' as const, script: '', parallelism: 1, inputs: [], config: { 'ndjson.path': file } }] };
    const result = await runTopology(spec, { components: { in: MixedSpout } });
    expect(result.values('in')).toEqual([[7, ['a']], [null, null], [8, null]]);
    expect(result.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^line 2 is not JSON/), 'line 3 is not a JSON object: skipped']);
  });

  it('reads a FIFO that another program writes to', async () => {
    const fifo = path.join(dir, 'events.fifo');
    execFileSync('mkfifo', [fifo]);
    const writing = writeFile(fifo, '{"user": "ada", "action": "buy", "amount": 1}\n{"user": "bob", "action": "buy", "amount": 2}\n');
    const result = await runTopology(topologyFile, {
      config: { 'ndjson.path': fifo },
      until: { emitted: 2, component: 'user-totals' },
      idlePolls: 5_000,
    });
    await writing;
    expect(totals(result.values('user-totals'))).toEqual({ ada: 1, bob: 2 });
  });

  it('refuses standard input outside the in-process harness, where stdin is Storm’s channel', () => {
    const spout = new Events();
    expect(() => spout.initialize({ 'ndjson.path': '-' }, {} as TopologyContext)).toThrow(/only works in-process/);
    expect(() => spout.initialize({}, {} as TopologyContext)).toThrow(/ndjson.path is not set/);
  });

  it('keeps its place in a stream across deactivate and activate (a pause, as in Storm)', async () => {
    const stream = new PassThrough();
    const reader = streamLineReader(stream);
    stream.write('{"n": 1}\n{"n": 2}\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(reader.next()).toBe('{"n": 1}');
    reader.pause();
    expect(stream.isPaused()).toBe(true);
    // Reactivated: the next call carries on from the same line and reads ahead again.
    expect(reader.next()).toBe('{"n": 2}');
    expect(stream.isPaused()).toBe(false);
    stream.end('{"n": 3}\n');
    await new Promise((resolve) => stream.once('end', resolve));
    expect(reader.next()).toBe('{"n": 3}');
    expect(reader.ended).toBe(true);
  });

  it('picks dotted paths out of nested objects', () => {
    expect(pickField({ a: { b: { c: 3 } } }, 'a.b.c')).toBe(3);
    expect(pickField({ a: 1 }, 'a.b')).toBeNull();
    expect(pickField({}, 'missing')).toBeNull();
  });
});
