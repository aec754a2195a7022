/**
 * Topology file figures (`npm run bench -- topology`), each next to a baseline measured in the
 * same run:
 * (a) parse + validate a large generated topology (1 spout, 400 bolts, fields groupings, every
 *     key located) against the yaml package's plain `parse()` of the same text;
 * (b) one edit (setParallelism) on that file, each on the previous edit's result, against `parse()`;
 * (c) `loadTopologyFile` of examples/wordcount with introspection (child process included)
 *     against starting a bare `node -e ''`.
 * Goals: validation and an edit each cost about one plain YAML parse (the yaml package's own
 * parsing dominates; locating, validating and splicing add little); loading a topology with
 * introspection costs a small multiple of one Node start.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parse } from 'yaml';
import { setParallelism } from '../core/common/topology/edit.js';
import { parseTopology } from '../core/common/topology/parse.js';
import { validateTopology } from '../core/common/topology/validate.js';
import { loadTopologyFile } from '../core/project/load.js';

const BOLTS = 400;

function bigTopology(): string {
  const lines = ['# generated', 'name: big', 'config:', '  topology.workers: 4', 'spouts:', '  source:', '    script: s.ts', 'bolts:'];
  for (let i = 0; i < BOLTS; i++) {
    const source = i === 0 ? 'source' : `bolt${Math.floor(i / 2)}`;
    lines.push(`  bolt${i}:`, `    script: b${i}.ts`, `    parallelism: ${1 + (i % 4)}`, '    inputs:', `      - source: ${source}`, '        grouping:', '          fields: [key]');
  }
  return `${lines.join('\n')}\n`;
}

/** Median ms per call over `rounds`, after a warm-up. */
function time(rounds: number, run: () => void): number {
  for (let i = 0; i < Math.min(20, rounds); i++) run();
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

function line(label: string, ms: number, baseline: number, baselineLabel: string): void {
  process.stdout.write(`${label.padEnd(44)} ${ms.toFixed(2).padStart(8)} ms   (${baselineLabel}: ${baseline.toFixed(2)} ms, ${(ms / baseline).toFixed(1)}x)\n`);
}

const text = bigTopology();
process.stdout.write(`(a, b) ${BOLTS + 1} components, ${text.split('\n').length} lines\n`);
const plain = time(100, () => parse(text));
const outputs = { default: { fields: ['key'], direct: false } };
const checked = time(100, () => {
  const { spec } = parseTopology(text, 'big.yaml');
  for (const component of spec!.components) component.outputs = outputs;
  validateTopology(spec!, { outputsKnown: true });
});
line('parseTopology + validateTopology', checked, plain, 'yaml parse()');
// Each round edits the previous round's result, as the graph editor does: every edit reads a
// text it has not seen (editing one text over and over would only measure a cache hit).
let current = text;
let round = 0;
const edited = time(100, () => {
  current = setParallelism(current, `bolt${BOLTS - 1}`, 1 + (round++ % 8));
});
line('setParallelism (comments/layout kept)', edited, plain, 'yaml parse()');

const wordcount = path.join(import.meta.dirname, '..', 'examples', 'wordcount', 'topology.yaml');
const nodeStart = time(5, () => spawnSync(process.execPath, ['-e', '']));
const samples: number[] = [];
for (let i = 0; i < 6; i++) {
  const start = performance.now();
  await loadTopologyFile(wordcount);
  samples.push(performance.now() - start);
}
samples.sort((a, b) => a - b);
process.stdout.write('(c) wordcount, 3 components\n');
line('loadTopologyFile with introspection', samples[Math.floor(samples.length / 2)]!, nodeStart, "node -e ''");
