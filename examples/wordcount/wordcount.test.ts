import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSimpleTopology, runTopology } from 'squall/testing';
import SplitSentenceBolt from './components/split.js';
import WordCountBolt from './components/count.js';

const topologyFile = path.join(import.meta.dirname, 'topology.yaml');
const sentences = ['the cow jumped over the moon', 'the man went to the store', 'four score and seven years ago'];

/** Final count of each word: the last count each word's task emitted. */
function finalCounts(emitted: unknown[][]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [word, count] of emitted as Array<[string, number]>) counts.set(word, Math.max(count, counts.get(word) ?? 0));
  return counts;
}

describe('wordcount example', () => {
  it('counts every word of a fixed input, through the real topology file', async () => {
    const result = await runTopology(topologyFile, { spoutTuples: { sentences: sentences.map((s) => [s]) }, seed: 7 });
    const counts = finalCounts(result.values('count'));
    expect(counts.get('the')).toBe(4);
    expect(counts.get('cow')).toBe(1);
    expect(counts.get('seven')).toBe(1);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(sentences.join(' ').split(' ').length);
    // Every sentence's tuple tree completed: the spout saw each message id acked.
    expect([...result.acked['sentences']!].sort()).toEqual([0, 1, 2]);
    expect(result.failed['sentences']).toEqual([]);
  });

  it('sends each word to one count task only (fields grouping on word)', async () => {
    const result = await runTopology(topologyFile, { spoutTuples: { sentences: sentences.map((s) => [s]) }, seed: 3 });
    const countTasks = new Map<string, Set<number>>();
    for (const emit of result.emitted['split']!['default']!) {
      const word = emit.values[0] as string;
      for (const task of emit.targets) (countTasks.get(word) ?? countTasks.set(word, new Set()).get(word)!).add(task);
    }
    for (const tasks of countTasks.values()) expect(tasks.size).toBe(1);
    expect(new Set([...countTasks.values()].flatMap((t) => [...t]))).toEqual(new Set(result.layout.componentTasks.get('count')));
  });

  it("logs each count task's most frequent words (every wordcount.report.secs)", async () => {
    const result = await runTopology(topologyFile, { spoutTuples: { sentences: sentences.map((s) => [s]) }, config: { 'wordcount.report.secs': 0 }, seed: 7 });
    const lines = result.logs.filter((l) => l.component === 'count' && l.message.startsWith('top '));
    // With a period of 0, a report follows every counted word.
    expect(lines).toHaveLength(sentences.join(' ').split(' ').length);
    expect(lines.some((l) => /: the 4,/.test(l.message))).toBe(true);
  });

  it('gives the same run for the same seed', async () => {
    const run = (seed: number) => runTopology(topologyFile, { spoutTuples: { sentences: sentences.map((s) => [s]) }, seed });
    const [a, b] = [await run(11), await run(11)];
    expect(a.emitted).toEqual(b.emitted);
  });

  it('splits and counts a chain of bolts with runSimpleTopology', async () => {
    const { emitted } = await runSimpleTopology([[['a b a'], ['b a']], SplitSentenceBolt, WordCountBolt], { fields: ['sentence'] });
    expect(emitted[1]).toEqual([['a'], ['b'], ['a'], ['b'], ['a']]);
    expect(finalCounts(emitted[2]!)).toEqual(new Map([['a', 3], ['b', 2]]));
  });
});
