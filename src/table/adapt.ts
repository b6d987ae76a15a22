// Learning a table network's schema from training rows (net.adapt, or the
// first fit): each column's kind where the user left it open, a numeric
// column's fill for missing values, a categorical column's categories; then
// the input scaling of the numeric columns. Each is steps (src/steps.ts):
// a pause may come after every block of rows a pass reads.
//
// Once a network is built its weights depend on the columns' layout, so
// learning again keeps every column's kind and categories and relearns only
// the numeric statistics (fills and scaling).
import type { InputScaling } from '../backend/types.js';
import { DeltapropError } from '../errors.js';
import { BLOCK_ROWS, RowData } from '../rows.js';
import type { InputScalingKind } from '../scaling.js';
import { scalingSteps } from '../scaling.js';
import type { Steps } from '../steps.js';
import type { ColumnKind, ColumnOptions, Schema, SchemaColumn } from './columns.js';
import { DEFAULT_MAX_CATEGORIES, encodedWidth, schemaWidth } from './columns.js';
import { categoryValue, numericValue } from './encode.js';
import type { Label } from './label-order.js';
import { compareLabels } from './label-order.js';
import { sum } from './metrics/sums.js';
import type { TableRows } from './table-rows.js';
import { ABSENT, isMissing } from './table-rows.js';

/** A column's kind where the user gave none: categorical if any value is a string or a boolean, numeric if all are numbers. */
function* inferKind(rows: TableRows, c: number): Steps<ColumnKind> {
  let numbers = false;
  for (let r = 0; r < rows.rows; r++) {
    if (r % BLOCK_ROWS === BLOCK_ROWS - 1) yield;
    const v = rows.cell(r, c);
    if (v === ABSENT) throw rows.absent(r, c);
    if (isMissing(v)) continue;
    if (typeof v === 'string' || typeof v === 'boolean') return 'categorical';
    numbers = true;
  }
  if (!numbers) {
    throw new DeltapropError(rows.name, `column ${JSON.stringify(rows.columns[c])} has no values (every row's is missing), so its kind cannot be learned; give it a kind ('ignore' to leave it out)`);
  }
  return 'numeric';
}

/** The observed (non-missing) values of a numeric column, each checked. */
function* observedValues(rows: TableRows, c: number): Steps<Float64Array> {
  const values = new Float64Array(rows.rows);
  let n = 0;
  for (let r = 0; r < rows.rows; r++) {
    if (r % BLOCK_ROWS === BLOCK_ROWS - 1) yield;
    const x = numericValue(rows, r, c);
    if (!Number.isNaN(x)) values[n++] = x;
  }
  return values.subarray(0, n);
}

/**
 * The mean, from a compensated sum (so 1, 2, 4.5, −0.5 give 1.75 exactly, as
 * numpy does); values so large that their sum overflows are divided by the
 * largest |x| first.
 */
function mean(values: Float64Array): number {
  const total = sum(values);
  if (Number.isFinite(total)) return total / values.length;
  let largest = 0;
  for (const x of values) largest = Math.max(largest, Math.abs(x));
  return (sum(values.map((x) => x / largest)) / values.length) * largest;
}

/** numpy's median: the middle value, or the mean of the two middle ones. */
function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function* learnNumeric(rows: TableRows, c: number, options: ColumnOptions): Steps<SchemaColumn> {
  const impute = options.impute ?? 'mean';
  const name = options.name;
  const missingIndicator = options.missingIndicator ?? false;
  if (impute === 'constant') {
    yield* observedValues(rows, c); // checks every value all the same
    return { name, kind: 'numeric', impute, fill: options.fillValue ?? 0, missingIndicator };
  }
  const values = yield* observedValues(rows, c);
  if (values.length === 0) {
    throw new DeltapropError(rows.name, `column ${JSON.stringify(name)} has no values (every row's is missing), so its ${impute} cannot be learned; give it impute: 'constant' or kind: 'ignore'`);
  }
  return { name, kind: 'numeric', impute, fill: impute === 'mean' ? mean(values) : median(values), missingIndicator };
}

