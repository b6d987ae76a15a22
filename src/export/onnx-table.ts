// ONNX export of a table network's encoding, so that the model takes the
// rows predict takes: one graph input per column that reaches the engines,
// in column order, each [batch, 1]:
//   numeric      double (float with dtype 'float32'); NaN is a missing value
//                  x ─ IsNaN ─┬─ Where(·, fill, x)          the value, or the fill where missing
//                             └─ Cast                      the indicator, with missingIndicator
//   categorical  string: a category that is a number or a boolean is matched
//                by its String(); "" is a missing value
//                  x ─ LabelEncoder ─ Equal(0, 1, …, width − 1) ─ Cast
//                LabelEncoder (ai.onnx.ml) gives each category's place, −1
//                for "" and, by default, 'other''s place where the column has
//                one, else −1; Equal against the places is the one-hot row, all
//                zeros for −1
// then Concat along the columns: the encoded row that the input scaling and
// the layers read, as in src/export/onnx.ts. src/table/encode.ts is the reference.
//
// A model cannot raise errors: an unknown category gives the 'other' column
// where the column has one, else all zeros, whatever the column's unknown
// (predict refuses the row with unknown: 'error'; the model reads it as
// 'ignore'). An infinite numeric value passes as it is (predict refuses it).
// A string input cannot tell '1' from 1: the text of a number or boolean
// category reads as that category (where predict, which compares values as
// written, would take the string '1' for an unknown category); a column
// whose categories would read the same (1 and '1') is refused.
//
// The graph inputs are named as the columns where a column's name is a C90
// identifier (what ONNX names must be) and not a name the graph uses inside;
// other columns get a sanitised name (each other character '_', '_' before a
// leading digit, then _2, _3, … until it is free). The model's metadata
// records the mapping, and the schema.
import { DeltapropError, describeValue } from '../errors.js';
import { DataType } from './onnx-schema.js';
import type { Schema } from '../table/columns.js';
import type { EncodedColumn } from './table-encoding.js';
import type { OnnxGraph } from './onnx-graph.js';
import { C90_IDENTIFIER, ML_DOMAIN, attribute, valueInfo } from './onnx-graph.js';

/** The encoded row: the output of the Concat, read by the scaling and the layers. */
export const ENCODED = 'encoded';

const COLUMN_PARTS = ['isnan', 'fill', 'imputed', 'missing', 'index', 'places', 'equal', 'onehot'] as const;
type ColumnPart = (typeof COLUMN_PARTS)[number];

/** The name of one value (and of the node computing it) of column `index` (its index in the schema). */
const partName = (index: number, part: ColumnPart) => `column${index}_${part}`;

/** LabelEncoder's value for "nothing": no place of the one-hot row (Equal matches none). */
const NOWHERE = -1;

/** Every value and node name the table part gives itself. */
export function tableInternalNames(columns: readonly EncodedColumn[]): string[] {
  return [ENCODED, ...columns.flatMap(({ index }) => COLUMN_PARTS.map((part) => partName(index, part)))];
}

/**
 * Refuses a categorical column two of whose categories have the same
 * String() (1 and '1', true and 'true'): a string input could not tell
 * them apart.
 */
export function checkCategoryStrings(columns: readonly EncodedColumn[]): void {
  for (const { column } of columns) {
    if (column.kind !== 'categorical') continue;
    const seen = new Map<string, unknown>();
    for (const k of column.categories) {
      const text = String(k);
      if (seen.has(text)) {
        throw new DeltapropError(
          'network',
          `column ${JSON.stringify(column.name)} has the categories ${describeValue(seen.get(text))} and ${describeValue(k)}, which the model's string input cannot tell apart (both are ${JSON.stringify(text)}); the network cannot be exported to ONNX`,
        );
      }
      seen.set(text, k);
    }
  }
}

/** The graph input's name of each column, avoiding `reserved` (see the header). */
export function inputNames(columns: readonly EncodedColumn[], reserved: ReadonlySet<string>): string[] {
  const taken = new Set(reserved);
  const names = columns.map(({ column }) => {
    const free = C90_IDENTIFIER.test(column.name) && !taken.has(column.name);
    if (free) taken.add(column.name);
    return free ? column.name : null;
  });
  // Claimed after every column that keeps its own name, so that a sanitised name never takes one.
  return names.map((name, i) => {
    if (name !== null) return name;
    const base = columns[i].column.name.replace(/[^A-Za-z0-9_]/gu, '_').replace(/^(?=[0-9])/, '_');
    let candidate = base;
    for (let n = 2; taken.has(candidate); n++) candidate = `${base}_${n}`;
    taken.add(candidate);
    return candidate;
  });
}

/** The graph inputs' ValueInfos. */
export function tableInputs(graph: OnnxGraph, columns: readonly EncodedColumn[], inputs: readonly string[]): object[] {
  return columns.map(({ column }, i) => valueInfo(inputs[i], column.kind === 'numeric' ? graph.elemType : DataType.STRING, ['batch', 1]));
}

const places = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Adds the encoding's nodes; returns the encoded row's name. */
export function addTableEncoding(graph: OnnxGraph, columns: readonly EncodedColumn[], inputs: readonly string[]): string {
  const parts: string[] = [];
  const to = attribute.int('to', graph.elemType);
  columns.forEach(({ index, column, width }, i) => {
    const x = inputs[i];
    const add = (part: ColumnPart, op: string, input: string[], attributes: object[] = [], domain = '') => graph.add(partName(index, part), op, input, partName(index, part), attributes, domain);
    if (column.kind === 'numeric') {
      const missing = add('isnan', 'IsNaN', [x]);
      parts.push(add('imputed', 'Where', [missing, graph.reals(partName(index, 'fill'), [1], [column.fill]), x]));
      if (column.missingIndicator) parts.push(add('missing', 'Cast', [missing], [to]));
      return;
    }
    const count = column.categories.length;
    const place = add(
      'index',
      'LabelEncoder',
      [x],
      [
        attribute.strings('keys_strings', ['', ...column.categories.map(String)]),
        attribute.ints('values_int64s', [NOWHERE, ...places(count)]),
        attribute.int('default_int64', column.other ? count : NOWHERE),
      ],
      ML_DOMAIN,
    );
    const equal = add('equal', 'Equal', [place, graph.int64s(partName(index, 'places'), [width], places(width))]);
    parts.push(add('onehot', 'Cast', [equal], [to]));
  });
  return graph.add(ENCODED, 'Concat', parts, ENCODED, [attribute.int('axis', 1)]);
}

/**
 * The model's metadata of the columns: `deltaprop.columns`, the schema's
 * columns as JSON (every column, ignored ones too, with its kind and what
 * was learned of it); `deltaprop.inputs`, a JSON object from each graph
 * input's name to its column's name.
 */
export function tableMetadata(schema: Schema, columns: readonly EncodedColumn[], inputs: readonly string[]): { key: string; value: string }[] {
  return [
    { key: 'deltaprop.columns', value: JSON.stringify(schema.columns) },
    { key: 'deltaprop.inputs', value: JSON.stringify(Object.fromEntries(inputs.map((name, i) => [name, columns[i].column.name]))) },
  ];
}

/** More than the bytes the table part can take (its strings are written twice: LabelEncoder's keys and the metadata), for the size check. */
export function tableBytesBound(schema: Schema): number {
  return 8 * JSON.stringify(schema.columns).length + 1024 * schema.columns.length;
}
