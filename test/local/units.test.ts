import { describe, expect, it, vi } from 'vitest';
import { LatencyHistogram } from '../../core/common/stats/histogram.js';
import { TaskCounters, componentFigures, summaryLine } from '../../core/common/stats/figures.js';
import { mergedConf, parseOverride, taskSettings, topologySettings } from '../../core/local/config.js';
import { RestartPolicy } from '../../core/local/restart-policy.js';
import { TupleTrees } from '../../core/local/tuple-trees.js';
import { RunEvents } from '../../core/local/run-events.js';
import type { InFlight } from '../../core/local/bolt-task.js';

describe('LatencyHistogram', () => {
  it('reports percentiles within bucket precision and the exact max', () => {
    const h = new LatencyHistogram();
    for (let v = 1; v <= 10_000; v++) h.record(v);
    expect(h.count).toBe(10_000);
    expect(h.max).toBe(10_000);
    for (const [q, exact] of [[0.5, 5000], [0.95, 9500], [0.99, 9900]] as const) {
      expect(Math.abs(h.percentile(q) - exact) / exact).toBeLessThan(1 / 64 + 1e-9);
    }
    expect(h.summary()).toMatchObject({ count: 10_000, maxMs: 10 });
  });

  it('is exact below 64 µs, merges, and clamps huge values into the top bucket', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    a.record(3);
    b.record(40);
    b.record(5e12);
    a.merge(b);
    expect(a.count).toBe(3);
    expect(a.percentile(0.01)).toBe(3);
    expect(a.percentile(0.5)).toBe(40);
    expect(a.percentile(1)).toBeGreaterThan(2e9);
    a.reset();
    expect(a.summary()).toEqual({ count: 0, meanMs: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, maxMs: 0 });
  });
});

describe('figures', () => {
  it('sums task counters per component, merges histograms and takes the busiest capacity', () => {
    const one = new TaskCounters('split', 'bolt', 5, 0);
    const two = new TaskCounters('split', 'bolt', 6, 0);
    one.acked = 3;
    two.acked = 4;
    one.processLatency.record(1000);
    two.processLatency.record(3000);
    one.markBusy(0);
    one.markIdle(500);
    expect(one.rollCapacity(1000)).toBe(0.5);
    expect(two.rollCapacity(1000)).toBe(0);
    const figures = componentFigures('split', 'bolt', [one, two]);
    expect(figures).toMatchObject({ tasks: 2, acked: 7, capacity: 0.5 });
    expect(figures.processLatency).toMatchObject({ count: 2, maxMs: 3 });
    expect(summaryLine({ topology: 't', mode: 'multiprocess', uptimeMs: 2000, components: [figures], tasks: [] })).toContain('split: executed 0');
  });
});

