// The columns of a table network: what the user says of each (options.columns)
// and what the network learns of them (its schema), with the checks both go
// through, whether they come from a user or from a file.
import { DeltapropError, describeValue } from '../errors.js';
import { checkArray, checkBoolean, checkInteger, checkKnownKeys, checkNumber, checkObject, checkOneOf } from '../validate.js';
import type { Label } from './label-order.js';
import { compareLabels, isLabel } from './label-order.js';

export const COLUMN_KINDS = ['numeric', 'categorical', 'ignore'] as const;
/**
 * How a table's column becomes inputs.
 * @useDeclaredType
 */
export type ColumnKind = (typeof COLUMN_KINDS)[number];

export const IMPUTE_STRATEGIES = ['mean', 'median', 'constant'] as const;
/**
 * What a numeric column's missing value becomes.
 * @useDeclaredType
 */
export type ImputeStrategy = (typeof IMPUTE_STRATEGIES)[number];

export const UNKNOWN_CATEGORY = ['ignore', 'error'] as const;
/**
 * What a category the training rows never had becomes at prediction: all
 * zeros ('ignore') or a DeltapropError ('error').
 * @useDeclaredType
 */
export type UnknownCategory = (typeof UNKNOWN_CATEGORY)[number];

/** One input column as the user describes it; every setting but the name is optional. */
export interface ColumnOptions {
  name: string;
  /** Default: learned from the data (a column holding any string or boolean is categorical, else numeric). */
  kind?: ColumnKind;
  /** Numeric: what replaces a missing value; default 'mean' (of the training rows). */
  impute?: ImputeStrategy;
  /** Numeric, with impute 'constant': the value; default 0. */
  fillValue?: number;
  /** Numeric: add a column that is 1 where the value was missing, else 0; default false. */
  missingIndicator?: boolean;
  /** Categorical: at most this many columns (≥ 2); the rarest categories then share one 'other' column. Default 100. */
  maxCategories?: number;
  /** Categorical: a category the training rows never had, at predict time: all zeros ('ignore', default) or an error. */
  unknown?: UnknownCategory;
}

/** A column as the network learned it: what encoding a row needs. */
export type SchemaColumn =
  | { readonly name: string; readonly kind: 'numeric'; readonly impute: ImputeStrategy; readonly fill: number; readonly missingIndicator: boolean }
  | { readonly name: string; readonly kind: 'categorical'; readonly categories: readonly Label[]; readonly other: boolean; readonly unknown: UnknownCategory }
  | { readonly name: string; readonly kind: 'ignore' };

/** What a table network learned of its input columns (`net.schema`). */
export interface Schema {
  readonly columns: readonly SchemaColumn[];
}

export const DEFAULT_MAX_CATEGORIES = 100;
/** Names and categories are short texts; a longer one is not a column's. */
const MAX_NAME_LENGTH = 1 << 12;
/** Columns a table may have: far more than any table, few enough to keep files and checks small. */
export const MAX_COLUMNS = 1 << 16;
/** Categories a column may keep, whatever maxCategories says. */
export const MAX_CATEGORIES = 1 << 16;

function checkName(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_NAME_LENGTH) {
    throw new DeltapropError(name, `expected a column name (a non-empty string of at most ${MAX_NAME_LENGTH} characters), got ${describeValue(value)}`);
  }
  return value;
}

function checkDistinctNames(name: string, names: readonly string[]): void {
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    if (seen.has(n)) throw new DeltapropError(`${name}[${i}].name`, `${JSON.stringify(n)} is also the name of column ${seen.get(n)}: names must be distinct`);
    seen.set(n, i);
  });
}

/** The columns, copied once (the length and each column read once: the copy is what is checked and used). */
function checkColumnCount(name: string, value: unknown): unknown[] {
  const list = Array.isArray(value) ? checkArray(name, value, MAX_COLUMNS, 'columns') : null;
  if (list === null || list.length === 0) {
    throw new DeltapropError(name, `expected a non-empty array of at most ${MAX_COLUMNS} columns, got ${describeValue(value)}`);
  }
  return list;
}

/** options.columns: each a name, or { name, kind?, ... }; resolved to objects, every setting checked against its kind. */
export function resolveColumns(name: string, value: unknown): ColumnOptions[] {
  const list = checkColumnCount(name, value);
  const columns = Array.from(list, (raw, i): ColumnOptions => {
    const at = `${name}[${i}]`;
    if (typeof raw === 'string') return { name: checkName(at, raw) };
    const o = checkObject(at, raw);
    checkKnownKeys(at, o, ['name', 'kind', 'impute', 'fillValue', 'missingIndicator', 'maxCategories', 'unknown']);
    const column: ColumnOptions = { name: checkName(`${at}.name`, o.name) };
    if (o.kind !== undefined) column.kind = checkOneOf(`${at}.kind`, o.kind, COLUMN_KINDS);
    if (o.impute !== undefined) column.impute = checkOneOf(`${at}.impute`, o.impute, IMPUTE_STRATEGIES);
    if (o.fillValue !== undefined) column.fillValue = checkNumber(`${at}.fillValue`, o.fillValue);
    if (o.missingIndicator !== undefined) column.missingIndicator = checkBoolean(`${at}.missingIndicator`, o.missingIndicator);
    if (o.maxCategories !== undefined) column.maxCategories = checkInteger(`${at}.maxCategories`, o.maxCategories, 2, MAX_CATEGORIES);
    if (o.unknown !== undefined) column.unknown = checkOneOf(`${at}.unknown`, o.unknown, UNKNOWN_CATEGORY);
    refuseSettingsOfAnotherKind(at, column);
    if (column.fillValue !== undefined && column.impute !== 'constant') {
      throw new DeltapropError(`${at}.fillValue`, "is the value of impute: 'constant'; set impute: 'constant' too, or leave fillValue out");
    }
    return column;
  });
  checkDistinctNames(
    name,
    columns.map((c) => c.name),
  );
  return columns;
}

