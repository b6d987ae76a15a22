// The checks the report's arguments share beyond validate.ts's: text and
// arrays. Each returns a copy, so what was checked is what is drawn.
import { DeltapropError, describeValue } from '../errors.js';

/** A string with something besides white space in it. */
export function checkText(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new DeltapropError(name, `expected a non-empty string, got ${describeValue(value)}`);
  return value;
}

/** An array (copied), of `length` entries when given. */
export function checkArray(name: string, value: unknown, length?: number): unknown[] {
  if (!Array.isArray(value)) throw new DeltapropError(name, `expected an array, got ${describeValue(value)}`);
  if (length !== undefined && value.length !== length) throw new DeltapropError(name, `expected ${length} entries, got ${value.length}`);
  return Array.from(value);
}

/** Class names: each a non-empty string, none twice (a table row per class must say which class it is). */
export function checkClassNames(names: readonly unknown[], nameOf: (i: number) => string): string[] {
  const seen = new Set<string>();
  return names.map((value, i) => {
    const label = checkText(nameOf(i), value);
    if (seen.has(label)) throw new DeltapropError(nameOf(i), `${describeValue(label)} appears twice; each class needs its own name`);
    seen.add(label);
    return label;
  });
}
