/**
 * The spout the harness runs in place of a real one when a test gives `spoutTuples`: it emits
 * the given tuples, one per nextTuple call, each once its virtual time has come.
 */
import { Spout } from '../component/index.js';
import type { FakeClock } from './fake-clock.js';

/** One tuple to feed: bare values, or values with a message id, stream and time. */
export type SpoutTupleInput =
  | unknown[]
  | {
      values: unknown[];
      /** Message id (default: the tuple's index in the list). */
      id?: string | number;
      /** Set false to emit without a message id (an unreliable tuple, never acked). */
      reliable?: boolean;
      stream?: string;
      /** Virtual time at which the tuple becomes available (default 0). */
      atMs?: number;
    };

interface FeedItem {
  values: unknown[];
  id?: string | number;
  stream?: string;
  atMs: number;
}

/** Normalises a spout's input list; items keep their order, each waits for its time. */
export function feedItems(inputs: readonly SpoutTupleInput[]): FeedItem[] {
  return inputs.map((input, index) => {
    if (Array.isArray(input)) return { values: input, id: index, atMs: 0 };
    return {
      values: input.values,
      id: input.reliable === false ? undefined : (input.id ?? index),
      stream: input.stream,
      atMs: input.atMs ?? 0,
    };
  });
}

/** Emits a fixed list of tuples in order; idle once the list is done or the next is not due. */
export class FeederSpout extends Spout {
  private next = 0;

  constructor(
    private readonly items: FeedItem[],
    private readonly clock: FakeClock,
  ) {
    super();
  }

  /** Virtual time of the next tuple still to emit, if it is in the future. */
  get nextDueMs(): number | undefined {
    const item = this.items[this.next];
    return item && item.atMs > this.clock.now() ? item.atMs : undefined;
  }

  /** True while some tuple has not been emitted yet. */
  get remaining(): boolean {
    return this.next < this.items.length;
  }

  nextTuple(): void {
    const item = this.items[this.next];
    if (!item || item.atMs > this.clock.now()) return;
    this.next++;
    this.emit(item.values, { id: item.id, stream: item.stream });
  }
}
