// Targets in the forms users have them: a matrix of the output width, or
// labels: class indices for 'cross-entropy' (converted to one-hot rows) and
// 0s and 1s for 'binary-cross-entropy' with one output. Plus the helpers
// oneHot and trainTestSplit.
import { DeltapropError, describeValue } from './errors.js';
import type { Loss } from './losses.js';
import { checkTargetsForLoss } from './losses.js';
import type { Matrix, MatrixLike } from './matrix.js';
import { matrix, toDataMatrix, toMatrix } from './matrix.js';
import { Random, RandomStream } from './random.js';
import { checkInteger, checkKnownKeys, checkNumber, checkObject } from './validate.js';

/** Class indices or 0/1 labels, one per row. */
export type Labels = readonly number[] | Int32Array;

/** What fit, evaluate and gradients take as targets. */
export type Targets = MatrixLike | Labels;

export function isLabels(value: unknown): value is Labels {
  return value instanceof Int32Array || (Array.isArray(value) && value.length > 0 && typeof value[0] === 'number');
}

/** Both forms of targets, as this network takes them (for messages). */
function accepted(loss: Loss, outputs: number): string {
  const matrixForm = `a Matrix or number[][] of ${outputs} columns (units of the output layer)`;
  if (loss === 'cross-entropy') return `${matrixForm}, or class indices in [0, ${outputs}) as a number[] or Int32Array`;
  if (loss === 'binary-cross-entropy' && outputs === 1) return `${matrixForm}, or 0s and 1s as a number[]`;
  return `${matrixForm}; labels (a number[] or Int32Array) are for 'cross-entropy' (class indices) and 'binary-cross-entropy' with one output (0s and 1s)`;
}

/** The targets as a checked Matrix of `outputs` columns for `loss`. */
export function toTargets(value: Targets, name: string, outputs: number, loss: Loss): Matrix {
  if (isLabels(value)) {
    const labelsAllowed = loss === 'cross-entropy' || (loss === 'binary-cross-entropy' && outputs === 1);
    if (!labelsAllowed) throw new DeltapropError(name, `expected ${accepted(loss, outputs)}, got a flat list of numbers`);
    return loss === 'cross-entropy' ? oneHotOf(value, outputs, name, accepted(loss, outputs)) : binaryColumn(value, name, accepted(loss, outputs));
  }
  let T: Matrix;
  try {
    T = toDataMatrix(value as MatrixLike, name, outputs, 'units of the output layer');
  } catch (e) {
    if (e instanceof DeltapropError && e.argument === name && /columns/.test(e.detail)) {
      throw new DeltapropError(name, `expected ${accepted(loss, outputs)}, got ${toMatrix(value as MatrixLike, name).cols} columns`);
    }
    throw e;
  }
  checkTargetsForLoss(loss, T, name);
  return T;
}

/** `forms`, when given, is added to a message: what else the argument could have been. */
function oneHotOf(labels: Labels, classes: number, name: string, forms?: string): Matrix {
  const T = matrix(labels.length, classes);
  for (let r = 0; r < labels.length; r++) {
    const c = labels[r];
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      const also = forms === undefined ? '' : ` (${name} takes ${forms})`;
      throw new DeltapropError(`${name}[${r}]`, `expected a class index, an integer in [0, ${classes}), got ${describeValue(c)}${also}`);
    }
    T.data[r * classes + c] = 1;
  }
  return T;
}

function binaryColumn(labels: Labels, name: string, forms: string): Matrix {
  const T = matrix(labels.length, 1);
  for (let r = 0; r < labels.length; r++) {
    const t = labels[r];
    if (t !== 0 && t !== 1) throw new DeltapropError(`${name}[${r}]`, `expected 0 or 1, got ${describeValue(t)} (${name} takes ${forms})`);
    T.data[r] = t;
  }
  return T;
}

/** One-hot rows for class indices: row r has a 1 in column labels[r]; `classes` defaults to the largest label + 1. */
export function oneHot(labels: Labels, classes?: number): Matrix {
  if (!(labels instanceof Int32Array) && !Array.isArray(labels)) {
    throw new DeltapropError('labels', `expected a number[] or Int32Array of class indices, got ${describeValue(labels)}`);
  }
  let largest = -1;
  for (let r = 0; r < labels.length; r++) {
    const c = labels[r];
    if (!Number.isInteger(c) || c < 0) throw new DeltapropError(`labels[${r}]`, `expected a class index, an integer ≥ 0, got ${describeValue(c)}`);
    largest = Math.max(largest, c);
  }
  if (classes === undefined && largest >= 2 ** 24) {
    throw new DeltapropError('labels', `expected class indices below 2²⁴ (the most units a layer has), got ${largest}`);
  }
  const count = classes === undefined ? largest + 1 : checkInteger('classes', classes, 1, 2 ** 24);
  return oneHotOf(labels, Math.max(count, 1), 'labels');
}

export interface Split<T> {
  train: { inputs: Matrix; targets: T };
  test: { inputs: Matrix; targets: T };
}

/**
 * A seeded random split of rows into a training and a test set: round(rows ×
 * testFraction) rows (at least one, leaving at least one) go to the test
 * set. Targets keep their form (a Matrix for a matrix, labels for labels).
 */
export function trainTestSplit<T extends Targets>(
  inputs: MatrixLike, targets: T, options: { testFraction: number; seed?: number },
): Split<T extends Labels ? T : Matrix> {
  const o = checkObject('options', options);
  checkKnownKeys('options', o, ['testFraction', 'seed']);
  const fraction = checkNumber('options.testFraction', o.testFraction, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const seed = o.seed === undefined ? 0 : checkInteger('options.seed', o.seed, 0, 2 ** 32 - 1);
  const X = toMatrix(inputs, 'inputs');
  const labels = isLabels(targets);
  const T = labels ? null : toMatrix(targets as MatrixLike, 'targets');
  const rows = X.rows;
  const targetRows = labels ? (targets as Labels).length : T!.rows;
  if (targetRows !== rows) throw new DeltapropError('targets', `expected ${rows} rows (one per row of inputs), got ${targetRows}`);
  if (rows < 2) throw new DeltapropError('inputs', `expected at least 2 rows to split, got ${rows}`);
  const testRows = Math.min(rows - 1, Math.max(1, Math.round(rows * fraction)));
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  Random.fromSeed(seed, RandomStream.splitting).shuffle(order);
  const pick = (indices: Int32Array) => {
    const x = matrix(indices.length, X.cols);
    indices.forEach((r, i) => x.data.set(X.data.subarray(r * X.cols, (r + 1) * X.cols), i * X.cols));
    let t: unknown;
    if (labels) {
      const l = targets as Labels;
      t = l instanceof Int32Array ? Int32Array.from(indices, (r) => l[r]) : Array.from(indices, (r) => l[r]);
    } else {
      const m = matrix(indices.length, T!.cols);
      indices.forEach((r, i) => m.data.set(T!.data.subarray(r * T!.cols, (r + 1) * T!.cols), i * T!.cols));
      t = m;
    }
    return { inputs: x, targets: t };
  };
  return { train: pick(order.subarray(testRows)), test: pick(order.subarray(0, testRows)) } as Split<T extends Labels ? T : Matrix>;
}
