// Rows of a table as users have them: objects keyed by column name
// ({ age: 41, city: 'Lyon' }), arrays in column order (['41', 'Lyon'] or
// [41, 'Lyon']), or a numeric Matrix in column order (NaN for a missing
// value). The shape is checked up front; each value is read (and checked) by
// whoever reads it: adapt and the encoder, a block of rows at a time.
import { DeltapropError, describeValue } from '../errors.js';
import type { Matrix } from '../matrix.js';

/** One row: an object keyed by column name, or the values in column order. */
export type TableRow = { readonly [column: string]: unknown } | readonly unknown[];

/** What a table network reads rows from. */
export type TableLike = readonly TableRow[] | Matrix;

/** A missing value: null, undefined, NaN or the empty string. */
export function isMissing(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (typeof value === 'number' && Number.isNaN(value));
}

/** Marks a key an object row does not have (its column is then missing from the row, which is an error). */
export const ABSENT = Symbol('absent');

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export class TableRows {
  private constructor(
    readonly name: string,
    readonly columns: readonly string[],
    readonly rows: number,
    private readonly list: readonly TableRow[] | null,
    private readonly values: Matrix | null,
    private readonly first: number,
  ) {}

  /** Checks the shape: at least one row; each an object, or an array of one value per column; a Matrix as wide as the columns. */
  static of(value: unknown, name: string, columns: readonly string[]): TableRows {
    if (Array.isArray(value)) {
      if (value.length === 0) throw new DeltapropError(name, 'expected at least 1 row, got 0');
      for (let i = 0; i < value.length; i++) {
        const row: unknown = value[i];
        if (Array.isArray(row)) {
          if (row.length !== columns.length) {
            throw new DeltapropError(`${name}[${i}]`, `expected ${columns.length} values (one per column: ${describeColumns(columns)}), got ${row.length}`);
          }
        } else if (row === null || typeof row !== 'object' || ArrayBuffer.isView(row)) {
          throw new DeltapropError(`${name}[${i}]`, `expected a row: an object keyed by column name, or an array of ${columns.length} values in column order; got ${describeValue(row)}`);
        }
      }
      return new TableRows(name, columns, value.length, value as TableRow[], null, 0);
    }
    const m = value as Partial<Matrix> | null;
    if (m !== null && typeof m === 'object' && m.data instanceof Float64Array && Number.isInteger(m.rows) && Number.isInteger(m.cols)) {
      if (m.cols !== columns.length) throw new DeltapropError(name, `expected ${columns.length} columns (one per column: ${describeColumns(columns)}), got ${m.cols}`);
      if (m.rows! < 1) throw new DeltapropError(name, 'expected at least 1 row, got 0');
      if (m.data.length < m.rows! * m.cols!) throw new DeltapropError(name, `expected ${m.rows! * m.cols!} values in data (rows × cols), got ${m.data.length}`);
      return new TableRows(name, columns, m.rows!, null, m as Matrix, 0);
    }
    throw new DeltapropError(name, `expected rows: an array of objects keyed by column name or of arrays in column order, or a Matrix; got ${describeValue(value)}`);
  }

  /** Rows [start, end), without copying. */
  slice(start: number, end: number): TableRows {
    return new TableRows(this.name, this.columns, end - start, this.list, this.values, this.first + start);
  }

  /** Rows picked by index (for splits and folds): the same row objects, never copies of them. */
  pick(indices: ArrayLike<number>): TableRows {
    const list: TableRow[] = [];
    for (let i = 0; i < indices.length; i++) list.push(this.row(indices[i]));
    return new TableRows(this.name, this.columns, list.length, list, null, 0);
  }

  /** Row r as given: an object, or its values in column order. */
  row(r: number): TableRow {
    if (this.list !== null) return this.list[this.first + r];
    const { cols, data } = this.values!;
    const at = (this.first + r) * cols;
    return Array.from(data.subarray(at, at + cols));
  }

  /** The value of column c in row r; ABSENT when an object row lacks the column's key. */
  cell(r: number, c: number): unknown {
    if (this.values !== null) return this.values.data[(this.first + r) * this.values.cols + c];
    const row = this.list![this.first + r];
    if (Array.isArray(row)) return row[c];
    const key = this.columns[c];
    return key in row ? (row as Record<string, unknown>)[key] : ABSENT;
  }

  /** How an error names row r's value of column c: inputs[3].age, inputs[3]["unit price"] or inputs[3][2]. */
  where(r: number, c: number): string {
    const i = this.first + r;
    if (this.list !== null && !Array.isArray(this.list[i])) {
      const key = this.columns[c];
      return IDENTIFIER.test(key) ? `${this.name}[${i}].${key}` : `${this.name}[${i}][${JSON.stringify(key)}]`;
    }
    return `${this.name}[${i}][${c}]`;
  }

  /** The error for an object row that lacks a column. */
  absent(r: number, c: number): DeltapropError {
    return new DeltapropError(`${this.name}[${this.first + r}]`, `has no key ${JSON.stringify(this.columns[c])} (one of the network's columns; give null for a missing value)`);
  }
}

function describeColumns(columns: readonly string[]): string {
  const shown = columns
    .slice(0, 8)
    .map((c) => JSON.stringify(c))
    .join(', ');
  return columns.length > 8 ? `${shown}, …` : shown;
}
