// The options of fit() and fitSync(), what they report, and their checks.
// Every option is resolved and checked here, before any data is read, so
// that what is checked is what is used.
import type { DataParallelWorld } from './data-parallel.js';
import { resolveDistributed } from './data-parallel.js';
import { DeltapropError, describeValue } from '../errors.js';
import type { Targets } from '../labels.js';
import type { MatrixLike } from '../matrix.js';
import type { MetricName } from '../table/metrics.js';
import { METRIC_NAMES, metricDirection } from '../table/metrics.js';
import type { MetricTask } from '../table/network-metrics.js';
import { checkMetricNames } from '../table/network-metrics.js';
import type { TableLike } from '../table/table-rows.js';
import type { ClassWeight } from '../table/weights.js';
import type { OptimizerOptions, ResolvedOptimizer } from '../optimizers.js';
import { resolveOptimizer } from '../optimizers.js';
import type { LearningRate, ResolvedSchedule } from './schedules.js';
import { resolveLearningRate } from './schedules.js';
import { checkArray, checkBoolean, checkInteger, checkKnownKeys, checkNumber, checkObject } from '../validate.js';

export interface EpochInfo {
  /** 0 for the first epoch of this fit call. */
  epoch: number;
  loss: number;
  /** Where evaluate() defines accuracy (sigmoid and softmax outputs). */
  accuracy?: number;
  validationLoss?: number;
  validationAccuracy?: number;
  /** The learning rate this epoch used. */
  learningRate: number;
  /** options.metrics of the network at the epoch's end, over every training row. */
  metrics?: Partial<Record<MetricName, number>>;
  /** options.metrics on the validation rows at the epoch's end. */
  validationMetrics?: Partial<Record<MetricName, number>>;
  /** What went wrong without stopping training this epoch (a saturated layer, told once a fit): see src/training/saturation.ts. */
  warnings?: string[];
}

/** How far an epoch has got: what `onProgress` receives. */
export interface BatchProgress {
  /** 0 for the first epoch of this fit call. */
  epoch: number;
  /** Minibatches trained so far in this epoch. */
  minibatches: number;
  /** Minibatches the epoch has in all; null for a streamed fit (the source's length is not known). */
  totalMinibatches: number | null;
  /** Rows trained so far in this epoch. */
  rows: number;
  /** The data loss of this epoch's minibatches so far, on evaluate()'s scale (the L2 term comes at the end of the epoch). */
  loss: number;
}

/** The figures of every fit that early stopping, checkpoints and the plateau schedule can watch. */
export const MONITORS = ['loss', 'validationLoss', 'validationAccuracy'] as const;

/**
 * What early stopping and checkpoints can watch: 'loss', 'validationLoss' or
 * 'validationAccuracy', a metric of options.metrics, or its validation figure
 * ('validationF1' for 'f1').
 */
export type Monitor = (typeof MONITORS)[number] | MetricName | `validation${Capitalize<MetricName>}`;

/** A monitor taken apart: a figure every fit has, or one of options.metrics on the training or validation rows. */
export type WatchedFigure = { figure: (typeof MONITORS)[number] } | { metric: MetricName; validation: boolean };

const capitalize = (name: string) => name[0].toUpperCase() + name.slice(1);

/** The name, checked and taken apart; `metrics` are the fit's (a metric must be one of them). */
function resolveMonitor(name: string, value: unknown, metrics: readonly MetricName[]): { monitor: Monitor; watched: WatchedFigure } {
  const all = [...MONITORS, ...METRIC_NAMES, ...METRIC_NAMES.map((m) => `validation${capitalize(m)}`)];
  if (typeof value !== 'string' || !all.includes(value)) {
    throw new DeltapropError(
      name,
      `expected one of 'loss', 'validationLoss', 'validationAccuracy', a metric of options.metrics or its validation figure ('validationF1' for 'f1'), got ${describeValue(value)}`,
    );
  }
  const monitor = value as Monitor;
  if ((MONITORS as readonly string[]).includes(value)) return { monitor, watched: { figure: value as (typeof MONITORS)[number] } };
  const validation = value.startsWith('validation') && !(METRIC_NAMES as readonly string[]).includes(value);
  const metric = (validation ? value[10].toLowerCase() + value.slice(11) : value) as MetricName;
  if (!metrics.includes(metric))
    throw new DeltapropError(name, `'${value}' needs '${metric}' in options.metrics, which has ${metrics.length === 0 ? 'none' : metrics.map((m) => `'${m}'`).join(', ')}`);
  return { monitor, watched: { metric, validation } };
}

