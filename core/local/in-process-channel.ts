/**
 * The in-process mode (`--in-process`): a task runs inside the engine's own process, driven
 * by the runtime's executors (core/component/runtime.ts), and exchanges the same messages a
 * child would — as objects, without JSON or pipes. The host side (bolt-task.ts, spout-task.ts)
 * is unchanged, so acking, anchoring, max pending, ticks and what is fatal stay the same.
 *
 * What is NOT the same as Storm, and why it is labelled: one thread runs everything, so a
 * component that blocks its thread blocks the whole topology (and the heartbeat rule cannot
 * single it out), a crash takes only the task's instance (not a process) and there is no pid.
 */
import { LOG_LEVELS, type HandshakeMessage, type LogLevelName } from '../common/multilang/messages.js';
import { BoltExecutor, ComponentCrash, SpoutExecutor, stackOf, type ComponentClass, type ComponentHost, type HostEmit } from '../component/runtime.js';
import { Bolt, Spout } from '../component/component.js';
import { TopologyContext } from '../component/context.js';
import { Tuple } from '../component/tuple.js';
import type { StopOutcome, TaskChannel, TaskProcessHandlers } from './task-process.js';

/** Tuples handed to an in-process bolt at once before it counts as congested. */
const INBOX_HIGH_WATER = 1024;

type Inbound = { id: string; component: string; stream: string; task: number; values: unknown[] } | { spout: string; messageId: unknown };

/** A task run by an executor in this process. */
export class InProcessChannel implements TaskChannel {
  readonly pid = undefined;
  onWritable?: () => void;
  private executor: BoltExecutor | SpoutExecutor | undefined;
  private context: TopologyContext | undefined;
  private inbox: Inbound[] = [];
  private inboxHead = 0;
  private outbox: unknown[] = [];
  private running = false;
  private scheduled = false;
  private flushScheduled = false;
  private dead = false;
  private readonly taskIdWaiters: Array<(tasks: number[]) => void> = [];
  private readonly fields = new Map<string, Map<string, readonly string[]>>();
  private readingPaused = false;
  /** Set once initialize() returned: only then does the inbox run. */
  private initialized = false;

  constructor(
    private readonly componentClass: ComponentClass,
    private readonly handlers: TaskProcessHandlers,
  ) {}

  get alive(): boolean {
    return !this.dead;
  }

  /** A task in this process writes nothing to a stderr of its own. */
  get stderr(): string {
    return '';
  }

  get congested(): boolean {
    return this.inbox.length - this.inboxHead >= INBOX_HIGH_WATER;
  }

  send(message: unknown): void {
    if (this.dead) return;
    if (!this.context) {
      void this.open(message as HandshakeMessage);
      return;
    }
    const m = message as { stream?: string; command?: string; id?: unknown };
    if (m.stream === '__heartbeat') {
      // Same thread as the engine: if we run at all, the component is not hung.
      this.post({ command: 'sync' });
      return;
    }
    if (m.command !== undefined) this.enqueue({ spout: m.command, messageId: m.id });
  }

  sendTuple(id: string, component: string, stream: string, task: number, values: unknown[]): void {
    if (this.dead) return;
    this.enqueue({ id, component, stream, task, values });
  }

  sendTaskIds(tasks: number[]): void {
    this.taskIdWaiters.shift()?.(tasks);
  }

  pauseReading(): void {
    this.readingPaused = true;
  }

  resumeReading(): void {
    if (!this.readingPaused) return;
    this.readingPaused = false;
    this.scheduleFlush();
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.end(null, signal);
  }

  /**
   * What closing a child's stdin does: the task ends, with no further call into the component.
   * (Calling deactivate() here would run beside a pending nextTuple, and twice after a drain.)
   */
  async stop(): Promise<StopOutcome> {
    const wasAlive = this.alive;
    this.end(0, null);
    return wasAlive ? 'exited' : 'gone';
  }

  private async open(handshake: HandshakeMessage): Promise<void> {
    this.context = new TopologyContext(handshake.context);
    // As a child does: the pid first, then the component's code (its constructor and
    // initialize() may log, or crash, as a started task); tuples wait until it is initialized.
    this.post({ pid: process.pid });
    const host = this.host();
    try {
      // The constructor is user code too (field initializers): a throw there is a crash of the task.
      const instance = new this.componentClass();
      if (instance instanceof Spout) this.executor = new SpoutExecutor(instance, host, handshake.conf, this.context);
      else if (instance instanceof Bolt) this.executor = new BoltExecutor(instance, host, handshake.conf, this.context);
      else throw new Error('the component class is neither a Spout nor a Bolt');
      await this.executor.initialize();
    } catch (error) {
      this.crash(error);
      return;
    }
    this.initialized = true;
    this.scheduleRun();
  }

