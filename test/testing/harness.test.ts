import { describe, expect, it } from 'vitest';
import { BasicBolt, Bolt, Spout, type Tuple } from 'squall';
import { FakeClock, runSimpleTopology, runTopology } from 'squall/testing';
import type { ComponentSpec, Grouping, TopologySpec } from '../../core/common/topology/model.js';
import { SquallError } from '../../core/common/errors.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

class NumberSpout extends Spout {
  static outputs = { default: ['n'] };
  private next = 0;
  nextTuple(): void {
    if (this.next < 5) this.emit([this.next], { id: `n${this.next++}` });
  }
}

/** Passes tuples on, anchored, acking manually. */
class RelayBolt extends Bolt {
  static outputs = { default: ['n'] };
  process(tuple: Tuple): void {
    this.emit([tuple.values[0]], { anchors: tuple });
    this.ack(tuple);
  }
}

/** Acks nothing: every tree must time out. */
class BlackHoleBolt extends Bolt {
  process(): void {}
}

/** Fails odd numbers. */
class PickyBolt extends Bolt {
  process(tuple: Tuple): void {
    if ((tuple.values[0] as number) % 2 === 1) this.fail(tuple);
    else this.ack(tuple);
  }
}

/** Records its task id with every tuple. */
class WhereBolt extends BasicBolt {
  static outputs = { default: ['n', 'task'] };
  process(tuple: Tuple): void {
    this.emit([tuple.values[0], this.context.taskId]);
  }
}

/** Counts ticks (every 2 s) and says so. */
class TickCounterBolt extends Bolt {
  static outputs = { default: ['ticks', 'at'] };
  static config = { 'topology.tick.tuple.freq.secs': 2 };
  private ticks = 0;
  process(tuple: Tuple): void {
    this.ack(tuple);
  }
  override tick(tuple: Tuple): void {
    this.emit([++this.ticks, tuple.values[0]]);
  }
}

function spoutSpec(id: string, parallelism = 1): ComponentSpec {
  return { id, kind: 'spout', script: '', parallelism, inputs: [], config: {} };
}

function boltSpec(id: string, source: string, grouping: Grouping, parallelism = 1): ComponentSpec {
  return { id, kind: 'bolt', script: '', parallelism, inputs: [{ source, stream: 'default', grouping }], config: {} };
}

function topology(components: ComponentSpec[], config: Record<string, unknown> = {}): TopologySpec {
  return { name: 'harness-test', config, components };
}

describe('runTopology acking', () => {
  it('acks a spout message once its whole tuple tree is acked', async () => {
    const spec = topology([spoutSpec('numbers'), boltSpec('relay', 'numbers', { type: 'shuffle' }, 2), boltSpec('where', 'relay', { type: 'shuffle' }, 2)]);
    const result = await runTopology(spec, { components: { numbers: NumberSpout, relay: RelayBolt, where: WhereBolt } });
    expect(result.acked['numbers']!.sort()).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
    expect(result.stoppedBy).toBe('idle');
  });

  it('fails the spout message when a bolt fails a tuple of its tree', async () => {
    const spec = topology([spoutSpec('numbers'), boltSpec('relay', 'numbers', { type: 'shuffle' }), boltSpec('picky', 'relay', { type: 'all' })]);
    const result = await runTopology(spec, { components: { numbers: NumberSpout, relay: RelayBolt, picky: PickyBolt } });
    expect(result.failed['numbers']!.sort()).toEqual(['n1', 'n3']);
    expect(result.acked['numbers']!.sort()).toEqual(['n0', 'n2', 'n4']);
  });

  it('times out unacked trees between T and 2T of virtual time, and the spout is told', async () => {
    const spec = topology([spoutSpec('numbers'), boltSpec('hole', 'numbers', { type: 'shuffle' })], { 'topology.message.timeout.secs': 10 });
    const result = await runTopology(spec, { components: { numbers: NumberSpout, hole: BlackHoleBolt } });
    expect(result.failed['numbers']!.sort()).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
    expect(result.timeMs).toBeGreaterThanOrEqual(10_000);
    expect(result.timeMs).toBeLessThanOrEqual(20_000);
  });

  it('with no ackers, acks reliable emits at once', async () => {
    const spec = topology([spoutSpec('numbers'), boltSpec('hole', 'numbers', { type: 'shuffle' })]);
    const result = await runTopology(spec, { components: { numbers: NumberSpout, hole: BlackHoleBolt }, ackers: 0 });
    expect(result.acked['numbers']).toHaveLength(5);
    expect(result.timeMs).toBe(0);
  });

  it('honours topology.max.spout.pending', async () => {
    const spec = topology([spoutSpec('numbers'), boltSpec('hole', 'numbers', { type: 'shuffle' })], { 'topology.max.spout.pending': 2, 'topology.message.timeout.secs': 5 });
    const result = await runTopology(spec, { components: { numbers: NumberSpout, hole: BlackHoleBolt }, until: { timeMs: 4_000 } });
    expect(result.values('numbers')).toEqual([[0], [1]]);
  });
});

