/**
 * A test host that plays the JVM side of Storm's multilang protocol by the rules of Storm 2.x's
 * ShellBolt, ShellSpout, ShellProcess and JsonSerializer. Written from those classes, not from
 * Squall's runtime (it shares no code with core/component), so it can catch the runtime lying.
 *
 * What it treats as fatal, as Storm does (a fatal error halts the worker: here, the host kills
 * the child and records why): output that is not `JSON\nend\n`, a message without `command`,
 * ack/fail of an id that is unknown or already acked/failed, an emit anchored to such an id,
 * `metrics` (no shell metric can be registered), an unknown command from a spout, a wrong
 * field type, and a heartbeat timeout (short and configurable here; 30 s in Storm).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A message the child sent. */
export type ChildMessage = Record<string, unknown>;

export interface HostOptions {
  /** Milliseconds without any message from the child before it is declared dead. */
  heartbeatTimeoutMs?: number;
  /** Milliseconds between heartbeats sent to a bolt (Storm: 1000). 0 = none. */
  heartbeatIntervalMs?: number;
  /** Task ids Storm "routes" a tuple to, given the emit. */
  route?: (emit: ChildMessage) => number[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** One line of a transcript: `->` host to child, `<-` child to host. */
export type TranscriptLine = string;

/** Plays Storm's side against one child process. */
export class StormHost {
  readonly child: ChildProcess;
  /** Deterministic record of the conversation (pid and stacks normalised). */
  readonly transcript: TranscriptLine[] = [];
  /** Why Storm would have halted the worker, if it would have. */
  fatal: string | undefined;
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private buffer = '';
  private readonly inbox: ChildMessage[] = [];
  private waiter: (() => void) | undefined;
  /** ShellBolt's `inputs`: tuple ids sent and not yet acked or failed. */
  private readonly pendingInputs = new Set<string>();
  private kind: 'bolt' | 'spout' = 'bolt';
  private lastHeard = Date.now();
  private waitingForSync = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly pidDir = mkdtempSync(path.join(os.tmpdir(), 'squall-pid-'));
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(
    command: string[],
    private readonly options: HostOptions = {},
  ) {
    this.child = spawn(command[0]!, command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.onData(chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.child.stdin!.on('error', () => {}); // EPIPE after the child died: reported through `exited`
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        this.stopTimers();
        this.wake();
        resolve(this.exitInfo);
      }),
    );
  }

  /** Sends the handshake; resolves with the pid once the pid file checks out. */
  async handshake(kind: 'bolt' | 'spout', conf: Record<string, unknown>, context: Record<string, unknown>): Promise<number> {
    this.kind = kind;
    this.write({ conf, pidDir: this.pidDir, context }, '<handshake>');
    const reply = await this.next(20_000);
    const pid = reply.pid;
    if (typeof pid !== 'number') throw this.fatalError(`expected {"pid": N} in reply to the handshake, got ${JSON.stringify(reply)}`);
    const files = readdirSync(this.pidDir);
    if (files.length !== 1 || files[0] !== String(pid)) throw this.fatalError(`pid file missing: ${this.pidDir} holds [${files.join(', ')}], expected ${pid}`);
    if (statSync(path.join(this.pidDir, files[0]!)).size !== 0) throw this.fatalError('the pid file is not empty');
    this.startHeartbeats();
    return pid;
  }

  /** Bolt: sends a tuple (Storm keeps it in `inputs` until the child acks or fails it). */
  sendTuple(id: string, comp: string, stream: string, task: number, tuple: unknown[]): void {
    this.pendingInputs.add(id);
    this.write({ id, comp, stream, task, tuple });
  }

  /** Bolt: a tick tuple, as Storm's system component sends it. */
  sendTick(id: string, freqSecs = 1): void {
    this.sendTuple(id, '__system', '__tick', -1, [freqSecs]);
  }

  /** Bolt: a heartbeat, exactly as ShellBolt builds it (comp is null). */
  sendHeartbeat(id = 'hb'): void {
    this.write({ id, comp: null, stream: '__heartbeat', task: -1, tuple: [] });
  }

  /** Writes raw text to the child's stdin (malformed-input tests). */
  sendRaw(text: string): void {
    this.transcript.push(`-> raw ${JSON.stringify(text)}`);
    this.child.stdin!.write(text);
  }

  /** Spout: one command, then every message up to and including the `sync`. */
  async command(command: 'next' | 'ack' | 'fail' | 'activate' | 'deactivate' | string, id: unknown = '', timeoutMs = 10_000): Promise<ChildMessage[]> {
    this.waitingForSync = true;
    this.lastHeard = Date.now(); // ShellSpout's markWaitingSubprocess
    this.write({ command, id });
    const messages: ChildMessage[] = [];
    try {
      for (;;) {
        const message = await this.next(timeoutMs);
        messages.push(message);
        if (message.command === 'sync') return messages;
      }
    } finally {
      this.waitingForSync = false;
    }
  }

  /** The next message from the child (already checked against Storm's rules). */
  async next(timeoutMs = 10_000): Promise<ChildMessage> {
    const deadline = Date.now() + timeoutMs;
    while (this.inbox.length === 0) {
      if (this.fatal) throw new Error(`Storm would halt the worker: ${this.fatal}`);
      if (this.exitInfo) throw new Error(`the child exited (${this.exitInfo.signal ?? this.exitInfo.code}) while a message was expected; stderr: ${this.stderr.trim()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message from the child within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    return this.inbox.shift()!;
  }

  /** Messages until one satisfies `until` (included). */
  async until(until: (message: ChildMessage) => boolean, timeoutMs = 10_000): Promise<ChildMessage[]> {
    const seen: ChildMessage[] = [];
    for (;;) {
      const message = await this.next(timeoutMs);
      seen.push(message);
      if (until(message)) return seen;
    }
  }

  /** Closes the child's stdin (what happens when the Storm worker goes away). */
  closeStdin(): void {
    this.transcript.push('-> <EOF>');
    this.child.stdin!.end();
  }

  /** Tuple ids still waiting for an ack or fail. */
  get pending(): string[] {
    return [...this.pendingInputs];
  }

  /** Kills the child if still running and removes the pid folder. */
  async dispose(): Promise<void> {
    this.stopTimers();
    if (!this.exitInfo) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
    rmSync(this.pidDir, { recursive: true, force: true });
  }

  /** Transcript as text, one line per message. */
  text(): string {
    return `${this.transcript.join('\n')}\n`;
  }

  private write(message: unknown, shown?: string): void {
    this.transcript.push(`-> ${shown ?? JSON.stringify(message)}`);
    this.child.stdin!.write(`${JSON.stringify(message)}\nend\n`);
  }

  /** Storm reads line by line until a line `end`, then parses the JSON (JsonSerializer.readString). */
  private onData(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const end = this.buffer.indexOf('\nend\n');
      if (end === -1) break;
      const body = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 5);
      let message: unknown;
      try {
        message = JSON.parse(body);
      } catch {
        this.die(`stdout is not multilang JSON: ${JSON.stringify(body.slice(0, 120))}`);
        return;
      }
      this.lastHeard = Date.now();
      this.accept(message);
    }
    // `end` is only ever at a line start: anything before the first complete line must be JSON.
    if (this.buffer.includes('\n') && !this.buffer.startsWith('{') && !this.buffer.startsWith('[')) this.die(`stdout is not multilang JSON: ${JSON.stringify(this.buffer.slice(0, 120))}`);
  }

  private accept(raw: unknown): boolean {
    if (this.fatal) return false;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return this.die(`expected a JSON object, got ${JSON.stringify(raw)}`);
    }
    const message = raw as ChildMessage;
    this.transcript.push(`<- ${normalise(message)}`);
    if ('pid' in message) {
      this.push(message);
      return true;
    }
    const command = message.command;
    if (typeof command !== 'string') return this.die(`message without "command": ${JSON.stringify(message)}`);
    switch (command) {
      case 'sync':
      case 'log':
        if (command === 'log' && typeof message.msg !== 'string') return this.die('log without a "msg" string');
        break;
      case 'error':
        if (typeof message.msg !== 'string') return this.die('error without a "msg" string');
        break;
      case 'metrics':
        return this.die(`metrics "${String(message.name)}": no shell metric is registered (Storm: "Could not find metric by name")`);
      case 'emit':
        if (!this.checkEmit(message)) return false;
        break;
      case 'ack':
      case 'fail':
        if (this.kind === 'spout') return this.die(`Unknown command received: ${command}`);
        if (!this.pendingInputs.delete(String(message.id))) return this.die(`${command === 'ack' ? 'Acked' : 'Failed'} a non-existent or already acked/failed id: ${String(message.id)}`);
        break;
      default:
        // ShellBolt ignores unknown commands; ShellSpout halts.
        if (this.kind === 'spout') return this.die(`Unknown command received: ${command}`);
    }
    this.push(message);
    return true;
  }

  private checkEmit(message: ChildMessage): boolean {
    if (!Array.isArray(message.tuple)) return this.die(`emit without a "tuple" list: ${JSON.stringify(message)}`);
    if (message.task !== undefined && !Number.isInteger(message.task)) return this.die(`emit "task" is not an integer: ${JSON.stringify(message.task)}`);
    if (message.stream !== undefined && typeof message.stream !== 'string') return this.die('emit "stream" is not a string');
    if (message.need_task_ids !== undefined && typeof message.need_task_ids !== 'boolean') return this.die('emit "need_task_ids" is not a boolean');
    let anchors = message.anchors;
    if (typeof anchors === 'string') anchors = [anchors];
    if (anchors !== undefined && anchors !== null) {
      if (this.kind === 'spout') return this.die('a spout emit has anchors');
      for (const anchor of anchors as unknown[]) {
        if (typeof anchor !== 'string') return this.die(`anchor ${JSON.stringify(anchor)} is not a string id`);
        if (!this.pendingInputs.has(anchor)) return this.die(`Anchored onto ${anchor} after ack/fail`);
      }
    }
    const direct = message.task !== undefined && message.task !== 0;
    // need_task_ids absent means true (JsonSerializer); direct emits never get a reply.
    if (!direct && message.need_task_ids !== false) {
      const tasks = this.options.route?.(message) ?? [4];
      this.write(tasks);
    }
    return true;
  }

  private push(message: ChildMessage): void {
    this.inbox.push(message);
    this.wake();
  }

  private wake(): void {
    this.waiter?.();
  }

  /** Records why Storm would halt the worker and kills the child, as the worker's exit would. */
  private die(why: string): false {
    if (!this.fatal) {
      this.fatal = why;
      this.transcript.push(`!! ${why}`);
    }
    this.stopTimers();
    this.child.kill('SIGKILL');
    this.wake();
    return false;
  }

  private fatalError(why: string): Error {
    this.die(why);
    return new Error(`Storm would halt the worker: ${why}`);
  }

  private startHeartbeats(): void {
    const timeout = this.options.heartbeatTimeoutMs ?? 30_000;
    const interval = this.options.heartbeatIntervalMs ?? (this.kind === 'bolt' ? 1000 : 0);
    this.lastHeard = Date.now();
    const check = setInterval(() => {
      // A spout's clock only runs while Storm waits for its sync (ShellSpout).
      const running = this.kind === 'bolt' || this.waitingForSync;
      if (running && Date.now() - this.lastHeard > timeout) this.die('subprocess heartbeat timeout');
    }, Math.max(10, Math.min(250, timeout / 4)));
    this.timers.push(check);
    if (interval > 0 && this.kind === 'bolt') {
      let beat = 0;
      this.timers.push(setInterval(() => this.sendHeartbeat(`hb${beat++}`), interval));
    }
  }

  private stopTimers(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
  }
}

/** Stable text for a message: the pid hidden, log/error text cut to its first line (stacks vary). */
function normalise(message: ChildMessage): string {
  if ('pid' in message) return JSON.stringify({ ...message, pid: '<pid>' });
  if ((message.command === 'log' || message.command === 'error') && typeof message.msg === 'string') {
    return JSON.stringify({ ...message, msg: message.msg.split('\n')[0] });
  }
  return JSON.stringify(message);
}

/** A handshake context for one task of a fixture component (TopologyContext's shell view). */
export function contextFor(componentId: string, taskId: number, sources: Record<string, Record<string, string[]>> = {}): Record<string, unknown> {
  return {
    taskid: taskId,
    componentid: componentId,
    'task->component': { '1': '__acker', '2': 'counter', [String(taskId)]: componentId, '4': 'next', '7': 'side' },
    streams: ['default'],
    'stream->outputfields': { default: ['n'] },
    'stream->target->grouping': {},
    'source->stream->grouping': { counter: { default: { type: 'SHUFFLE' } } },
    'source->stream->fields': { counter: { default: ['n'] }, ...sources },
  };
}

/** Reads a golden transcript; missing = undefined (expectGolden then fails or records). */
export function readGolden(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
