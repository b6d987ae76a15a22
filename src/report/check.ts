// The checks the report's arguments share beyond validate.ts's: text and
// arrays. Each returns a copy, so what was checked is what is drawn.
import { DeltapropError, describeValue } from '../errors.js';
import { MAX_ELEMENTS } from '../matrix.js';
import { checkArray as copyArray } from '../validate.js';

/** A string with something besides white space in it. */
export function checkText(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new DeltapropError(name, `expected a non-empty string, got ${describeValue(value)}`);
  return value;
}

/** An array copied once (its length, then each entry), of `length` entries when given. */
export function checkArray(name: string, value: unknown, length?: number): unknown[] {
  const copy = copyArray(name, value, MAX_ELEMENTS, 'entries');
  if (length !== undefined && copy.length !== length) throw new DeltapropError(name, `expected ${length} entries, got ${copy.length}`);
  return copy;
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
