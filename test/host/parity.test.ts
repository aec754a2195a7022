/**
 * One host core: the same topology and seed give the same tuples to the same tasks, and the
 * same acks, in the test harness, in `--in-process` and in multiprocess local mode; and what
 * Storm refuses is refused in all three.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RoutedEmit } from '../../core/common/run/run-types.js';
import { LocalRun } from '../../core/local/run.js';
import { loadTopologyFile } from '../../core/project/load.js';
import { runTopology } from '../../core/testing/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const WORDCOUNT = path.join(ROOT, 'examples/wordcount/topology.yaml');
const ROLLING = path.join(ROOT, 'examples/rolling-top-words/topology.yaml');
const ARITY = path.join(import.meta.dirname, 'fixtures/arity.yaml');

/** What each task received (source component, stream, values), as sorted text, and the acked ids per spout. */
interface Outcome {
  received: Record<number, string[]>;
  acked: Record<string, string[]>;
}

function outcome(emits: Array<Pick<RoutedEmit, 'component' | 'stream' | 'values' | 'targets'>>, acked: Record<string, unknown[]>, only?: Set<string>): Outcome {
  const received: Record<number, string[]> = {};
  for (const emit of emits) {
    if (only && !only.has(emit.component)) continue;
    for (const target of emit.targets) (received[target] ??= []).push(JSON.stringify([emit.component, emit.stream, emit.values]));
  }
  for (const list of Object.values(received)) list.sort();
  const sortedAcks = Object.fromEntries(Object.entries(acked).map(([spout, ids]) => [spout, ids.map(String).sort()]));
  return { received, acked: sortedAcks };
}

async function harness(file: string, seed: number, config: Record<string, unknown>, only?: Set<string>): Promise<Outcome> {
  const result = await runTopology(file, { seed, config });
  const emits = Object.entries(result.emitted).flatMap(([component, streams]) => Object.entries(streams).flatMap(([stream, list]) => list.map((e) => ({ component, stream, values: e.values, targets: e.targets }))));
  return outcome(emits, result.acked, only);
}

const running: LocalRun[] = [];
afterEach(async () => {
  for (const run of running.splice(0)) await run.stop();
});

async function local(file: string, seed: number, config: Record<string, unknown>, inProcess: boolean, expectedAcks: number, only?: Set<string>): Promise<Outcome> {
  const emits: RoutedEmit[] = [];
  const acked: Record<string, unknown[]> = {};
  const spec = await loadTopologyFile(file);
  const run = new LocalRun(spec, {
    seed,
    overrides: config,
    inProcess,
    tap: {
      emitted: (emit) => emits.push(emit),
      settled: (tree) => {
        if (tree.outcome === 'acked') (acked[tree.component] ??= []).push(tree.messageId);
      },
    },
  });
  running.push(run);
  const finished = new Promise<void>((resolve) => {
    run.onStats(() => {
      const count = Object.values(acked).reduce((n, ids) => n + ids.length, 0);
      if (count >= expectedAcks && run.snapshot().openTrees === 0) resolve();
    });
  });
  await run.start();
  await finished;
  await run.stop();
  return outcome(emits, acked, only);
}

describe('one host core across the harness, --in-process and multiprocess', () => {
  it('word count: the same seed gives every task the same tuples and every spout the same acks', async () => {
    const config = { 'wordcount.sentences.limit': 300, 'wordcount.report.secs': 3600 };
    const expected = await harness(WORDCOUNT, 11, config);
    expect(expected.acked['sentences']).toHaveLength(300);
    // Both split tasks got sentences (the seeded shuffle spreads them) and both count tasks got words.
    expect(Object.keys(expected.received)).toHaveLength(4);
    expect(await local(WORDCOUNT, 11, config, true, 300)).toEqual(expected);
    expect(await local(WORDCOUNT, 11, config, false, 300)).toEqual(expected);
    // Another seed routes differently: the comparison above is not comparing constants.
    expect((await harness(WORDCOUNT, 12, config)).received).not.toEqual(expected.received);
  }, 120_000);

  it('rolling top words: the same tuples reach lines, split and counter tasks, and the same lines are acked', async () => {
    // The rankers only hear from the counters on ticks, which follow the clock (virtual in the
    // harness, real locally): compare what does not depend on time.
    const untimed = new Set(['lines', 'split']);
    // An absolute sample path: in-process tasks share the engine's working directory.
    const config = { 'lines.loop': false, 'lines.per.second': 0, 'lines.file': path.join(ROOT, 'examples/rolling-top-words/data/loomings.txt') };
    const expected = await harness(ROLLING, 5, config, untimed);
    const lines = expected.acked['lines']!.length;
    expect(lines).toBeGreaterThan(50);
    expect(await local(ROLLING, 5, config, true, lines, untimed)).toEqual(expected);
    expect(await local(ROLLING, 5, config, false, lines, untimed)).toEqual(expected);
  }, 120_000);
});

describe('an emit whose value count differs from the declared fields', () => {
  const refused = /'sentences' emitted 0 values on stream 'default', which declares 1 field \(sentence\): \[\]/;

  it('harness: the run halts with the component, stream, fields and values named', async () => {
    await expect(runTopology(ARITY)).rejects.toThrow(refused);
  });

  for (const inProcess of [true, false]) {
    it(`${inProcess ? 'in-process' : 'multiprocess'}: the task is killed as Storm's worker would be, until the crash loop stops the run with the same words`, async () => {
      const run = new LocalRun(await loadTopologyFile(ARITY), { inProcess, restart: { initialDelayMs: 10, crashLoopCrashes: 3 } });
      running.push(run);
      const problems: string[] = [];
      const words: unknown[] = [];
      run.onProblem((p) => problems.push(`${p.kind}: ${p.message}`));
      run.onLog((line) => words.push(line.text));
      await run.start().catch(() => undefined);
      expect(await run.done).toBe('crash-loop');
      expect(problems.find((p) => p.startsWith('task-died'))).toMatch(refused);
      expect(problems.find((p) => p.startsWith('crash-loop'))).toMatch(refused);
      expect(run.figures().components.find((c) => c.component === 'words')!.executed).toBe(0);
    }, 60_000);
  }
});
