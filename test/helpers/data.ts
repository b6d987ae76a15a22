// Test data that does not depend on the library's own PRNG.

/** mulberry32: a tiny seeded generator, uniform in [0, 1). */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomArray(length: number, next: () => number, lo = -1, hi = 1): Float64Array {
  return Float64Array.from({ length }, () => lo + (hi - lo) * next());
}

export function randomRows(rows: number, cols: number, next: () => number, lo = -1, hi = 1): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => lo + (hi - lo) * next()));
}

/** One-hot rows of `classes` columns. */
export function oneHotRows(rows: number, classes: number, next: () => number): number[][] {
  return Array.from({ length: rows }, () => {
    const row = new Array<number>(classes).fill(0);
    row[Math.floor(next() * classes)] = 1;
    return row;
  });
}

/** max_i |a_i − b_i| / max(|a_i|, |b_i|, floor): the relative disagreement of two arrays. */
export function maxRelativeDifference(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-300): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const scale = Math.max(Math.abs(a[i]), Math.abs(b[i]), floor);
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / scale);
  }
  return worst;
}
