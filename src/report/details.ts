// What trainingReport takes besides the network: the types, and their checks.
// Everything is checked and copied here, before any HTML is written, so a
// bad value is a DeltapropError naming it rather than a broken page, and
// what was checked is what is drawn (a getter cannot change it in between).
import { DeltapropError, describeValue } from '../errors.js';
import type { History } from '../fit-options.js';
import type { OptimizerOptions, ResolvedOptimizer } from '../optimizers.js';
import { resolveOptimizer } from '../optimizers.js';
import { checkInteger, checkKnownKeys, checkNumber, checkObject } from '../validate.js';

/** counts[actual][predicted]: how many rows of class `labels[actual]` the network called `labels[predicted]`. */
export interface ConfusionMatrix {
  labels: string[];
  counts: number[][];
}

/** Figures measured after training, e.g. by `network.evaluate` on a test set. */
export interface ReportEvaluation {
  loss: number;
  /** A fraction in [0, 1]. */
  accuracy?: number;
  /** Classification: rows = actual class, columns = predicted class. */
  confusion?: ConfusionMatrix;
  /** Any other named figures, e.g. `{ rmse, mae, r2 }` for a regression. */
  metrics?: Record<string, number>;
}

/** The shape of the training data. */
export interface ReportData {
  /** Rows of the data set, validation rows included when they were split off it. */
  rows: number;
  /** The data set's column names (e.g. a CSV header). */
  columns?: string[];
  /** Values per input row. */
  inputs: number;
  /** Target columns, or classes. */
  outputs: number;
  /** How many of `rows` were held out for validation. */
  validationRows?: number;
  /** Where the data came from, e.g. a file name. */
  source?: string;
}

export interface ReportTiming {
  /** Wall-clock time of the fit. */
  seconds: number;
  /** Training rows processed per second (rows × epochs / seconds). */
  samplesPerSecond: number;
}

export interface TrainingReportDetails {
  /** The page's heading and title; default 'Training report'. */
  title?: string;
  /** What fit's `optimizer` option was: a name or `{ type, ...settings }` (shown with every setting resolved). */
  optimizer?: OptimizerOptions;
  evaluation?: ReportEvaluation;
  data?: ReportData;
  timing?: ReportTiming;
  /** When the report says it was made; default now. */
  date?: Date;
}

/** The details checked, copied and with their defaults. */
export interface ResolvedDetails {
  title: string;
  optimizer: ResolvedOptimizer | null;
  evaluation: ReportEvaluation | null;
  data: ReportData | null;
  timing: ReportTiming | null;
  date: Date;
}

function checkText(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new DeltapropError(name, `expected a non-empty string, got ${describeValue(value)}`);
  return value;
}

function checkArray(name: string, value: unknown, length?: number): unknown[] {
  if (!Array.isArray(value)) throw new DeltapropError(name, `expected an array, got ${describeValue(value)}`);
  if (length !== undefined && value.length !== length) throw new DeltapropError(name, `expected ${length} entries, got ${value.length}`);
  return Array.from(value);
}

function checkConfusion(name: string, value: unknown): ConfusionMatrix {
  const o = checkObject(name, value);
  checkKnownKeys(name, o, ['labels', 'counts']);
  const labels = checkArray(`${name}.labels`, o.labels).map((label, i) => checkText(`${name}.labels[${i}]`, label));
  if (labels.length === 0) throw new DeltapropError(`${name}.labels`, 'expected at least one class, got none');
  const seen = new Set<string>();
  labels.forEach((label, i) => {
    if (seen.has(label)) throw new DeltapropError(`${name}.labels[${i}]`, `${describeValue(label)} appears twice; each class needs its own name`);
    seen.add(label);
  });
  const counts = checkArray(`${name}.counts`, o.counts, labels.length).map((row, i) =>
    checkArray(`${name}.counts[${i}]`, row, labels.length).map((n, j) => checkInteger(`${name}.counts[${i}][${j}]`, n, 0)),
  );
  return { labels, counts };
}

function checkMetrics(name: string, value: unknown): Record<string, number> {
  const o = checkObject(name, value);
  const metrics: Record<string, number> = {};
  for (const [key, x] of Object.entries(o)) {
    checkText(`${name} (a metric's name)`, key);
    metrics[key] = checkNumber(`${name}.${key}`, x);
  }
  return metrics;
}

function checkEvaluation(name: string, value: unknown): ReportEvaluation {
  const o = checkObject(name, value);
  checkKnownKeys(name, o, ['loss', 'accuracy', 'confusion', 'metrics']);
  const evaluation: ReportEvaluation = { loss: checkNumber(`${name}.loss`, o.loss, { min: 0 }) };
  if (o.accuracy !== undefined) evaluation.accuracy = checkNumber(`${name}.accuracy`, o.accuracy, { min: 0, max: 1 });
  if (o.confusion !== undefined) evaluation.confusion = checkConfusion(`${name}.confusion`, o.confusion);
  if (o.metrics !== undefined) evaluation.metrics = checkMetrics(`${name}.metrics`, o.metrics);
  return evaluation;
}

