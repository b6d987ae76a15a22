// The report's results section: the final figures (the history's last epoch,
// and the caller's own evaluation) and the confusion matrix.
import type { History } from '../fit-options.js';
import type { ConfusionMatrix, ReportEvaluation } from './details.js';
import { escapeHtml, formatInteger, formatNumber, formatPercent } from './format.js';

/** Shades of a confusion cell: its share of the row (the actual class), in tenths. */
export const SHADES = 10;

interface Figure {
  key: string;
  label: string;
  value: string;
  source: string;
}

function historyFigures(history: History): Figure[] {
  if (history.epochs === 0) return [];
  const last = history.epochs - 1;
  const figures: Figure[] = [];
  const at = (epoch: number, series: 'loss' | 'accuracy' | 'validationLoss' | 'validationAccuracy', label: string, source: string) => {
    const values = history[series];
    if (values === undefined) return;
    const value = series.endsWith('ccuracy') ? formatPercent(values[epoch]) : formatNumber(values[epoch]);
    figures.push({ key: `${series}@${epoch}`, label, value, source });
  };
  at(last, 'loss', 'training loss', `epoch ${last}, over its minibatches`);
  at(last, 'accuracy', 'training accuracy', `epoch ${last}, over its minibatches`);
  at(last, 'validationLoss', 'validation loss', `validation set after epoch ${last}`);
  at(last, 'validationAccuracy', 'validation accuracy', `validation set after epoch ${last}`);
  // With restoreBest the network holds the best epoch's parameters, not the last's: show those figures too.
  const best = history.bestEpoch;
  if (best !== undefined && best >= 0 && best !== last) {
    at(best, 'validationLoss', 'validation loss', `validation set after epoch ${best}, the best`);
    at(best, 'validationAccuracy', 'validation accuracy', `validation set after epoch ${best}, the best`);
    if (history.validationLoss === undefined) at(best, 'loss', 'training loss', `epoch ${best}, the best`);
  }
  return figures;
}

function evaluationFigures(evaluation: ReportEvaluation | null): Figure[] {
  if (evaluation === null) return [];
  const source = 'the evaluation given';
  const figures: Figure[] = [{ key: 'evaluation.loss', label: 'loss', value: formatNumber(evaluation.loss), source }];
  if (evaluation.accuracy !== undefined) figures.push({ key: 'evaluation.accuracy', label: 'accuracy', value: formatPercent(evaluation.accuracy), source });
  for (const [name, value] of Object.entries(evaluation.metrics ?? {})) {
    figures.push({ key: `metrics.${name}`, label: name, value: formatNumber(value), source });
  }
  return figures;
}

function figureTable(figures: Figure[]): string {
  const rows = figures.map((f) =>
    `<tr data-metric="${escapeHtml(f.key)}"><th scope="row">${escapeHtml(f.label)}</th><td class="num">${escapeHtml(f.value)}</td><td class="muted">${escapeHtml(f.source)}</td></tr>`);
  return `<div class="table-wrap"><table class="figures"><caption>Final metrics</caption>` +
    `<thead><tr><th scope="col">metric</th><th scope="col" class="num">value</th><th scope="col">measured on</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></div>`;
}

/** Rows = actual class, columns = predicted, with totals; cells shaded by their share of the row, the diagonal in its own hue. */
export function confusionTable({ labels, counts }: ConfusionMatrix): string {
  const rowTotals = counts.map((row) => row.reduce((a, b) => a + b, 0));
  const columnTotals = labels.map((_, j) => counts.reduce((a, row) => a + row[j], 0));
  const total = rowTotals.reduce((a, b) => a + b, 0);
  const correct = counts.reduce((a, row, i) => a + row[i], 0);
  const names = labels.map(escapeHtml);
  // Two leading columns: the word "actual" down the rows, then the class names.
  const head = `<tr><td class="corner" colspan="2" rowspan="2"></td><th scope="colgroup" colspan="${labels.length}">predicted</th>` +
    `<th scope="col" rowspan="2" class="total">total</th></tr>` +
    `<tr>${names.map((n) => `<th scope="col">${n}</th>`).join('')}</tr>`;
  const body = counts.map((row, i) => {
    const cells = row.map((n, j) => {
      const share = rowTotals[i] === 0 ? 0 : n / rowTotals[i];
      const shade = Math.round(share * SHADES);
      const tip = `actual ${labels[i]}, predicted ${labels[j]}: ${n}${rowTotals[i] === 0 ? '' : ` (${formatPercent(share)} of actual ${labels[i]})`}`;
      return `<td class="cell ${i === j ? 'hit' : 'miss'} s${shade}" data-actual="${i}" data-predicted="${j}" title="${escapeHtml(tip)}">${formatInteger(n)}</td>`;
    });
    const rowHead = i === 0 ? `<th scope="rowgroup" rowspan="${labels.length}" class="axis-name"><span>actual</span></th>` : '';
    return `<tr>${rowHead}<th scope="row">${names[i]}</th>${cells.join('')}<td class="total" data-row-total="${i}">${formatInteger(rowTotals[i])}</td></tr>`;
  });
  const foot = `<tr><th scope="row" colspan="2" class="total">total</th>${columnTotals.map((n, j) => `<td class="total" data-column-total="${j}">${formatInteger(n)}</td>`).join('')}` +
    `<td class="total grand" data-total="${total}">${formatInteger(total)}</td></tr>`;
  const accuracy = total === 0 ? '' : ` ${formatInteger(correct)} of ${formatInteger(total)} correct (${formatPercent(correct / total)}).`;
  return `<div class="table-wrap"><table class="confusion">` +
    `<caption>Confusion matrix: rows are the actual class, columns the predicted one; shading is a cell's share of its row.${accuracy}</caption>` +
    `<thead>${head}</thead><tbody>${body.join('')}</tbody><tfoot>${foot}</tfoot></table></div>`;
}

export function resultsSection(history: History, evaluation: ReportEvaluation | null): string {
  const figures = [...historyFigures(history), ...evaluationFigures(evaluation)];
  const table = figures.length === 0 ? '<p class="muted">No epoch finished and no evaluation was given.</p>' : figureTable(figures);
  const confusion = evaluation?.confusion === undefined ? '' : confusionTable(evaluation.confusion);
  return `<section id="results"><h2>Results</h2>${table}${confusion}</section>`;
}
