/**
 * Multilang figures (`npm run bench -- multilang`), each next to a baseline measured in the same run:
 * (a) codec: encode + decode of multilang messages per second, ours against a naive line-by-line
 *     decoder;
 * (b) tuples/s and p50/p99 latency through ONE real echo-bolt child (our bundled launcher), driven
 *     by an efficient host in this process with a window of 100 pending tuples (ShellBolt's
 *     `topology.shellbolt.max.pending`), then p99 at a fixed 10,000 tuples/s;
 *     side by side with a naive adapter written here in the style of the old Node adapters
 *     (readline, one JSON.parse per line, one unbuffered stdout write per message, task ids
 *     always requested: four messages per tuple).
 * Goals on a 2-core box: >= 100,000 tuples/s, >= 3x the baseline, p99 < 2 ms at 10,000 tuples/s.
 * BENCH_TUPLES=<n> changes the tuples per adapter for the throughput rounds (default 500,000).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeMessage, FrameDecoder } from '../core/common/multilang/framing.js';
import { bundleLauncher } from '../core/build/bundle.js';

const WINDOW = 100;
const THROUGHPUT_TUPLES = Number(process.env.BENCH_TUPLES ?? 500_000);
const FIXED_RATE = 10_000;
/** Fixed-rate seconds per adapter (one round of FIXED_RATE tuples each). */
const FIXED_SECONDS = 3;
/** Throughput rounds per adapter, alternating between adapters. */
const ROUNDS = 5;

const work = mkdtempSync(path.join(os.tmpdir(), 'squall-bench-'));
const cleanup: Array<() => void> = [() => rmSync(work, { recursive: true, force: true })];

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

// ---------------------------------------------------------------- (a) codec
function codecBench(): { ours: number; naive: number } {
  const messages = [
    { id: '-6955271563187640781', comp: 'sentences', stream: 'default', task: 7, tuple: ['the cow jumped over the moon'] },
    { command: 'emit', anchors: ['-6955271563187640781'], tuple: ['moon'], need_task_ids: false },
    { command: 'ack', id: '-6955271563187640781' },
    [3, 5],
  ];
  const rounds = 100_000;
  const measure = (decode: (text: string) => number): number => {
    const start = process.hrtime.bigint();
    let count = 0;
    for (let r = 0; r < rounds; r += 100) {
      let text = '';
      for (let i = 0; i < 100; i++) text += encodeMessage(messages[i & 3]);
      count += decode(text);
    }
    return count / (Number(process.hrtime.bigint() - start) / 1e9);
  };
  const decoder = new FrameDecoder();
  const oursDecode = (text: string): number => decoder.push(text).length;
  const naiveDecode = (text: string): number => {
    // What a readline adapter does: split lines, gather until `end`, parse.
    let count = 0;
    let gathered: string[] = [];
    for (const line of text.split('\n')) {
      if (line === 'end') {
        JSON.parse(gathered.join('\n'));
        gathered = [];
        count++;
      } else if (line !== '') gathered.push(line);
    }
    return count;
  };
  const ours: number[] = [];
  const naive: number[] = [];
  for (let round = 0; round < 5; round++) {
    ours.push(measure(oursDecode));
    naive.push(measure(naiveDecode));
  }
  return { ours: median(ours), naive: median(naive) };
}

// ---------------------------------------------------------------- children
const ECHO_BOLT = `import { BasicBolt, type Tuple } from 'squall';
export default class EchoBolt extends BasicBolt {
  static outputs = { default: ['value'] };
  process(tuple: Tuple): void { this.emit(tuple.values); }
}
`;

// The baseline, in the way the old adapters work; written for this bench, not copied.
const NAIVE_ADAPTER = `import readline from 'node:readline';
import fs from 'node:fs';
import path from 'node:path';
const send = (m) => process.stdout.write(JSON.stringify(m) + '\\nend\\n');
const waitingForTaskIds = [];
let lines = [];
let handshaken = false;
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line !== 'end') { lines.push(line); return; }
  const message = JSON.parse(lines.join('\\n'));
  lines = [];
  if (!handshaken) {
    handshaken = true;
    fs.writeFileSync(path.join(message.pidDir, String(process.pid)), '');
    send({ pid: process.pid });
    return;
  }
  if (Array.isArray(message)) { waitingForTaskIds.shift()?.(message); return; }
  if (message.stream === '__heartbeat') { send({ command: 'sync' }); return; }
  waitingForTaskIds.push(() => {});
  send({ command: 'emit', anchors: [message.id], tuple: message.tuple });
  send({ command: 'ack', id: message.id });
});
`;

/** A multilang host tuned for throughput: batched writes, one parse per message. */
class BenchHost {
  private readonly decoder = new FrameDecoder();
  private onMessage: (m: unknown) => void = () => {};
  private out: string[] = [];
  private flushScheduled = false;

