// Targets in the forms users have them: a matrix of the output width, or a
// flat array: a classifier's class labels (when it has labels), class
// indices for 'cross-entropy' (converted to one-hot rows), 0s and 1s for
// 'binary-cross-entropy' with one output, and the values of a single mse
// output. Plus the helper oneHot.
import { DeltapropError, describeValue } from './errors.js';
import type { Loss } from './losses.js';
import { checkTargetsForLoss } from './losses.js';
import type { Matrix, MatrixLike } from './matrix.js';
import { MAX_ELEMENTS, matrix, toDataMatrix, toMatrix } from './matrix.js';
import { labelTargets } from './table/classes.js';
import type { Label } from './table/label-order.js';
import { typedArrayKind } from './typed-array-slots.js';
import { checkArray, checkInteger, numberSource } from './validate.js';

/** One target a row: class labels (or indices, or 0/1), or the values of a single output. */
export type Labels = readonly Label[] | Int32Array | Float64Array;

/** What fit, evaluate and gradients take as targets. */
export type Targets = MatrixLike | Labels;

/** A flat array (one target a row) rather than rows of targets; a typed array by what it really is (a look-alike is not one). */
export function isLabels(value: unknown): value is Labels {
  const kind = typedArrayKind(value);
  if (kind === 'Int32Array' || kind === 'Float64Array') return true;
  if (!Array.isArray(value) || value.length === 0) return false;
  const first: unknown = value[0];
  return !Array.isArray(first) && (first === null || typeof first !== 'object');
}

/**
 * Targets read once, as the data are: an array copied (its length, then each
 * element), so a Proxy or getters cannot show the checks one label and the
 * training another; a typed array as a plain view at its real length (a
 * detached one or a look-alike refused); a Matrix as it is (toMatrix reads
 * each of its properties once).
 */
export function targetsOnce(value: unknown, name: string): unknown {
  if (Array.isArray(value)) return checkArray(name, value, MAX_ELEMENTS, 'targets');
  return numberSource(name, value) ?? value;
}

/** Both forms of targets, as this network takes them (for messages). */
function accepted(loss: Loss, outputs: number): string {
  const matrixForm = `a Matrix or number[][] of ${outputs} columns (units of the output layer)`;
  if (loss === 'cross-entropy') return `${matrixForm}, or class indices in [0, ${outputs}) as a number[] or Int32Array (class labels once the network has them)`;
  if (loss === 'binary-cross-entropy' && outputs === 1) return `${matrixForm}, or 0s and 1s as a number[] (class labels once the network has them)`;
  if (loss === 'mse' && outputs === 1) return `${matrixForm}, or one number a row as a number[] or Float64Array`;
  return `${matrixForm}; a flat array (one target a row) is for classifiers (class labels or indices) and single-output networks (their values)`;
}

/** The targets as a checked Matrix of `outputs` columns for `loss`; `classes`: the network's class labels, which flat targets then are. */
export function toTargets(given: Targets, name: string, outputs: number, loss: Loss, classes: readonly Label[] | null = null): Matrix {
  const value = targetsOnce(given, name);
  if (isLabels(value)) {
    if (classes !== null) return labelTargets(name, value, classes, loss);
    const list = value as ArrayLike<unknown>;
    const forms = accepted(loss, outputs);
    if (loss === 'cross-entropy') return oneHotOf(list, outputs, name, forms);
    if (loss === 'binary-cross-entropy' && outputs === 1) return binaryColumn(list, name, forms);
    if (loss === 'mse' && outputs === 1) return valueColumn(list, name);
    throw new DeltapropError(name, `expected ${forms}, got a flat array`);
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
function oneHotOf(labels: ArrayLike<unknown>, classes: number, name: string, forms?: string): Matrix {
  const T = matrix(labels.length, classes);
  for (let r = 0; r < labels.length; r++) {
    const c = labels[r];
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= classes) {
      const also = forms === undefined ? '' : ` (${name} takes ${forms})`;
      const hint = typeof c === 'string' || typeof c === 'boolean' ? '; labels that are not class indices need the network to know its classes: give options.classes, or train it on them first' : '';
      throw new DeltapropError(`${name}[${r}]`, `expected a class index, an integer in [0, ${classes}), got ${describeValue(c)}${also}${hint}`);
    }
    T.data[r * classes + c] = 1;
  }
  return T;
}

function valueColumn(values: ArrayLike<unknown>, name: string): Matrix {
  const T = matrix(values.length, 1);
  for (let r = 0; r < values.length; r++) {
    const t = values[r];
    if (typeof t !== 'number' || !Number.isFinite(t)) throw new DeltapropError(`${name}[${r}]`, `expected a finite number, got ${describeValue(t)}`);
    T.data[r] = t;
  }
  return T;
}

function binaryColumn(labels: ArrayLike<unknown>, name: string, forms: string): Matrix {
  const T = matrix(labels.length, 1);
  for (let r = 0; r < labels.length; r++) {
    const t = labels[r];
    if (t !== 0 && t !== 1) throw new DeltapropError(`${name}[${r}]`, `expected 0 or 1, got ${describeValue(t)} (${name} takes ${forms})`);
    T.data[r] = t as number;
  }
  return T;
}

/** One-hot rows for class indices: row r has a 1 in column labels[r]; `classes` defaults to the largest label + 1. */
export function oneHot(given: readonly number[] | Int32Array, classes?: number): Matrix {
  if (typedArrayKind(given) !== 'Int32Array' && !Array.isArray(given)) {
    throw new DeltapropError('labels', `expected a number[] or Int32Array of class indices, got ${describeValue(given)}`);
  }
  const labels = targetsOnce(given, 'labels') as ArrayLike<number>;
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
