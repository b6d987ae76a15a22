// The charts' axes: which scale, its domain and its ticks. Pure arithmetic,
// apart from the SVG, so the choices (log or not, where ticks fall) can be
// reasoned about and tested on their own.

export interface Scale {
  readonly kind: 'linear' | 'log';
  /** The ends of the axis, low first. */
  readonly domain: readonly [number, number];
  /** Labelled positions, low first. */
  readonly ticks: readonly number[];
  /** Unlabelled grid lines (the 2…9 between a log axis's decades). */
  readonly minorTicks: readonly number[];
  /** Where a value falls along the axis, 0 at domain[0] and 1 at domain[1]. */
  position(value: number): number;
}

/**
 * A log axis once the values span more than two decades: a loss that falls
 * from 2 to 0.001 on a linear axis is a cliff then a flat line on the floor,
 * hiding everything after the first few epochs; on a log axis a steady
 * improvement reads as a steady slope. Below 100× a linear axis is the easier
 * read. Zero or negative values rule a log axis out.
 */
export const LOG_SCALE_RATIO = 100;

/** 1, 2 or 5 times a power of ten, the smallest such ≥ x. */
function niceStep(x: number): number {
  const power = 10 ** Math.floor(Math.log10(x));
  const fraction = x / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

/** Rounds away the binary noise of i × step (0.30000000000000004). */
const clean = (x: number) => Number(x.toPrecision(12));

/** A linear axis from nice ticks around [min, max], cut to `bounds` (e.g. [0, 1] for accuracy) when given. */
export function linearScale(min: number, max: number, bounds?: readonly [number, number], targetTicks = 5): Scale {
  let lo = min;
  let hi = max;
  if (lo === hi) {
    // One value: centre it in a band that still shows its magnitude.
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep((hi - lo) / targetTicks);
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  if (bounds !== undefined) {
    lo = Math.max(lo, bounds[0]);
    hi = Math.min(hi, bounds[1]);
  }
  const ticks: number[] = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) ticks.push(clean(i * step));
  return { kind: 'linear', domain: [lo, hi], ticks, minorTicks: [], position: (v) => (v - lo) / (hi - lo) };
}

/** A log axis from the decade at or below min to the one at or above max. */
export function logScale(min: number, max: number): Scale {
  const first = Math.floor(Math.log10(min));
  const last = Math.max(Math.ceil(Math.log10(max)), first + 1);
  // At most about 6 labels; with more decades than that, label every few.
  const every = Math.ceil((last - first) / 6);
  const ticks: number[] = [];
  const minorTicks: number[] = [];
  for (let k = first; k <= last; k++) {
    if ((k - first) % every === 0) ticks.push(clean(10 ** k));
    if (every === 1 && k < last) for (let m = 2; m <= 9; m++) minorTicks.push(clean(m * 10 ** k));
  }
  const span = last - first;
  return { kind: 'log', domain: [10 ** first, 10 ** last], ticks, minorTicks, position: (v) => (Math.log10(v) - first) / span };
}

/** The axis for these values (at least one): log beyond LOG_SCALE_RATIO when all are positive and `allowLog`. */
export function valueScale(values: readonly number[], options: { allowLog: boolean; bounds?: readonly [number, number] }): Scale {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    // NaN and ±Infinity are gaps in the line: left out of the axis.
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // A series of gaps alone gets the bounds where they are finite, or [0, 1].
  if (min > max) {
    const [low, high] = options.bounds ?? [0, 1];
    [min, max] = Number.isFinite(low) ? [low, Number.isFinite(high) ? high : low + 1] : [Number.isFinite(high) ? high - 1 : 0, Number.isFinite(high) ? high : 1];
  }
  if (options.allowLog && min > 0 && max / min > LOG_SCALE_RATIO) return logScale(min, max);
  return linearScale(min, max, options.bounds);
}

/**
 * The epoch axis in epochs as shown: 1 to the last. Ticks fall on whole
 * multiples of a nice step (10, 20, 30…), as a reader counts; epoch 1 is
 * labelled too unless it would crowd the first multiple (a step of 2).
 */
export function epochScale(epochs: number): Scale {
  const last = Math.max(epochs, 2);
  const step = Math.max(1, niceStep((last - 1) / 6));
  const ticks: number[] = step > 2 ? [1] : [];
  // Up to `epochs`, not `last`: a single epoch is one tick, not two drawn on top of each other.
  for (let e = step; e <= epochs; e += step) ticks.push(e);
  return { kind: 'linear', domain: [1, last], ticks, minorTicks: [], position: (v) => (v - 1) / (last - 1) };
}
