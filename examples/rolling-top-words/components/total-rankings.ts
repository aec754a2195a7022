import type { Tuple } from 'squall';
import { formatRankings, type Ranked } from '../lib/rankings.js';
import { RankerBolt } from '../lib/ranker-bolt.js';

/**
 * Merges the intermediate rankings (global grouping: one task sees them all) into the
 * topology-wide top `rankings.top.n`, and every 2 s logs it and emits it.
 */
export default class TotalRankingsBolt extends RankerBolt {
  protected rank(tuple: Tuple): void {
    this.rankings.merge(tuple.get('rankings') as Ranked[]);
    this.rankings.pruneZeroCounts();
  }

  override tick(): void {
    const top = this.rankings.top();
    this.log.info(`top words: ${formatRankings(top)}`);
    this.emit([top]);
  }
}
