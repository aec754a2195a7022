import { BasicBolt, type Tuple } from 'squall';

/**
 * Keeps each user's running total of `amount` for `buy` events (fields grouping on `user`
 * gives every user one task) and emits it after each purchase.
 */
export default class UserTotalsBolt extends BasicBolt {
  static outputs = { default: ['user', 'total'] };
  private readonly totals = new Map<string, number>();

  process(tuple: Tuple): void {
    if (tuple.get('action') !== 'buy') return;
    const user = tuple.getString('user');
    const total = (this.totals.get(user) ?? 0) + tuple.getNumber('amount');
    this.totals.set(user, total);
    this.emit([user, total]);
    this.log.info(`${user} has spent ${total}`);
  }
}
