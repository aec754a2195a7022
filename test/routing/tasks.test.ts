import { describe, expect, it } from 'vitest';
import { assignTasks, handshakeContext } from '../../core/common/routing/tasks.js';
import type { ComponentSpec, TopologySpec } from '../../core/common/topology/model.js';

function component(id: string, kind: 'spout' | 'bolt', parallelism: number, extra: Partial<ComponentSpec> = {}): ComponentSpec {
  return { id, kind, script: `${id}.ts`, parallelism, inputs: [], config: {}, ...extra };
}

/** The wordcount topology of examples/wordcount, with outputs filled in. */
const wordcount: TopologySpec = {
  name: 'wordcount',
  config: { 'topology.message.timeout.secs': 30 },
  components: [
    component('sentences', 'spout', 1, { outputs: { default: { fields: ['sentence'], direct: false } } }),
    component('split', 'bolt', 2, {
      inputs: [{ source: 'sentences', stream: 'default', grouping: { type: 'shuffle' } }],
      outputs: { default: { fields: ['word'], direct: false } },
    }),
    component('count', 'bolt', 2, {
      inputs: [{ source: 'split', stream: 'default', grouping: { type: 'fields', fields: ['word'] } }],
      outputs: { default: { fields: ['word', 'count'], direct: false } },
    }),
  ],
};

describe('assignTasks', () => {
  it('numbers tasks from 1 over components sorted by id, with one acker per worker', () => {
    const layout = assignTasks(wordcount);
    expect([...layout.taskToComponent]).toEqual([
      [1, '__acker'],
      [2, 'count'],
      [3, 'count'],
      [4, 'sentences'],
      [5, 'split'],
      [6, 'split'],
    ]);
    expect(layout.componentTasks.get('split')).toEqual([5, 6]);
    expect(layout.componentTasks.get('__system')).toEqual([]);
  });

  it('sorts ids in Java String order: upper case before __acker before lower case', () => {
    const spec: TopologySpec = { name: 't', config: {}, components: [component('alpha', 'spout', 1), component('Zulu', 'bolt', 1), component('_x', 'bolt', 1)] };
    expect([...assignTasks(spec).taskToComponent.values()]).toEqual(['Zulu', '__acker', '_x', 'alpha']);
  });

  it('uses tasks over parallelism, topology.tasks, the acker count and max task parallelism', () => {
    const spec: TopologySpec = {
      name: 't',
      config: { 'topology.acker.executors': 3, 'topology.max.task.parallelism': 4 },
      components: [component('a', 'spout', 1, { tasks: 2 }), component('b', 'bolt', 1, { config: { 'topology.tasks': 9 } }), component('c', 'bolt', 2)],
    };
    const layout = assignTasks(spec);
    expect(layout.componentTasks.get('__acker')).toEqual([1, 2, 3]);
    expect(layout.componentTasks.get('a')).toEqual([4, 5]);
    expect(layout.componentTasks.get('b')).toEqual([6, 7, 8, 9]);
    expect(layout.componentTasks.get('c')).toEqual([10, 11]);
    expect(assignTasks(spec, { ackers: 0 }).componentTasks.get('__acker')).toEqual([]);
    expect(assignTasks({ ...spec, config: { 'topology.workers': 2 } }).componentTasks.get('__acker')).toEqual([1, 2]);
  });

  it('adds event logger tasks only when topology.eventlogger.executors asks for them', () => {
    const spec: TopologySpec = { ...wordcount, config: { 'topology.eventlogger.executors': 1 } };
    const layout = assignTasks(spec);
    expect(layout.componentTasks.get('__eventlogger')).toEqual([2]);
    expect(layout.taskToComponent.size).toBe(7);
  });
});

describe('handshakeContext', () => {
  const layout = assignTasks(wordcount);

  it('describes a bolt as TopologyContext.toJSONString would', () => {
    const context = handshakeContext(wordcount, layout, 6);
    expect(context).toEqual({
      taskid: 6,
      componentid: 'split',
      'task->component': { '1': '__acker', '2': 'count', '3': 'count', '4': 'sentences', '5': 'split', '6': 'split' },
      streams: ['__ack_ack', '__ack_fail', '__ack_reset_timeout', '__metrics', '__system', 'default'],
      'stream->outputfields': {
        __ack_ack: ['id', 'ack-val'],
        __ack_fail: ['id'],
        __ack_reset_timeout: ['id'],
        __metrics: ['task-info', 'data-points'],
        __system: ['event'],
        default: ['word'],
      },
      'stream->target->grouping': {
        __ack_ack: { __acker: { type: 'FIELDS', fields: ['id'] } },
        __ack_fail: { __acker: { type: 'FIELDS', fields: ['id'] } },
        __ack_reset_timeout: { __acker: { type: 'FIELDS', fields: ['id'] } },
        default: { count: { type: 'FIELDS', fields: ['word'] } },
      },
      'source->stream->grouping': { sentences: { default: { type: 'SHUFFLE' } } },
      'source->stream->fields': {
        sentences: {
          __ack_init: ['id', 'init-val', 'spout-task'],
          __metrics: ['task-info', 'data-points'],
          __system: ['event'],
          default: ['sentence'],
        },
      },
    });
  });

  it('gives a spout its acker subscriptions and the acker init stream', () => {
    const context = handshakeContext(wordcount, layout, 4);
    expect(context['source->stream->grouping']).toEqual({
      __acker: { __ack_ack: { type: 'DIRECT' }, __ack_fail: { type: 'DIRECT' }, __ack_reset_timeout: { type: 'DIRECT' } },
    });
    expect(context['source->stream->fields']!['__acker']!['__ack_ack']).toEqual(['id', 'time-delta-ms']);
    expect(context['stream->target->grouping']).toEqual({
      __ack_init: { __acker: { type: 'FIELDS', fields: ['id'] } },
      default: { split: { type: 'SHUFFLE' } },
    });
  });

  it('writes a global grouping as FIELDS with no fields, and every other grouping by its thrift name', () => {
    const spec: TopologySpec = {
      name: 'g',
      config: {},
      components: [
        component('s', 'spout', 1, { outputs: { default: { fields: ['v'], direct: false }, d: { fields: ['v'], direct: true } } }),
        component('b', 'bolt', 1, {
          inputs: [
            { source: 's', stream: 'default', grouping: { type: 'global' } },
            { source: 's', stream: 'd', grouping: { type: 'direct' } },
          ],
        }),
        component('c', 'bolt', 1, {
          inputs: [
            { source: 's', stream: 'default', grouping: { type: 'local_or_shuffle' } },
            { source: 'b', stream: 'default', grouping: { type: 'none' } },
          ],
        }),
        component('e', 'bolt', 1, { inputs: [{ source: 's', stream: 'default', grouping: { type: 'all' } }] }),
      ],
    };
    const l = assignTasks(spec);
    const spout = handshakeContext(spec, l, l.componentTasks.get('s')![0]!);
    expect(spout['stream->target->grouping']!['default']).toEqual({
      b: { type: 'FIELDS', fields: [] },
      c: { type: 'LOCAL_OR_SHUFFLE' },
      e: { type: 'ALL' },
    });
    expect(spout['stream->target->grouping']!['d']).toEqual({ b: { type: 'DIRECT' } });
    const c = handshakeContext(spec, l, l.componentTasks.get('c')![0]!);
    expect(c['source->stream->grouping']!['b']).toEqual({ default: { type: 'NONE' } });
  });

  it('refuses a task id that does not exist', () => {
    expect(() => handshakeContext(wordcount, layout, 99)).toThrow(/task 99/);
  });
});
