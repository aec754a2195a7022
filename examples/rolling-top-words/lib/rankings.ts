/**
 * The top N of a set of counted words. Rankings are plain data so they travel in a tuple
 * as JSON: `[{ word, count }, …]`, highest count first (ties by word, so the order is stable).
 */

/** One ranked word. */
export interface Ranked {
  word: string;
  count: number;
}

/** Keeps the `size` words with the highest counts. */
export class Rankings {
  private readonly counts = new Map<string, number>();

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`rankings need a size of at least 1, got ${size}`);
  }

  /** Sets a word's latest count (a newer count replaces the older one, it is not added). */
  update(word: string, count: number): void {
    this.counts.set(word, count);
    this.trim();
  }

  /** Merges another ranking's entries (their counts replace ours for the same word). */
  merge(entries: readonly Ranked[]): void {
    for (const { word, count } of entries) this.counts.set(word, count);
    this.trim();
  }

  /** Forgets words whose count fell to zero (they left the window). */
  pruneZeroCounts(): void {
    for (const [word, count] of this.counts) if (count <= 0) this.counts.delete(word);
  }

  /** The ranking, best first. */
  top(): Ranked[] {
    return [...this.counts].map(([word, count]) => ({ word, count })).sort(compareRanked);
  }

  private trim(): void {
    if (this.counts.size <= this.size) return;
    for (const { word } of this.top().slice(this.size)) this.counts.delete(word);
  }
}

/** Highest count first; equal counts in word order. */
export function compareRanked(a: Ranked, b: Ranked): number {
  return b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0);
}

/** `1. whale (12), 2. sea (9)` — how the total ranker logs the top words. */
export function formatRankings(entries: readonly Ranked[]): string {
  return entries.length === 0 ? '(no words in the window)' : entries.map((r, i) => `${i + 1}. ${r.word} (${r.count})`).join(', ');
}
