/**
 * One task's child process, seen from the host: spawned the way a Storm worker spawns a shell
 * component (`[node, launcher]`, no shell, cwd = topology folder, env + topology.environment),
 * with multilang framing on stdin/stdout. Writes are batched: every message queued in one turn
 * of the event loop goes out in a single write, so the host makes no syscall per tuple.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { encodeMessage, FrameDecoder, FramingError } from '../common/multilang/framing.js';

/** The host's view of a running task, whatever runs it (a child process, or this process). */
export interface TaskChannel {
  readonly pid: number | undefined;
  readonly alive: boolean;
  /** The last few KB the task wrote to stderr. */
  readonly stderr: string;
  /** True when more input should wait (the pipe to the child is full). */
  readonly congested: boolean;
  onWritable?: () => void;
  /** Sends a protocol message (handshake, heartbeat, spout command). */
  send(message: unknown): void;
  /** Sends a tuple to a bolt (the hot path: no intermediate object). */
  sendTuple(id: string, component: string, stream: string, task: number, values: unknown[]): void;
  /** Sends the reply to an emit that asked for task ids. */
  sendTaskIds(tasks: number[]): void;
  pauseReading(): void;
  resumeReading(): void;
  kill(signal?: NodeJS.Signals): void;
  /** Stops the task; says how it ended: on EOF by itself, on SIGTERM, or killed. */
  stop(graceMs?: number): Promise<StopOutcome>;
}

/** How a stopped task ended: it exited on EOF, needed SIGTERM, needed SIGKILL, or was already gone. */
export type StopOutcome = 'exited' | 'terminated' | 'killed' | 'gone';

/** How to start one task. */
export interface TaskProcessOptions {
  /** The executable (Storm's execution_command); the current Node by default. */
  command?: string;
  /** Arguments before the script (e.g. `--inspect=127.0.0.1:0` for debugging). */
  execArgv?: string[];
  /** The launcher script: the same file that runs inside Storm. */
  script: string;
  cwd: string;
  env: Record<string, string | undefined>;
}

/** What the process reports to its owner. */
export interface TaskProcessHandlers {
  /** Decoded messages, in order, one call per chunk read. */
  onMessages(messages: unknown[]): void;
  /** Bytes on stdout that are not a multilang message: Storm treats this as fatal. */
  onProtocolError(error: FramingError): void;
  /** A line the child wrote to stderr. */
  onStderr(line: string): void;
  /** The process is gone (after onMessages has seen everything it wrote). */
  onExit(code: number | null, signal: NodeJS.Signals | null): void;
}

/** Keeps this much of the child's stderr, for crash reports. */
const STDERR_TAIL_CHARS = 4000;
/** Above this many bytes waiting in Node's buffer for the pipe, writes wait for 'drain'. */
const WRITE_HIGH_WATER = 64 * 1024;

/** A running child process speaking multilang. */
export class TaskProcess implements TaskChannel {
  private readonly child: ChildProcess;
  private readonly decoder = new FrameDecoder();
  private outgoing: string[] = [];
  private outgoingChars = 0;
  private flushScheduled = false;
  private waitingForDrain = false;
  private stderrTail = '';
  private stderrPartial = '';
  private exited = false;
  private broken = false;
  private readonly exitPromise: Promise<void>;
  /** Set when the host has stopped reading this child's stdout (backpressure). */
  private readingPaused = false;
  /** Called when the pipe to the child can take more writes. */
  onWritable?: () => void;

