import { Spout } from 'squall';

const SENTENCES = [
  'the cow jumped over the moon',
  'an apple a day keeps the doctor away',
  'four score and seven years ago',
  'snow white and the seven dwarfs',
  'i am at two with nature',
];

/**
 * Emits random sentences, each with a message id so the tuple tree is tracked. The choice
 * uses `this.random()`, so `squall run --seed 7` (and the test harness) replays the same
 * sentences. `wordcount.sentences.limit` (default: none) stops after that many sentences.
 */
export default class RandomSentenceSpout extends Spout {
  static outputs = { default: ['sentence'] };
  private next = 0;
  private limit = Number.POSITIVE_INFINITY;
  private readonly pending = new Map<string, string>();

  override initialize(conf: Record<string, unknown>): void {
    const limit = Number(conf['wordcount.sentences.limit']);
    if (limit > 0) this.limit = limit;
  }

  nextTuple(): void {
    if (this.next >= this.limit) return;
    const sentence = SENTENCES[Math.floor(this.random() * SENTENCES.length)]!;
    const id = `sentence-${this.context.taskId}-${this.next++}`;
    this.pending.set(id, sentence);
    this.emit([sentence], { id });
  }

  override ack(id: string | number): void {
    this.pending.delete(String(id));
  }

  override fail(id: string | number): void {
    // Replay: emit the same sentence again under the same id.
    const sentence = this.pending.get(String(id));
    if (sentence !== undefined) this.emit([sentence], { id });
  }
}