describe('config', () => {
  it('types -o overrides like Storm does: numbers, booleans, null, JSON, else strings', () => {
    expect(parseOverride('topology.max.spout.pending=500')).toEqual(['topology.max.spout.pending', 500]);
    expect(parseOverride('topology.debug=true')).toEqual(['topology.debug', true]);
    expect(parseOverride('a=null')).toEqual(['a', null]);
    expect(parseOverride('topology.environment={"A":"1"}')).toEqual(['topology.environment', { A: '1' }]);
    expect(parseOverride('name=x=y')).toEqual(['name', 'x=y']);
    // As Storm's `-c`: not JSON → the text itself, so no octal or hex surprises.
    expect(parseOverride('id=007')).toEqual(['id', '007']);
    expect(parseOverride('mask=0x10')).toEqual(['mask', '0x10']);
    expect(parseOverride('ratio=0.5')).toEqual(['ratio', 0.5]);
    expect(() => parseOverride('novalue')).toThrow(/key=value/);
  });

  it('reads Storm defaults and strips topology.subprocess.timeout.secs from component conf', () => {
    expect(topologySettings({})).toMatchObject({ messageTimeoutMs: 30_000, subprocessTimeoutMs: 30_000, ackers: 1 });
    expect(topologySettings({ 'supervisor.worker.timeout.secs': 5 }).subprocessTimeoutMs).toBe(5000);
    expect(topologySettings({ 'topology.message.timeout.secs': 5, 'topology.enable.message.timeouts': false }).messageTimeoutMs).toBe(0);
    expect(taskSettings({}, {})).toEqual({ maxPending: 100, maxSpoutPending: undefined, tickSecs: undefined });
    expect(taskSettings({ 'topology.max.spout.pending': 10 }, { 'topology.tick.tuple.freq.secs': 2 })).toMatchObject({ maxSpoutPending: 10, tickSecs: 2 });
    expect(mergedConf({ a: 1, 'topology.subprocess.timeout.secs': 3 }, { a: 2, 'topology.subprocess.timeout.secs': 9 })).toEqual({ a: 2, 'topology.subprocess.timeout.secs': 3 });
  });

  it("keeps only Storm's component-level settings from a component's conf (Executor.normalizedComponentConf)", () => {
    const topology = { 'topology.message.timeout.secs': 30, 'topology.max.spout.pending': 100, 'app.rate': 1 };
    const component = {
      // Storm settings a component may change: kept.
      'topology.max.spout.pending': 5,
      'topology.tick.tuple.freq.secs': 2,
      'topology.debug': true,
      'topology.bolts.window.length.count': 10,
      // Storm settings it may not: dropped, the topology's value (or none) stays.
      'topology.message.timeout.secs': 3,
      'topology.shellbolt.max.pending': 1,
      'topology.acker.executors': 0,
      'topology.environment': { A: '1' },
      'storm.zookeeper.port': 1234,
      'supervisor.worker.timeout.secs': 1,
      // Names Storm does not define are the component's own: kept.
      'app.rate': 9,
      'topology.my.own.key': 'x',
    };
    expect(mergedConf(topology, component)).toEqual({
      'topology.message.timeout.secs': 30,
      'topology.max.spout.pending': 5,
      'topology.tick.tuple.freq.secs': 2,
      'topology.debug': true,
      'topology.bolts.window.length.count': 10,
      'app.rate': 9,
      'topology.my.own.key': 'x',
    });
    expect(taskSettings(mergedConf({}, { 'topology.shellbolt.max.pending': 1 }), {}).maxPending).toBe(100);
  });
});

describe('RestartPolicy', () => {
  it('backs off exponentially and calls a crash loop after N crashes in the window', () => {
    const policy = new RestartPolicy({ initialDelayMs: 100, maxDelayMs: 300, crashLoopCrashes: 4, windowMs: 1000 });
    expect(policy.crashed(0)).toEqual({ action: 'restart', delayMs: 100, attempt: 1 });
    expect(policy.crashed(10)).toEqual({ action: 'restart', delayMs: 200, attempt: 2 });
    expect(policy.crashed(20)).toEqual({ action: 'restart', delayMs: 300, attempt: 3 });
    expect(policy.crashed(30)).toEqual({ action: 'give-up', crashes: 4, windowMs: 1000 });
    // Crashes older than the window are forgotten.
    expect(new RestartPolicy({ initialDelayMs: 1, maxDelayMs: 1, crashLoopCrashes: 2, windowMs: 10 }).crashed(0).action).toBe('restart');
  });
});

