import { describe, expect, it } from 'vitest';
import { Tuple } from '../../core/component/index.js';
import { WireHost } from '../../core/component/multilang/wire-host.js';
import { MAX_WRITE_CHARS, ProtocolWriter, type WriteTarget } from '../../core/component/multilang/writer.js';

/** A write target that records each write and can pretend the pipe is full. */
class Pipe implements WriteTarget {
  writes: string[] = [];
  full = false;
  private drainListener: () => void = () => {};
  write(text: string, done: () => void): boolean {
    this.writes.push(text);
    queueMicrotask(done);
    return !this.full;
  }
  onDrain(listener: () => void): void {
    this.drainListener = listener;
  }
  drain(): void {
    this.full = false;
    this.drainListener();
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('ProtocolWriter', () => {
  it('writes all messages of one event-loop turn in a single write', async () => {
    const pipe = new Pipe();
    const writer = new ProtocolWriter(pipe);
    writer.send('a\nend\n');
    writer.send('b\nend\n');
    expect(pipe.writes).toEqual([]);
    await turn();
    expect(pipe.writes).toEqual(['a\nend\nb\nend\n']);
  });

  it('holds batches while the pipe is full, asks to pause input, and resumes on drain', async () => {
    const pipe = new Pipe();
    const pauses: boolean[] = [];
    const writer = new ProtocolWriter(pipe, (blocked) => pauses.push(blocked));
    pipe.full = true;
    writer.send('1\nend\n');
    await turn();
    writer.send('2\nend\n');
    await turn();
    expect(pipe.writes).toEqual(['1\nend\n']);
    expect(pauses).toEqual([true]);
    pipe.drain();
    expect(pipe.writes).toEqual(['1\nend\n', '2\nend\n']);
    expect(pauses).toEqual([true, false]);
  });

  it('after a wait for drain, writes the backlog in pieces of at most MAX_WRITE_CHARS, in order', async () => {
    const pipe = new Pipe();
    const writer = new ProtocolWriter(pipe);
    pipe.full = true;
    writer.send('first\nend\n');
    await turn();
    const message = `${'x'.repeat(1000)}\nend\n`;
    for (let i = 0; i < 300; i++) writer.send(message);
    await turn();
    expect(pipe.writes).toHaveLength(1);
    pipe.drain();
    const backlog = pipe.writes.slice(1);
    expect(backlog.length).toBeGreaterThan(1);
    for (const text of backlog) expect(text.length).toBeLessThanOrEqual(MAX_WRITE_CHARS);
    expect(backlog.join('')).toBe(message.repeat(300));
  });

  it('drain() waits for the pipe to drain when it is full, without spinning', async () => {
    const pipe = new Pipe();
    const writer = new ProtocolWriter(pipe);
    pipe.full = true;
    writer.send('1\nend\n');
    await turn();
    writer.send('2\nend\n');
    let drained = false;
    const done = writer.drain().then(() => (drained = true));
    await turn();
    expect(drained).toBe(false);
    pipe.drain();
    await done;
    expect(pipe.writes).toEqual(['1\nend\n', '2\nend\n']);
  });

  it('drain() resolves once everything queued was written (used before exit)', async () => {
    const pipe = new Pipe();
    const writer = new ProtocolWriter(pipe);
    writer.send('last\nend\n');
    await writer.drain();
    expect(pipe.writes).toEqual(['last\nend\n']);
  });
});

describe('WireHost', () => {
  const tuple = new Tuple('-42', 'spout', 'default', 1, ['x']);

  it('encodes emits with need_task_ids false unless asked, omitting the default stream', async () => {
    const pipe = new Pipe();
    const host = new WireHost(new ProtocolWriter(pipe));
    host.emit(['a'], { anchors: ['-42'], needTaskIds: false });
    host.emit(['b'], { stream: 'words', directTask: 5, needTaskIds: false });
    host.emit(['c'], { id: 'm1', needTaskIds: false });
    host.ack(tuple);
    host.fail(tuple);
    host.log('warn', 'careful');
    host.reportError('bad');
    host.sync();
    await turn();
    expect(pipe.writes.join('').split('\nend\n').slice(0, -1).map((m) => JSON.parse(m))).toEqual([
      { command: 'emit', anchors: ['-42'], tuple: ['a'], need_task_ids: false },
      { command: 'emit', stream: 'words', task: 5, tuple: ['b'], need_task_ids: false },
      { command: 'emit', id: 'm1', tuple: ['c'], need_task_ids: false },
      { command: 'ack', id: '-42' },
      { command: 'fail', id: '-42' },
      { command: 'log', msg: 'careful', level: 3 },
      { command: 'error', msg: 'bad' },
      { command: 'sync' },
    ]);
  });

  it('hands task-id replies to the emits that asked, first come first served', async () => {
    const host = new WireHost(new ProtocolWriter(new Pipe()));
    const first = host.emit(['a'], { needTaskIds: true }) as Promise<number[]>;
    const second = host.emit(['b'], { needTaskIds: true }) as Promise<number[]>;
    const direct = host.emit(['c'], { directTask: 9, needTaskIds: true }) as Promise<number[]>;
    expect(host.acceptTaskIds([1])).toBeUndefined();
    expect(host.acceptTaskIds([2, 3])).toBeUndefined();
    expect(host.acceptTaskIds([4])?.message).toBe('task ids [4] arrived but no emit asked for them'); // nobody asked
    expect(await Promise.all([first, second, direct])).toEqual([[1], [2, 3], [9]]);
  });
});
