// A CSV file with a target column, read for train, cv and evaluate: the
// input columns (planned from the data and the flags, or a model's), each
// row's cells, and the targets (rows whose target is missing left out), with
// the task they ask for.
import type { Label } from '../table/label-order.js';
import { sortedLabels } from '../table/label-order.js';
import type { ColumnFlags, ColumnPlan } from './columns.js';
import { planColumns } from './columns.js';
import { CliInputError } from './errors.js';
import type { Cells, TableShape } from './table.js';
import { readTable } from './table.js';
import type { Task } from './task.js';
import { detectTask, readTargets, regressionValues, respelledLabels } from './task.js';

export interface LabelledData {
  shape: TableShape;
  /** The input columns, in the order of each row's cells. */
  columns: string[];
  /** Each kept row's input cells. */
  rows: Cells[];
  /** The file line of each kept row. */
  lines: number[];
  task: Task;
  /** Classification: each kept row's label, and the sorted labels. */
  labels: (number | string)[] | null;
  classes: Label[] | null;
  /** Regression: each kept row's value. */
  values: Float64Array | null;
  /** Numbers whose label was written in several ways ('1.0', '01' for 1). */
  respelled: Map<number, string[]>;
  /** Lines of the rows left out because their target is missing. */
  dropped: number[];
  /** The columns train chose (null when they were a model's). */
  plan: ColumnPlan | null;
  /** Missing cells of each input column, over the kept rows. */
  missing: Map<string, number>;
}

export interface LabelledOptions {
  target: string;
  /** Default: found from the target's cells. */
  task?: Task;
  delimiter?: string;
  /** The columns train picks from (--features, --ignore, --categorical), when `columns` is not given. */
  flags?: ColumnFlags;
  /** A model's input columns: read these, plan nothing. */
  columns?: readonly string[];
  /** Columns read as text (categorical ones the model or the user named). */
  textColumns?: ReadonlySet<string>;
}

export async function readLabelled(file: string, o: LabelledOptions): Promise<LabelledData> {
  const textColumns = o.textColumns ?? new Set(o.flags?.categorical ?? []);
  const table = await readTable(file, { target: o.target, delimiter: o.delimiter, textColumns, ...(o.columns ? { columns: o.columns } : {}) });
  const targets = readTargets(table.targets!);
  if (targets.values.length === 0) throw new CliInputError(file, `every row's target '${o.target}' is missing: nothing to learn from or measure`);
  const keptCells = targets.kept.map((r) => table.cells[r]);
  const lines = targets.kept.map((r) => table.lines[r]);
  const plan = o.columns ? null : planColumns(table, o.target, keptCells, lines, o.flags ?? {});
  const columns = plan === null ? table.columns : plan.inputs.map((c) => c.name);
  const position = new Map(table.columns.map((name, i) => [name, i]));
  const at = columns.map((name) => position.get(name)!);
  const rows = plan === null ? keptCells : keptCells.map((row) => at.map((i) => row[i]));
  const missing = new Map(columns.map((name, j) => [name, rows.reduce((n, row) => n + (row[j] === null ? 1 : 0), 0)]));
  const task = o.task ?? detectTask(targets.values);
  const where = { file, name: o.target, column: table.targetColumn!, lines };
  const classification = task === 'classification';
  return {
    shape: table,
    columns,
    rows,
    lines,
    task,
    labels: classification ? targets.values : null,
    classes: classification ? sortedLabels(targets.values) : null,
    values: classification ? null : regressionValues(where, targets.values),
    respelled: classification ? respelledLabels(table.targets!, targets.values, targets.kept) : new Map(),
    dropped: targets.missing.map((r) => table.lines[r]),
    plan,
    missing,
  };
}

/** What the CLI says about the rows it left out, or nothing. */
export function droppedNote(file: string, target: string, dropped: readonly number[]): string | null {
  if (dropped.length === 0) return null;
  const shown = dropped.slice(0, 5).join(', ') + (dropped.length > 5 ? ', …' : '');
  return `${file}: left out ${dropped.length} row${dropped.length === 1 ? '' : 's'} whose target '${target}' is missing (line${dropped.length === 1 ? '' : 's'} ${shown})`;
}

/** What the CLI says about labels written as numbers in several ways, or nothing. */
export function respelledNote(respelled: ReadonlyMap<number, string[]>): string | null {
  if (respelled.size === 0) return null;
  const parts = [...respelled]
    .sort(([a], [b]) => a - b)
    .slice(0, 5)
    .map(([v, spellings]) => `${spellings.map((s) => `'${s}'`).join(', ')} as ${v}`);
  return `class labels that are numbers are read as numbers: ${parts.join('; ')}${respelled.size > 5 ? '; …' : ''}`;
}
