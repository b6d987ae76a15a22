// The History a report is drawn from: its check, and which of its epochs the
// network's parameters come from.
import { DeltapropError } from '../errors.js';
import type { History } from '../training/fit-options.js';
import type { MetricName } from '../table/metrics/names.js';
import { METRIC_NAMES } from '../table/metrics/names.js';
import { checkInteger, checkNumber, checkObject } from '../validate.js';
import { checkArray } from './check.js';
import { isMetricName, metricRange } from './metric-names.js';
import { shownEpoch } from './format.js';

type Range = { min?: number; max?: number };

/** A series of `epochs` finite numbers within `range`. */
function checkSeries(name: string, value: unknown, epochs: number, range: Range): number[] {
  return checkArray(name, value, epochs).map((x, i) => checkNumber(`${name}[${i}]`, x, range));
}

/**
 * A figure measured after an epoch on rows fit does not train on (or that
 * fit does not stop for): a number within `range`, or one that is not
 * finite: NaN where it was not defined, ±Infinity where a row's prediction
 * overflowed (a huge value in a validation row makes the validation loss
 * Infinity) — each a gap in its chart, ∞ or — in the tables. An infinity is
 * taken only on a side the range leaves open (a loss can be +∞, never −∞;
 * an accuracy neither).
 */
function checkFigure(name: string, x: unknown, range: Range): number {
  if (typeof x === 'number' && (Number.isNaN(x) || (x === Infinity && range.max === undefined) || (x === -Infinity && range.min === undefined))) return x;
  return checkNumber(name, x, range);
}

/** A series of `epochs` figures (checkFigure's). */
function checkFigures(name: string, value: unknown, epochs: number, range: Range): number[] {
  return checkArray(name, value, epochs).map((x, i) => checkFigure(`${name}[${i}]`, x, range));
}

/**
 * history.metrics or history.validationMetrics: a series per metric fit
 * knows, each within that metric's range, or NaN where the metric was not
 * defined on the epoch's rows (an AUC of rows of one class), or an infinity
 * where the range is open that way (an MAE of an overflowed prediction): a
 * gap in the chart.
 */
function checkMetricSeries(name: string, value: unknown, epochs: number): Partial<Record<MetricName, number[]>> {
  const o = checkObject(name, value);
  const metrics: Partial<Record<MetricName, number[]>> = {};
  for (const [key, series] of Object.entries(o)) {
    if (!isMetricName(key)) throw new DeltapropError(`${name}.${key}`, `not a metric fit measures; expected one of ${METRIC_NAMES.join(', ')}`);
    // Partial<Record> lets a key be present and undefined: that is no series, as an absent key is.
    if (series !== undefined) {
      metrics[key] = checkFigures(`${name}.${key}`, series, epochs, metricRange(key));
    }
  }
  return metrics;
}

/**
 * A History as fit returns it (or one built by hand): every series one value
 * per epoch. The training loss and the learning rate are finite (fit stops
 * on a non-finite loss); the other figures may not be (checkFigure). Keys it
 * does not know are ignored: a History is the library's output, not options
 * a user types.
 */
export function resolveHistory(value: unknown): History {
  const o = checkObject('history', value);
  const epochs = checkInteger('history.epochs', o.epochs, 0);
  const history: History = {
    epochs,
    loss: checkSeries('history.loss', o.loss, epochs, { min: 0 }),
    learningRate: checkSeries('history.learningRate', o.learningRate, epochs, { min: 0 }),
  };
  if (o.accuracy !== undefined) history.accuracy = checkFigures('history.accuracy', o.accuracy, epochs, { min: 0, max: 1 });
  if (o.validationLoss !== undefined) history.validationLoss = checkFigures('history.validationLoss', o.validationLoss, epochs, { min: 0 });
  if (o.validationAccuracy !== undefined) {
    history.validationAccuracy = checkFigures('history.validationAccuracy', o.validationAccuracy, epochs, { min: 0, max: 1 });
  }
  if (o.metrics !== undefined) history.metrics = checkMetricSeries('history.metrics', o.metrics, epochs);
  if (o.validationMetrics !== undefined) history.validationMetrics = checkMetricSeries('history.validationMetrics', o.validationMetrics, epochs);
  // fit reports bestEpoch −1 when no epoch improved on the first figure it watched.
  if (o.bestEpoch !== undefined) history.bestEpoch = checkInteger('history.bestEpoch', o.bestEpoch, -1, epochs - 1);
  if (o.restoredEpoch !== undefined) history.restoredEpoch = checkInteger('history.restoredEpoch', o.restoredEpoch, 0, epochs - 1);
  if (o.stoppedEpoch !== undefined && o.stoppedEpoch !== null) {
    history.stoppedEpoch = checkInteger('history.stoppedEpoch', o.stoppedEpoch, 0, epochs - 1);
  } else if (o.stoppedEpoch === null) {
    history.stoppedEpoch = null;
  }
  return history;
}

/** The epoch whose parameters the network holds, as an index into the history's arrays. */
export interface KeptEpoch {
  index: number;
  /** Early stopping put this epoch's parameters back after later epochs ran. */
  restored: boolean;
}

/** The restored epoch when early stopping restored one, else the last; null when no epoch finished. */
export function keptEpoch(history: History): KeptEpoch | null {
  if (history.restoredEpoch !== undefined) return { index: history.restoredEpoch, restored: true };
  return history.epochs === 0 ? null : { index: history.epochs - 1, restored: false };
}

/**
 * Why the network holds that epoch. The history does not record which figure
 * early stopping watched, so the restored one is called its best rather than
 * guessed at.
 */
export function keptReason(kept: KeptEpoch): string {
  return kept.restored ? "restored (early stopping's best)" : 'the last';
}

/** "epoch 12, restored (early stopping's best)" or "epoch 20, the last". */
export function describeKept(kept: KeptEpoch): string {
  return `epoch ${shownEpoch(kept.index)}, ${keptReason(kept)}`;
}

/** The metrics the history measured, on the training rows or the validation rows or both, in fit's order. */
export function historyMetricNames(history: History): MetricName[] {
  const names = [...Object.keys(history.metrics ?? {}), ...Object.keys(history.validationMetrics ?? {})] as MetricName[];
  return [...new Set(names)];
}
