// Each class's precision, recall, F1 and support, with their macro average
// (every class counts the same, so a rare class doing badly shows) and their
// weighted one (by support, as scikit-learn's classification_report and
// `deltaprop evaluate` print them).
import type { ReportClass } from './details.js';
import { escapeHtml, formatCount, formatNumber } from './format.js';
import { headerRow, numberCell, rowHeader, tableHtml } from './table.js';

type Scores = Pick<ReportClass, 'precision' | 'recall' | 'f1'>;
const SCORES = ['precision', 'recall', 'f1'] as const;

/** The scores averaged with these weights, one per class (not all 0). */
function average(classes: readonly ReportClass[], weights: readonly number[]): Scores {
  const total = weights.reduce((a, b) => a + b, 0);
  const mean = (key: keyof Scores) => classes.reduce((a, c, i) => a + c[key] * weights[i], 0) / total;
  return { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') };
}

/** A row: its heading (HTML), the three scores and the support. */
function scoreRow(attributes: string, heading: string, scores: Scores, support: number): string {
  return `<tr ${attributes}>${rowHeader(heading)}${SCORES.map((key) => numberCell(formatNumber(scores[key]))).join('')}${numberCell(formatCount(support))}</tr>`;
}

export function classScoreTable(classes: readonly ReportClass[]): string {
  const support = classes.reduce((a, c) => a + c.support, 0);
  const body = classes.map((c, i) => scoreRow(`data-class="${i}"`, escapeHtml(c.label), c, c.support));
  const averages = [
    scoreRow(
      'data-average="macro"',
      'macro average',
      average(
        classes,
        classes.map(() => 1),
      ),
      support,
    ),
  ];
  // With no rows of any class the weights are all 0: no weighted average to show.
  if (support > 0)
    averages.push(
      scoreRow(
        'data-average="weighted"',
        'weighted average',
        average(
          classes,
          classes.map((c) => c.support),
        ),
        support,
      ),
    );
  return tableHtml({
    className: 'class-scores',
    caption: 'Each class: precision, recall and F1, with their averages over the classes (macro) and over the rows (weighted by support)',
    head: headerRow([
      ['class', false],
      ['precision', true],
      ['recall', true],
      ['F1', true],
      ['support', true],
    ]),
    body,
    foot: averages.join(''),
  });
}
