/**
 * Virtual time for the in-process harness. Ticks, message timeouts and timed spout input
 * follow this clock, never the wall clock, so a test of a 30-second window runs in
 * milliseconds and gives the same result every time.
 */
export class FakeClock {
  private current: number;

  constructor(startMs = 0) {
    this.current = startMs;
  }

  /** Current virtual time in milliseconds. */
  now(): number {
    return this.current;
  }

  /** Moves time forward to `ms` (never backwards). */
  advanceTo(ms: number): void {
    if (ms > this.current) this.current = ms;
  }

  /** Moves time forward by `ms`. */
  advance(ms: number): void {
    this.advanceTo(this.current + ms);
  }
}