describe('runTopology conf', () => {
  it("gives a component the conf Storm's executor would: its own keys and component-level settings, not topology-wide ones", async () => {
    class ConfBolt extends BasicBolt {
      static outputs = { default: ['timeout', 'pending', 'mine'] };
      process(): void {
        this.emit([this.conf['topology.message.timeout.secs'], this.conf['topology.max.spout.pending'], this.conf['app.key']]);
      }
    }
    const conf = boltSpec('conf', 'numbers', { type: 'shuffle' });
    conf.config = { 'topology.message.timeout.secs': 1, 'topology.max.spout.pending': 7, 'app.key': 'v' };
    const spec = topology([spoutSpec('numbers'), conf], { 'topology.message.timeout.secs': 20 });
    const result = await runTopology(spec, { components: { numbers: NumberSpout, conf: ConfBolt } });
    expect(result.values('conf')[0]).toEqual([20, 7, 'v']);
  });
});

describe('runTopology routing and time', () => {
  it('routes with the topology’s groupings and Storm’s task ids', async () => {
    const spec = topology([
      spoutSpec('numbers'),
      boltSpec('everywhere', 'numbers', { type: 'all' }, 3),
      boltSpec('lowest', 'numbers', { type: 'global' }, 3),
    ]);
    const result = await runTopology(spec, { components: { numbers: NumberSpout, everywhere: WhereBolt, lowest: WhereBolt } });
    // Tasks: __acker 1, everywhere 2-4, lowest 5-7, numbers 8.
    expect(result.layout.componentTasks.get('everywhere')).toEqual([2, 3, 4]);
    expect(result.values('everywhere')).toHaveLength(15);
    expect(new Set(result.values('lowest').map((v) => v[1]))).toEqual(new Set([5]));
  });

  it('is deterministic for a seed, and the seed changes shuffle choices', async () => {
    const spec = topology([spoutSpec('numbers'), boltSpec('where', 'numbers', { type: 'shuffle' }, 4)]);
    const run = (seed: number) => runTopology(spec, { components: { numbers: NumberSpout, where: WhereBolt }, seed });
    const a = await run(5);
    expect((await run(5)).emitted).toEqual(a.emitted);
    const orders = new Set<string>();
    for (const seed of [1, 2, 3, 4, 6]) orders.add(JSON.stringify((await run(seed)).values('where')));
    expect(orders.size).toBeGreaterThan(1);
  });

  it('delivers tick tuples on the fake clock at the configured frequency', async () => {
    const clock = new FakeClock(0);
    const spec = topology([spoutSpec('numbers'), boltSpec('ticker', 'numbers', { type: 'shuffle' })]);
    const result = await runTopology(spec, { components: { numbers: NumberSpout, ticker: TickCounterBolt }, until: { timeMs: 9_000 }, clock });
    expect(result.values('ticker')).toEqual([
      [1, 2],
      [2, 2],
      [3, 2],
      [4, 2],
    ]);
    expect(result.emitted['ticker']!['default']!.map((e) => e.timeMs)).toEqual([2000, 4000, 6000, 8000]);
    expect(clock.now()).toBe(9_000);
  });

  it('feeds timed spout tuples when their time comes', async () => {
    const spec = topology([spoutSpec('numbers'), boltSpec('where', 'numbers', { type: 'shuffle' })]);
    const result = await runTopology(spec, {
      components: { numbers: NumberSpout, where: WhereBolt },
      spoutTuples: { numbers: [{ values: [10], atMs: 5_000 }, [11], { values: [12], reliable: false }] },
    });
    expect(result.emitted['where']!['default']!.map((e) => [e.values[0], e.timeMs])).toEqual([
      [10, 5000],
      [11, 5000],
      [12, 5000],
    ]);
    expect(result.acked['numbers']).toEqual([0, 1]);
  });

  it('answers needTaskIds with the tasks a tuple went to, and delivers direct emits', async () => {
    class DirectSpout extends Spout {
      static outputs = { default: ['n'], direct: { fields: ['n'], direct: true } };
      seen: number[][] = [];
      private done = false;
      async nextTuple(): Promise<void> {
        if (this.done) return;
        this.done = true;
        const targets = await this.emit([1], { needTaskIds: true });
        this.emit([targets.length], { stream: 'direct', directTask: this.context.componentTasks('sink').at(-1)! });
        this.emit([targets.length], { stream: 'direct', directTask: this.context.componentTasks('target')[1]! });
      }
    }
    const spec = topology([
      spoutSpec('direct'),
      boltSpec('sink', 'direct', { type: 'all' }, 2),
      { id: 'target', kind: 'bolt', script: '', parallelism: 2, config: {}, inputs: [{ source: 'direct', stream: 'direct', grouping: { type: 'direct' } }] },
    ]);
    const result = await runTopology(spec, { components: { direct: DirectSpout, sink: WhereBolt, target: WhereBolt } });
    // Tasks: __acker 1, direct 2, sink 3-4, target 5-6.
    expect(result.emitted['direct']!['default']![0]!.targets).toEqual([3, 4]);
    // A direct emit to a task of a component not subscribed to the stream is dropped, as in Storm.
    expect(result.emitted['direct']!['direct']!.map((e) => e.targets)).toEqual([[], [6]]);
    expect(result.emitted['target']!['default']!.map((e) => e.values)).toEqual([[2, 6]]);
  });
});