/** Whether a larger value of the figure is better. */
export function risesWhenBetter(watched: WatchedFigure): boolean {
  return 'figure' in watched ? watched.figure === 'validationAccuracy' : metricDirection(watched.metric) === 'max';
}

/** Whether the figure is measured on the validation rows. */
export function onValidation(watched: WatchedFigure): boolean {
  return 'figure' in watched ? watched.figure !== 'loss' : watched.validation;
}

export interface EarlyStoppingOptions {
  /** Default 'validationLoss'. */
  monitor?: Monitor;
  /** Epochs without improvement before training stops; default 10. */
  patience?: number;
  /** An improvement must exceed this; default 0. */
  minDelta?: number;
  /** Restore the parameters and optimizer state of the best epoch at the end; default true. */
  restoreBest?: boolean;
}

export interface CheckpointOptions {
  /** The file, rewritten atomically at each checkpoint. */
  path: string;
  /** Save every this many epochs; default 1. */
  every?: number;
  /** Save only when this figure improves (checked every `every` epochs). */
  monitor?: Monitor;
}

/** One block of rows of a streamed data set (a table network's rows in any table form), with their weights when the fit weighs rows. */
export interface Chunk {
  inputs: MatrixLike | TableLike;
  targets: Targets;
  sampleWeight?: readonly number[] | Float64Array;
}

/** A data set bigger than memory: called once per epoch, it returns the epoch's chunks. */
export type ChunkSource = () => Iterable<Chunk> | AsyncIterable<Chunk>;

export interface FitOptions {
  /** Default 1. */
  epochs?: number;
  /** Rows per minibatch; default 32 (a larger value means the whole set). */
  batchSize?: number;
  /** η > 0, or a schedule evaluated once per epoch; default 0.01. */
  learningRate?: LearningRate;
  /** A name ('sgd', 'adam', 'adamw', 'rmsprop') or an object with `type` and its settings; default 'sgd'. */
  optimizer?: OptimizerOptions;
  /** Shorthand for SGD's momentum μ in [0, 1); default 0. Not allowed with another optimizer. */
  momentum?: number;
  /** Rescale each minibatch's whole gradient to at most this L2 norm (> 0); default none. */
  clipNorm?: number;
  /** Reshuffle the rows (seeded) before every epoch; default true. */
  shuffle?: boolean;
  /** Rows a streamed fit shuffles among (its buffer); default 10,000. */
  shuffleBuffer?: number;
  /** Evaluated after every epoch into history.validationLoss (and validationAccuracy); its optional sampleWeight weighs its loss. */
  validation?: { inputs: MatrixLike | TableLike; targets: Targets; sampleWeight?: readonly number[] | Float64Array };
  /** The last fraction f of the rows (0 < f < 1), before any shuffling, become the validation set. */
  validationSplit?: number;
  /**
   * One weight ≥ 0 per row: each row's loss (and gradient) counts w times;
   * with reduction 'mean' a minibatch's loss is Σ wᵢ lᵢ / Σ wᵢ. With
   * validationSplit, the validation rows' weights weigh the validation loss.
   */
  sampleWeight?: readonly number[] | Float64Array;
  /**
   * A classifier's weight per class (by label, or by class index for a
   * network without labels), multiplying sampleWeight; 'balanced' gives
   * class c the weight n / (classes × count(c)) over the training rows, as
   * scikit-learn does. Not applied to validation rows.
   */
  classWeight?: ClassWeight;
  /**
   * Metrics to measure after every epoch, over every training row and every
   * validation row, into history.metrics and history.validationMetrics (see
   * `metrics`); early stopping and checkpoints can watch them.
   */
  metrics?: MetricName[];
  earlyStopping?: EarlyStoppingOptions;
  checkpoint?: CheckpointOptions;
  /** Stops fit at the next minibatch; fit then rejects with an AbortError. */
  signal?: AbortSignal;
  /** Called after every epoch (the network can be read inside); returning false, or a Promise of false, stops training. */
  onEpoch?: (info: EpochInfo) => void | boolean | Promise<void | boolean>;
  /**
   * Called during each epoch, at most about 100 times, between minibatches
   * (for progress bars). Training is the same with it as without, to the bit.
   */
  onProgress?: (progress: BatchProgress) => void;
  /**
   * Train one model over several processes: the world that
   * `require('deltaprop/distributed').init()` returned, in every process the
   * launcher (mpirun, srun) started. batchSize is then per process: each
   * step trains on world.size × batchSize rows. See docs/distributed.md.
   */
  distributed?: DataParallelWorld;
}

