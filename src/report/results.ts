// The report's results section: the figures of the model the network holds
// (the history's kept epoch: the restored one, else the last) beside the
// caller's own evaluation, and the evaluation's confusion matrix.
import type { History } from '../training/fit-options.js';
import { confusionTable } from './confusion.js';
import type { ReportEvaluation } from './details.js';
import type { Figure } from './figures.js';
import { figureTable, measuredFigures } from './figures.js';
import { formatNumber, formatPercent, shownEpoch } from './format.js';
import { describeKept, historyMetricNames, keptEpoch } from './history.js';
import { metricLabel } from './metric-names.js';

/** The kept epoch's figures, each keyed by its History series and the epoch as shown ('validationLoss@12'). */
function historyFigures(history: History): Figure[] {
  const kept = keptEpoch(history);
  if (kept === null) return [];
  const epoch = shownEpoch(kept.index);
  const figures: Figure[] = [];
  const add = (series: string, label: string, values: number[] | undefined, format: (x: number) => string, source: string) => {
    if (values !== undefined) figures.push({ key: `${series}@${epoch}`, label, value: format(values[kept.index]), source });
  };
  const minibatches = `epoch ${epoch}, over its minibatches`;
  const training = `every training row after epoch ${epoch}`;
  const validation = `validation set after epoch ${epoch}`;
  add('loss', 'training loss', history.loss, formatNumber, minibatches);
  add('accuracy', 'training accuracy', history.accuracy, formatPercent, minibatches);
  add('validationLoss', 'validation loss', history.validationLoss, formatNumber, validation);
  add('validationAccuracy', 'validation accuracy', history.validationAccuracy, formatPercent, validation);
  for (const name of historyMetricNames(history)) {
    add(`metrics.${name}`, `training ${metricLabel(name)}`, history.metrics?.[name], formatNumber, training);
    add(`validationMetrics.${name}`, `validation ${metricLabel(name)}`, history.validationMetrics?.[name], formatNumber, validation);
  }
  return figures;
}

/** Nothing without a history or an evaluation: a report of a test set alone has its own section. */
export function resultsSection(history: History | null, evaluation: ReportEvaluation | null): string {
  if (history === null && evaluation === null) return '';
  const kept = history === null ? null : keptEpoch(history);
  const figures = [...(history === null ? [] : historyFigures(history)), ...(evaluation === null ? [] : measuredFigures('evaluation', evaluation, 'the evaluation given'))];
  const caption = kept === null ? "The model's figures" : `The model's figures, from ${describeKept(kept)}`;
  const table = figures.length === 0 ? '<p class="muted">No epoch finished and no evaluation was given.</p>' : figureTable(figures, caption);
  const confusion = evaluation?.confusion === undefined ? '' : confusionTable(evaluation.confusion);
  return `<section id="results"><h2>Results</h2>${table}${confusion}</section>`;
}