  constructor(options: TaskProcessOptions, private readonly handlers: TaskProcessHandlers) {
    this.child = spawn(options.command ?? process.execPath, [...(options.execArgv ?? []), options.script], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Own process group: a terminal's Ctrl-C reaches the engine only, which then stops each
      // task in order. If the engine itself dies, the child sees EOF on stdin and exits.
      detached: true,
    });
    this.child.stdout!.setEncoding('utf8');
    this.child.stderr!.setEncoding('utf8');
    this.child.stdout!.on('data', (chunk: string) => this.read(chunk));
    this.child.stderr!.on('data', (chunk: string) => this.readStderr(chunk));
    // EPIPE when the child dies mid-write: the exit handler reports it.
    this.child.stdin!.on('error', () => {});
    this.child.stdin!.on('drain', () => {
      this.waitingForDrain = false;
      this.flush();
      this.onWritable?.();
    });
    this.exitPromise = new Promise((resolve) => {
      // 'close' (not 'exit') so every byte of stdout and stderr has been read first.
      this.child.on('close', (code, signal) => {
        // After a spawn failure Node 20 still emits 'close' (code -2): the exit was reported.
        if (this.exited) return;
        this.exited = true;
        if (this.stderrPartial) this.emitStderrLine(this.stderrPartial);
        this.stderrPartial = '';
        handlers.onExit(code, signal);
        resolve();
      });
      this.child.on('error', (err) => {
        // Spawn failure (command or cwd not found): report it now, 'close' may or may not follow.
        // Later errors (a failed kill) come after 'close' and change nothing.
        if (this.exited) return;
        this.exited = true;
        this.stderrTail += `\n${err.message}`;
        handlers.onExit(null, null);
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** The last few KB the child wrote to stderr. */
  get stderr(): string {
    return this.stderrTail;
  }

  /** Resolves when the process has exited and its pipes are drained. */
  get exit(): Promise<void> {
    return this.exitPromise;
  }

  /** True when the pipe to the child is full enough that more input should wait. */
  get congested(): boolean {
    return this.waitingForDrain || this.outgoingChars + (this.child.stdin?.writableLength ?? 0) > WRITE_HIGH_WATER;
  }

  /** Queues a message; it is written with everything else queued in this turn. */
  send(message: unknown): void {
    this.sendEncoded(encodeMessage(message));
  }

  sendTuple(id: string, component: string, stream: string, task: number, values: unknown[]): void {
    this.sendEncoded(`{"id":"${id}","comp":${JSON.stringify(component)},"stream":${JSON.stringify(stream)},"task":${task},"tuple":${JSON.stringify(values)}}\nend\n`);
  }

  sendTaskIds(tasks: number[]): void {
    this.sendEncoded(`${JSON.stringify(tasks)}\nend\n`);
  }

  /** Queues an already-encoded message. */
  sendEncoded(text: string): void {
    if (this.exited || this.broken) return;
    this.outgoing.push(text);
    this.outgoingChars += text.length;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        const wasCongested = this.congested;
        this.flush();
        // Congestion that only came from this turn's batch ends with the write: say so, or a
        // bolt whose queue filled up while the batch was pending would never be pumped again.
        if (wasCongested && !this.congested) this.onWritable?.();
      });
    }
  }

  /** Stops reading the child's output until resume(): the child blocks when its pipe fills. */
  pauseReading(): void {
    if (this.readingPaused || this.exited) return;
    this.readingPaused = true;
    this.child.stdout!.pause();
  }

  resumeReading(): void {
    if (!this.readingPaused) return;
    this.readingPaused = false;
    this.child.stdout!.resume();
  }

  get paused(): boolean {
    return this.readingPaused;
  }

  /** Kills the process now (SIGKILL unless told otherwise). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.exited) return;
    this.child.kill(signal);
  }

  /** Closes stdin (the child sees EOF), then TERM, then KILL, each after a grace period. */
  async stop(graceMs = 1000): Promise<StopOutcome> {
    if (this.exited) return 'gone';
    this.flush();
    this.child.stdin?.end();
    const gone = await Promise.race([this.exitPromise.then(() => true), delay(graceMs / 2).then(() => false)]);
    if (gone) return 'exited';
    this.kill('SIGTERM');
    const termed = await Promise.race([this.exitPromise.then(() => true), delay(graceMs / 2).then(() => false)]);
    if (!termed) this.kill('SIGKILL');
    await this.exitPromise;
    return termed ? 'terminated' : 'killed';
  }

  private flush(): void {
    if (this.outgoing.length === 0 || this.exited || this.waitingForDrain) return;
    const text = this.outgoing.length === 1 ? this.outgoing[0]! : this.outgoing.join('');
    this.outgoing = [];
    this.outgoingChars = 0;
    const stdin = this.child.stdin!;
    if (stdin.destroyed || stdin.writableEnded) return;
    if (!stdin.write(text)) this.waitingForDrain = true;
  }

  private read(chunk: string): void {
    if (this.broken) return;
    let messages: unknown[];
    try {
      messages = this.decoder.push(chunk);
    } catch (err) {
      this.broken = true;
      this.handlers.onProtocolError(err instanceof FramingError ? err : new FramingError(String(err), chunk.slice(0, 200)));
      return;
    }
    if (messages.length > 0) this.handlers.onMessages(messages);
  }

  private readStderr(chunk: string): void {
    this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    const text = this.stderrPartial + chunk;
    const lines = text.split('\n');
    this.stderrPartial = lines.pop() ?? '';
    for (const line of lines) this.emitStderrLine(line);
  }

  private emitStderrLine(line: string): void {
    if (line.length > 0) this.handlers.onStderr(line);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
