import { describe, expect, it } from 'vitest';
import { BasicBolt, Bolt, TopologyContext, Tuple } from '../../core/component/index.js';
import { BoltExecutor, ComponentCrash } from '../../core/component/runtime.js';
import { RecordingHost } from './fake-host.js';

const context = new TopologyContext({ taskid: 3, componentid: 'bolt', 'task->component': { '3': 'bolt' } });
const tuple = (id: string, ...values: unknown[]) => new Tuple(id, 'spout', 'default', 2, values, ['word']);
const tick = (id: string) => new Tuple(id, '__system', '__tick', -1, [1]);

function run<B extends Bolt>(bolt: B): { executor: BoltExecutor; host: RecordingHost; bolt: B } {
  const host = new RecordingHost();
  return { executor: new BoltExecutor(bolt, host, { 'topology.name': 't' }, context), host, bolt };
}

class Upper extends BasicBolt {
  process(t: Tuple): void {
    this.emit([t.getString('word').toUpperCase()]);
  }
}

describe('BoltExecutor with a BasicBolt', () => {
  it('anchors every emit to the input and acks it when process() returns', async () => {
    const { executor, host } = run(new Upper());
    await executor.handleTuple(tuple('1', 'storm'));
    expect(host.calls).toEqual([
      ['emit', ['STORM'], { anchors: ['1'], needTaskIds: false }],
      ['ack', '1'],
    ]);
    expect(executor.pendingCount).toBe(0);
  });

  it('acks only once an asynchronous process() resolves', async () => {
    let release!: () => void;
    class Waiting extends BasicBolt {
      async process(t: Tuple): Promise<void> {
        await new Promise<void>((r) => (release = r));
        this.emit([t.values[0]]);
      }
    }
    const { executor, host } = run(new Waiting());
    const done = executor.handleTuple(tuple('1', 'x'));
    await Promise.resolve();
    expect(host.calls).toEqual([]);
    release();
    await done;
    expect(host.calls).toEqual([
      ['emit', ['x'], { anchors: ['1'], needTaskIds: false }],
      ['ack', '1'],
    ]);
  });

  it('fails the tuple and reports the error when process() throws or rejects (no crash)', async () => {
    class Picky extends BasicBolt {
      process(t: Tuple): void | Promise<void> {
        if (t.values[0] === 'sync') throw new Error('bad sync');
        return Promise.reject(new Error('bad async'));
      }
    }
    const { executor, host } = run(new Picky());
    await executor.handleTuple(tuple('1', 'sync'));
    await executor.handleTuple(tuple('2', 'async'));
    expect(host.calls).toEqual([
      ['fail', '1'],
      ['error', 'Error: bad sync'],
      ['fail', '2'],
      ['error', 'Error: bad async'],
    ]);
  });

  it('does not anchor emits made while handling a tick', async () => {
    class Ticking extends BasicBolt {
      process(): void {}
      override tick(): void {
        this.emit(['flush']);
      }
    }
    const { executor, host } = run(new Ticking());
    await executor.handleTuple(tick('t'));
    expect(host.calls).toEqual([
      ['emit', ['flush'], { needTaskIds: false }],
      ['ack', 't'],
    ]);
  });
});

describe('BoltExecutor with a Bolt', () => {
  it('rejects with a ComponentCrash carrying the error and the tuple when process() throws', async () => {
    class Broken extends Bolt {
      process(): void {
        throw new TypeError('oops');
      }
    }
    const { executor } = run(new Broken());
    const failure = await executor.handleTuple(tuple('9', 'x')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ComponentCrash);
    const crash = failure as ComponentCrash;
    expect(crash.tuple?.id).toBe('9');
    expect(crash.report()).toContain('process() threw: TypeError: oops');
    expect(crash.report()).toContain('tuple id=9 from spout:default (task 2) values=["x"]');
  });

  it('reports a rejected promise from process() as a crash too', async () => {
    class Broken extends Bolt {
      async process(): Promise<void> {
        throw new Error('later');
      }
    }
    const { executor } = run(new Broken());
    await expect(executor.handleTuple(tuple('1'))).rejects.toBeInstanceOf(ComponentCrash);
  });

  it('delivers ticks to process() when there is no tick(), acking them itself exactly once', async () => {
    const seen: string[] = [];
    class Counting extends Bolt {
      process(t: Tuple): void {
        seen.push(t.isTick ? 'tick' : String(t.values[0]));
        this.ack(t);
      }
    }
    const { executor, host } = run(new Counting());
    await executor.handleTuple(tuple('1', 'a'));
    await executor.handleTuple(tick('t1'));
    expect(seen).toEqual(['a', 'tick']);
    expect(host.calls).toEqual([
      ['ack', '1'],
      ['ack', 't1'],
    ]);
  });

  it('drops a second ack and anchors to acked tuples with a warning instead of sending them', async () => {
    let kept: Tuple | undefined;
    class Careless extends Bolt {
      process(t: Tuple): void {
        this.ack(t);
        this.fail(t);
        if (kept) this.emit(['late'], { anchors: [kept] });
        kept = t;
      }
    }
    const { executor, host } = run(new Careless());
    await executor.handleTuple(tuple('1'));
    await executor.handleTuple(tuple('2'));
    expect(host.of('ack')).toEqual([
      ['ack', '1'],
      ['ack', '2'],
    ]);
    expect(host.of('fail')).toEqual([]);
    expect(host.of('emit')).toEqual([['emit', ['late'], { anchors: [], needTaskIds: false }]]);
    expect(host.of('log').map((c) => c[1])).toEqual(['warn', 'warn', 'warn']); // two fails, one anchor
  });

  it('keeps anchors to tuples still pending, across tuples (manual anchoring)', async () => {
    const held: Tuple[] = [];
    class Joining extends Bolt {
      process(t: Tuple): void {
        held.push(t);
        if (held.length === 2) {
          this.emit(['joined'], { anchors: held });
          for (const h of held) this.ack(h);
        }
      }
    }
    const { executor, host } = run(new Joining());
    await executor.handleTuple(tuple('1'));
    await executor.handleTuple(tuple('2'));
    expect(host.calls).toEqual([
      ['emit', ['joined'], { anchors: ['1', '2'], needTaskIds: false }],
      ['ack', '1'],
      ['ack', '2'],
    ]);
  });

  it('returns task ids only when asked, and passes direct emits through', async () => {
    let tasks: number[] | undefined;
    class Asking extends Bolt {
      async process(t: Tuple): Promise<void> {
        tasks = await this.emit(['a'], { anchors: t, needTaskIds: true });
        this.emit(['b'], { stream: 'side', directTask: 7 });
        this.ack(t);
      }
    }
    const { executor, host } = run(new Asking());
    await executor.handleTuple(tuple('1'));
    expect(tasks).toEqual([4]);
    expect(host.of('emit')).toEqual([
      ['emit', ['a'], { anchors: ['1'], needTaskIds: true }],
      ['emit', ['b'], { stream: 'side', directTask: 7, needTaskIds: false }],
    ]);
  });

  it('gives initialize() the conf and context, and wraps its exception as a crash', async () => {
    let got: unknown[] = [];
    class Init extends Bolt {
      override initialize(conf: Record<string, unknown>, ctx: TopologyContext): void {
        got = [conf['topology.name'], ctx.taskId, ctx.componentId];
        throw new Error('no db');
      }
      process(): void {}
    }
    const { executor } = run(new Init());
    const crash = (await executor.initialize().catch((e: unknown) => e)) as ComponentCrash;
    expect(got).toEqual(['t', 3, 'bolt']);
    expect(crash.during).toBe('initialize');
  });
});