const NUMERIC_SETTINGS = ['impute', 'fillValue', 'missingIndicator'] as const;
const CATEGORICAL_SETTINGS = ['maxCategories', 'unknown'] as const;

/** A setting of one kind on a column declared of another is a mistake worth naming. */
function refuseSettingsOfAnotherKind(at: string, column: ColumnOptions): void {
  const wrong = (settings: readonly (keyof ColumnOptions)[], kind: ColumnKind) => settings.find((s) => column[s] !== undefined && column.kind !== undefined && column.kind !== kind);
  const numeric = wrong(NUMERIC_SETTINGS, 'numeric');
  const categorical = wrong(CATEGORICAL_SETTINGS, 'categorical');
  const setting = numeric ?? categorical;
  if (setting !== undefined) {
    throw new DeltapropError(`${at}.${setting}`, `is a setting of ${numeric ? 'numeric' : 'categorical'} columns, and this column's kind is '${column.kind}'`);
  }
}

/** The columns a schema's rows are read by, in order (every column, ignored ones too). */
export function columnNames(schema: Schema): string[] {
  return schema.columns.map((c) => c.name);
}

/** How many values a column becomes in the engine's rows. */
export function encodedWidth(column: SchemaColumn): number {
  if (column.kind === 'numeric') return column.missingIndicator ? 2 : 1;
  if (column.kind === 'categorical') return column.categories.length + (column.other ? 1 : 0);
  return 0;
}

/** The width of the rows the engines see: the sum over the columns. */
export function schemaWidth(schema: Schema): number {
  return schema.columns.reduce((sum, c) => sum + encodedWidth(c), 0);
}

/** A name for each encoded value: the column's, `name=category`, `name=(other)` and `name (missing)`. */
export function encodedNames(schema: Schema): string[] {
  const names: string[] = [];
  for (const c of schema.columns) {
    if (c.kind === 'numeric') names.push(c.name, ...(c.missingIndicator ? [`${c.name} (missing)`] : []));
    else if (c.kind === 'categorical') names.push(...c.categories.map((k) => `${c.name}=${String(k)}`), ...(c.other ? [`${c.name}=(other)`] : []));
  }
  return names;
}

function checkCategories(name: string, value: unknown): Label[] {
  const list = Array.isArray(value) ? checkArray(name, value, MAX_CATEGORIES, 'categories') : null;
  if (list === null) {
    throw new DeltapropError(name, `expected an array of at most ${MAX_CATEGORIES} categories, got ${describeValue(value)}`);
  }
  const categories = list.map((v: unknown, i) => {
    if (!isLabel(v) || (typeof v === 'string' && (v === '' || v.length > MAX_NAME_LENGTH))) {
      throw new DeltapropError(`${name}[${i}]`, `expected a category (a non-empty string, a finite number or a boolean), got ${describeValue(v)}`);
    }
    return v;
  });
  // Sorted and distinct, as adapt learns them: encoding and export rely on one order.
  for (let i = 1; i < categories.length; i++) {
    if (compareLabels(categories[i - 1], categories[i]) >= 0) {
      throw new DeltapropError(
        `${name}[${i}]`,
        `expected categories distinct and in order (numbers, then strings, then booleans), got ${describeValue(categories[i])} after ${describeValue(categories[i - 1])}`,
      );
    }
  }
  return categories;
}

/** A learned schema (net.schema, or a file's), every part checked; the result is a frozen copy. */
export function checkSchema(name: string, value: unknown): Schema {
  const o = checkObject(name, value);
  checkKnownKeys(name, o, ['columns']);
  const list = checkColumnCount(`${name}.columns`, o.columns);
  const columns = Array.from(list, (raw, i): SchemaColumn => {
    const at = `${name}.columns[${i}]`;
    const c = checkObject(at, raw);
    const columnName = checkName(`${at}.name`, c.name);
    const kind = checkOneOf(`${at}.kind`, c.kind, COLUMN_KINDS);
    if (kind === 'numeric') {
      checkKnownKeys(at, c, ['name', 'kind', 'impute', 'fill', 'missingIndicator']);
      return Object.freeze({
        name: columnName,
        kind,
        impute: checkOneOf(`${at}.impute`, c.impute, IMPUTE_STRATEGIES),
        fill: checkNumber(`${at}.fill`, c.fill),
        missingIndicator: checkBoolean(`${at}.missingIndicator`, c.missingIndicator),
      });
    }
    if (kind === 'categorical') {
      checkKnownKeys(at, c, ['name', 'kind', 'categories', 'other', 'unknown']);
      const categories = Object.freeze(checkCategories(`${at}.categories`, c.categories));
      const other = checkBoolean(`${at}.other`, c.other);
      if (categories.length + (other ? 1 : 0) === 0) throw new DeltapropError(`${at}.categories`, 'expected at least one category (or other: true)');
      return Object.freeze({ name: columnName, kind, categories, other, unknown: checkOneOf(`${at}.unknown`, c.unknown, UNKNOWN_CATEGORY) });
    }
    checkKnownKeys(at, c, ['name', 'kind']);
    return Object.freeze({ name: columnName, kind });
  });
  checkDistinctNames(
    `${name}.columns`,
    columns.map((c) => c.name),
  );
  const schema = Object.freeze({ columns: Object.freeze(columns) });
  if (schemaWidth(schema) === 0) throw new DeltapropError(`${name}.columns`, 'every column is ignored: the network would have no inputs');
  return schema;
}
