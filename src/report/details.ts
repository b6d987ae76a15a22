// What trainingReport takes besides the network and the history: the types,
// and their checks. Everything is checked and copied here, before any HTML is
// written, so a bad value is a DeltapropError naming it rather than a broken
// page, and what was checked is what is drawn (a getter cannot change it in
// between). The figures' own checks are in check-figures.ts.
import { DeltapropError, describeValue } from '../errors.js';
import type { OptimizerOptions, ResolvedOptimizer } from '../optimizers.js';
import { resolveOptimizer } from '../optimizers.js';
import { checkInteger, checkKnownKeys, checkNumber, checkObject } from '../validate.js';
import { checkArray, checkText } from './check.js';
import { checkEvaluation, checkTest } from './check-figures.js';
import type { ReportEvaluation, ReportTest } from './figure-types.js';

export type { ConfusionMatrix, ReportClass, ReportEvaluation, ReportTest } from './figure-types.js';

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
  /** The page's heading and title; default 'Training report', or 'Model report' without a history. */
  title?: string;
  /** What fit's `optimizer` option was: a name or `{ type, ...settings }` (shown with every setting resolved). */
  optimizer?: OptimizerOptions;
  /** Figures measured after training, shown with the history's in the results. */
  evaluation?: ReportEvaluation;
  /** Figures on a test set, shown in a section of their own. */
  test?: ReportTest;
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
  test: ReportTest | null;
  data: ReportData | null;
  timing: ReportTiming | null;
  date: Date;
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

/** A Date's time from its internal slot (a subclass's getTime or a look-alike cannot lie); NaN for anything that is not a Date. */
function timeOf(value: unknown): number {
  try {
    return Date.prototype.getTime.call(value);
  } catch {
    return NaN;
  }
}

/** The details checked; `defaultTitle` is the title when none is given. */
export function resolveDetails(value: unknown, defaultTitle: string): ResolvedDetails {
  const o = checkObject('details', value ?? {});
  checkKnownKeys('details', o, ['title', 'optimizer', 'evaluation', 'test', 'data', 'timing', 'date']);
  const time = o.date === undefined ? Date.now() : timeOf(o.date);
  if (!Number.isFinite(time)) throw new DeltapropError('details.date', `expected a valid Date, got ${describeValue(o.date)}`);
  return {
    title: o.title === undefined ? defaultTitle : checkText('details.title', o.title),
    optimizer: o.optimizer === undefined ? null : checkOptimizer(o.optimizer),
    evaluation: o.evaluation === undefined ? null : checkEvaluation('details.evaluation', o.evaluation),
    test: o.test === undefined ? null : checkTest('details.test', o.test),
    data: o.data === undefined ? null : checkData('details.data', o.data),
    timing: o.timing === undefined ? null : checkTiming('details.timing', o.timing),
    date: new Date(time),
  };
}
