// The class labels of a classifier: a softmax output (one unit per class,
// loss 'cross-entropy') or a single sigmoid output (two classes, loss
// 'binary-cross-entropy': the first class is 0, the second 1). Labels are
// strings, finite numbers or booleans, compared as written (1 and '1' are two
// classes). Given by options.classes (in output order), or learned at the
// first fit, sorted (label-order.ts).
import { DeltapropError, describeValue } from '../errors.js';
import type { Loss } from '../losses.js';
import { matrix } from '../matrix.js';
import type { Matrix } from '../matrix.js';
import type { Label } from './label-order.js';
import { isLabel, sortedLabels } from './label-order.js';
import { checkArray } from '../validate.js';

/** How many classes a network's output holds, or null when it is not a classifier (mse, or several sigmoid outputs). */
export function classCount(loss: Loss, outputs: number): number | null {
  if (loss === 'cross-entropy') return outputs;
  if (loss === 'binary-cross-entropy' && outputs === 1) return 2;
  return null;
}

function describeLabels(labels: readonly Label[]): string {
  const shown = labels
    .slice(0, 6)
    .map((l) => JSON.stringify(l))
    .join(', ');
  return labels.length > 6 ? `${shown}, … (${labels.length} in all)` : shown;
}

/** options.classes: distinct labels, as many as the output has classes. */
export function checkClasses(name: string, value: unknown, loss: Loss, outputs: number): Label[] {
  const count = classCount(loss, outputs);
  if (count === null)
    throw new DeltapropError(
      name,
      `class labels need a classifier: a softmax output with loss 'cross-entropy', or one sigmoid output with 'binary-cross-entropy'; this network's loss is '${loss}' with ${outputs} outputs`,
    );
  if (!Array.isArray(value)) throw new DeltapropError(name, `expected an array of ${count} class labels, got ${describeValue(value)}`);
  // Copied once (length and labels read once): the copy is checked and kept. No output has more than 2^24 classes.
  const labels = checkArray(name, value, 1 << 24, 'class labels').map((v: unknown, i): Label => {
    if (!isLabel(v)) throw new DeltapropError(`${name}[${i}]`, `expected a class label (a string, a finite number or a boolean), got ${describeValue(v)}`);
    return typeof v === 'number' && v === 0 ? 0 : v;
  });
  if (labels.length !== count)
    throw new DeltapropError(name, `expected ${count} class labels (${loss === 'cross-entropy' ? 'one per output unit' : 'a single sigmoid output tells two classes apart'}), got ${labels.length}`);
  const seen = new Set<Label>();
  labels.forEach((l, i) => {
    if (seen.has(l)) throw new DeltapropError(`${name}[${i}]`, `${JSON.stringify(l)} appears twice: class labels must be distinct`);
    seen.add(l);
  });
  return labels;
}

/** The classes of a flat array of labels, sorted, checked against the output's class count. */
export function learnClasses(name: string, labels: ArrayLike<unknown>, loss: Loss, outputs: number): Label[] {
  const values: Label[] = [];
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (!isLabel(v)) throw new DeltapropError(`${name}[${i}]`, `expected a class label (a string, a finite number or a boolean), got ${describeValue(v)}`);
    values.push(v);
  }
  const classes = sortedLabels(values);
  const count = classCount(loss, outputs)!;
  if (classes.length !== count) {
    const unit = loss === 'cross-entropy' ? `the output layer has ${outputs} units, one per class` : 'one sigmoid output tells exactly two classes apart';
    throw new DeltapropError(
      name,
      `holds ${classes.length} distinct labels (${describeLabels(classes)}), but ${unit}; ${classes.length < count ? 'give options.classes to list every class, or ' : ''}make the output layer fit`,
    );
  }
  return classes;
}

/** Whether a flat array of targets holds any label that is not a number (which only class labels can be). */
export function hasNonNumericLabel(labels: ArrayLike<unknown>): boolean {
  for (let i = 0; i < labels.length; i++) if (typeof labels[i] !== 'number') return true;
  return false;
}

/** Labels as target rows: one-hot for softmax, one 0/1 column for a single sigmoid output. */
export function labelTargets(name: string, labels: ArrayLike<unknown>, classes: readonly Label[], loss: Loss): Matrix {
  const index = new Map<Label, number>(classes.map((c, i) => [c, i]));
  const binary = loss === 'binary-cross-entropy';
  const T = matrix(labels.length, binary ? 1 : classes.length);
  for (let r = 0; r < labels.length; r++) {
    const v = labels[r];
    const k = index.get(v as Label);
    if (k === undefined) throw new DeltapropError(`${name}[${r}]`, `${describeValue(v)} is not one of the network's classes (${describeLabels(classes)})`);
    if (binary) T.data[r] = k;
    else T.data[r * classes.length + k] = 1;
  }
  return T;
}

/** Each row's class: the argmax of a softmax row (first of equals), or the second class where a sigmoid output is ≥ 0.5; null where an output is not finite. */
export function predictedIndices(outputs: Matrix, binary: boolean): (number | null)[] {
  const result: (number | null)[] = [];
  for (let r = 0; r < outputs.rows; r++) {
    const row = outputs.data.subarray(r * outputs.cols, (r + 1) * outputs.cols);
    if (!row.every(Number.isFinite)) result.push(null);
    else if (binary) result.push(row[0] >= 0.5 ? 1 : 0);
    else result.push(row.reduce((best, y, j) => (y > row[best] ? j : best), 0));
  }
  return result;
}

/** Per-class probabilities: the softmax rows, or [1 − p, p] for a single sigmoid output. */
export function classProbabilities(outputs: Matrix, binary: boolean): Matrix {
  if (!binary) return outputs;
  const P = matrix(outputs.rows, 2);
  for (let r = 0; r < outputs.rows; r++) {
    P.data[2 * r] = 1 - outputs.data[r];
    P.data[2 * r + 1] = outputs.data[r];
  }
  return P;
}
