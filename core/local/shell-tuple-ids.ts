/**
 * Ids the host gives the tuples it writes to a bolt child. Storm's ShellBolt sends
 * `Long.toString(random.nextLong())`: 17–20 characters of signed decimal. Ours keep that
 * shape (a child that parses or stores them sees what it will see in Storm) and stay unique
 * per task without per-tuple randomness: a random signed 10-digit head, then a 9-digit counter.
 * Short ids like "1", "2", … would also cost each child memory: V8's JSON.parse interns
 * strings up to 10 characters in a table that only a full GC shrinks.
 */
export class ShellTupleIds {
  private head = '';
  private count = 0;

  constructor(private readonly random: () => number = Math.random) {
    this.rotate();
  }

  /** The next id: `-4611686018000000123`-like, never repeating within this generator. */
  next(): string {
    if (++this.count > 999_999_999) this.rotate();
    return this.head + String(this.count).padStart(9, '0');
  }

  /** A new head: |head| ≤ 9,223,372,035 keeps head × 10⁹ + 999,999,999 within a Java long. */
  private rotate(): void {
    const previous = this.head;
    do {
      const magnitude = 1_000_000_000 + Math.floor(this.random() * 8_223_372_035);
      this.head = `${this.random() < 0.5 ? '-' : ''}${magnitude}`;
    } while (this.head === previous);
    this.count = 1;
  }
}
