// The table of named figures (metric, value, what it was measured on), as
// the results and the test set show it, and the rows a set of measured
// figures (an evaluation, a test set) gives it.
import type { ReportEvaluation } from './details.js';
import { escapeHtml, formatNumber, formatPercent } from './format.js';
import { headerRow, numberCell, rowHeader, tableHtml } from './table.js';

export interface Figure {
  /** The row's data-metric, e.g. 'validationLoss@12' or 'test.accuracy'. */
  key: string;
  label: string;
  value: string;
  /** What it was measured on, e.g. 'validation set after epoch 12'. */
  source: string;
}

/**
 * The loss, the accuracy and every named metric of an evaluation or a test
 * set; `prefix` ('evaluation', 'test') keys the rows so the two never share one.
 */
export function measuredFigures(prefix: string, figures: ReportEvaluation, source: string): Figure[] {
  const rows: Figure[] = [{ key: `${prefix}.loss`, label: 'loss', value: formatNumber(figures.loss), source }];
  if (figures.accuracy !== undefined) rows.push({ key: `${prefix}.accuracy`, label: 'accuracy', value: formatPercent(figures.accuracy), source });
  for (const [name, value] of Object.entries(figures.metrics ?? {})) {
    rows.push({ key: `${prefix}.metrics.${name}`, label: name, value: formatNumber(value), source });
  }
  return rows;
}

/** `caption` is text (escaped here). */
export function figureTable(figures: readonly Figure[], caption: string): string {
  const body = figures.map((f) => `<tr data-metric="${escapeHtml(f.key)}">${rowHeader(escapeHtml(f.label))}${numberCell(f.value)}<td class="muted">${escapeHtml(f.source)}</td></tr>`);
  return tableHtml({
    className: 'figures',
    caption: escapeHtml(caption),
    head: headerRow([
      ['metric', false],
      ['value', true],
      ['measured on', false],
    ]),
    body,
  });
}
