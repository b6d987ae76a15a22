// The fit's history: its series start empty (one for each figure this fit
// measures), and each epoch's figures are appended to them.
import { hasAccuracy } from '../backend/js/metrics.js';
import type { MetricName } from '../table/metrics.js';
import type { FitSetup } from './context.js';
import type { EpochStep } from './epoch-end.js';
import type { EpochInfo, History } from './fit-options.js';

/** The empty history of a fit: a series for every figure it will record. */
export function emptyHistory({ ctx, rows, validation, fit }: Pick<FitSetup, 'ctx' | 'rows' | 'validation' | 'fit'>): History {
  const accuracy = hasAccuracy(ctx.layout.activations[ctx.layout.activations.length - 1]);
  const history: History = { epochs: 0, loss: [], learningRate: [] };
  if (accuracy) history.accuracy = [];
  if (fit.metrics.length > 0 && rows.kind === 'rows') history.metrics = Object.fromEntries(fit.metrics.map((m) => [m, []]));
  if (validation) {
    history.validationLoss = [];
    if (accuracy) history.validationAccuracy = [];
    if (fit.metrics.length > 0) history.validationMetrics = Object.fromEntries(fit.metrics.map((m) => [m, []]));
  }
  if (fit.earlyStopping) {
    history.bestEpoch = -1;
    history.stoppedEpoch = null;
  }
  return history;
}

/** Appends an epoch's figures to the history. */
function record(history: History, info: EpochInfo): void {
  history.epochs++;
  history.loss.push(info.loss);
  history.learningRate.push(info.learningRate);
  if (info.accuracy !== undefined) history.accuracy!.push(info.accuracy);
  if (info.validationLoss !== undefined) history.validationLoss!.push(info.validationLoss);
  if (info.validationAccuracy !== undefined) history.validationAccuracy!.push(info.validationAccuracy);
  for (const message of info.warnings ?? []) (history.warnings ??= []).push({ epoch: info.epoch, message });
  for (const [series, figures] of [
    [history.metrics, info.metrics],
    [history.validationMetrics, info.validationMetrics],
  ] as const) {
    if (series === undefined || figures === undefined) continue;
    for (const [name, value] of Object.entries(figures)) series[name as MetricName]!.push(value);
  }
}

/** The step that records each epoch's figures. */
export const recordHistory: EpochStep = { afterEpoch: (end) => record(end.history, end.info) };
