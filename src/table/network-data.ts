// Reading what a network is given, in every form it takes: rows (numeric,
// or a table network's, encoded a block at a time), targets (a matrix, or
// one target a row: class labels, indices or values), and row weights; and,
// for fit, the training rows with their validation part split off, the
// classes and a table network's columns learned at the first fit.
import { DeltapropError } from '../errors.js';
import type { ResolvedFit } from '../training/fit-options.js';
import type { Targets } from '../labels.js';
import { isLabels, targetsOnce, toTargets } from '../labels.js';
import type { Loss } from '../losses.js';
import type { Matrix, MatrixLike } from '../matrix.js';
import type { PendingConfig } from '../options.js';
import { RowData } from '../rows.js';
import type { Steps } from '../steps.js';
import type { TrainingRows, Validation } from '../training/context.js';
import { checkKnownKeys, checkObject } from '../validate.js';
import { classCount, hasNonNumericLabel, learnClasses } from './classes.js';
import type { Encoder } from './encode.js';
import { TableRows } from './table-rows.js';
import { checkSampleWeight, checkSomeWeight, classRowWeights } from './weights.js';

/** What reading needs of a network. */
export interface ReadingNetwork {
  /** Its config: columns and classes (which the first fit may learn into it). */
  readonly config: PendingConfig;
  readonly loss: Loss;
  readonly outputs: number;
  /** The input width the engines see; an error for a table network that has not learned its columns. */
  width(): number;
  /** Whether its input width is known. */
  built(): boolean;
  /** A built table network's encoder. */
  encoder(): Encoder;
  /** Learns a table network's columns from these rows, building it (steps: src/steps.ts). */
  adapt(rows: TableRows): Steps<void>;
}

/** Rows (their values checked as they are read), targets and weights. */
export interface CheckedData {
  inputs: RowData;
  targets: Matrix;
  weights: Float64Array | null;
}

/** A table network's rows checked for shape (values are checked as they are encoded); null for a network of numeric inputs. */
function tableRows(net: ReadingNetwork, value: unknown, name: string): TableRows | null {
  const columns = net.config.columns;
  return columns === undefined
    ? null
    : TableRows.of(
        value,
        name,
        columns.map((c) => c.name),
      );
}

/** Rows as the engines read them: numeric rows, or a table network's rows encoded a block at a time. */
export function readRows(net: ReadingNetwork, value: unknown, name: string): RowData {
  const width = net.width();
  const table = tableRows(net, value, name);
  return table === null ? RowData.of(value as MatrixLike, name, width, 'options.inputs of the network') : net.encoder().over(table);
}

export function readTargets(net: ReadingNetwork, value: Targets, name: string, rows: number, inputsName: string): Matrix {
  const T = toTargets(value, name, net.outputs, net.loss, net.config.classes ?? null);
  if (T.rows !== rows) throw new DeltapropError(name, `expected ${rows} rows (one per row of ${inputsName}), got ${T.rows}`);
  return T;
}

/** Rows, targets and their weights (`prefix`.sampleWeight: options, or options.validation), each checked. */
export function readData(net: ReadingNetwork, inputs: unknown, targets: Targets, sampleWeight: unknown, prefix: string, [xName, tName]: [string, string]): CheckedData {
  const X = readRows(net, inputs, xName);
  const T = readTargets(net, targets, tName, X.rows, xName);
  const weights = sampleWeight === undefined ? null : checkSampleWeight(`${prefix}.sampleWeight`, sampleWeight, X.rows);
  if (weights !== null) checkSomeWeight(`${prefix}.sampleWeight`, weights);
  return { inputs: X, targets: T, weights };
}

/**
 * A classifier's labels learned from its first fit's targets, when they are
 * labels and the network has none: always for a table network, and for any
 * other when a label is not a number (numbers are class indices there).
 */
function learnClassesOf(net: ReadingNetwork, targets: unknown): void {
  const config = net.config;
  if (config.classes !== undefined || !isLabels(targets) || classCount(net.loss, net.outputs) === null) return;
  if (config.columns === undefined && !hasNonNumericLabel(targets)) return;
  config.classes = learnClasses('targets', targets, net.loss, net.outputs);
}

