import type { Tuple } from 'squall';
import { RankerBolt } from '../lib/ranker-bolt.js';

/**
 * Ranks the words its share of the counters report (fields grouping on `word`) and, every
 * 2 s, emits its top `rankings.top.n` (default 10) for the total ranker.
 */
export default class IntermediateRankingsBolt extends RankerBolt {
  protected rank(tuple: Tuple): void {
    this.rankings.update(tuple.getString('word'), tuple.getNumber('count'));
  }

  override tick(): void {
    this.emit([this.rankings.top()]);
    // Zeros were just passed on (the total ranker drops those words); no need to send them again.
    this.rankings.pruneZeroCounts();
  }
}
