/**
 * A latency histogram with logarithmic buckets (the HdrHistogram idea, small and pure):
 * values below 2^SUB_BITS are exact; above, every power of two is split into 2^SUB_BITS
 * linear buckets, so any recorded value is reported within 1/2^SUB_BITS (~1.6 %) of itself.
 * Recording is one Math.clz32 and an array increment, cheap enough for every tuple.
 * Values are whole microseconds (fractions are truncated); anything past ~2^31 µs (35 min)
 * is clamped to ~2^31 µs and still counted.
 */

const SUB_BITS = 6;
const SUB_COUNT = 1 << SUB_BITS;
/** Highest power of two we keep buckets for (values are 32-bit unsigned µs). */
const TOP_EXPONENT = 31;
const BUCKET_COUNT = SUB_COUNT + (TOP_EXPONENT - SUB_BITS + 1) * SUB_COUNT;

function bucketOf(value: number): number {
  if (value < SUB_COUNT) return value < 0 ? 0 : value;
  const clamped = value >= 0x7fffffff ? 0x7fffffff : value;
  const exponent = 31 - Math.clz32(clamped); // floor(log2 v), ≥ SUB_BITS
  const shift = exponent - SUB_BITS;
  const sub = (clamped >>> shift) - SUB_COUNT; // 0..SUB_COUNT-1
  return SUB_COUNT + shift * SUB_COUNT + sub;
}

/** Upper edge of a bucket: the value reported for every sample in it. */
function bucketValue(index: number): number {
  if (index < SUB_COUNT) return index;
  const shift = Math.floor((index - SUB_COUNT) / SUB_COUNT);
  const sub = (index - SUB_COUNT) % SUB_COUNT;
  return ((SUB_COUNT + sub + 1) * 2 ** shift) - 1;
}

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
  private buckets = new Float64Array(BUCKET_COUNT);
  private total = 0;
  private sum = 0;
  private maximum = 0;

  /** Records one sample, in microseconds. */
  record(micros: number): void {
    const value = micros >= 0x7fffffff ? 0x7fffffff : micros > 0 ? micros | 0 : 0;
    this.buckets[bucketOf(value)]!++;
    this.total++;
    this.sum += value;
    if (value > this.maximum) this.maximum = value;
  }

  get count(): number {
    return this.total;
  }

  /** Largest recorded sample, exact, in microseconds. */
  get max(): number {
    return this.maximum;
  }

  /** Mean in microseconds (0 when empty). */
  get mean(): number {
    return this.total === 0 ? 0 : this.sum / this.total;
  }

  /** The value at quantile q (0..1) in microseconds, within bucket precision; never above max. */
  percentile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKET_COUNT; i++) {
      seen += this.buckets[i]!;
      if (seen >= rank) return Math.min(bucketValue(i), this.maximum);
    }
    return this.maximum;
  }

  /** Adds every sample of another histogram to this one. */
  merge(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKET_COUNT; i++) this.buckets[i]! += other.buckets[i]!;
    this.total += other.total;
    this.sum += other.sum;
    if (other.maximum > this.maximum) this.maximum = other.maximum;
  }

  reset(): void {
    this.buckets.fill(0);
    this.total = 0;
    this.sum = 0;
    this.maximum = 0;
  }

  /** The figures Storm UI would show, in milliseconds. */
  summary(): LatencySummary {
    const ms = (micros: number) => Math.round(micros) / 1000;
    return {
      count: this.total,
      meanMs: ms(this.mean),
      p50Ms: ms(this.percentile(0.5)),
      p95Ms: ms(this.percentile(0.95)),
      p99Ms: ms(this.percentile(0.99)),
      maxMs: ms(this.maximum),
    };
  }
}