  private host(): ComponentHost {
    return {
      emit: (values: unknown[], options: HostEmit) => {
        const message: Record<string, unknown> = { command: 'emit', tuple: values, need_task_ids: options.needTaskIds };
        if (options.stream !== undefined) message.stream = options.stream;
        if (options.anchors !== undefined) message.anchors = options.anchors;
        if (options.id !== undefined) message.id = options.id;
        if (options.directTask !== undefined) message.task = options.directTask;
        this.post(message);
        if (options.needTaskIds && options.directTask === undefined) return new Promise<number[]>((resolve) => this.taskIdWaiters.push(resolve));
        return undefined;
      },
      ack: (tuple) => this.post({ command: 'ack', id: tuple.id }),
      fail: (tuple) => this.post({ command: 'fail', id: tuple.id }),
      log: (level: LogLevelName, text: string) => this.post({ command: 'log', msg: text, level: LOG_LEVELS.indexOf(level) }),
      reportError: (text: string) => this.post({ command: 'error', msg: text }),
    };
  }

  private enqueue(item: Inbound): void {
    this.inbox.push(item);
    this.scheduleRun();
  }

  private scheduleRun(): void {
    if (!this.running && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.run();
      });
    }
  }

  /** Runs the inbox one item at a time, as Storm runs a component. */
  private async run(): Promise<void> {
    if (this.running || this.dead || !this.initialized) return;
    this.running = true;
    try {
      while (this.inboxHead < this.inbox.length && !this.dead) {
        const item = this.inbox[this.inboxHead]!;
        this.inbox[this.inboxHead++] = undefined as unknown as Inbound;
        if ('spout' in item) await this.runSpoutCommand(item.spout, item.messageId);
        else {
          const tuple = new Tuple(item.id, item.component, item.stream, item.task, item.values, this.fieldsOf(item.component, item.stream));
          const pending = (this.executor as BoltExecutor).deliver(tuple);
          if (pending) await pending;
        }
      }
    } catch (error) {
      this.crash(error);
    } finally {
      this.running = false;
    }
    if (this.inboxHead === this.inbox.length) {
      this.inbox = [];
      this.inboxHead = 0;
    }
    this.onWritable?.();
  }

  private async runSpoutCommand(command: string, messageId: unknown): Promise<void> {
    const spout = this.executor as SpoutExecutor;
    switch (command) {
      case 'next':
        await spout.nextTuple();
        break;
      case 'ack':
        await spout.ack(messageId as string | number);
        break;
      case 'fail':
        await spout.fail(messageId as string | number);
        break;
      case 'activate':
        await spout.activate();
        break;
      case 'deactivate':
        await spout.deactivate();
        break;
    }
    this.post({ command: 'sync' });
  }

  private fieldsOf(component: string, stream: string): readonly string[] {
    let byStream = this.fields.get(component);
    if (!byStream) this.fields.set(component, (byStream = new Map()));
    let fields = byStream.get(stream);
    if (!fields) byStream.set(stream, (fields = this.context!.sourceFields(component, stream)));
    return fields;
  }

  private post(message: unknown): void {
    if (this.dead) return;
    this.outbox.push(message);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      if (this.readingPaused || this.outbox.length === 0) return;
      const messages = this.outbox;
      this.outbox = [];
      this.handlers.onMessages(messages);
    });
  }

  private crash(error: unknown): void {
    const report = error instanceof ComponentCrash ? error.report() : stackOf(error);
    // Only the `error` message, worded as the child's launcher words it: the report is said once.
    const who = this.context ? `component '${this.context.componentId}', task ${this.context.taskId}: ` : '';
    this.post({ command: 'error', msg: `${who}${report}` });
    // Let the error reach the host before the "exit".
    queueMicrotask(() => queueMicrotask(() => this.end(1, null)));
  }

  private end(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.dead) return;
    if (this.outbox.length > 0 && !this.readingPaused) {
      const messages = this.outbox;
      this.outbox = [];
      this.handlers.onMessages(messages);
    }
    this.dead = true;
    this.inbox = [];
    this.inboxHead = 0;
    setImmediate(() => this.handlers.onExit(code, signal));
  }
}
