import { Bolt, type Tuple } from 'squall';
import { Rankings } from '../lib/rankings.js';

/**
 * Ranks the words its share of the counters report (fields grouping on `word`) and, every
 * 2 s, emits its top `rankings.top.n` (default 10) for the total ranker.
 */
export default class IntermediateRankingsBolt extends Bolt {
  static outputs = { default: ['rankings'] };
  static config = { 'topology.tick.tuple.freq.secs': 2 };
  private rankings = new Rankings(10);

  override initialize(conf: Record<string, unknown>): void {
    this.rankings = new Rankings(Number(conf['rankings.top.n'] ?? 10));
  }

  process(tuple: Tuple): void {
    this.rankings.update(tuple.getString('word'), tuple.getNumber('count'));
    this.ack(tuple);
  }

  override tick(): void {
    this.emit([this.rankings.top()]);
    // Zeros were just passed on (the total ranker drops those words); no need to send them again.
    this.rankings.pruneZeroCounts();
  }
}