export interface History {
  /** Epochs run (fewer than asked when stopped). */
  epochs: number;
  /**
   * Training loss of each epoch, on evaluate()'s scale: the minibatches' data
   * losses (each before its update), averaged over samples for 'mean' or summed
   * for 'sum', plus the L2 term of the weights at the end of the epoch.
   */
  loss: number[];
  /** Accuracy of each epoch's minibatches (before their updates), where evaluate() defines accuracy. */
  accuracy?: number[];
  /** Loss on the validation set after each epoch, when there is one. */
  validationLoss?: number[];
  validationAccuracy?: number[];
  /** The learning rate each epoch used. */
  learningRate: number[];
  /** options.metrics over every training row, measured at each epoch's end. */
  metrics?: Partial<Record<MetricName, number[]>>;
  /** options.metrics over the validation rows, at each epoch's end. */
  validationMetrics?: Partial<Record<MetricName, number[]>>;
  /** With earlyStopping: the epoch whose figure was best (its parameters are the network's with restoreBest). */
  bestEpoch?: number;
  /** What went wrong without stopping training (a layer saturated by too large a learning rate), with the epoch it was seen after; absent when nothing did. */
  warnings?: { epoch: number; message: string }[];
  /** Present when early stopping's restoreBest gave the network this epoch's parameters (an earlier one than the last): its figures are the model's. */
  restoredEpoch?: number;
  /** With earlyStopping: the epoch after which it stopped training, or null when it ran every epoch. */
  stoppedEpoch?: number | null;
}

export interface ResolvedFit {
  epochs: number;
  batchSize: number;
  learningRate: ResolvedSchedule;
  optimizer: ResolvedOptimizer;
  /** 0: no clipping. */
  clipNorm: number;
  shuffle: boolean;
  shuffleBuffer: number;
  validation: { inputs: MatrixLike | TableLike; targets: Targets; sampleWeight?: readonly number[] | Float64Array } | null;
  validationSplit: number;
  /** As given: checked against the rows when they are read. */
  sampleWeight: unknown | null;
  /** 'balanced', or a copy of the weights as given (a Map, or a record of the object's own keys): checked against the classes when the targets are read. */
  classWeight: 'balanced' | ReadonlyMap<unknown, unknown> | Readonly<Record<string, unknown>> | null;
  metrics: MetricName[];
  earlyStopping: (Required<EarlyStoppingOptions> & { watched: WatchedFigure }) | null;
  checkpoint: { path: string; every: number; monitor: Monitor | null; watched: WatchedFigure | null } | null;
  signal: AbortSignal | null;
  onEpoch: FitOptions['onEpoch'] | null;
  onProgress: FitOptions['onProgress'] | null;
  /** A world of more than one process, or null (a size-1 world trains as a plain fit). */
  distributed: DataParallelWorld | null;
}

