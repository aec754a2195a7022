/**
 * Counts over a sliding window made of slots: the window is `slots` slots wide, new counts go
 * into the head slot, and each advance drops the oldest slot. With one advance per tick of
 * `emitSecs`, the window covers `slots * emitSecs` seconds (storm-starter's
 * SlidingWindowCounter, in our own words).
 */
export class SlidingWindowCounter<K> {
  private readonly counts = new Map<K, number[]>();
  private head = 0;
  private advances = 0;

  constructor(readonly slots: number) {
    if (!Number.isInteger(slots) || slots < 2) throw new RangeError(`a sliding window needs at least 2 slots, got ${slots}`);
  }

  /** Counts one occurrence of `key` in the current slot. */
  increment(key: K, by = 1): void {
    let perSlot = this.counts.get(key);
    if (!perSlot) this.counts.set(key, (perSlot = new Array<number>(this.slots).fill(0)));
    perSlot[this.head]! += by;
  }

  /** Total of every key over the window (keys whose total fell to zero are included once). */
  totals(): Map<K, number> {
    const totals = new Map<K, number>();
    for (const [key, perSlot] of this.counts) totals.set(key, perSlot.reduce((a, b) => a + b, 0));
    return totals;
  }

  /**
   * Returns the totals, then moves the window on by one slot: keys with nothing left are
   * forgotten, and the oldest slot is cleared to become the new head.
   */
  totalsThenAdvance(): Map<K, number> {
    const totals = this.totals();
    for (const [key, total] of totals) if (total === 0) this.counts.delete(key);
    this.head = (this.head + 1) % this.slots;
    for (const perSlot of this.counts.values()) perSlot[this.head] = 0;
    this.advances++;
    return totals;
  }

  /** How many slots the window has really covered so far (less than `slots` at the start). */
  get filledSlots(): number {
    return Math.min(this.advances + 1, this.slots);
  }
}
