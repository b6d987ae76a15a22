// The confusion matrix as a table: rows the actual class, columns the
// predicted one, with totals, each cell shaded by its share of its row.
import type { ConfusionMatrix } from './details.js';
import { escapeHtml, formatInteger, formatPercent } from './format.js';
import { columnHeader, rowHeader, tableHtml } from './table.js';

/** Shades of a confusion cell: its share of the row (the actual class), in tenths. */
export const SHADES = 10;

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** A cell: the diagonal (right) in its own hue, darker for a larger share of the actual class's rows. */
function countCell(labels: readonly string[], i: number, j: number, n: number, rowTotal: number): string {
  const share = rowTotal === 0 ? 0 : n / rowTotal;
  const shade = Math.round(share * SHADES);
  const tip = `actual ${labels[i]}, predicted ${labels[j]}: ${n}${rowTotal === 0 ? '' : ` (${formatPercent(share)} of actual ${labels[i]})`}`;
  return `<td class="cell ${i === j ? 'hit' : 'miss'} s${shade}" data-actual="${i}" data-predicted="${j}" title="${escapeHtml(tip)}">${formatInteger(n)}</td>`;
}

/** Rows = actual class, columns = predicted, with totals; cells shaded by their share of the row, the diagonal in its own hue. */
export function confusionTable({ labels, counts }: ConfusionMatrix): string {
  const rowTotals = counts.map(sum);
  const columnTotals = labels.map((_, j) => sum(counts.map((row) => row[j])));
  const total = sum(rowTotals);
  const correct = sum(counts.map((row, i) => row[i]));
  // Two leading columns: the word "actual" down the rows, then the class names.
  const head =
    `<tr><td class="corner" colspan="2" rowspan="2"></td><th scope="colgroup" colspan="${labels.length}">predicted</th>` +
    `<th scope="col" rowspan="2" class="total">total</th></tr>` +
    `<tr>${labels.map((label) => columnHeader(label)).join('')}</tr>`;
  const body = counts.map((row, i) => {
    const rowHead = i === 0 ? `<th scope="rowgroup" rowspan="${labels.length}" class="axis-name"><span>actual</span></th>` : '';
    return (
      `<tr>${rowHead}${rowHeader(escapeHtml(labels[i]))}${row.map((n, j) => countCell(labels, i, j, n, rowTotals[i])).join('')}` +
      `<td class="total" data-row-total="${i}">${formatInteger(rowTotals[i])}</td></tr>`
    );
  });
  const foot =
    `<tr><th scope="row" colspan="2" class="total">total</th>${columnTotals.map((n, j) => `<td class="total" data-column-total="${j}">${formatInteger(n)}</td>`).join('')}` +
    `<td class="total grand" data-total="${total}">${formatInteger(total)}</td></tr>`;
  const accuracy = total === 0 ? '' : ` ${formatInteger(correct)} of ${formatInteger(total)} correct (${formatPercent(correct / total)}).`;
  return tableHtml({
    className: 'confusion',
    caption: `Confusion matrix: rows are the actual class, columns the predicted one; shading is a cell's share of its row.${accuracy}`,
    head,
    body,
    foot,
  });
}
