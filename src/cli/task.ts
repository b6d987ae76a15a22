// What the target column asks for: classification when it holds text or a
// few distinct integers, regression otherwise (--task overrides), and the
// targets in the form fit takes.
import { matrix } from '../matrix.js';
import type { Matrix } from '../matrix.js';
import { CliInputError } from './errors.js';
import { parseNumber } from './csv.js';

export type Task = 'classification' | 'regression';
export const TASKS: readonly Task[] = ['classification', 'regression'];

/** At most this many distinct integers make a classification target. */
export const MAX_INTEGER_CLASSES = 20;

export function detectTask(cells: readonly string[]): Task {
  const distinct = new Set<string>();
  for (const cell of cells) {
    const x = parseNumber(cell);
    if (x === null) return 'classification';
    if (!Number.isInteger(x)) return 'regression';
    distinct.add(String(x));
  }
  return distinct.size <= MAX_INTEGER_CLASSES ? 'classification' : 'regression';
}

/** The class names in a stable order: numerically when every one is a number, else as text. */
export function classNames(cells: readonly string[]): string[] {
  const names = [...new Set(cells)];
  const numeric = names.every((name) => parseNumber(name) !== null);
  return numeric ? names.sort((a, b) => Number(a) - Number(b)) : names.sort();
}

/** Where the target cells are, for errors: the file, the column's name and number, each row's line. */
export interface TargetColumn {
  file: string;
  name: string;
  column: number;
  lines: readonly number[];
}

/** The class index of every cell (Int32Array labels); a cell outside `classes` is an error naming where. */
export function labelsOf(where: TargetColumn, cells: readonly string[], classes: readonly string[]): Int32Array {
  const index = new Map(classes.map((name, i) => [name, i]));
  return Int32Array.from(cells, (cell, row) => {
    const label = index.get(cell);
    if (label === undefined) {
      throw new CliInputError(where.file, `the target '${where.name}' is '${cell}', not one of the model's classes (${classes.join(', ')})`, where.lines[row], where.column);
    }
    return label;
  });
}

/** A regression target as a one-column matrix; a cell that is not a number is an error naming where. */
export function valuesOf(where: TargetColumn, cells: readonly string[]): Matrix {
  const values = matrix(cells.length, 1);
  cells.forEach((cell, row) => {
    const x = parseNumber(cell);
    if (x === null) {
      throw new CliInputError(where.file, `expected a number in the target column '${where.name}', got '${cell}' (--task classification treats it as class names)`, where.lines[row], where.column);
    }
    values.data[row] = x;
  });
  return values;
}
