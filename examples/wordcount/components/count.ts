import { BasicBolt, type Tuple } from 'squall';

/** How many of a task's most frequent words a report lists. */
const TOP = 5;

/**
 * Counts words. Fields grouping on `word` sends every occurrence of a word to one task.
 * Every `wordcount.report.secs` (default 2; 0 = after every tuple) it logs its task's most
 * frequent words, so a run shows the counts as they grow. The clock is checked per tuple
 * rather than with a tick tuple so the topology file stays the book's plain wordcount.
 */
export default class WordCountBolt extends BasicBolt {
  static outputs = { default: ['word', 'count'] };
  private readonly counts = new Map<string, number>();
  private reportEveryMs = 2000;
  private nextReportAt = 0;

  override initialize(conf: Record<string, unknown>): void {
    this.reportEveryMs = Number(conf['wordcount.report.secs'] ?? 2) * 1000;
    this.nextReportAt = Date.now() + this.reportEveryMs;
  }

  process(tuple: Tuple): void {
    const word = tuple.getString('word');
    const count = (this.counts.get(word) ?? 0) + 1;
    this.counts.set(word, count);
    this.emit([word, count]);
    const now = Date.now();
    if (now >= this.nextReportAt) {
      this.nextReportAt = now + this.reportEveryMs;
      this.reportTop();
    }
  }

  private reportTop(): void {
    const top = [...this.counts].sort((a, b) => b[1] - a[1]).slice(0, TOP);
    this.log.info(`top ${top.length} of ${this.counts.size} words: ${top.map(([word, n]) => `${word} ${n}`).join(', ')}`);
  }
}
