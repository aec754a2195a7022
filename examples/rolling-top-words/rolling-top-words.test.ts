import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSimpleTopology, runTopology, type SpoutTupleInput } from 'squall/testing';
import { SlidingWindowCounter } from './lib/sliding-window.js';
import { formatRankings, Rankings, type Ranked } from './lib/rankings.js';
import LineSpout from './components/lines.js';
import SplitWordsBolt from './components/split-words.js';

const topologyFile = path.join(import.meta.dirname, 'topology.yaml');

/** Lines fed to the spout at a given virtual time. */
function linesAt(atMs: number, ...lines: string[]): SpoutTupleInput[] {
  return lines.map((line, i) => ({ values: [line], id: `${atMs}:${i}`, atMs }));
}

/** The total ranker's emits as [time, ranking] pairs. */
function totalRankings(result: Awaited<ReturnType<typeof runTopology>>): Array<[number, Ranked[]]> {
  return (result.emitted['total-ranker']?.['default'] ?? []).map((e) => [e.timeMs, e.values[0] as Ranked[]]);
}

describe('sliding window counter', () => {
  it('forgets counts once they are a whole window old', () => {
    const counter = new SlidingWindowCounter<string>(3);
    counter.increment('whale', 2);
    expect(counter.totalsThenAdvance()).toEqual(new Map([['whale', 2]]));
    counter.increment('sea');
    expect(counter.totalsThenAdvance()).toEqual(new Map([['whale', 2], ['sea', 1]]));
    expect(counter.totalsThenAdvance()).toEqual(new Map([['whale', 2], ['sea', 1]]));
    // Three advances later the first slot is cleared: whale reads 0 once, then is forgotten.
    expect(counter.totalsThenAdvance()).toEqual(new Map([['whale', 0], ['sea', 1]]));
    expect(counter.totalsThenAdvance()).toEqual(new Map([['sea', 0]]));
    expect(counter.totalsThenAdvance()).toEqual(new Map());
  });
});

describe('rankings', () => {
  it('keeps the top N, replaces counts, prunes zeros and formats the list', () => {
    const rankings = new Rankings(2);
    rankings.merge([
      { word: 'sea', count: 3 },
      { word: 'whale', count: 5 },
      { word: 'ship', count: 1 },
    ]);
    expect(rankings.top()).toEqual([
      { word: 'whale', count: 5 },
      { word: 'sea', count: 3 },
    ]);
    rankings.update('whale', 0);
    rankings.pruneZeroCounts();
    expect(rankings.top()).toEqual([{ word: 'sea', count: 3 }]);
    expect(formatRankings(rankings.top())).toBe('1. sea (3)');
  });
});

describe('split bolt', () => {
  it('drops stop words and short words, keeps content words in lower case', async () => {
    const { emitted } = await runSimpleTopology([[['Call me Ishmael. Some years ago, never mind how long']], SplitWordsBolt], { fields: ['line'] });
    expect(emitted[1]!.map((v) => v[0])).toEqual(['call', 'ishmael', 'years', 'ago', 'mind', 'long']);
  });
});

describe('rolling top words topology', () => {
  it('ranks the words of the current window, globally, every tick', async () => {
    const result = await runTopology(topologyFile, {
      spoutTuples: { lines: linesAt(0, 'whale whale whale sea', 'whale sea ship', 'harpoon whale') },
      config: { 'rankings.top.n': 3 },
      until: { timeMs: 8_000 },
      seed: 2,
    });
    const rankings = totalRankings(result);
    expect(rankings.map(([t]) => t)).toEqual([2000, 4000, 6000, 8000]);
    // Counters tick at 3 s, intermediate rankers at 4 s: from then on the total is complete.
    expect(rankings.at(-1)![1]).toEqual([
      { word: 'whale', count: 5 },
      { word: 'sea', count: 2 },
      { word: 'harpoon', count: 1 },
    ]);
    expect(result.acked['lines']).toHaveLength(3);
  });

  it('evicts words whose window has passed and logs the top words every tick', async () => {
    const result = await runTopology(topologyFile, {
      spoutTuples: { lines: [...linesAt(0, 'whale whale sea'), ...linesAt(10_000, 'island island ocean')] },
      until: { timeMs: 20_000 },
      seed: 5,
    });
    const rankings = new Map(totalRankings(result));
    expect(rankings.get(6_000)!.map((r) => r.word)).toEqual(['whale', 'sea']);
    // 9 s window, sliding every 3 s: the counters report t=0 words as 0 at their 12 s tick,
    // the intermediate rankers pass that on at 14 s, so the 16 s total no longer has them.
    expect(rankings.get(16_000)!.map((r) => r.word)).toEqual(['island', 'ocean']);
    expect(rankings.get(20_000)).toEqual([
      { word: 'island', count: 2 },
      { word: 'ocean', count: 1 },
    ]);
    const logged = result.logs.filter((l) => l.component === 'total-ranker' && l.message.startsWith('top words: '));
    expect(logged).toHaveLength(10);
    expect(logged.at(-1)!.message).toBe('top words: 1. island (2), 2. ocean (1)');
  });

  it('runs from the real line spout reading the bundled text', async () => {
    const result = await runTopology(topologyFile, {
      config: { 'lines.per.second': 0, 'lines.loop': false, 'rankings.top.n': 3 },
      until: { timeMs: 6_000 },
    });
    const last = totalRankings(result).at(-1)![1];
    // Chapter 1 of Moby-Dick, stop words removed: "sea" leads.
    expect(last.map((r) => r.word)).toContain('sea');
    expect(last).toHaveLength(3);
    expect(result.values('lines').length).toBeGreaterThan(150);
  });

  it('the line spout replays a line whose tree failed', async () => {
    const { run } = await runSimpleTopology([LineSpout], { config: { 'lines.per.second': 0, 'lines.loop': false }, maxSpoutCalls: 3 });
    expect(run.values('lineSpout')).toHaveLength(3);
    expect(run.acked['lineSpout']).toEqual(['0:0', '0:1', '0:2']);
  });
});
