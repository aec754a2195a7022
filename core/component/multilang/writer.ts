/**
 * Batched protocol output. Messages sent during one turn of the event loop leave in one
 * write (one syscall), not one each; when the pipe is full, batches wait for 'drain' and
 * the caller is told to stop reading input, which bounds memory the way Storm's own
 * `topology.shellbolt.max.pending` bounds the JVM side.
 */

/** Messages after which a batch is written without waiting for the end of the turn. */
const EARLY_FLUSH_MESSAGES = 128;

/**
 * Largest write, in characters. What the pipe does not take at once, Node copies into a native
 * buffer as large as the rest of the write; after a long wait for drain the queue can hold
 * megabytes, and one write of all of it would need a native copy that large.
 */
export const MAX_WRITE_CHARS = 64 * 1024;

/** Where batches go: returns false when the destination asks to wait for drain. */
export interface WriteTarget {
  write(text: string, done: () => void): boolean;
  onDrain(listener: () => void): void;
}

/** Batches encoded messages and writes them once per event-loop turn. */
export class ProtocolWriter {
  private parts: string[] = [];
  private scheduled = false;
  private blocked = false;
  private lastWrite: Promise<void> = Promise.resolve();
  private readonly drainWaiters: Array<() => void> = [];

  constructor(
    private readonly target: WriteTarget,
    /** Called with true when output is backed up (stop reading), false when it drained. */
    private readonly onBackpressure: (blocked: boolean) => void = () => {},
  ) {
    target.onDrain(() => {
      this.blocked = false;
      this.onBackpressure(false);
      for (const waiter of this.drainWaiters.splice(0)) waiter();
      this.flush();
    });
  }

  /** Queues one encoded message (JSON + `\nend\n`). */
  send(encoded: string): void {
    // A long batch leaves early: the host can refill its window while we keep working.
    if (this.parts.push(encoded) >= EARLY_FLUSH_MESSAGES) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushScheduled);
    }
  }

  private readonly flushScheduled = (): void => {
    this.scheduled = false;
    this.flush();
  };

  /** Writes everything queued now, in writes of at most MAX_WRITE_CHARS, until the target asks to wait for drain. */
  flush(): void {
    while (!this.blocked && this.parts.length > 0) {
      let count = 1;
      let size = this.parts[0]!.length;
      while (count < this.parts.length && size + this.parts[count]!.length <= MAX_WRITE_CHARS) size += this.parts[count++]!.length;
      const text = count === 1 ? this.parts[0]! : this.parts.slice(0, count).join('');
      if (count === this.parts.length) this.parts = [];
      else this.parts.splice(0, count);
      let resolve!: () => void;
      this.lastWrite = new Promise<void>((r) => (resolve = r));
      if (!this.target.write(text, resolve)) {
        this.blocked = true;
        this.onBackpressure(true);
      }
    }
  }

  /** Writes what is queued and resolves once the target has taken all of it (before exit). */
  async drain(): Promise<void> {
    while (this.parts.length > 0 || this.blocked) {
      if (this.blocked) await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
      else this.flush();
    }
    await this.lastWrite;
  }
}

/** A WriteTarget over a Node writable stream (process.stdout or a pipe socket). */
export function streamTarget(stream: NodeJS.WritableStream, write: (text: string, done: () => void) => boolean): WriteTarget {
  return {
    write,
    onDrain: (listener) => void stream.on('drain', listener),
  };
}
