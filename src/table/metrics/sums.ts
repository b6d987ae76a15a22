// The sums a metric is made of, compensated (Neumaier): a running double sum
// of n terms can drift by up to n ulps, which over a million rows may be
// 1e-10 away from scikit-learn (numpy sums pairwise, drifting less); carrying
// the lost low-order bits alongside keeps each total within an ulp or two of
// the exact one, whatever the number of rows or their order.

/** Compensated sums in numbered slots (a slot per label, per output, ...). */
export class Sums {
  private readonly high: Float64Array;
  private readonly low: Float64Array;

  constructor(slots = 1) {
    this.high = new Float64Array(slots);
    this.low = new Float64Array(slots);
  }

  add(slot: number, x: number): void {
    const s = this.high[slot];
    const t = s + x;
    this.low[slot] += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    this.high[slot] = t;
  }

  get(slot: number): number {
    return this.high[slot] + this.low[slot];
  }

  clear(): void {
    this.high.fill(0);
    this.low.fill(0);
  }

  /** Every slot's total, in slot order. */
  all(): number[] {
    return Array.from(this.high, (h, i) => h + this.low[i]);
  }
}

/** The compensated sum of `values`. */
export function sum(values: ArrayLike<number>): number {
  const s = new Sums();
  for (let i = 0; i < values.length; i++) s.add(0, values[i]);
  return s.get(0);
}

/** The plain mean of `values` (scikit-learn's uniform average over labels or outputs). */
export function mean(values: ArrayLike<number>): number {
  return sum(values) / values.length;
}
