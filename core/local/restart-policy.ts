/**
 * When a dead task comes back: exponential backoff between restarts, and a crash-loop rule
 * that stops the run instead of spinning (Storm's supervisor would keep relaunching a worker
 * that dies on start forever; a local run should say so and stop).
 */

/** Tuning of restarts. */
export interface RestartOptions {
  /** First delay before a restart (ms). */
  initialDelayMs: number;
  /** Cap of the delay (ms). */
  maxDelayMs: number;
  /** This many crashes of one task inside `windowMs` is a crash loop. */
  crashLoopCrashes: number;
  windowMs: number;
}

/** Restart tuning of a local run unless overridden: 100 ms doubling to 5 s, 5 crashes in 30 s is a loop. */
export const DEFAULT_RESTART: RestartOptions = {
  initialDelayMs: 100,
  maxDelayMs: 5000,
  crashLoopCrashes: 5,
  windowMs: 30_000,
};

/** What to do after a crash. */
export type RestartDecision = { action: 'restart'; delayMs: number; attempt: number } | { action: 'give-up'; crashes: number; windowMs: number };

/** Crash history of one task. */
export class RestartPolicy {
  private crashes: number[] = [];

  constructor(private readonly options: RestartOptions = DEFAULT_RESTART) {}

  /** Records a crash at `now` and decides. */
  crashed(now: number): RestartDecision {
    this.crashes = this.crashes.filter((t) => now - t < this.options.windowMs);
    this.crashes.push(now);
    const recent = this.crashes.length;
    if (recent >= this.options.crashLoopCrashes) return { action: 'give-up', crashes: recent, windowMs: this.options.windowMs };
    const delayMs = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** (recent - 1));
    return { action: 'restart', delayMs, attempt: recent };
  }
}
