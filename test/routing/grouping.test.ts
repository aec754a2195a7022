import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRouter } from '../../core/common/routing/grouping.js';
import { createStreamRouter, streamSubscriptions } from '../../core/common/routing/stream-router.js';
import { assignTasks } from '../../core/common/routing/tasks.js';
import type { TopologySpec } from '../../core/common/topology/model.js';
import { SquallError } from '../../core/common/errors.js';

const tasks = fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 12 });

describe('fields grouping', () => {
  it('sends equal keys to the same task', () => {
    fc.assert(
      fc.property(tasks, fc.jsonValue(), fc.integer(), (targets, key, other) => {
        const router = createRouter({ type: 'fields', fields: ['key'] }, targets, ['key', 'other']);
        const first = router([key, other]);
        expect(first).toHaveLength(1);
        expect(targets).toContain(first[0]);
        expect(router([key, other + 1])).toEqual(first);
      }),
    );
  });

  it('picks the task at Storm’s index in the ascending task list', () => {
    // List.hashCode(["hello"]) = 99162353; floorMod(…, 4) = 1 → second-lowest task.
    const router = createRouter({ type: 'fields', fields: ['word'] }, [9, 3, 7, 5], ['word']);
    expect(router(['hello'])).toEqual([5]);
    // Selected in grouping order, not stream order: ["user-42", 7] → index 3 of 5.
    const byTwo = createRouter({ type: 'fields', fields: ['user', 'n'] }, [1, 2, 3, 4, 5], ['n', 'user']);
    expect(byTwo([7, 'user-42'])).toEqual([4]);
  });

  it('refuses a grouping field the stream does not declare', () => {
    expect(() => createRouter({ type: 'fields', fields: ['nope'] }, [1], ['word'])).toThrow(SquallError);
  });
});

describe('shuffle grouping', () => {
  it('is a round-robin over a shuffled list: each window of n emits hits every task once', () => {
    fc.assert(
      fc.property(tasks, fc.integer(), (targets, seed) => {
        const router = createRouter({ type: 'shuffle' }, targets, [], { seed });
        for (let round = 0; round < 3; round++) {
          const window = Array.from({ length: targets.length }, () => router([])[0]);
          expect([...window].sort((a, b) => a! - b!)).toEqual([...targets].sort((a, b) => a - b));
        }
      }),
    );
  });

  it('is deterministic for a seed', () => {
    fc.assert(
      fc.property(tasks, fc.integer(), (targets, seed) => {
        const a = createRouter({ type: 'shuffle' }, targets, [], { seed });
        const b = createRouter({ type: 'shuffle' }, targets, [], { seed });
        for (let i = 0; i < 20; i++) expect(a([i])).toEqual(b([i]));
      }),
    );
  });
});

describe('other groupings', () => {
  it('all grouping sends to every task', () => {
    fc.assert(
      fc.property(tasks, (targets) => {
        expect(createRouter({ type: 'all' }, targets, [])(['x'])).toEqual([...targets].sort((a, b) => a - b));
      }),
    );
  });

  it('global grouping sends to the lowest task id', () => {
    fc.assert(
      fc.property(tasks, fc.jsonValue(), (targets, value) => {
        expect(createRouter({ type: 'global' }, targets, ['v'])([value])).toEqual([Math.min(...targets)]);
      }),
    );
  });

  it('none grouping picks one random task per tuple, reproducibly for a seed', () => {
    fc.assert(
      fc.property(tasks, fc.integer(), (targets, seed) => {
        const a = createRouter({ type: 'none' }, targets, [], { seed });
        const b = createRouter({ type: 'none' }, targets, [], { seed });
        for (let i = 0; i < 10; i++) {
          const chosen = a([]);
          expect(chosen).toHaveLength(1);
          expect(targets).toContain(chosen[0]);
          expect(b([])).toEqual(chosen);
        }
      }),
    );
  });

  it('local_or_shuffle prefers tasks in the emitting worker, else all of them', () => {
    const local = createRouter({ type: 'local_or_shuffle' }, [1, 2, 3, 4], [], { seed: 1, sourceTaskLocal: (t) => t % 2 === 0 });
    const seen = new Set(Array.from({ length: 20 }, () => local([])[0]));
    expect([...seen].sort()).toEqual([2, 4]);
    const remote = createRouter({ type: 'local_or_shuffle' }, [1, 2, 3], [], { seed: 1, sourceTaskLocal: () => false });
    expect(new Set(Array.from({ length: 9 }, () => remote([])[0])).size).toBe(3);
  });

  it('direct grouping delivers only to the named task of the component', () => {
    const router = createRouter({ type: 'direct' }, [4, 5], []);
    expect(router(['x'], 5)).toEqual([5]);
    expect(router(['x'], 9)).toEqual([]);
    expect(() => router(['x'])).toThrow(/regular emit to a direct stream/);
  });

  it('an empty target list routes nowhere', () => {
    for (const type of ['shuffle', 'all', 'global', 'none', 'local_or_shuffle'] as const) {
      expect(createRouter({ type }, [], [])(['x'])).toEqual([]);
    }
    expect(createRouter({ type: 'fields', fields: ['a'] }, [], ['a'])(['x'])).toEqual([]);
  });
});

