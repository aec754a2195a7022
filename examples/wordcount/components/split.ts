import { BasicBolt, type Tuple } from 'squall';

/** Splits a sentence into words; anchoring and acking are automatic (BasicBolt). */
export default class SplitSentenceBolt extends BasicBolt {
  static outputs = { default: ['word'] };

  process(tuple: Tuple): void {
    for (const word of tuple.getString('sentence').split(/\s+/)) {
      if (word) this.emit([word]);
    }
  }
}
