/**
 * A small log-bucket latency histogram in the manner of HDR: values (microseconds,
 * whole numbers) below 128 are counted exactly; above, each power of two is split
 * into 64 buckets, so a reported value is never more than 1/64 (1.6 %) above the
 * true one. Percentiles report the bucket's highest value (never below the truth),
 * capped by the exact maximum. Counts are a plain array, so worker threads can post
 * them and the main thread can merge them.
 */
const SUB = 64; // buckets per power of two above the exact range
const EXACT = 2 * SUB; // 0..127 counted one by one
const MAX_SHIFT = 40; // up to ~2^47 µs: far beyond any run

export function bucketOf(value: number): number {
  const v = Math.max(0, Math.floor(value));
  if (v < EXACT) return v;
  const shift = Math.min(MAX_SHIFT, Math.floor(Math.log2(v)) - 6); // v >> shift lies in [64, 127]
  let m = Math.floor(v / 2 ** shift);
  // Guard against floating-point rounding at powers of two.
  if (m >= EXACT) return EXACT + shift * SUB + (Math.floor(m / 2) - SUB);
  if (m < SUB) m = SUB;
  return EXACT + (shift - 1) * SUB + (m - SUB);
}

/** The highest value that falls in bucket `index`. */
export function bucketHigh(index: number): number {
  if (index < EXACT) return index;
  const shift = Math.floor((index - EXACT) / SUB) + 1;
  const m = ((index - EXACT) % SUB) + SUB;
  return (m + 1) * 2 ** shift - 1;
}

export interface HistogramData {
  counts: number[];
  count: number;
  min: number;
  max: number;
  sum: number;
}

export class Histogram {
  counts: number[] = [];
  count = 0;
  min = Infinity;
  max = 0;
  sum = 0;

  static from(data: HistogramData): Histogram {
    const h = new Histogram();
    h.merge(data);
    return h;
  }

  /** Records a value in microseconds. */
  record(micros: number): void {
    const v = Math.max(0, Math.round(micros));
    const b = bucketOf(v);
    while (this.counts.length <= b) this.counts.push(0);
    this.counts[b]!++;
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  merge(other: HistogramData): void {
    while (this.counts.length < other.counts.length) this.counts.push(0);
    other.counts.forEach((c, i) => (this.counts[i]! += c));
    this.count += other.count;
    this.sum += other.sum;
    if (other.count > 0) {
      this.min = Math.min(this.min, other.min);
      this.max = Math.max(this.max, other.max);
    }
  }

  /** The value at percentile p (0–100), in microseconds; 0 when empty. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(bucketHigh(i), this.max);
    }
    return this.max;
  }

  mean(): number {
    return this.count ? this.sum / this.count : 0;
  }

  toJSON(): HistogramData {
    return { counts: this.counts, count: this.count, min: this.count ? this.min : 0, max: this.max, sum: this.sum };
  }

  /** p50/p95/p99/max in milliseconds, rounded to 0.01 ms. */
  summary(): { count: number; p50: number; p95: number; p99: number; max: number; mean: number } {
    const ms = (us: number) => Math.round(us / 10) / 100;
    return { count: this.count, p50: ms(this.percentile(50)), p95: ms(this.percentile(95)), p99: ms(this.percentile(99)), max: ms(this.max), mean: ms(this.mean()) };
  }
}
