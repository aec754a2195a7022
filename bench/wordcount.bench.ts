/**
 * Local-mode throughput: wordcount end to end (sentences → split → count, acking on,
 * topology.max.spout.pending 1000), multiprocess and in-process; complete latency; RSS per
 * task; and the cost of one hop in-process (burst spout → pass bolt, unreliable).
 * Baseline measured in the same run: a bare multilang pipe (one child acking every tuple,
 * no engine), the most a single bolt process can take through JSON framing.
 * Goals: multiprocess ≥ 50,000 words/s; in-process ≥ 1,000,000 tuples/s per hop; RSS ≤ 60 MB/task.
 * Also the cost of recording one latency (every acked tuple records one) in LatencyHistogram
 * (hdr-histogram-js) next to a bare logarithmic-bucket counter, the cheapest possible recording.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalRun } from '../core/local/run.js';
import { loadTopologyFile } from '../core/project/load.js';
import type { TopologySpec } from '../core/common/topology/model.js';
import { LatencyHistogram } from '../core/common/stats/histogram.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const FIXTURES = path.join(ROOT, 'test', 'local', 'fixtures');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of the line (11 and 12 after the command name).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by this process and the given children. */
function cpuOf(pids: number[]): number {
  return cpuSeconds(process.pid) + pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
}

function rssMb(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function wordcount(inProcess: boolean) {
  const spec = await loadTopologyFile(path.join(ROOT, 'examples', 'wordcount', 'topology.yaml'));
  const engine = new LocalRun(spec, { inProcess });
  await engine.start();
  // Warm up one second, then measure a window.
  await new Promise((r) => setTimeout(r, 1000));
  const pids = engine.pids();
  const start = engine.figures();
  const cpu0 = cpuOf(pids);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const end = engine.figures();
  const cpu = cpuOf(pids) - cpu0;
  const seconds = (performance.now() - t0) / 1000;
  const rss = inProcess ? [rssMb(process.pid) ?? 0] : end.tasks.map((t) => (t.pid ? (rssMb(t.pid) ?? 0) : 0));
  await engine.stop();
  const of = (f: typeof end, id: string) => f.components.find((c) => c.component === id)!;
  const sentences = (of(end, 'sentences').acked - of(start, 'sentences').acked) / seconds;
  const words = (of(end, 'count').acked - of(start, 'count').acked) / seconds;
  const complete = of(end, 'sentences').completeLatency;
  const cpuPerWord = (cpu * 1e6) / (words * seconds);
  return { sentences, words, p50: complete.p50Ms, p99: complete.p99Ms, rss, cpuPerWord };
}

async function perHop() {
  const spec: TopologySpec = {
    name: 'hop',
    config: { 'test.burst': 2000, 'topology.shellbolt.max.pending': 5000 },
    file: path.join(FIXTURES, 'topology.yaml'),
    components: [
      { id: 'spout', kind: 'spout', script: 'burst-spout.ts', parallelism: 1, inputs: [], config: {}, outputs: { default: { fields: ['n'], direct: false } } },
      { id: 'sink', kind: 'bolt', script: 'pass-bolt.ts', parallelism: 1, inputs: [{ source: 'spout', stream: 'default', grouping: { type: 'shuffle' } }], config: {}, outputs: { default: { fields: ['n'], direct: false } } },
    ],
  };
  const engine = new LocalRun(spec, { inProcess: true });
  await engine.start();
  await new Promise((r) => setTimeout(r, 500));
  const a = engine.figures().components[1]!.acked;
  const cpu0 = cpuOf([]);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const b = engine.figures().components[1]!.acked;
  const cpu = cpuOf([]) - cpu0;
  const seconds = (performance.now() - t0) / 1000;
  await engine.stop();
  return { rate: (b - a) / seconds, perCpuSecond: (b - a) / cpu };
}

/** Baseline: one child (raw wire, no Squall runtime) acking tuples as fast as a host can feed it. */
async function barePipe(): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'squall-bench-'));
  const child = spawn(process.execPath, [path.join(FIXTURES, 'raw-bolt.mjs')], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, RAW_MODE: 'ack' } });
  child.stdout.setEncoding('utf8');
  let acks = 0;
  let inFlight = 0;
  let buffer = '';
  let next = 0;
  const feed = () => {
    const parts: string[] = [];
    while (inFlight < 2000) {
      parts.push(`{"id":"${++next}","comp":"spout","stream":"default","task":1,"tuple":["word"]}\nend\n`);
      inFlight++;
    }
    if (parts.length) child.stdin.write(parts.join(''));
  };
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf('\nend\n')) !== -1) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 5);
      if (message.startsWith('{"command":"ack"')) {
        acks++;
        inFlight--;
      } else if (message.startsWith('{"pid"')) feed();
    }
    if (inFlight < 1000) feed();
  });
  child.stdin.write(`${JSON.stringify({ conf: {}, pidDir: dir, context: { taskid: 1, componentid: 'sink', 'task->component': { 1: 'sink' } } })}\nend\n`);
  await new Promise((r) => setTimeout(r, 500));
  const a = acks;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const rate = (acks - a) / ((performance.now() - t0) / 1000);
  child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
  return rate;
}

