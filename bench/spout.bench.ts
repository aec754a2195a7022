/**
 * Spout figures (`npm run bench -- spout`): nextTuple calls per second through ONE real spout
 * child (our bundled launcher) under Storm's strict ping-pong — `next`, the spout's emit, `sync`,
 * then the next `next` — without acks and with an ack per tuple (`ack` is one more round trip,
 * as ShellSpout sends it), side by side with a naive adapter in the style of the old Node
 * adapters (readline, one JSON.parse and one unbuffered write per message, task ids always
 * requested, so each emit waits for Storm's task-id reply before the `sync`).
 * Storm's own figure (JVM ShellSpout driving storm.js on this machine kind) is printed for
 * context only: it is a reference, not measured here.
 * BENCH_SECONDS=<n> changes the seconds per round (default 2; 3 rounds per adapter and mode).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeMessage, FrameDecoder } from '../core/common/multilang/framing.js';
import { bundleLauncher } from '../core/build/bundle.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = 3;
/** Storm 2.4 ShellSpout + storm.js on a 2-core machine of this kind (ENVIRONMENT.md). */
const STORM_REFERENCE = { plain: 16_000, acked: 8_000 };

const work = mkdtempSync(path.join(os.tmpdir(), 'squall-spout-bench-'));
const children: ChildProcess[] = [];

const SPOUT = `import { Spout } from 'squall';
export default class CounterSpout extends Spout {
  static outputs = { default: ['n'] };
  private n = 0;
  private reliable = false;
  initialize(conf: Record<string, unknown>): void { this.reliable = conf['bench.reliable'] === true; }
  nextTuple(): void {
    const n = this.n++;
    if (this.reliable) this.emit([n], { id: String(n) });
    else this.emit([n]);
  }
}
`;

// The baseline, in the way the old adapters work; written for this bench, not copied.
const NAIVE_SPOUT = `import readline from 'node:readline';
import fs from 'node:fs';
import path from 'node:path';
const send = (m) => process.stdout.write(JSON.stringify(m) + '\\nend\\n');
let lines = [];
let handshaken = false;
let reliable = false;
let n = 0;
let waitingForTaskIds = null;
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line !== 'end') { lines.push(line); return; }
  const message = JSON.parse(lines.join('\\n'));
  lines = [];
  if (!handshaken) {
    handshaken = true;
    reliable = message.conf['bench.reliable'] === true;
    fs.writeFileSync(path.join(message.pidDir, String(process.pid)), '');
    send({ pid: process.pid });
    return;
  }
  if (Array.isArray(message)) { const done = waitingForTaskIds; waitingForTaskIds = null; done(); return; }
  if (message.command === 'next') {
    const id = String(n);
    send(reliable ? { command: 'emit', id, tuple: [n++] } : { command: 'emit', tuple: [n++] });
    waitingForTaskIds = () => send({ command: 'sync' });
    return;
  }
  send({ command: 'sync' });
});
`;

/** A strict ping-pong host, as ShellSpout: one command, then wait for the spout's sync. */
class SpoutHost {
  private readonly decoder = new FrameDecoder();
  private onMessage: (message: Record<string, unknown> | unknown[]) => void = () => {};

  private constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      for (const message of this.decoder.push(chunk)) this.onMessage(message as Record<string, unknown>);
    });
  }

  static async start(argv: string[], reliable: boolean): Promise<SpoutHost> {
    const child = spawn(process.execPath, argv, { stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(child);
    const host = new SpoutHost(child);
    const pidDir = mkdtempSync(path.join(work, 'pid-'));
    await new Promise<void>((resolve) => {
      host.onMessage = () => resolve();
      host.write({ conf: { 'bench.reliable': reliable }, pidDir, context: { taskid: 1, componentid: 'counter', 'task->component': { '1': 'counter', '2': 'sink' } } });
    });
    return host;
  }

  private write(message: unknown): void {
    this.child.stdin!.write(encodeMessage(message));
  }

  /** Runs the ping-pong for `seconds`; returns nextTuple calls per second. */
  run(seconds: number): Promise<number> {
    let calls = 0;
    let pendingAck: string | undefined;
    let acking = false;
    const start = performance.now();
    const end = start + seconds * 1000;
    return new Promise((resolve) => {
      this.onMessage = (message) => {
        if (Array.isArray(message)) return;
        if (message.command === 'emit') {
          // ShellSpout answers a spout emit with its task ids at once, unless told not to.
          if (message.need_task_ids !== false) this.write([2]);
          if (message.id !== undefined) pendingAck = String(message.id);
          return;
        }
        if (message.command !== 'sync') return;
        if (!acking) calls++;
        if (pendingAck !== undefined) {
          // The tuple tree completed: Storm hands the ack to the spout as its own command.
          acking = true;
          this.write({ command: 'ack', id: pendingAck });
          pendingAck = undefined;
          return;
        }
        acking = false;
        if (performance.now() >= end) {
          resolve(calls / ((performance.now() - start) / 1000));
          return;
        }
        this.write({ command: 'next' });
      };
      this.write({ command: 'next' });
    });
  }

  async stop(): Promise<void> {
    this.child.stdin!.end();
    await new Promise((resolve) => this.child.once('exit', resolve));
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Alternating rounds (A B A B ...), so load drift on a shared machine hits both sides; medians. */
async function measure(argvs: string[][], reliable: boolean): Promise<number[]> {
  const hosts = await Promise.all(argvs.map((argv) => SpoutHost.start(argv, reliable)));
  for (const host of hosts) await host.run(0.3); // warm-up (JIT)
  const samples: number[][] = hosts.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, host] of hosts.entries()) samples[i]!.push(await host.run(SECONDS));
  }
  await Promise.all(hosts.map((host) => host.stop()));
  return samples.map(median);
}

try {
  const spoutScript = path.join(work, 'counter-spout.ts');
  writeFileSync(spoutScript, SPOUT);
  const naiveScript = path.join(work, 'naive-spout.mjs');
  writeFileSync(naiveScript, NAIVE_SPOUT);
  const { file: launcher } = await bundleLauncher({ script: spoutScript, componentId: 'counter', outFile: path.join(work, 'counter-launcher.mjs') });
  const [plainOurs, plainNaive] = (await measure([[launcher], [naiveScript]], false)) as [number, number];
  const [ackedOurs, ackedNaive] = (await measure([[launcher], [naiveScript]], true)) as [number, number];

  const k = (n: number): string => `${(n / 1000).toFixed(1)}k`;
  const widths = [40, 10, 16, 7, 36];
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' ');
  process.stdout.write(`${line(['nextTuple calls/s (strict ping-pong)', 'squall', 'naive baseline', 'ratio', 'Storm JVM ShellSpout + storm.js'])}\n`);
  process.stdout.write(`${line(['  without acks', k(plainOurs), k(plainNaive), `${(plainOurs / plainNaive).toFixed(2)}x`, `${k(STORM_REFERENCE.plain)} (reference, not measured here)`])}\n`);
  process.stdout.write(`${line(['  with an ack per tuple', k(ackedOurs), k(ackedNaive), `${(ackedOurs / ackedNaive).toFixed(2)}x`, `${k(STORM_REFERENCE.acked)} (reference, not measured here)`])}\n`);
  process.stdout.write(`median of ${ROUNDS} rounds of ${SECONDS} s per adapter and mode; the host here is a Node process, not Storm's JVM executor\n`);
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
}