const KNOWN = [
  'epochs',
  'batchSize',
  'learningRate',
  'optimizer',
  'momentum',
  'clipNorm',
  'shuffle',
  'shuffleBuffer',
  'validation',
  'validationSplit',
  'sampleWeight',
  'classWeight',
  'metrics',
  'earlyStopping',
  'checkpoint',
  'signal',
  'onEpoch',
  'onProgress',
  'distributed',
] as const;

function resolveEarlyStopping(value: unknown, metrics: readonly MetricName[]): ResolvedFit['earlyStopping'] {
  if (value === undefined) return null;
  const o = checkObject('options.earlyStopping', value);
  checkKnownKeys('options.earlyStopping', o, ['monitor', 'patience', 'minDelta', 'restoreBest']);
  const { monitor, watched } = resolveMonitor('options.earlyStopping.monitor', o.monitor ?? 'validationLoss', metrics);
  return {
    monitor,
    watched,
    patience: o.patience === undefined ? 10 : checkInteger('options.earlyStopping.patience', o.patience, 0),
    minDelta: o.minDelta === undefined ? 0 : checkNumber('options.earlyStopping.minDelta', o.minDelta, { min: 0 }),
    restoreBest: o.restoreBest === undefined ? true : checkBoolean('options.earlyStopping.restoreBest', o.restoreBest),
  };
}

function resolveCheckpoint(value: unknown, metrics: readonly MetricName[]): ResolvedFit['checkpoint'] {
  if (value === undefined) return null;
  const o = checkObject('options.checkpoint', value);
  checkKnownKeys('options.checkpoint', o, ['path', 'every', 'monitor']);
  if (typeof o.path !== 'string' || o.path === '') {
    throw new DeltapropError('options.checkpoint.path', `expected a file path, got ${describeValue(o.path)}`);
  }
  const resolved = o.monitor === undefined ? null : resolveMonitor('options.checkpoint.monitor', o.monitor, metrics);
  return {
    path: o.path,
    every: o.every === undefined ? 1 : checkInteger('options.checkpoint.every', o.every, 1),
    monitor: resolved?.monitor ?? null,
    watched: resolved?.watched ?? null,
  };
}

function resolveSignal(value: unknown): AbortSignal | null {
  if (value === undefined) return null;
  if (!(value instanceof AbortSignal)) throw new DeltapropError('options.signal', `expected an AbortSignal, got ${describeValue(value)}`);
  return value;
}

function resolveValidation(value: unknown): ResolvedFit['validation'] {
  if (value === undefined) return null;
  const v = checkObject('options.validation', value);
  checkKnownKeys('options.validation', v, ['inputs', 'targets', 'sampleWeight']);
  // Arrays of rows or labels copied once (their length, then each row or label), as fit reads its own data; the rows' values are read once when checked.
  const once = (key: string, value: unknown) => (Array.isArray(value) ? checkArray(`options.validation.${key}`, value, 2 ** 31 - 1, key) : value);
  return { inputs: once('inputs', v.inputs) as MatrixLike, targets: once('targets', v.targets) as Targets, ...(v.sampleWeight === undefined ? {} : { sampleWeight: v.sampleWeight as Float64Array }) };
}

/**
 * A nested options object (an optimizer's settings, a schedule) as a copy
 * read once (see checkObject); anything else as it is, for its reader to
 * refuse or take (a name, a number).
 */
function readOnce(name: string, value: unknown): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? checkObject(name, value) : value;
}

// Map's own methods, taken once: a Map subclass or a Proxy of a Map could
// answer `size`, `entries` or iteration differently on each call, not these.
const mapEntries = Map.prototype.entries;

/**
 * options.classWeight: 'balanced', or a copy of its weights read once, now:
 * a streamed fit reads the weights of every chunk of every epoch from it, and
 * each of those reads must see what the first one saw. A Map is copied by
 * Map's own iterator (a Proxy of one, or an object that only inherits from
 * Map.prototype, has no entries to copy), an object by its own keys.
 */