/** `weights` (or 1 a row) times each row's class weight, when fit has classWeight. */
function withClassWeights(net: ReadingNetwork, fit: ResolvedFit, targets: Matrix, weights: Float64Array | null): Float64Array | null {
  if (fit.classWeight === null) return weights;
  const perRow = classRowWeights(fit.classWeight, targets, classCount(net.loss, net.outputs), net.config.classes ?? null);
  return weights === null ? perRow : weights.map((w, r) => w * perRow[r]);
}

function sliceRows(m: Matrix, start: number, end: number): Matrix {
  return { rows: end - start, cols: m.cols, data: m.data.subarray(start * m.cols, end * m.cols) };
}

/**
 * The rows of fit(inputs, targets): classes learned from every target row,
 * then the last validationSplit of the rows split off (before any shuffling,
 * the Keras convention), a table network's columns learned from the rest at
 * its first fit, and each row's weight.
 */
export function* readTrainingData(net: ReadingNetwork, inputs: unknown, given: Targets, fit: ResolvedFit): Steps<{ rows: TrainingRows & { kind: 'rows' }; validation: Validation | null }> {
  // Read once: learning the classes and converting the targets must see the same labels.
  const targets = targetsOnce(given, 'targets') as Targets;
  learnClassesOf(net, targets);
  const table = tableRows(net, inputs, 'inputs');
  const all = table === null ? RowData.of(inputs as MatrixLike, 'inputs', net.width(), 'options.inputs of the network') : null;
  const count = table?.rows ?? all!.rows;
  const T = readTargets(net, targets, 'targets', count, 'inputs');
  const sample = fit.sampleWeight === null ? null : checkSampleWeight('options.sampleWeight', fit.sampleWeight, count);
  let trainRows = count;
  if (fit.validationSplit > 0) {
    trainRows = Math.floor(count * (1 - fit.validationSplit));
    if (trainRows < 1 || trainRows === count) {
      throw new DeltapropError('options.validationSplit', `leaves ${trainRows} of ${count} rows for training: each side needs at least one`);
    }
  }
  if (table !== null && !net.built()) yield* net.adapt(table.slice(0, trainRows));
  const X = table === null ? all! : net.encoder().over(table);
  const targetsTrain = sliceRows(T, 0, trainRows);
  const weights = withClassWeights(net, fit, targetsTrain, sample?.subarray(0, trainRows) ?? null);
  if (weights !== null) checkSomeWeight(fit.classWeight === null ? 'options.sampleWeight' : 'options.classWeight', weights);
  const rows = { kind: 'rows' as const, inputs: X.slice(0, trainRows), targets: targetsTrain, weights, table: table?.slice(0, trainRows) ?? null };
  if (trainRows === count) return { rows, validation: null };
  return {
    rows,
    validation: { inputs: X.slice(trainRows, count), targets: sliceRows(T, trainRows, count), weights: sample?.subarray(trainRows) ?? null },
  };
}

/** One chunk of a streamed fit, checked and converted (a table network's rows encoded), with its rows' weights. */
export function readChunk(net: ReadingNetwork, chunk: unknown, index: number, fit: ResolvedFit): { inputs: Float64Array; targets: Matrix; weights: Float64Array | null; rows: number } {
  const name = `chunk ${index}`;
  const c = checkObject(name, chunk);
  checkKnownKeys(name, c, ['inputs', 'targets', 'sampleWeight']);
  const X = readRows(net, c.inputs, `${name}.inputs`);
  const T = readTargets(net, c.targets as Targets, `${name}.targets`, X.rows, `${name}.inputs`);
  const sample = c.sampleWeight === undefined ? null : checkSampleWeight(`${name}.sampleWeight`, c.sampleWeight, X.rows);
  return { inputs: X.matrix().data, targets: T, weights: withClassWeights(net, fit, T, sample), rows: X.rows };
}