function checkData(name: string, value: unknown): ReportData {
  const o = checkObject(name, value);
  checkKnownKeys(name, o, ['rows', 'columns', 'inputs', 'outputs', 'validationRows', 'source']);
  const data: ReportData = {
    rows: checkInteger(`${name}.rows`, o.rows, 1),
    inputs: checkInteger(`${name}.inputs`, o.inputs, 1),
    outputs: checkInteger(`${name}.outputs`, o.outputs, 1),
  };
  if (o.columns !== undefined) data.columns = checkArray(`${name}.columns`, o.columns).map((c, i) => checkText(`${name}.columns[${i}]`, c));
  // Fewer than all: training needs at least one row of its own.
  if (o.validationRows !== undefined) data.validationRows = checkInteger(`${name}.validationRows`, o.validationRows, 0, data.rows - 1);
  if (o.source !== undefined) data.source = checkText(`${name}.source`, o.source);
  return data;
}

function checkTiming(name: string, value: unknown): ReportTiming {
  const o = checkObject(name, value);
  checkKnownKeys(name, o, ['seconds', 'samplesPerSecond']);
  return {
    seconds: checkNumber(`${name}.seconds`, o.seconds, { min: 0 }),
    samplesPerSecond: checkNumber(`${name}.samplesPerSecond`, o.samplesPerSecond, { min: 0 }),
  };
}

/** resolveOptimizer names fit's options; here the same value is details.optimizer. */
function checkOptimizer(value: unknown): ResolvedOptimizer {
  try {
    return resolveOptimizer(value, undefined);
  } catch (e) {
    if (e instanceof DeltapropError) throw new DeltapropError(e.argument.replace(/^options\./, 'details.'), e.detail);
    throw e;
  }
}

export function resolveDetails(value: unknown): ResolvedDetails {
  const o = checkObject('details', value ?? {});
  checkKnownKeys('details', o, ['title', 'optimizer', 'evaluation', 'data', 'timing', 'date']);
  if (o.date !== undefined && !(o.date instanceof Date && Number.isFinite(o.date.getTime()))) {
    throw new DeltapropError('details.date', `expected a valid Date, got ${describeValue(o.date)}`);
  }
  return {
    title: o.title === undefined ? 'Training report' : checkText('details.title', o.title),
    optimizer: o.optimizer === undefined ? null : checkOptimizer(o.optimizer),
    evaluation: o.evaluation === undefined ? null : checkEvaluation('details.evaluation', o.evaluation),
    data: o.data === undefined ? null : checkData('details.data', o.data),
    timing: o.timing === undefined ? null : checkTiming('details.timing', o.timing),
    date: o.date === undefined ? new Date() : new Date((o.date as Date).getTime()),
  };
}

/** A series of `epochs` finite numbers within `range`. */
function checkSeries(name: string, value: unknown, epochs: number, range: Parameters<typeof checkNumber>[2]): number[] {
  return checkArray(name, value, epochs).map((x, i) => checkNumber(`${name}[${i}]`, x, range));
}

/**
 * A History as fit returns it (or one built by hand): every series one finite
 * value per epoch. Keys it does not know are ignored: a History is the
 * library's output, not options a user types.
 */
export function resolveHistory(value: unknown): History {
  const o = checkObject('history', value);
  const epochs = checkInteger('history.epochs', o.epochs, 0);
  const history: History = {
    epochs,
    loss: checkSeries('history.loss', o.loss, epochs, { min: 0 }),
    learningRate: checkSeries('history.learningRate', o.learningRate, epochs, { min: 0 }),
  };
  if (o.accuracy !== undefined) history.accuracy = checkSeries('history.accuracy', o.accuracy, epochs, { min: 0, max: 1 });
  if (o.validationLoss !== undefined) history.validationLoss = checkSeries('history.validationLoss', o.validationLoss, epochs, { min: 0 });
  if (o.validationAccuracy !== undefined) {
    history.validationAccuracy = checkSeries('history.validationAccuracy', o.validationAccuracy, epochs, { min: 0, max: 1 });
  }
  // fit reports bestEpoch −1 when no epoch improved on the first figure it watched.
  if (o.bestEpoch !== undefined) history.bestEpoch = checkInteger('history.bestEpoch', o.bestEpoch, -1, epochs - 1);
  if (o.stoppedEpoch !== undefined && o.stoppedEpoch !== null) {
    history.stoppedEpoch = checkInteger('history.stoppedEpoch', o.stoppedEpoch, 0, epochs - 1);
  } else if (o.stoppedEpoch === null) {
    history.stoppedEpoch = null;
  }
  return history;
}
