// A table network's encoding as the exporters (toONNX, toFunction) lay it
// out: each column that reaches the engines, with the place of its values in
// the encoded row. What the values are is src/table/encode.ts's to say (the
// reference both exporters reproduce; see its header):
//   numeric      [value or fill] then, with missingIndicator, [1 if missing else 0]
//   categorical  one value per learned category, then 'other' when it has one
// Ignored columns encode to nothing and are left out here.
import type { Schema, SchemaColumn } from '../table/columns.js';
import { encodedWidth } from '../table/columns.js';

export type NumericColumn = Extract<SchemaColumn, { kind: 'numeric' }>;
export type CategoricalColumn = Extract<SchemaColumn, { kind: 'categorical' }>;

/** One column that reaches the engines. */
export interface EncodedColumn {
  /** Its index among the schema's columns (ignored ones counted): its place in an array row. */
  readonly index: number;
  readonly column: NumericColumn | CategoricalColumn;
  /** Where its values start in the encoded row, and how many there are. */
  readonly offset: number;
  readonly width: number;
}

/** The schema's columns that reach the engines, in order, each with the place of its values. */
export function encodedColumns(schema: Schema): EncodedColumn[] {
  const out: EncodedColumn[] = [];
  let offset = 0;
  schema.columns.forEach((column, index) => {
    const width = encodedWidth(column);
    if (column.kind !== 'ignore') out.push({ index, column, offset, width });
    offset += width;
  });
  return out;
}

/** The exporters' one-line account of a schema: "6 columns (1 ignored) encoded into 14 inputs". */
export function describeColumns(schema: Schema, width: number): string {
  const ignored = schema.columns.filter((c) => c.kind === 'ignore').length;
  return `${schema.columns.length} ${schema.columns.length === 1 ? 'column' : 'columns'}${ignored === 0 ? '' : ` (${ignored} ignored)`} encoded into ${width} inputs`;
}
