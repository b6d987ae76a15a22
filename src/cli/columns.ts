// Which columns of a CSV file train does use, and how it tells the user:
// every column but the target, unless --features names them; minus those
// --ignore names, those without a single value, and identifiers (integers,
// or text, different in every row: an id trains a network on noise) unless
// --features names them. --categorical forces a column's kind; the kinds of
// the others are learned from the data (text makes a column categorical).
import type { ColumnOptions, Schema } from '../table/columns.js';
import { DEFAULT_MAX_CATEGORIES } from '../table/columns.js';
import { showCell } from './csv.js';
import { CliInputError } from './errors.js';
import { nameList, printable, quoteName } from './text.js';
import type { Cells, TableShape } from './table.js';

export interface ColumnFlags {
  features?: string[];
  ignore?: string[];
  categorical?: string[];
}

/** A column left out, and why. */
export interface IgnoredColumn {
  name: string;
  why: string;
}

export interface ColumnPlan {
  /** The network's columns, in file order (or --features order). */
  inputs: ColumnOptions[];
  ignored: IgnoredColumn[];
}

/** Fewer rows than this and values all differing says nothing about a column being an identifier. */
const IDENTIFIER_ROWS = 20;

/** A column this much numbers (of its values) is numeric, and a text among them a mistake in the data rather than a category. */
const NUMERIC_SHARE = 0.9;

/**
 * Why a column looks like an identifier or free text, or null: every value
 * different (integers, or text), or text with more distinct values than a
 * categorical column keeps and than half its rows (names, comments), which
 * would be one-hot columns seen once each. Missing cells do not count.
 */
function identifier(cells: readonly (number | string | null)[]): string | null {
  const values = cells.filter((v) => v !== null);
  if (values.length < IDENTIFIER_ROWS) return null;
  const integers = values.every((v) => typeof v === 'number' && Number.isInteger(v));
  const texts = values.every((v) => typeof v === 'string');
  if (!integers && !texts) return null;
  const distinct = new Set(values).size;
  if (distinct === values.length) return `every row has a different ${integers ? 'integer' : 'text'}: an identifier, which would only add noise (--features naming it uses it)`;
  if (texts && distinct > DEFAULT_MAX_CATEGORIES && distinct > values.length / 2) {
    return `${distinct} different texts in ${values.length} rows: names or free text, too many categories to learn from (--features or --categorical naming it uses it)`;
  }
  return null;
}

function checkNames(file: string, flag: string, names: readonly string[] | undefined, available: readonly string[], known: ReadonlySet<string>, target: string): void {
  for (const name of names ?? []) {
    if (name === target) throw new CliInputError(file, `${flag} names the target column ${quoteName(target)}`);
    if (!known.has(name)) throw new CliInputError(file, `${flag} names ${quoteName(name)}, which is not a column (the columns are ${nameList(available)})`);
  }
}

/**
 * A column of numbers with a few texts among them: an error at the first
 * text, which is a typo or an unmarked missing value far more often than a
 * category (a column of mostly text is categorical, its numbers categories).
 */
function refuseStrayText(name: string, values: readonly (number | string | null)[], shape: TableShape, lines: readonly number[]): void {
  let numbers = 0;
  let first = -1;
  values.forEach((v, r) => {
    if (typeof v === 'number') numbers++;
    else if (typeof v === 'string' && first < 0) first = r;
  });
  if (first < 0 || numbers < NUMERIC_SHARE * (numbers + values.filter((v) => typeof v === 'string').length)) return;
  const column = shape.positions[shape.columns.indexOf(name)];
  throw new CliInputError(
    shape.file,
    `expected a number in column ${quoteName(name)}, got ${showCell(values[first] as string)} (the column's other values are numbers; mark a missing value NA or leave the cell empty, or --categorical ${name.length > 60 ? 'COLUMN' : name} to read the column as categories)`,
    lines[first],
    column,
  );
}

/**
 * The columns to train on. `shape.columns` are every column but the target,
 * in file order, `cells` the rows' cells in that order and `lines` their
 * lines in the file.
 */
export function planColumns(shape: TableShape, target: string, cells: readonly Cells[], lines: readonly number[], flags: ColumnFlags): ColumnPlan {
  const { file, columns } = shape;
  const index = new Map(columns.map((name, c) => [name, c]));
  const known = new Set(columns);
  for (const [flag, names] of [
    ['--features', flags.features],
    ['--ignore', flags.ignore],
    ['--categorical', flags.categorical],
  ] as const)
    checkNames(file, flag, names, columns, known, target);
  const features = flags.features === undefined ? null : new Set(flags.features);
  const ignore = new Set(flags.ignore ?? []);
  const both = flags.features?.find((f) => ignore.has(f));
  if (both !== undefined) throw new CliInputError(file, `${quoteName(both)} is named by both --features and --ignore`);
  const ignored: IgnoredColumn[] = [];
  const inputs: ColumnOptions[] = [];
  const order = flags.features ?? columns;
  for (const name of columns) {
    if (features !== null && !features.has(name)) ignored.push({ name, why: 'not among --features' });
    else if (ignore.has(name)) ignored.push({ name, why: '--ignore' });
  }
  for (const name of order) {
    if (ignore.has(name)) continue;
    const c = index.get(name)!;
    const values = cells.map((row) => row[c]);
    if (values.every((v) => v === null)) {
      ignored.push({ name, why: 'no values (every cell is missing)' });
      continue;
    }
    const categorical = flags.categorical?.includes(name) ?? false;
    if (!categorical) refuseStrayText(name, values, shape, lines);
    const why = flags.features === undefined && !categorical ? identifier(values) : null;
    if (why !== null) ignored.push({ name, why });
    else inputs.push(categorical ? { name, kind: 'categorical' } : { name });
  }
  if (inputs.length === 0) {
    const why =
      ignored
        .slice(0, 10)
        .map((i) => `${quoteName(i.name)}: ${i.why}`)
        .join('; ') + (ignored.length > 10 ? `; and ${ignored.length - 10} more` : '');
    throw new CliInputError(file, `has no column to train on: every column but the target is left out (${why})`);
  }
  return { inputs, ignored };
}

/** How a learned schema reads, a line a column, with each column's count of missing cells; names and categories with their control characters escaped. */
export function describeColumns(schema: Schema, missing: ReadonlyMap<string, number>, ignored: readonly IgnoredColumn[]): string[] {
  const shown = (name: string) => printable(name);
  const width = Math.max(...schema.columns.map((c) => shown(c.name).length), ...ignored.map((i) => shown(i.name).length));
  const lines = schema.columns.map((c) => {
    const gaps = missing.get(c.name) ?? 0;
    let note = '';
    if (c.kind === 'numeric') {
      note = gaps === 0 ? '' : `${gaps} missing, filled with the ${c.impute === 'constant' ? 'constant' : c.impute} ${Number(c.fill.toPrecision(6))}${c.missingIndicator ? ', and flagged' : ''}`;
    } else if (c.kind === 'categorical') {
      const categories =
        c.categories
          .slice(0, 5)
          .map((category) => printable(String(category)))
          .join(', ') + (c.categories.length > 5 ? ', …' : '');
      note = `${c.categories.length} categories (${categories})${c.other ? ', the rarer ones together as "other"' : ''}${gaps === 0 ? '' : `; ${gaps} missing`}`;
    }
    return `  ${shown(c.name).padEnd(width)}  ${c.kind.padEnd(11)}  ${note}`.trimEnd();
  });
  for (const i of ignored) lines.push(`  ${shown(i.name).padEnd(width)}  ${'ignored'.padEnd(11)}  ${printable(i.why)}`);
  return lines;
}