describe('stream router (Task.getOutgoingTasks rules)', () => {
  const taskToComponent = new Map([
    [1, 'counter'],
    [2, 'counter'],
    [3, 'logger'],
    [4, 'other'],
  ]);

  it('a regular emit goes through every subscription', () => {
    const route = createStreamRouter(
      [
        { component: 'counter', grouping: { type: 'fields', fields: ['word'] }, tasks: [1, 2] },
        { component: 'logger', grouping: { type: 'all' }, tasks: [3] },
      ],
      ['word'],
      { taskToComponent, seed: 7 },
    );
    const targets = route(['hello']);
    expect(targets).toEqual([2, 3]); // index 1 of [1, 2] for "hello", plus the logger
  });

  it('a direct emit to a component that does not subscribe is dropped; to a regular subscriber it is refused', () => {
    const route = createStreamRouter(
      [
        { component: 'counter', grouping: { type: 'direct' }, tasks: [1, 2] },
        { component: 'logger', grouping: { type: 'shuffle' }, tasks: [3] },
      ],
      ['word'],
      { taskToComponent },
    );
    expect(route(['w'], 2)).toEqual([2]);
    expect(route(['w'], 4)).toEqual([]);
    expect(() => route(['w'], 3)).toThrow(/cannot emit directly/);
    expect(() => route(['w'])).toThrow(/regular emit to a direct stream/);
  });
});

describe('stream subscriptions', () => {
  it('lists every consumer of one (source, stream) with its grouping and task ids, and nothing else', () => {
    const spec: TopologySpec = {
      name: 'subscriptions',
      config: {},
      components: [
        { id: 'words', kind: 'spout', script: 'w.ts', parallelism: 1, inputs: [], config: {} },
        { id: 'count', kind: 'bolt', script: 'c.ts', parallelism: 2, inputs: [{ source: 'words', stream: 'default', grouping: { type: 'fields', fields: ['word'] } }], config: {} },
        { id: 'audit', kind: 'bolt', script: 'a.ts', parallelism: 1, inputs: [{ source: 'words', stream: 'rejects', grouping: { type: 'global' } }, { source: 'words', stream: 'default', grouping: { type: 'all' } }], config: {} },
      ],
    };
    const layout = assignTasks(spec);
    expect(streamSubscriptions(spec, layout, 'words', 'default')).toEqual([
      { component: 'count', grouping: { type: 'fields', fields: ['word'] }, tasks: layout.componentTasks.get('count') },
      { component: 'audit', grouping: { type: 'all' }, tasks: layout.componentTasks.get('audit') },
    ]);
    expect(streamSubscriptions(spec, layout, 'words', 'rejects').map((s) => s.component)).toEqual(['audit']);
    expect(streamSubscriptions(spec, layout, 'count', 'default')).toEqual([]);
  });
});