describe('runTopology errors', () => {
  it('rejects with the crash report when a component throws, unless allowCrash', async () => {
    class ThrowingBolt extends Bolt {
      process(tuple: Tuple): void {
        throw new Error(`cannot handle ${String(tuple.values[0])}`);
      }
    }
    const spec = topology([spoutSpec('numbers'), boltSpec('boom', 'numbers', { type: 'shuffle' })]);
    await expect(runTopology(spec, { components: { numbers: NumberSpout, boom: ThrowingBolt } })).rejects.toThrow(/cannot handle 0[\s\S]*values=\[0\]/);
    const result = await runTopology(spec, { components: { numbers: NumberSpout, boom: ThrowingBolt }, allowCrash: true });
    expect(result.stoppedBy).toBe('crash');
    expect(result.crashes[0]!.component).toBe('boom');
  });

  it('halts on an emit with the wrong number of values, naming component, stream, fields and values, as Storm would', async () => {
    class SloppyBolt extends BasicBolt {
      static outputs = { default: ['a', 'b'] };
      process(): void {
        this.emit([1]);
      }
    }
    const spec = topology([spoutSpec('numbers'), boltSpec('sloppy', 'numbers', { type: 'shuffle' })]);
    // A BasicBolt would only fail its tuple over an exception; a refused emit halts the worker in Storm.
    await expect(runTopology(spec, { components: { numbers: NumberSpout, sloppy: SloppyBolt } })).rejects.toThrow(/'sloppy' emitted 1 value on stream 'default', which declares 2 fields \(a, b\): \[1\]/);
    const result = await runTopology(spec, { components: { numbers: NumberSpout, sloppy: SloppyBolt }, allowCrash: true });
    expect(result.crashes).toHaveLength(1);
    expect(result.crashes[0]).toMatchObject({ component: 'sloppy' });
    expect(result.crashes[0]!.crash.report()).toMatch(/emit\(\) threw: EmitRefused: .*Tuple created with wrong number of fields\. Expected 2 fields but got 1 fields/);
  });

  it('halts on an emit on an undeclared stream, naming the declared ones', async () => {
    class StrayBolt extends BasicBolt {
      static outputs = { default: ['a', 'b'] };
      process(): void {
        this.emit([1, 2], { stream: 'other' });
      }
    }
    const spec = topology([spoutSpec('numbers'), boltSpec('stray', 'numbers', { type: 'shuffle' })]);
    await expect(runTopology(spec, { components: { numbers: NumberSpout, stray: StrayBolt } })).rejects.toThrow(/Unknown stream ID: 'stray' emitted on stream 'other', which it does not declare \(declared: 'default'\)/);
  });

  it("explains a class's `static outputs = { default: 'n' }` with the component and the declaration it needs", async () => {
    class StringOutputsBolt extends BasicBolt {
      process(): void {}
    }
    Object.assign(StringOutputsBolt, { outputs: { default: 'n' } });
    const spec = topology([spoutSpec('numbers'), boltSpec('relay', 'numbers', { type: 'shuffle' })]);
    const error = await runTopology(spec, { components: { numbers: NumberSpout, relay: StringOutputsBolt } }).then(
      () => undefined,
      (e: unknown) => e as SquallError,
    );
    expect(error).toBeInstanceOf(SquallError);
    expect(error!.message).toBe("`static outputs` of class StringOutputsBolt declares stream 'default' as the string 'n', not a list of field names");
    expect(error!.where.component).toBe('relay');
    expect(error!.hint).toMatch(/^write `static outputs = \{ default: \['n'\] \}`/);
  });

  it('names the spouts when spoutTuples names something else', async () => {
    const spec = topology([spoutSpec('numbers'), boltSpec('hole', 'numbers', { type: 'shuffle' })]);
    await expect(runTopology(spec, { components: { numbers: NumberSpout, hole: BlackHoleBolt }, spoutTuples: { hole: [[1]] } })).rejects.toThrow(SquallError);
  });
});