/** Nanoseconds per recorded sample: LatencyHistogram against a bare log-bucket counter. */
function histogramRecordCost(): { library: number; bare: number } {
  const samples = new Float64Array(1 << 16);
  // Latencies spread from 20 µs to 8 ms, log-uniform, like process latencies under load.
  for (let i = 0; i < samples.length; i++) samples[i] = Math.exp(Math.log(20) + Math.random() * 6);
  const count = 5_000_000;
  const time = (record: (micros: number) => void): number => {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) record(samples[i & 0xffff]!);
    return ((performance.now() - t0) * 1e6) / count;
  };
  const histogram = new LatencyHistogram();
  // The baseline: 64 linear sub-buckets per power of two, one clz32 and one increment.
  const buckets = new Float64Array(64 * 27);
  const bare = (micros: number): void => {
    const v = micros | 0;
    const shift = Math.max(0, 26 - Math.clz32(v));
    buckets[shift * 64 + (v >>> shift)]!++;
  };
  time((v) => histogram.record(v));
  time(bare);
  return { library: time((v) => histogram.record(v)), bare: time(bare) };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`${SECONDS} s windows; machine load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores (other work on the machine lowers the rates; CPU µs per word does not move much)`);
const recordCost = histogramRecordCost();
console.log(`latency recording: LatencyHistogram (hdr-histogram-js) ${recordCost.library.toFixed(1)} ns/sample; baseline bare log-bucket counter ${recordCost.bare.toFixed(1)} ns/sample`);
const baseline = await barePipe();
console.log(`baseline  bare multilang pipe, one child acking (no engine): ${fmt(baseline)} tuples/s`);
const multi = await wordcount(false);
console.log(`multiprocess wordcount: ${fmt(multi.sentences)} sentences/s, ${fmt(multi.words)} words/s (goal ≥ 50,000), complete latency p50 ${multi.p50} ms p99 ${multi.p99} ms, ${multi.cpuPerWord.toFixed(1)} CPU µs/word (all processes)`);
console.log(`  RSS per task (MB): ${multi.rss.map((r) => r.toFixed(1)).join(', ')} (goal ≤ 60; max ${Math.max(...multi.rss).toFixed(1)})`);
const inproc = await wordcount(true);
console.log(`in-process   wordcount: ${fmt(inproc.sentences)} sentences/s, ${fmt(inproc.words)} words/s, complete latency p50 ${inproc.p50} ms p99 ${inproc.p99} ms, ${inproc.cpuPerWord.toFixed(1)} CPU µs/word, engine RSS ${inproc.rss[0]!.toFixed(1)} MB`);
const hop = await perHop();
console.log(`in-process   one hop (burst spout → pass bolt, unreliable): ${fmt(hop.rate)} tuples/s (goal ≥ 1,000,000); ${fmt(hop.perCpuSecond)} per CPU-second`);
console.log(`reference (ENVIRONMENT.md, not this run): Storm 2.4 LocalCluster wordcount with storm.js: 21,000 words/s, complete p50 13 ms p99 236 ms`);
