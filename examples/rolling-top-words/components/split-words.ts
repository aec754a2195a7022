import { BasicBolt, type Tuple } from 'squall';
import { eng, removeStopwords } from 'stopword';

/** Letters, with inner apostrophes (whale's, don't). */
const WORD = /\p{L}+(?:'\p{L}+)*/gu;

/**
 * Splits a line into lower-case words and drops English stop words (the `stopword` package's
 * list) and words shorter than `split.min.length` (default 3), so rankings show content words.
 */
export default class SplitWordsBolt extends BasicBolt {
  static outputs = { default: ['word'] };
  private minLength = 3;

  override initialize(conf: Record<string, unknown>): void {
    this.minLength = Number(conf['split.min.length'] ?? 3);
  }

  process(tuple: Tuple): void {
    const words = tuple.getString('line').toLowerCase().replace(/’/g, "'").match(WORD) ?? [];
    for (const word of removeStopwords(words, eng)) {
      if (word.length >= this.minLength) this.emit([word]);
    }
  }
}
