// Class labels and category values as users write them: strings, finite
// numbers or booleans, compared as written (1 and '1' are two labels; −0 is
// 0). One order for every sorted list of them (a network's classes, a
// column's categories, the labels metrics report on), so that the same
// values always come out in the same order, on any machine and locale:
// numbers ascending, then strings by UTF-16 code units, then false, true.

/** A class label or category value. */
export type Label = string | number | boolean;

/** Whether `value` can be a label: a string, a finite number or a boolean. */
export function isLabel(value: unknown): value is Label {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

const RANK = { number: 0, string: 1, boolean: 2 } as const;

/** Negative when a sorts before b, 0 when they are the same label, positive after. */
export function compareLabels(a: Label, b: Label): number {
  const ra = RANK[typeof a as keyof typeof RANK];
  const rb = RANK[typeof b as keyof typeof RANK];
  if (ra !== rb) return ra - rb;
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** The distinct labels of `values`, sorted by compareLabels (−0 counts as 0). */
export function sortedLabels(values: Iterable<Label>): Label[] {
  const distinct = new Set<Label>();
  for (const v of values) distinct.add(typeof v === 'number' && v === 0 ? 0 : v);
  return [...distinct].sort(compareLabels);
}
