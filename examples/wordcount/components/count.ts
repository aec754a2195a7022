import { BasicBolt, type Tuple } from 'squall';

/** Counts words. Fields grouping on `word` sends every occurrence of a word to one task. */
export default class WordCountBolt extends BasicBolt {
  static outputs = { default: ['word', 'count'] };
  private readonly counts = new Map<string, number>();

  process(tuple: Tuple): void {
    const word = tuple.getString('word');
    const count = (this.counts.get(word) ?? 0) + 1;
    this.counts.set(word, count);
    this.emit([word, count]);
  }
}