  private pendingText = '';

  constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      if (!this.fast) {
        for (const m of this.decoder.push(chunk)) this.onMessage(m);
      } else {
        this.scan(chunk);
      }
      this.flush();
    });
  }

  /** Set while running: acks and emits are recognised without a full JSON.parse. */
  private fast = false;
  private onAck: (id: number) => void = () => {};

  /**
   * The host must not be the bottleneck, or the bench would measure it: recognise the two hot
   * messages by their text (both adapters write them with this key order) and parse the rest.
   */
  private scan(chunk: string): void {
    const text = this.pendingText + chunk;
    let start = 0;
    for (let end = text.indexOf('\nend\n'); end !== -1; end = text.indexOf('\nend\n', start)) {
      if (text.startsWith('{"command":"ack","id":"', start)) {
        this.onAck(Number(text.slice(start + 23, text.indexOf('"', start + 23))));
      } else if (text.startsWith('{"command":"emit"', start)) {
        const body = text.slice(start, end);
        if (!body.includes('"need_task_ids":false')) this.out.push('[1]\nend\n');
      } else {
        this.onMessage(JSON.parse(text.slice(start, end)));
      }
      start = end + 5;
    }
    this.pendingText = text.slice(start);
  }

  static async start(argv: string[]): Promise<BenchHost> {
    const child = spawn(process.execPath, argv, { stdio: ['pipe', 'pipe', 'inherit'] });
    cleanup.push(() => child.kill('SIGKILL'));
    const host = new BenchHost(child);
    const pidDir = mkdtempSync(path.join(work, 'pid-'));
    await new Promise<void>((resolve) => {
      host.onMessage = () => resolve();
      host.send({ conf: {}, pidDir, context: { taskid: 2, componentid: 'echo', 'task->component': { '1': 'spout', '2': 'echo' }, 'source->stream->fields': { spout: { default: ['value'] } } } });
      host.flush();
    });
    return host;
  }

  send(message: unknown): void {
    this.out.push(typeof message === 'string' ? message : encodeMessage(message));
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.flushScheduled = false;
    if (this.out.length === 0) return;
    this.child.stdin!.write(this.out.join(''));
    this.out = [];
  }

  /**
   * Sends `total` tuples keeping at most `window` unacked, or paced at `rate` per second.
   * Returns tuples/s and per-tuple latency (send → ack) in microseconds.
   */
  run(total: number, options: { window?: number; rate?: number }): Promise<{ perSecond: number; latencies: Float64Array }> {
    const sentAt = new Float64Array(total);
    const latencies = new Float64Array(total);
    let sent = 0;
    let acked = 0;
    const window = options.window ?? Infinity;
    const start = performance.now();
    const tupleText = (i: number): string => `{"id":"${i}","comp":"spout","stream":"default","task":1,"tuple":["value ${i}"]}\nend\n`;
    return new Promise((resolve) => {
      const fill = (): void => {
        while (sent < total && sent - acked < window) {
          sentAt[sent] = performance.now();
          this.out.push(tupleText(sent++));
        }
      };
      this.fast = true;
      this.onMessage = () => {};
      this.onAck = (i) => {
        latencies[i] = (performance.now() - sentAt[i]!) * 1000;
        if (++acked === total) {
          this.fast = false;
          const seconds = (performance.now() - start) / 1000;
          resolve({ perSecond: total / seconds, latencies });
        } else if (options.rate === undefined) fill();
      };
      if (options.rate === undefined) {
        fill();
        this.flush();
        return;
      }
      // Fixed rate: every millisecond, send the tuples whose time has come (about rate/1000).
      // A timer rather than a busy loop: on two cores a spinning host would steal the child's CPU.
      const interval = 1000 / options.rate;
      const pace = (): void => {
        const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
        while (sent < due) {
          sentAt[sent] = performance.now();
          this.out.push(tupleText(sent++));
        }
        this.flush();
        if (sent < total) setTimeout(pace, 1);
      };
      pace();
    });
  }

  async stop(): Promise<void> {
    this.child.stdin!.end();
    await new Promise((resolve) => this.child.once('exit', resolve));
  }
}

/** CPU time (user + system) a process has used, in microseconds, from /proc (Linux). */
function childCpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * (1e6 / 100);
}

