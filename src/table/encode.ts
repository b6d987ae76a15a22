// Encoding a table's rows into the dense float64 rows the engines train on,
// a block of rows at a time, by the network's learned schema:
//   numeric      its value, or the learned fill where it is missing;
//                then, with missingIndicator, 1 where it was missing, else 0
//   categorical  one column per learned category (1 for the row's, else 0),
//                then the 'other' column when the column has one: every
//                category outside the learned ones lands there. A missing
//                value is all zeros, and so is an unknown category of a
//                column without 'other' (or an error, by the column's unknown)
//   ignore       nothing (its values are never read)
// Input scaling, where the network has it, is applied by the engines after
// this, as for any network.
import { DeltapropError, describeValue } from '../errors.js';
import { RowData } from '../rows.js';
import type { Schema, SchemaColumn } from './columns.js';
import { columnNames, encodedWidth, schemaWidth } from './columns.js';
import type { Label } from './label-order.js';
import { isLabel } from './label-order.js';
import { ABSENT, TableRows, isMissing } from './table-rows.js';

/** What encoding one column needs, worked out once per schema. */
type ColumnPlan =
  | { kind: 'numeric'; column: number; offset: number; fill: number; indicator: boolean }
  | { kind: 'categorical'; column: number; offset: number; index: Map<Label, number>; other: number; unknownIsError: boolean; categories: readonly Label[] };

/** The number of a numeric cell, its fill when missing (NaN then marks it missing), or an error naming the cell. */
export function numericValue(rows: TableRows, r: number, c: number): number {
  const v = rows.cell(r, c);
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return NaN;
    if (!Number.isFinite(v)) throw new DeltapropError(rows.where(r, c), `expected a finite number (or null for a missing value), got ${v}`);
    return v;
  }
  if (v === ABSENT) throw rows.absent(r, c);
  if (isMissing(v)) return NaN;
  throw new DeltapropError(rows.where(r, c), `expected a number or a missing value in numeric column ${JSON.stringify(rows.columns[c])}, got ${describeValue(v)}`);
}

/** The category of a categorical cell, or null when it is missing; an error for what cannot be a category. */
export function categoryValue(rows: TableRows, r: number, c: number): Label | null {
  const v = rows.cell(r, c);
  if (v === ABSENT) throw rows.absent(r, c);
  if (isMissing(v)) return null;
  if (!isLabel(v)) throw new DeltapropError(rows.where(r, c), `expected a category (a string, a finite number or a boolean; null for a missing value), got ${describeValue(v)}`);
  return v;
}

function planColumns(schema: Schema): ColumnPlan[] {
  const plans: ColumnPlan[] = [];
  let offset = 0;
  schema.columns.forEach((col: SchemaColumn, column) => {
    if (col.kind === 'numeric') plans.push({ kind: 'numeric', column, offset, fill: col.fill, indicator: col.missingIndicator });
    else if (col.kind === 'categorical') {
      plans.push({
        kind: 'categorical',
        column,
        offset,
        index: new Map(col.categories.map((k, i) => [k, i])),
        other: col.other ? col.categories.length : -1,
        unknownIsError: col.unknown === 'error',
        categories: col.categories,
      });
    }
    offset += encodedWidth(col);
  });
  return plans;
}

function unknownCategory(rows: TableRows, r: number, c: number, value: Label, categories: readonly Label[]): DeltapropError {
  const known =
    categories
      .slice(0, 5)
      .map((k) => JSON.stringify(k))
      .join(', ') + (categories.length > 5 ? ', …' : '');
  return new DeltapropError(
    rows.where(r, c),
    `${JSON.stringify(value)} is not a category the network learned for column ${JSON.stringify(rows.columns[c])} (it knows ${known}); its unknown: 'error' refuses it`,
  );
}

/** Encodes rows of a table by a schema; one per schema, reused for every block. */
export class Encoder {
  readonly width: number;
  readonly names: readonly string[];
  readonly #plans: ColumnPlan[];

  constructor(readonly schema: Schema) {
    this.width = schemaWidth(schema);
    this.names = columnNames(schema);
    this.#plans = planColumns(schema);
  }

  /** Rows [start, start + count) of `rows`, encoded (into `into`, when given). */
  encode(rows: TableRows, start: number, count: number, into?: Float64Array): Float64Array {
    const width = this.width;
    const out = into === undefined ? new Float64Array(count * width) : into.subarray(0, count * width).fill(0);
    for (let i = 0; i < count; i++) {
      const r = start + i;
      const base = i * width;
      for (const p of this.#plans) {
        if (p.kind === 'numeric') {
          const x = numericValue(rows, r, p.column);
          const missing = Number.isNaN(x);
          out[base + p.offset] = missing ? p.fill : x;
          if (p.indicator) out[base + p.offset + 1] = missing ? 1 : 0;
          continue;
        }
        const value = categoryValue(rows, r, p.column);
        if (value === null) continue;
        const k = p.index.get(value);
        if (k !== undefined) out[base + p.offset + k] = 1;
        else if (p.other >= 0) out[base + p.offset + p.other] = 1;
        else if (p.unknownIsError) throw unknownCategory(rows, r, p.column, value, p.categories);
      }
    }
    return out;
  }

  /** `value` (rows in any table form) as RowData whose blocks are encoded on reading. */
  rowData(value: unknown, name: string): RowData {
    const rows = TableRows.of(value, name, this.names);
    return this.over(rows);
  }

  /** Already-checked table rows as RowData whose blocks are encoded on reading. */
  over(rows: TableRows): RowData {
    return RowData.reading(rows.name, rows.rows, this.width, (start, count, into) => this.encode(rows, start, count, into));
  }
}
