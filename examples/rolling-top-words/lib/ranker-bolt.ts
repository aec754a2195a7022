import { Bolt, type Tuple } from 'squall';
import { Rankings } from './rankings.js';

/**
 * What both rankers share (storm-starter's AbstractRankerBolt): a ranking of the top
 * `rankings.top.n` words (default 10), a tick every 2 s, and every input acked once ranked.
 */
export abstract class RankerBolt extends Bolt {
  static outputs = { default: ['rankings'] };
  static config = { 'topology.tick.tuple.freq.secs': 2 };
  protected rankings = new Rankings(10);

  override initialize(conf: Record<string, unknown>): void {
    this.rankings = new Rankings(Number(conf['rankings.top.n'] ?? 10));
  }

  process(tuple: Tuple): void {
    this.rank(tuple);
    this.ack(tuple);
  }

  /** Folds one input tuple into the ranking. */
  protected abstract rank(tuple: Tuple): void;
}