/** The categories kept: all of them, or the maxCategories − 1 most frequent (ties by label order) and 'other' for the rest. */
function* learnCategorical(rows: TableRows, c: number, options: ColumnOptions): Steps<SchemaColumn> {
  const counts = new Map<Label, number>();
  for (let r = 0; r < rows.rows; r++) {
    if (r % BLOCK_ROWS === BLOCK_ROWS - 1) yield;
    const v = categoryValue(rows, r, c);
    if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const max = options.maxCategories ?? DEFAULT_MAX_CATEGORIES;
  let kept = [...counts.keys()];
  const other = kept.length > max;
  if (other) kept = kept.sort((a, b) => counts.get(b)! - counts.get(a)! || compareLabels(a, b)).slice(0, max - 1);
  const categories = Object.freeze(kept.sort(compareLabels));
  if (categories.length === 0) {
    throw new DeltapropError(rows.name, `column ${JSON.stringify(options.name)} has no values (every row's is missing), so it has no categories to learn; give it kind: 'ignore'`);
  }
  return { name: options.name, kind: 'categorical', categories, other, unknown: options.unknown ?? 'ignore' };
}

/** A numeric column learned again for a built network: same layout, new fill. */
function relearnNumeric(rows: TableRows, c: number, column: Extract<SchemaColumn, { kind: 'numeric' }>, options: ColumnOptions): Steps<SchemaColumn> {
  return learnNumeric(rows, c, { ...options, impute: column.impute, missingIndicator: column.missingIndicator });
}

/**
 * The schema of `options` learned from `rows` (read by the column names of
 * options). With `built`, the schema of a built network: its kinds and
 * categories are kept.
 */
export function* learnSchema(options: readonly ColumnOptions[], rows: TableRows, built: Schema | null): Steps<Schema> {
  const columns: SchemaColumn[] = [];
  for (const [c, o] of options.entries()) {
    const kept = built?.columns[c];
    if (kept !== undefined) {
      columns.push(kept.kind === 'numeric' ? yield* relearnNumeric(rows, c, kept, o) : kept);
      continue;
    }
    const kind = o.kind ?? (yield* inferKind(rows, c));
    if (kind === 'numeric') columns.push(yield* learnNumeric(rows, c, o));
    else if (kind === 'categorical') columns.push(yield* learnCategorical(rows, c, o));
    else columns.push({ name: o.name, kind: 'ignore' });
  }
  const schema: Schema = { columns };
  if (schemaWidth(schema) === 0) throw new DeltapropError(rows.name, 'every column is ignored: the network would have no inputs');
  return schema;
}

/**
 * The input scaling of the encoded rows: the numeric columns' statistics
 * (after imputation), computed as for any network's inputs; the one-hot and
 * missing-indicator columns are left as they are (shift 0, spread 1), so
 * that an unknown category stays all zeros.
 */
export function* learnScaling(kind: InputScalingKind, schema: Schema, rows: TableRows): Steps<InputScaling> {
  const numeric = schema.columns.flatMap((col, c) => (col.kind === 'numeric' ? [{ c, fill: col.fill }] : []));
  const shift = new Float64Array(schemaWidth(schema));
  const spread = new Float64Array(shift.length).fill(1);
  if (numeric.length === 0) return { shift, spread };
  const read = (start: number, count: number, into?: Float64Array) => {
    const block = into?.subarray(0, count * numeric.length) ?? new Float64Array(count * numeric.length);
    for (let i = 0; i < count; i++) {
      numeric.forEach(({ c, fill }, j) => {
        const x = numericValue(rows, start + i, c);
        block[i * numeric.length + j] = Number.isNaN(x) ? fill : x;
      });
    }
    return block;
  };
  const stats = yield* scalingSteps(kind, RowData.reading(rows.name, rows.rows, numeric.length, read));
  let offset = 0;
  let j = 0;
  for (const col of schema.columns) {
    if (col.kind === 'numeric') {
      shift[offset] = stats.shift[j];
      spread[offset] = stats.spread[j];
      j++;
    }
    offset += encodedWidth(col);
  }
  return { shift, spread };
}
