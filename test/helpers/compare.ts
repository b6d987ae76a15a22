/**
 * ‖a − b‖∞ / ‖a‖∞ (or ‖a − b‖∞ when a is all zeros): how far apart two
 * results are relative to their size, the measure the parity tolerances use.
 */
export function normwiseDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let diff = 0;
  let size = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    size = Math.max(size, Math.abs(a[i]));
  }
  return size === 0 ? diff : diff / size;
}
