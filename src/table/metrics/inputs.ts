// The argument checks every metric shares. Each reads the caller's values
// once, into what it returns, so a getter cannot show the check one value
// and the computation another; each error names the argument (down to the
// element) as the caller passed it.
import { DeltapropError, describeValue } from '../../errors.js';
import type { Matrix, MatrixLike } from '../../matrix.js';
import { checkFinite, toMatrix } from '../../matrix.js';
import { checkKnownKeys, checkNumber, checkObject, describeArray, genuineFloat64Array, numberSource } from '../../validate.js';
import { typedArrayKind } from '../../typed-array-slots.js';
import type { Label } from '../label-order.js';
import { isLabel, sortedLabels } from '../label-order.js';

/** Labels, one per row: as written, or numbers in a typed array. */
export type LabelArray = readonly Label[] | Int32Array | Float64Array;

/** One finite weight ≥ 0 per row, not all zero. */
export type SampleWeight = readonly number[] | Float64Array;

/** Numbers, one per row (number[], Float64Array), or rows × columns (Matrix, number[][]). */
export type Values = readonly number[] | Float64Array | MatrixLike;

export interface WeightOptions {
  sampleWeight?: SampleWeight;
}

/** `options` as a record ({} when not given), its keys checked against `known`. */
export function readOptions(options: unknown, known: readonly string[]): Record<string, unknown> {
  if (options === undefined) return {};
  const record = checkObject('options', options);
  checkKnownKeys('options', record, known);
  return record;
}

/** Labels for a message: the first few, and how many in all when there are more. */
export function listLabels(labels: readonly Label[]): string {
  const shown = labels.slice(0, 8).map(describeValue).join(', ');
  return labels.length > 8 ? `${shown}, … (${labels.length} in all)` : shown;
}

/** `value` as an array of labels, at least one. */
export function readLabels(name: string, value: unknown): Label[] {
  // Typed arrays by their internal slots (a Proxy or a subclass cannot lie about them); arrays read once: the length, then each label.
  const kind = typedArrayKind(value);
  const source = kind === null || kind === 'Int32Array' || kind === 'Float64Array' ? numberSource(name, value) : null;
  if (source === null) {
    throw new DeltapropError(name, `expected labels (an array of strings, finite numbers or booleans, an Int32Array or a Float64Array), got ${describeArray(value)}`);
  }
  const length = source.length;
  if (length === 0) throw new DeltapropError(name, 'expected at least 1 label, got none');
  const labels: Label[] = [];
  for (let i = 0; i < length; i++) {
    const label = source[i];
    if (!isLabel(label)) throw new DeltapropError(`${name}[${i}]`, `expected a label (a string, a finite number or a boolean), got ${describeValue(label)}`);
    labels.push(label);
  }
  return labels;
}

/** Throws unless `got` (the length of `name`) is `rows`, one `what` per row of yTrue. */
export function checkRows(name: string, got: number, rows: number, what: string): void {
  if (got !== rows) throw new DeltapropError(name, `expected ${rows} ${what} (one per row of yTrue), got ${got}`);
}

/** options.labels when given: at least `min` distinct labels. */
export function readLabelList(value: unknown, min = 1): Label[] | undefined {
  const name = 'options.labels';
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new DeltapropError(name, `expected an array of labels, got ${describeValue(value)}`);
  const labels = readLabels(name, value);
  if (labels.length < min) throw new DeltapropError(name, `expected at least ${min} labels, got ${labels.length}`);
  const seen = new Map<Label, number>();
  for (const [i, label] of labels.entries()) {
    const first = seen.get(label);
    if (first !== undefined) throw new DeltapropError(`${name}[${i}]`, `expected distinct labels, got ${describeValue(label)} again (it is also at index ${first})`);
    seen.set(label, i);
  }
  return labels;
}