describe('runSimpleTopology', () => {
  it('runs a spout class through a chain, returning what each emitted', async () => {
    const { emitted, run } = await runSimpleTopology([NumberSpout, RelayBolt, WhereBolt]);
    expect(emitted[0]).toEqual([[0], [1], [2], [3], [4]]);
    expect(emitted[1]).toEqual(emitted[0]);
    expect(emitted[2]!.map((v) => v[0])).toEqual([0, 1, 2, 3, 4]);
    expect(run.acked['numberSpout']).toHaveLength(5);
  });

  it('stops an endless spout after maxSpoutCalls calls', async () => {
    class EndlessSpout extends Spout {
      static outputs = { default: ['n'] };
      private n = 0;
      nextTuple(): void {
        this.emit([this.n++]);
      }
    }
    const { emitted } = await runSimpleTopology([EndlessSpout, RelayBolt], { maxSpoutCalls: 7 });
    expect(emitted[1]).toHaveLength(7);
  });

  it('gives the same class used twice, even with a $ in its name, distinct valid component ids', async () => {
    const Relay$Bolt = class extends RelayBolt {};
    Object.defineProperty(Relay$Bolt, 'name', { value: 'Relay$Bolt' });
    const { emitted, run } = await runSimpleTopology([[[1], [2]], Relay$Bolt, Relay$Bolt]);
    expect(emitted[2]).toEqual([[1], [2]]);
    expect(Object.keys(run.emitted)).toEqual(['input', 'relay_Bolt', 'relay_Bolt2']);
  });
});

describe('runTopology without message timeouts', () => {
  it('stops when only never-acked trees remain, instead of waiting forever', async () => {
    const spec = topology([spoutSpec('numbers'), boltSpec('hole', 'numbers', { type: 'shuffle' })], { 'topology.enable.message.timeouts': false });
    const result = await runTopology(spec, { components: { numbers: NumberSpout, hole: BlackHoleBolt } });
    expect(result.stoppedBy).toBe('idle');
    expect(result.failed['numbers']).toEqual([]);
    expect(result.acked['numbers']).toEqual([]);
  });
});

describe('runTopology with a component that cannot be built', () => {
  it('turns a throwing constructor into a crash of that component, not a raw exception', async () => {
    class BrokenBolt extends Bolt {
      private readonly table = JSON.parse('{not json') as Record<string, unknown>;
      process(tuple: Tuple): void {
        this.emit([this.table[String(tuple.values[0])]]);
      }
    }
    const spec = topology([spoutSpec('numbers'), boltSpec('broken', 'numbers', { type: 'shuffle' })]);
    const rejection = await runTopology(spec, { components: { numbers: NumberSpout, broken: BrokenBolt } }).catch((error: unknown) => error);
    expect(rejection).toBeInstanceOf(SquallError);
    expect((rejection as SquallError).where.component).toBe('broken');
    expect((rejection as SquallError).message).toMatch(/constructor\(\) threw: SyntaxError/);
    const result = await runTopology(spec, { components: { numbers: NumberSpout, broken: BrokenBolt }, allowCrash: true });
    expect(result.stoppedBy).toBe('crash');
    expect(result.crashes.map((c) => [c.component, c.crash.during])).toEqual([['broken', 'constructor']]);
  });

  it('names the component and its module when the module throws while it is imported', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'squall-harness-import-'));
    try {
      await writeFile(path.join(dir, 'topology.yaml'), 'name: broken\nspouts:\n  numbers:\n    script: numbers.ts\n');
      await writeFile(path.join(dir, 'numbers.ts'), "throw new Error('NUMBERS_URL is not set');\n");
      const rejection = await runTopology(path.join(dir, 'topology.yaml')).catch((error: unknown) => error);
      expect(rejection).toBeInstanceOf(SquallError);
      expect(rejection).toMatchObject({ kind: 'component', where: { component: 'numbers', file: path.join(dir, 'numbers.ts') } });
      expect((rejection as SquallError).message).toMatch(/NUMBERS_URL is not set/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
