// What the target column asks for, and its cells as the network takes them:
// classification when it holds text or a few distinct integers, regression
// otherwise (--task overrides). A class label that reads as a number is that
// number ('1', '1.0', '01' and '+1' are one class, 1); other text is the
// label as written. A missing target (an empty cell, NA, ?) leaves its row out.
import type { Label } from '../table/label-order.js';
import { CliInputError } from './errors.js';
import { cellValue, showCell } from './csv.js';

export type Task = 'classification' | 'regression';
export const TASKS: readonly Task[] = ['classification', 'regression'];

/** At most this many distinct integers make a classification target. */
export const MAX_INTEGER_CLASSES = 20;

/** The target's cells read: each row's label or value (numbers where the cell reads as one), and the rows whose target is missing. */
export interface TargetCells {
  /** One per row kept, in order. */
  values: (number | string)[];
  /** Index (among all rows) of each row kept. */
  kept: number[];
  /** Index (among all rows) of each row left out for a missing target. */
  missing: number[];
}

export function readTargets(cells: readonly string[]): TargetCells {
  const result: TargetCells = { values: [], kept: [], missing: [] };
  cells.forEach((cell, r) => {
    const value = cellValue(cell);
    if (value === null) result.missing.push(r);
    else {
      result.values.push(value);
      result.kept.push(r);
    }
  });
  return result;
}

export function detectTask(values: readonly (number | string)[]): Task {
  const distinct = new Set<number>();
  for (const v of values) {
    if (typeof v === 'string') return 'classification';
    if (!Number.isInteger(v)) return 'regression';
    distinct.add(v);
  }
  return distinct.size <= MAX_INTEGER_CLASSES ? 'classification' : 'regression';
}

/** Numeric labels written in more than one way ('1.0', '01', '+1' for 1): each number with its spellings, for the CLI to say so. */
export function respelledLabels(cells: readonly string[], values: readonly (number | string)[], kept: readonly number[]): Map<number, string[]> {
  const spellings = new Map<number, Set<string>>();
  values.forEach((v, i) => {
    if (typeof v !== 'number') return;
    const set = spellings.get(v) ?? new Set<string>();
    set.add(cells[kept[i]]);
    spellings.set(v, set);
  });
  const respelled = new Map<number, string[]>();
  for (const [v, set] of spellings) if (set.size > 1 || !set.has(String(v))) respelled.set(v, [...set].sort());
  return respelled;
}

/** Where target cells are, for errors: the file, the column's name and number, each row's line. */
export interface TargetColumn {
  file: string;
  name: string;
  column: number;
  lines: readonly number[];
}

/** A regression target's values; text is an error naming where. */
export function regressionValues(where: TargetColumn, values: readonly (number | string)[]): Float64Array {
  return Float64Array.from(values, (v, row) => {
    if (typeof v === 'number') return v;
    throw new CliInputError(where.file, `expected a number in the target column '${where.name}', got ${showCell(v)} (--task classification treats it as class names)`, where.lines[row], where.column);
  });
}

/** A label as the CLI prints it. */
export const showLabel = (label: Label): string => String(label);
