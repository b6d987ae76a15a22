// Rows of cells as a model takes them: a table network reads the cells
// themselves (missing values and text included); a model of deltaprop 0.2's
// CLI reads numbers only, so there a missing or text cell is an error naming
// where it is.
import type { Inputs } from '../network.js';
import { CliInputError } from './errors.js';
import { showCell } from './csv.js';
import type { CliModel } from './model-info.js';
import type { Cells, TableShape } from './table.js';

export function networkRows(model: CliModel, rows: readonly Cells[], shape: TableShape, lines: readonly number[]): Inputs {
  if (model.table) return rows as Inputs;
  return rows.map((row, r) =>
    row.map((cell, j) => {
      if (typeof cell === 'number') return cell;
      const got = cell === null ? 'a missing value, which this model (trained by deltaprop 0.2) cannot fill' : showCell(cell);
      throw new CliInputError(shape.file, `expected a number in column '${model.columns[j]}', got ${got}`, lines[r], shape.positions[j]);
    }),
  );
}