function percentile(values: Float64Array, p: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface AdapterFigures {
  throughput: number;
  p50: number;
  p99: number;
  fixedP50: number;
  fixedP99: number;
  childCpuPerTuple: number;
  hostCpuPerTuple: number;
}

/** One adapter under test: its host and the samples gathered over the rounds. */
interface Contender {
  host: BenchHost;
  throughputs: number[];
  childCpu: number[];
  hostCpu: number[];
  busyLatencies: Float64Array[];
  fixedLatencies: Float64Array[];
}

const concat = (arrays: Float64Array[]): Float64Array => {
  const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
};

/**
 * Measures the adapters in alternating rounds (A B A B ...): on a shared two-core machine the
 * load drifts, and alternating spreads the drift over both sides. Figures are medians of rounds.
 */
async function measure(argvs: string[][]): Promise<AdapterFigures[]> {
  const contenders: Contender[] = [];
  for (const argv of argvs) {
    const host = await BenchHost.start(argv);
    await host.run(10_000, { window: WINDOW }); // warm-up (JIT)
    contenders.push({ host, throughputs: [], childCpu: [], hostCpu: [], busyLatencies: [], fixedLatencies: [] });
  }
  const perRound = Math.ceil(THROUGHPUT_TUPLES / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of contenders) {
      const childBefore = childCpuMicros(c.host.child.pid!);
      const hostBefore = process.cpuUsage();
      const busy = await c.host.run(perRound, { window: WINDOW });
      const hostUsed = process.cpuUsage(hostBefore);
      c.childCpu.push((childCpuMicros(c.host.child.pid!) - childBefore) / perRound);
      c.hostCpu.push((hostUsed.user + hostUsed.system) / perRound);
      c.throughputs.push(busy.perSecond);
      c.busyLatencies.push(busy.latencies);
    }
  }
  for (let round = 0; round < FIXED_SECONDS; round++) {
    for (const c of contenders) c.fixedLatencies.push((await c.host.run(FIXED_RATE, { rate: FIXED_RATE })).latencies);
  }
  const figures: AdapterFigures[] = [];
  for (const c of contenders) {
    await c.host.stop();
    const busy = concat(c.busyLatencies);
    const fixed = concat(c.fixedLatencies);
    figures.push({
      throughput: median(c.throughputs),
      p50: percentile(busy, 50),
      p99: percentile(busy, 99),
      fixedP50: percentile(fixed, 50),
      fixedP99: percentile(fixed, 99),
      childCpuPerTuple: median(c.childCpu),
      hostCpuPerTuple: median(c.hostCpu),
    });
  }
  return figures;
}

// ---------------------------------------------------------------- main
try {
  const codec = codecBench();
  const echoScript = path.join(work, 'echo-bolt.ts');
  writeFileSync(echoScript, ECHO_BOLT);
  const naiveScript = path.join(work, 'naive-adapter.mjs');
  writeFileSync(naiveScript, NAIVE_ADAPTER);
  const { file: launcher } = await bundleLauncher({ script: echoScript, componentId: 'echo', outFile: path.join(work, 'echo-launcher.mjs') });

  const [ours, naive] = (await measure([[launcher], [naiveScript]])) as [AdapterFigures, AdapterFigures];

  const k = (n: number): string => `${(n / 1000).toFixed(1)}k`;
  const ms = (us: number): string => `${(us / 1000).toFixed(3)} ms`;
  const rows: Array<[string, string, string, string]> = [
    ['codec encode+decode (msg/s)', k(codec.ours), k(codec.naive), `${(codec.ours / codec.naive).toFixed(2)}x`],
    [`echo bolt tuples/s (window ${WINDOW}, median of ${ROUNDS})`, k(ours.throughput), k(naive.throughput), `${(ours.throughput / naive.throughput).toFixed(2)}x`],
    ['  child CPU per tuple', `${ours.childCpuPerTuple.toFixed(1)} us`, `${naive.childCpuPerTuple.toFixed(1)} us`, `${(naive.childCpuPerTuple / ours.childCpuPerTuple).toFixed(2)}x`],
    ['  host CPU per tuple (this process)', `${ours.hostCpuPerTuple.toFixed(1)} us`, `${naive.hostCpuPerTuple.toFixed(1)} us`, ''],
    ['  latency p50 at full load', ms(ours.p50), ms(naive.p50), ''],
    ['  latency p99 at full load', ms(ours.p99), ms(naive.p99), ''],
    [`latency p50 at ${FIXED_RATE.toLocaleString('en')} tuples/s`, ms(ours.fixedP50), ms(naive.fixedP50), ''],
    [`latency p99 at ${FIXED_RATE.toLocaleString('en')} tuples/s`, ms(ours.fixedP99), ms(naive.fixedP99), ''],
  ];
  const widths = [44, 14, 14, 8];
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' ');
  process.stdout.write(`${line(['', 'squall', 'naive baseline', 'ratio'])}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
  const goals = [
    [`>= 100k tuples/s through one bolt child`, ours.throughput >= 100_000],
    [`>= 3x the baseline`, ours.throughput >= 3 * naive.throughput],
    [`p99 < 2 ms at ${FIXED_RATE} tuples/s`, ours.fixedP99 < 2000],
  ] as const;
  process.stdout.write(`goals: ${goals.map(([name, met]) => `${name}: ${met ? 'met' : 'NOT met'}`).join('; ')}\n`);
} finally {
  for (const step of cleanup.reverse()) step();
}