/** The weights of `rows` rows: options.sampleWeight checked, or all 1 when not given. */
export function readSampleWeight(value: unknown, rows: number): Float64Array {
  const name = 'options.sampleWeight';
  const weights = new Float64Array(rows);
  if (value === undefined) return weights.fill(1);
  const source: ArrayLike<unknown> | null = genuineFloat64Array(value, name) ?? (Array.isArray(value) ? value : null);
  if (source === null) throw new DeltapropError(name, `expected a number[] or Float64Array of weights, got ${describeArray(value)}`);
  checkRows(name, source.length, rows, 'weights');
  let positive = false;
  for (let i = 0; i < rows; i++) {
    weights[i] = checkNumber(`${name}[${i}]`, source[i], { min: 0 });
    positive ||= weights[i] > 0;
  }
  if (!positive) throw new DeltapropError(name, 'expected at least one weight > 0, got all 0');
  return weights;
}

/**
 * `value` as a rows × columns matrix of finite numbers, at least one of each;
 * one number per row (number[], Float64Array) is a single column.
 */
export function readValues(name: string, value: unknown): Matrix {
  if (!Array.isArray(value) && (typeof value !== 'object' || value === null)) {
    throw new DeltapropError(name, `expected numbers, one per row (a number[] or Float64Array), or rows of them (a Matrix or number[][]), got ${describeValue(value)}`);
  }
  const floats = genuineFloat64Array(value, name);
  const flat: ArrayLike<unknown> | null = floats ?? (Array.isArray(value) && !Array.isArray(value[0]) ? value : null);
  let m: Matrix;
  if (flat !== null) {
    const length = flat.length; // once: each value is then read once, up to it
    const data = new Float64Array(length);
    for (let i = 0; i < length; i++) {
      const x = flat[i];
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new DeltapropError(`${name}[${i}]`, `expected a finite number, got ${describeValue(x)}`);
      data[i] = x;
    }
    m = { rows: data.length, cols: 1, data };
  } else {
    m = toMatrix(value as MatrixLike, name);
    checkFinite(name, m);
  }
  if (m.rows === 0) throw new DeltapropError(name, 'expected at least 1 row, got 0');
  if (m.cols === 0) throw new DeltapropError(name, 'expected at least 1 column, got 0');
  return m;
}

/** yTrue and yPred of a classification metric, the weights and the rest of the options, checked. */
export function readPredictions(
  yTrue: unknown,
  yPred: unknown,
  options: unknown,
  known: readonly string[],
): { actual: Label[]; predicted: Label[]; weights: Float64Array; options: Record<string, unknown> } {
  const actual = readLabels('yTrue', yTrue);
  const predicted = readLabels('yPred', yPred);
  checkRows('yPred', predicted.length, actual.length, 'labels');
  const record = readOptions(options, known);
  return { actual, predicted, weights: readSampleWeight(record.sampleWeight, actual.length), options: record };
}

/** Each value's index in `labels`, or −1 for a value not among them. */
export function encode(values: readonly Label[], labels: readonly Label[]): Int32Array {
  const index = new Map<Label, number>(labels.map((label, i) => [label, i]));
  return Int32Array.from(values, (v) => index.get(v) ?? -1);
}

/**
 * yTrue and the scores or probabilities of a metric of them (`name` the
 * latter's argument), a row of these per row of yTrue; the weights; and the
 * labels, at least 2: options.labels, which must hold every label of yTrue,
 * or those of yTrue, sorted. `codes` are yTrue's labels as indices into them.
 */
export function readScored(yTrue: unknown, values: unknown, name: string, options: unknown): { values: Matrix; weights: Float64Array; labels: Label[]; codes: Int32Array } {
  const actual = readLabels('yTrue', yTrue);
  const m = readValues(name, values);
  checkRows(name, m.rows, actual.length, 'rows');
  const o = readOptions(options, ['labels', 'sampleWeight']);
  const weights = readSampleWeight(o.sampleWeight, actual.length);
  const labels = readLabelList(o.labels, 2) ?? sortedLabels(actual);
  if (labels.length < 2) {
    throw new DeltapropError('yTrue', `expected at least 2 distinct labels (or options.labels naming them), got only ${describeValue(labels[0])}`);
  }
  const codes = encode(actual, labels);
  const i = codes.indexOf(-1);
  if (i >= 0) throw new DeltapropError(`yTrue[${i}]`, `expected one of options.labels (${listLabels(labels)}), got ${describeValue(actual[i])}`);
  return { values: m, weights, labels, codes };
}
