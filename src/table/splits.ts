// Seeded splits of rows: a train/test split and k folds, either of them
// stratified (each class keeps its share of the rows in every part). Splits
// work on row indices, so rows of any form (a Matrix, number[][], a table's
// objects) and targets of any form follow the same indices.
import { DeltapropError, describeValue } from '../errors.js';
import type { Labels, Targets } from '../labels.js';
import { isLabels } from '../labels.js';
import type { Matrix, MatrixLike } from '../matrix.js';
import { matrix, toMatrix } from '../matrix.js';
import { Random, RandomStream } from '../random.js';
import { checkArray, checkBoolean, checkInteger, checkKnownKeys, checkNumber, checkObject } from '../validate.js';
import type { Label } from './label-order.js';
import { isLabel, sortedLabels } from './label-order.js';
import type { TableRow } from './table-rows.js';

/** One side of a split: the rows, their targets, and which rows of the original they are. */
export interface SplitPart<X, T> {
  inputs: X;
  targets: T;
  indices: Int32Array;
}

export interface Split<X, T> {
  train: SplitPart<X, T>;
  test: SplitPart<X, T>;
}

/** Numeric rows come back as a Matrix; a table's rows (objects, or arrays holding other than numbers) as an array of the same rows. */
export type SplitInputs<X> = X extends readonly TableRow[] ? (X extends readonly (readonly number[])[] ? Matrix : X) : Matrix;
/** Class labels come back as labels of the same form; any other targets as a Matrix. */
export type SplitTargets<T> = T extends Labels ? T : Matrix;

export interface SplitOptions {
  /** The share of rows in the test set, in (0, 1). */
  testFraction: number;
  /** Default 0. */
  seed?: number;
  /** Keep each class's share of the rows on both sides (targets must be class labels or one-hot rows); default false. */
  stratify?: boolean;
}

/** The class of each row, from labels or from one-hot rows; an error for anything else. */
function classesOf(name: string, targets: unknown): Int32Array {
  if (isLabels(targets)) {
    const list = targets as ArrayLike<unknown>;
    const values: Label[] = [];
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (!isLabel(v)) throw new DeltapropError(`${name}[${i}]`, `expected a class label to stratify by, got ${describeValue(v)}`);
      values.push(v);
    }
    const index = new Map(sortedLabels(values).map((label, k) => [label, k]));
    return Int32Array.from(values, (v) => index.get(v)!);
  }
  const T = toMatrix(targets as MatrixLike, name);
  return Int32Array.from({ length: T.rows }, (_, r) => {
    const row = T.data.subarray(r * T.cols, (r + 1) * T.cols);
    const k = row.indexOf(1);
    if (k < 0 || row.some((t, j) => j !== k && t !== 0)) throw new DeltapropError(`${name}[${r}]`, 'expected a one-hot row (a class) to stratify by');
    return k;
  });
}

/** Row indices grouped by class (in class order), each group shuffled by `random`. */
function shuffledGroups(classOf: Int32Array, random: Random | null): Int32Array[] {
  const count = classOf.reduce((m, k) => Math.max(m, k + 1), 0);
  const lists: number[][] = Array.from({ length: count }, () => []);
  classOf.forEach((k, r) => lists[k].push(r));
  return lists.map((list) => {
    const group = Int32Array.from(list);
    random?.shuffle(group);
    return group;
  });
}

/**
 * How many of each group go to the test set: shares of `total` in
 * proportion to the groups' sizes, rounded down, then the rows left over
 * given to the largest remainders (ties to the earlier class).
 */
function proportionalCounts(sizes: number[], total: number): number[] {
  const n = sizes.reduce((a, b) => a + b, 0);
  const counts = sizes.map((s) => Math.floor((s * total) / n));
  const order = sizes.map((s, k) => ({ k, remainder: (s * total) / n - counts[k] })).sort((a, b) => b.remainder - a.remainder || a.k - b.k);
  for (let left = total - counts.reduce((a, b) => a + b, 0), i = 0; left > 0; i++, left--) counts[order[i % order.length].k]++;
  return counts;
}

export function rowCount(name: string, inputs: unknown): number {
  if (Array.isArray(inputs)) return inputs.length;
  return toMatrix(inputs as MatrixLike, name).rows;
}

function targetCount(targets: unknown): number {
  return isLabels(targets) ? (targets as ArrayLike<unknown>).length : toMatrix(targets as MatrixLike, 'targets').rows;
}

/** Rows of `value` at `indices`: numeric rows as a Matrix, a table's rows as an array of the same row objects. */
export function pickRows(value: unknown, indices: Int32Array): unknown {
  const numericArrays = Array.isArray(value) && value.every((row) => Array.isArray(row) && row.every((x: unknown) => typeof x === 'number'));
  if (Array.isArray(value) && !numericArrays) return Array.from(indices, (r) => value[r]);
  const X = toMatrix(value as MatrixLike, 'inputs');
  const out = matrix(indices.length, X.cols);
  indices.forEach((r, i) => out.data.set(X.data.subarray(r * X.cols, (r + 1) * X.cols), i * X.cols));
  return out;
}

export function pickTargets(targets: unknown, indices: Int32Array): unknown {
  if (targets instanceof Int32Array) return Int32Array.from(indices, (r) => targets[r]);
  if (targets instanceof Float64Array) return Float64Array.from(indices, (r) => targets[r]);
  if (isLabels(targets)) return Array.from(indices, (r) => (targets as ArrayLike<unknown>)[r]);
  return pickRows(toMatrix(targets as MatrixLike, 'targets'), indices);
}