function resolveClassWeight(value: unknown): ResolvedFit['classWeight'] {
  if (value === undefined || value === 'balanced') return value === undefined ? null : value;
  if (value instanceof Map) {
    try {
      return new Map(mapEntries.call(value));
    } catch {
      throw new DeltapropError('options.classWeight', 'expected a Map of a weight per class, got an object that only looks like one (a Proxy, or Map.prototype without a Map)');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DeltapropError('options.classWeight', `expected 'balanced' or an object (or Map) of a weight per class, got ${describeValue(value)}`);
  }
  return checkObject('options.classWeight', value);
}

/** Checks every option; `streamed` is a fit over a ChunkSource (no validationSplit there); `task` says which metrics the network has. */
export function resolveFitOptions(value: unknown, streamed: boolean, task: MetricTask): ResolvedFit {
  const o = checkObject('options', value ?? {});
  checkKnownKeys('options', o, KNOWN);
  // Each read once: a getter could answer the check and the use differently.
  const callbacks = { onEpoch: o.onEpoch, onProgress: o.onProgress };
  for (const [name, callback] of Object.entries(callbacks)) {
    if (callback !== undefined && typeof callback !== 'function') {
      throw new DeltapropError(`options.${name}`, `expected a function, got ${describeValue(callback)}`);
    }
  }
  const validation = resolveValidation(o.validation);
  const validationSplit = o.validationSplit === undefined ? 0 : checkNumber('options.validationSplit', o.validationSplit, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  if (validation !== null && validationSplit > 0) {
    throw new DeltapropError('options.validationSplit', 'give options.validation or options.validationSplit, not both');
  }
  if (streamed && validationSplit > 0) {
    throw new DeltapropError('options.validationSplit', 'a streamed fit has no rows to split off: give options.validation');
  }
  const hasValidation = validation !== null || validationSplit > 0;
  const learningRate = resolveLearningRate(readOnce('options.learningRate', o.learningRate));
  const metrics = o.metrics === undefined ? [] : checkMetricNames('options.metrics', o.metrics, task);
  const earlyStopping = resolveEarlyStopping(o.earlyStopping, metrics);
  const checkpoint = resolveCheckpoint(o.checkpoint, metrics);
  const needsValidation: [string, Monitor | null | undefined, boolean][] = [
    ['options.learningRate.monitor', learningRate.type === 'plateau' ? learningRate.monitor : undefined, learningRate.type === 'plateau' && learningRate.monitor !== 'loss'],
    ['options.earlyStopping.monitor', earlyStopping?.monitor, earlyStopping !== null && onValidation(earlyStopping.watched)],
    ['options.checkpoint.monitor', checkpoint?.monitor, checkpoint?.watched != null && onValidation(checkpoint.watched)],
  ];
  for (const [name, monitor, validationFigure] of needsValidation) {
    if (validationFigure && !hasValidation) {
      throw new DeltapropError(name, `'${monitor}' needs validation data: give options.validation or options.validationSplit`);
    }
  }
  return {
    epochs: o.epochs === undefined ? 1 : checkInteger('options.epochs', o.epochs, 1),
    batchSize: o.batchSize === undefined ? 32 : checkInteger('options.batchSize', o.batchSize, 1),
    learningRate,
    optimizer: resolveOptimizer(readOnce('options.optimizer', o.optimizer), o.momentum),
    clipNorm: o.clipNorm === undefined ? 0 : checkNumber('options.clipNorm', o.clipNorm, { min: 0, minExclusive: true }),
    shuffle: o.shuffle === undefined ? true : checkBoolean('options.shuffle', o.shuffle),
    shuffleBuffer: o.shuffleBuffer === undefined ? 10_000 : checkInteger('options.shuffleBuffer', o.shuffleBuffer, 1, 2 ** 26),
    validation,
    validationSplit,
    sampleWeight: o.sampleWeight ?? null,
    classWeight: resolveClassWeight(o.classWeight),
    metrics,
    earlyStopping,
    checkpoint,
    signal: resolveSignal(o.signal),
    onEpoch: (callbacks.onEpoch as ResolvedFit['onEpoch']) ?? null,
    onProgress: (callbacks.onProgress as ResolvedFit['onProgress']) ?? null,
    distributed: resolveDistributed(o.distributed),
  };
}
