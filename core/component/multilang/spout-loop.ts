import type { SpoutCommandMessage } from '../../common/multilang/messages.js';
import type { SpoutExecutor } from '../executor/spout-executor.js';
import type { LoopEvents } from './bolt-loop.js';
import type { WireHost } from './wire-host.js';

/**
 * How long a spout whose nextTuple emitted nothing waits before its `sync`. ShellSpout calls
 * `next` again as soon as it reads the sync; without a pause an idle spout spins both the JVM
 * executor and the child. One millisecond is what Storm's own adapters use, short enough not
 * to delay a spout whose source just got data.
 */
export const IDLE_PAUSE_MS = 1;

const commands = new Set(['next', 'ack', 'fail', 'activate', 'deactivate']);

/**
 * Maps ShellSpout's strict ping-pong onto a SpoutExecutor: one command at a time, whatever
 * the spout emits or logs, then exactly one `sync`. Task-id replies (which Storm sends right
 * after each emit that asked) go straight to the waiting emit.
 */
export class SpoutLoop {
  private readonly queue: SpoutCommandMessage[] = [];
  private running = true; // until start()

  constructor(
    private readonly executor: SpoutExecutor,
    private readonly host: WireHost,
    private readonly events: LoopEvents,
  ) {}

  /** Begins answering commands (after initialize). */
  start(): void {
    this.running = false;
    void this.drain();
  }

  /** Handles a batch of decoded messages from the host. */
  receive(messages: unknown[]): void {
    for (const message of messages) {
      if (Array.isArray(message)) {
        const unexpected = this.host.acceptTaskIds(message);
        if (!unexpected) continue;
        this.events.malformed(unexpected);
        return;
      }
      const m = message as Partial<SpoutCommandMessage> | null;
      if (!m || typeof m !== 'object' || typeof m.command !== 'string' || !commands.has(m.command)) {
        this.events.malformed(new Error(`expected a spout command (next, ack, fail, activate, deactivate), got ${JSON.stringify(message)?.slice(0, 200)}`));
        return;
      }
      if ((m.command === 'ack' || m.command === 'fail') && m.id === undefined) {
        this.events.malformed(new Error(`spout ${m.command} without an "id"`));
        return;
      }
      this.queue.push(m as SpoutCommandMessage);
    }
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0) {
      const command = this.queue.shift()!;
      try {
        await this.execute(command);
      } catch (error) {
        this.events.crash(error);
        return; // stay "running": nothing more is answered on a crashing spout
      }
      this.host.sync();
    }
    this.running = false;
  }

  private async execute(command: SpoutCommandMessage): Promise<void> {
    switch (command.command) {
      case 'next':
        this.executor.takeEmitCount();
        await this.executor.nextTuple();
        if (this.executor.takeEmitCount() === 0) await new Promise((resolve) => setTimeout(resolve, IDLE_PAUSE_MS));
        return;
      case 'ack':
        return this.executor.ack(command.id!);
      case 'fail':
        return this.executor.fail(command.id!);
      case 'activate':
        return this.executor.activate();
      case 'deactivate':
        return this.executor.deactivate();
    }
  }
}