describe('TupleTrees (executor side of the XOR acker)', () => {
  const base = { component: 'spout', stream: 'default', sourceTask: 1, values: ['x'] };
  const inFlight = (tuple: InFlight['tuple']): InFlight => ({ tuple, outXor: 0n, receivedAt: 0, tick: false });

  it('completes a tree when every edge is acked, through an anchored emit to two targets', () => {
    const trees = new TupleTrees({ acking: true, timeoutMs: 30_000, seed: 1 });
    const { tuples } = trees.spoutEmit({ spoutTask: 1, messageId: 'm1', startedAt: 0 }, [2], base, 0);
    const split = inFlight(tuples[0]!);
    const children = [trees.anchoredTuple([split], base), trees.anchoredTuple([split], base)];
    expect(trees.ack(split, 1)).toEqual([]);
    expect(trees.ack(inFlight(children[0]!), 2)).toEqual([]);
    expect(trees.ack(inFlight(children[1]!), 3)).toEqual([expect.objectContaining({ messageId: 'm1', outcome: 'acked' })]);
    expect(trees.size).toBe(0);
  });

  it('completes at once with no targets, fails on a bolt fail, and times out', () => {
    const trees = new TupleTrees({ acking: true, timeoutMs: 1000, seed: 2 });
    expect(trees.spoutEmit({ spoutTask: 1, messageId: 'none', startedAt: 0 }, [], base, 0).settled).toMatchObject({ outcome: 'acked' });
    const { tuples } = trees.spoutEmit({ spoutTask: 1, messageId: 'f', startedAt: 0 }, [2], base, 0);
    expect(trees.fail(inFlight(tuples[0]!), 1)).toEqual([expect.objectContaining({ messageId: 'f', outcome: 'failed' })]);
    trees.spoutEmit({ spoutTask: 1, messageId: 't', startedAt: 0 }, [2], base, 0);
    trees.expire(0);
    expect(trees.expire(1000)).toEqual([]);
    expect(trees.expire(2000)).toEqual([expect.objectContaining({ messageId: 't', outcome: 'timeout' })]);
  });

  it('never times a tree out when timeouts are disabled (message timeout 0)', () => {
    const trees = new TupleTrees({ acking: true, timeoutMs: 0, seed: 3 });
    trees.spoutEmit({ spoutTask: 1, messageId: 'kept', startedAt: 0 }, [2], base, 0);
    for (const now of [0, 60_000, 3_600_000]) expect(trees.expire(now)).toEqual([]);
    expect(trees.size).toBe(1);
  });

  it('with no ackers settles a reliable emit as acked at once and tracks nothing', () => {
    const trees = new TupleTrees({ acking: false, timeoutMs: 1000, seed: 4 });
    const { tuples, settled } = trees.spoutEmit({ spoutTask: 1, messageId: 'quick', startedAt: 0 }, [2, 3], base, 0);
    expect(settled).toMatchObject({ messageId: 'quick', outcome: 'acked' });
    expect(tuples).toEqual([base, base]);
    expect(trees.size).toBe(0);
    expect(trees.pendingOf(1)).toBe(0);
  });

  it("counts a spout task's open trees, and after its process dies drops what settles for the old process", () => {
    const trees = new TupleTrees({ acking: true, timeoutMs: 1000, seed: 5 });
    const old = trees.spoutEmit({ spoutTask: 1, messageId: 'old', startedAt: 0 }, [2], base, 0).tuples[0]!;
    expect(trees.pendingOf(1)).toBe(1);
    trees.abandon(1);
    expect(trees.pendingOf(1)).toBe(0);
    const fresh = trees.spoutEmit({ spoutTask: 1, messageId: 'new', startedAt: 0 }, [2], base, 0).tuples[0]!;
    expect(trees.ack(inFlight(old), 1)).toEqual([]);
    expect(trees.pendingOf(1)).toBe(1);
    expect(trees.ack(inFlight(fresh), 2)).toEqual([expect.objectContaining({ messageId: 'new', outcome: 'acked' })]);
    expect(trees.pendingOf(1)).toBe(0);
  });

  it('leaves untracked tuples untracked (no anchors with roots)', () => {
    const trees = new TupleTrees({ acking: true, timeoutMs: 1000 });
    expect(trees.anchoredTuple([inFlight(base)], base)).toBe(base);
    expect(trees.ack(inFlight(base), 0)).toEqual([]);
  });
});

describe('RunEvents', () => {
  it('delivers per kind and to onEvent, reports a throwing listener as a problem, and unsubscribes', () => {
    const events = new RunEvents();
    const seen: string[] = [];
    const problems: string[] = [];
    events.onProblem((p) => problems.push(`${p.kind}: ${p.message}`));
    events.onLog(() => {
      throw new Error('broken consumer');
    });
    const sub = events.onLog((e) => seen.push(e.text));
    events.onEvent((e) => seen.push(e.type));
    events.log({ component: 'c', task: 1, level: 'info', text: 'hello', time: 0 });
    sub.dispose();
    events.log({ component: 'c', task: 1, level: 'info', text: 'again', time: 0 });
    expect(seen).toEqual(['problem', 'hello', 'log', 'problem', 'log']);
    expect(problems).toEqual(["listener: a listener of the run's 'log' events threw: broken consumer", "listener: a listener of the run's 'log' events threw: broken consumer"]);
  });

  it('a problem listener that throws goes to stderr instead of looping', () => {
    const events = new RunEvents();
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      events.onProblem(() => {
        throw new Error('broken problem consumer');
      });
      events.problem({ kind: 'reported', severity: 'error', message: 'x', where: {}, time: 0 });
      expect(stderr.mock.calls.map(([t]) => String(t)).join('')).toContain("a listener of the run's 'problem' events threw: broken problem consumer");
    } finally {
      stderr.mockRestore();
    }
  });
});
