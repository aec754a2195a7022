/**
 * A latency histogram for process and complete latency, backed by HdrHistogram
 * (hdr-histogram-js, its pure JavaScript implementation: synchronous, no WebAssembly to load).
 * Two significant digits: values below 256 µs are exact and any other value is reported within
 * 1/128 (~0.8 %) of itself, in ~25 KB per histogram. Values are whole microseconds (fractions
 * are truncated); anything past ~2^31 µs (35 min) is clamped to ~2^31 µs and still counted.
 * The exact maximum and the sum (for the mean) are kept beside the buckets, because
 * HdrHistogram reports both only to bucket precision.
 */
import { Float64Histogram } from 'hdr-histogram-js';

/** Largest value kept, in µs: 2^31 - 1 (the range the histogram is sized for, no resizing). */
const HIGHEST = 0x7fffffff;
const SIGNIFICANT_DIGITS = 2;

/** p50/p95/p99/max of a histogram, in milliseconds (what Storm UI shows). */
export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Records latencies in microseconds; reports percentiles. Mergeable, resettable. */
export class LatencyHistogram {
  // Float64 counts: a long run of a fast task would overflow 32-bit counters.
  private readonly buckets = new Float64Histogram(1, HIGHEST, SIGNIFICANT_DIGITS);
  private sum = 0;
  private maximum = 0;

  /** Records one sample, in microseconds. */
  record(micros: number): void {
    const value = micros >= HIGHEST ? HIGHEST : micros > 0 ? micros | 0 : 0;
    this.buckets.recordValue(value);
    this.sum += value;
    if (value > this.maximum) this.maximum = value;
  }

  get count(): number {
    return this.buckets.totalCount;
  }

  /** Largest recorded sample, exact, in microseconds. */
  get max(): number {
    return this.maximum;
  }

  /** Mean in microseconds (0 when empty). */
  get mean(): number {
    const total = this.buckets.totalCount;
    return total === 0 ? 0 : this.sum / total;
  }

  /** The value at quantile q (0..1) in microseconds, within bucket precision; never above max. */
  percentile(q: number): number {
    if (this.buckets.totalCount === 0) return 0;
    return Math.min(this.buckets.getValueAtPercentile(q * 100), this.maximum);
  }

  /** Adds every sample of another histogram to this one. */
  merge(other: LatencyHistogram): void {
    this.buckets.add(other.buckets);
    this.sum += other.sum;
    if (other.maximum > this.maximum) this.maximum = other.maximum;
  }

  reset(): void {
    this.buckets.reset();
    this.sum = 0;
    this.maximum = 0;
  }

  /** The figures Storm UI would show, in milliseconds. */
  summary(): LatencySummary {
    const ms = (micros: number) => Math.round(micros) / 1000;
    return {
      count: this.count,
      meanMs: ms(this.mean),
      p50Ms: ms(this.percentile(0.5)),
      p95Ms: ms(this.percentile(0.95)),
      p99Ms: ms(this.percentile(0.99)),
      maxMs: ms(this.maximum),
    };
  }
}