/**
 * A seeded random split of rows into a training and a test set: round(rows ×
 * testFraction) rows (at least one, leaving at least one) go to the test set.
 * Numeric inputs come back as a Matrix, a table's rows as arrays of the same
 * row objects; targets keep their form (a Matrix for a matrix, labels for labels).
 */
export function trainTestSplit<X extends MatrixLike | readonly TableRow[], T extends Targets>(inputs: X, targets: T, options: SplitOptions): Split<SplitInputs<X>, SplitTargets<T>> {
  const o = checkObject('options', options);
  checkKnownKeys('options', o, ['testFraction', 'seed', 'stratify']);
  const fraction = checkNumber('options.testFraction', o.testFraction, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const seed = o.seed === undefined ? 0 : checkInteger('options.seed', o.seed, 0, 2 ** 32 - 1);
  const stratify = o.stratify === undefined ? false : checkBoolean('options.stratify', o.stratify);
  const rows = rowCount('inputs', inputs);
  const targetRows = targetCount(targets);
  if (targetRows !== rows) throw new DeltapropError('targets', `expected ${rows} rows (one per row of inputs), got ${targetRows}`);
  if (rows < 2) throw new DeltapropError('inputs', `expected at least 2 rows to split, got ${rows}`);
  const testRows = Math.min(rows - 1, Math.max(1, Math.round(rows * fraction)));
  const random = Random.fromSeed(seed, RandomStream.splitting);
  let test: Int32Array;
  let train: Int32Array;
  if (stratify) {
    const groups = shuffledGroups(classesOf('targets', targets), random);
    const counts = proportionalCounts(
      groups.map((g) => g.length),
      testRows,
    );
    test = Int32Array.from(groups.flatMap((g, k) => Array.from(g.subarray(0, counts[k]))));
    train = Int32Array.from(groups.flatMap((g, k) => Array.from(g.subarray(counts[k]))));
    // Not grouped by class: a validationSplit takes the last rows, and fit's own order starts from this one.
    random.shuffle(test);
    random.shuffle(train);
  } else {
    const order = Int32Array.from({ length: rows }, (_, i) => i);
    random.shuffle(order);
    test = order.slice(0, testRows);
    train = order.slice(testRows);
  }
  const part = (indices: Int32Array) => ({ inputs: pickRows(inputs, indices), targets: pickTargets(targets, indices), indices });
  return { train: part(train), test: part(test) } as Split<SplitInputs<X>, SplitTargets<T>>;
}

/** One fold: the rows it trains on and the rows it tests on (indices, ascending). */
export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

export interface KFoldOptions {
  /** Keep each class's share of the rows in every fold: the labels (or one-hot rows), or true when `rows` itself is the labels. */
  stratify?: boolean | Labels | Matrix;
  /** Default 0. */
  seed?: number;
  /** Shuffle the rows (seeded) before dealing them into folds; default true. */
  shuffle?: boolean;
}

/**
 * k folds of the rows (a count, or anything with a length): fold i tests on
 * its share of the rows and trains on the others. Without stratification the
 * (shuffled) rows are cut into k runs, the first n mod k one row longer, as
 * scikit-learn's KFold; stratified, each class's rows are dealt round the
 * folds in turn, so fold sizes differ by at most one, and so do a class's
 * counts in any two folds.
 */
export function kFold(rows: number | ArrayLike<unknown> | Matrix, k: number, options: KFoldOptions = {}): Fold[] {
  const o = checkObject('options', options);
  checkKnownKeys('options', o, ['stratify', 'seed', 'shuffle']);
  const count = typeof rows === 'number' ? checkInteger('rows', rows, 2) : rowCount('rows', rows);
  const folds = checkInteger('k', k, 2, count);
  const seed = o.seed === undefined ? 0 : checkInteger('options.seed', o.seed, 0, 2 ** 32 - 1);
  const shuffle = o.shuffle === undefined ? true : checkBoolean('options.shuffle', o.shuffle);
  const random = shuffle ? Random.fromSeed(seed, RandomStream.splitting) : null;
  const foldOf = new Int32Array(count);
  if (o.stratify !== undefined && o.stratify !== false) {
    // Labels given as the option are copied once (their length, then each); the rows themselves are data.
    const labels = o.stratify === true ? rows : Array.isArray(o.stratify) ? checkArray('options.stratify', o.stratify, 2 ** 31 - 1, 'labels') : o.stratify;
    if (typeof labels === 'number') throw new DeltapropError('options.stratify', 'true means rows are the labels to stratify by, but rows is a count: pass the labels as options.stratify');
    const classOf = classesOf(o.stratify === true ? 'rows' : 'options.stratify', labels);
    if (classOf.length !== count) throw new DeltapropError('options.stratify', `expected ${count} labels (one per row), got ${classOf.length}`);
    let position = 0;
    for (const group of shuffledGroups(classOf, random)) for (const r of group) foldOf[r] = position++ % folds;
  } else {
    const order = Int32Array.from({ length: count }, (_, i) => i);
    random?.shuffle(order);
    const base = Math.floor(count / folds);
    let at = 0;
    for (let f = 0; f < folds; f++) {
      const size = base + (f < count % folds ? 1 : 0);
      for (let i = 0; i < size; i++) foldOf[order[at++]] = f;
    }
  }
  return Array.from({ length: folds }, (_, f) => {
    const test: number[] = [];
    const train: number[] = [];
    foldOf.forEach((g, r) => (g === f ? test : train).push(r));
    return { train: Int32Array.from(train), test: Int32Array.from(test) };
  });
}
