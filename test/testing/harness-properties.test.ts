import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Bolt, Spout, type Tuple } from 'squall';
import { runTopology } from 'squall/testing';
import type { ComponentSpec, GroupingType, TopologySpec } from '../../core/common/topology/model.js';

/** Emits `spout.count` reliable tuples [i]. */
class CountingSpout extends Spout {
  static outputs = { default: ['n'] };
  private next = 0;
  nextTuple(): void {
    if (this.next < Number(this.conf['spout.count'])) this.emit([this.next], { id: this.next++ });
  }
}

/** Emits `fanout.<component>` copies of each input, anchored, then acks it. */
class FanoutBolt extends Bolt {
  static outputs = { default: ['n'] };
  process(tuple: Tuple): void {
    const copies = Number(this.conf[`fanout.${this.context.componentId}`]);
    for (let i = 0; i < copies; i++) this.emit([tuple.values[0]], { anchors: tuple });
    this.ack(tuple);
  }
}

const groupings: GroupingType[] = ['shuffle', 'fields', 'all', 'global', 'none', 'local_or_shuffle'];
const stage = fc.record({ grouping: fc.constantFrom(...groupings), parallelism: fc.integer({ min: 1, max: 3 }), fanout: fc.integer({ min: 0, max: 3 }) });

describe('runTopology over random chains', () => {
  it('acks every spout message exactly once and routes the expected number of tuples', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stage, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 6 }), fc.integer(), async (stages, count, seed) => {
        const components: ComponentSpec[] = [{ id: 'source', kind: 'spout', script: 'spout', parallelism: 1, inputs: [], config: {} }];
        const config: Record<string, unknown> = { 'spout.count': count };
        const classes: Record<string, typeof FanoutBolt | typeof CountingSpout> = { source: CountingSpout };
        stages.forEach((s, i) => {
          const id = `b${i}`;
          const grouping = s.grouping === 'fields' ? { type: s.grouping, fields: ['n'] } : { type: s.grouping };
          components.push({ id, kind: 'bolt', script: id, parallelism: s.parallelism, inputs: [{ source: components.at(-1)!.id, stream: 'default', grouping }], config: {} });
          config[`fanout.${id}`] = s.fanout;
          classes[id] = FanoutBolt;
        });
        const spec: TopologySpec = { name: 'random-chain', config, components };
        const result = await runTopology(spec, { components: classes, seed });

        expect([...result.acked['source']!].sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: count }, (_, i) => i));
        expect(result.failed['source']).toEqual([]);
        // Each stage receives (tuples in) × (tasks reached per tuple) and emits fanout per tuple.
        let tuples = count;
        stages.forEach((s, i) => {
          tuples *= s.grouping === 'all' ? s.parallelism : 1;
          tuples *= s.fanout;
          expect(result.values(`b${i}`)).toHaveLength(tuples);
        });
      }),
      { numRuns: 40 },
    );
  });
});
