import { Bolt, type Tuple } from 'squall';
import { SlidingWindowCounter } from '../lib/sliding-window.js';

/**
 * Counts each word over a sliding window (`rolling.window.secs`, default 9) and, on every
 * tick (every 3 s), emits the count of every word seen in the window, then slides the window
 * by one tick. A word that left the window is emitted once more with count 0, so the rankers
 * downstream can drop it. Fields grouping on `word` gives each word one counter task.
 */
export default class RollingCountBolt extends Bolt {
  static outputs = { default: ['word', 'count', 'windowSecs'] };
  static config = { 'topology.tick.tuple.freq.secs': 3 };
  private counter = new SlidingWindowCounter<string>(3);
  private emitSecs = 3;

  override initialize(conf: Record<string, unknown>): void {
    this.emitSecs = Number(conf['topology.tick.tuple.freq.secs'] ?? 3);
    const windowSecs = Number(conf['rolling.window.secs'] ?? 9);
    this.counter = new SlidingWindowCounter<string>(Math.max(2, Math.round(windowSecs / this.emitSecs)));
  }

  process(tuple: Tuple): void {
    this.counter.increment(tuple.getString('word'));
    this.ack(tuple);
  }

  override tick(): void {
    // The first ticks cover less than the full window: say how much was really counted.
    const windowSecs = this.counter.filledSlots * this.emitSecs;
    for (const [word, count] of this.counter.totalsThenAdvance()) this.emit([word, count, windowSecs]);
  }
}
