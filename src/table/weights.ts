// Per-row weights: sampleWeight as given, classWeight turned into each row's
// weight by its class, and the two multiplied. The engines take one weight a
// row; with reduction 'mean' a minibatch's loss is Σ wᵢ lᵢ / Σ wᵢ.
import { DeltapropError, describeValue } from '../errors.js';
import type { Matrix } from '../matrix.js';
import type { Label } from './label-order.js';
import { describeArray, genuineFloat64Array } from '../validate.js';

/** What fit's classWeight takes: 'balanced', or a weight per class label (by class index for a network without labels). */
export type ClassWeight = 'balanced' | { readonly [label: string]: number } | ReadonlyMap<Label, number>;

/** A finite weight ≥ 0 per row, copied (each value read once). */
export function checkSampleWeight(name: string, value: unknown, rows: number): Float64Array {
  // A Float64Array by its internal slots, at its real length (a subclass, a Proxy or a detached one cannot lie); an array's length read once.
  const list = genuineFloat64Array(value, name) ?? (Array.isArray(value) ? (value as unknown[]) : null);
  if (list === null) {
    throw new DeltapropError(name, `expected a number[] or Float64Array of one weight per row, got ${describeArray(value)}`);
  }
  const length = list.length;
  if (length !== rows) throw new DeltapropError(name, `expected ${rows} weights (one per row), got ${length}`);
  const weights = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const w = list[i];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new DeltapropError(`${name}[${i}]`, `expected a finite number ≥ 0, got ${describeValue(w)}`);
    weights[i] = w;
  }
  return weights;
}

/** Below this a positive weight is surely a mistake, and a minibatch of such weights would divide by a subnormal sum. */
const SMALLEST_WEIGHT = 1e-300;

/** Refuses weights that leave nothing to learn from, or whose minibatch sums could overflow 1/Σw. */
export function checkSomeWeight(name: string, weights: Float64Array): void {
  if (!weights.some((w) => w > 0)) throw new DeltapropError(name, 'every weight is 0: there is nothing to train on');
  const tiny = weights.findIndex((w) => w > 0 && w < SMALLEST_WEIGHT);
  if (tiny >= 0) throw new DeltapropError(name, `row ${tiny}'s weight is ${weights[tiny]}: a weight is 0 or at least ${SMALLEST_WEIGHT}`);
}

/** Each row's class for class targets (one-hot rows, or one 0/1 column); an error for soft targets, which have none. */
function rowClasses(targets: Matrix, name: string): Int32Array {
  const { rows, cols, data } = targets;
  return Int32Array.from({ length: rows }, (_, r) => {
    if (cols === 1) {
      if (data[r] !== 0 && data[r] !== 1) throw new DeltapropError(name, `needs class targets, and targets[${r}] is ${data[r]}, not 0 or 1`);
      return data[r];
    }
    let k = -1;
    for (let j = 0; j < cols; j++) {
      const t = data[r * cols + j];
      if (t === 1 && k < 0) k = j;
      else if (t !== 0) k = -2;
    }
    if (k < 0) throw new DeltapropError(name, `needs class targets, and targets row ${r} is not one-hot`);
    return k;
  });
}

/** The weight of each class (by index) from a classWeight option: 'balanced' is n / (classes present × count), as scikit-learn's. */
function weightsOfClasses(name: string, value: unknown, classOf: Int32Array, classes: number, labels: readonly Label[] | null): Float64Array {
  const weights = new Float64Array(classes).fill(1);
  if (value === 'balanced') {
    const counts = new Float64Array(classes);
    classOf.forEach((k) => counts[k]++);
    const present = counts.filter((c) => c > 0).length;
    counts.forEach((c, k) => {
      weights[k] = c > 0 ? classOf.length / (present * c) : 0;
    });
    return weights;
  }
  const keyOf = (k: number) => (labels === null ? k : labels[k]);
  const given = value instanceof Map ? value : typeof value === 'object' && value !== null && !Array.isArray(value) ? new Map(Object.entries(value)) : null;
  if (given === null) throw new DeltapropError(name, `expected 'balanced' or an object of a weight per class, got ${describeValue(value)}`);
  const keys = new Map<unknown, number>();
  for (let k = 0; k < classes; k++) keys.set(value instanceof Map ? keyOf(k) : String(keyOf(k)), k);
  for (const [key, w] of given as Map<unknown, unknown>) {
    const k = keys.get(key);
    const shown = typeof key === 'string' ? key : String(key);
    if (k === undefined) {
      const known = [...keys.keys()]
        .slice(0, 6)
        .map((x) => JSON.stringify(x))
        .join(', ');
      throw new DeltapropError(`${name}[${JSON.stringify(shown)}]`, `is not a class of this network (${labels === null ? 'class indices' : 'its classes'}: ${known}${keys.size > 6 ? ', …' : ''})`);
    }
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new DeltapropError(`${name}[${JSON.stringify(shown)}]`, `expected a finite number ≥ 0, got ${describeValue(w)}`);
    weights[k] = w;
  }
  return weights;
}

/**
 * Each row's weight from a classWeight option, by the class of its target.
 * `classes` is the output's class count (null: not a classifier), `labels`
 * the network's class labels (null: classes by index).
 */
export function classRowWeights(value: unknown, targets: Matrix, classes: number | null, labels: readonly Label[] | null): Float64Array {
  const name = 'options.classWeight';
  if (classes === null) throw new DeltapropError(name, "needs a classifier: a softmax output with loss 'cross-entropy', or one sigmoid output with 'binary-cross-entropy'");
  const classOf = rowClasses(targets, name);
  const perClass = weightsOfClasses(name, value, classOf, classes, labels);
  return Float64Array.from(classOf, (k) => perClass[k]);
}
