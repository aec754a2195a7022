import { Bolt, type Tuple } from 'squall';
import { formatRankings, Rankings, type Ranked } from '../lib/rankings.js';

/**
 * Merges the intermediate rankings (global grouping: one task sees them all) into the
 * topology-wide top `rankings.top.n`, and every 2 s logs it and emits it.
 */
export default class TotalRankingsBolt extends Bolt {
  static outputs = { default: ['rankings'] };
  static config = { 'topology.tick.tuple.freq.secs': 2 };
  private rankings = new Rankings(10);

  override initialize(conf: Record<string, unknown>): void {
    this.rankings = new Rankings(Number(conf['rankings.top.n'] ?? 10));
  }

  process(tuple: Tuple): void {
    this.rankings.merge(tuple.get('rankings') as Ranked[]);
    this.rankings.pruneZeroCounts();
    this.ack(tuple);
  }

  override tick(): void {
    const top = this.rankings.top();
    this.log.info(`top words: ${formatRankings(top)}`);
    this.emit([top]);
  }
}
