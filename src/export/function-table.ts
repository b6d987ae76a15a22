// The row reader of a table network's standalone function (toFunction): the
// generated source of `row(x, where)`, which reads one row (an object keyed
// by column name, or an array in column order) as the network's Encoder does
// (src/table/encode.ts, the reference: the same values in the same places,
// the same checks), then applies the input scaling and the layers as
// src/export/to-function.ts does for any network. The columns are data (a plan of
// literals) read by one loop, so the source grows with the categories, not
// with code per column.
//
// Errors are RangeErrors named as the network's are (input[3].age,
// input[3]["unit price"], input[3][2]): a value of the wrong type, a missing
// key, an unknown category of a column with unknown: 'error'.
import type { Schema } from '../table/columns.js';
import { TableRows } from '../table/table-rows.js';
import { labelLiteral, literal } from './js-literals.js';
import type { EncodedColumn } from './table-encoding.js';
import { encodedColumns } from './table-encoding.js';

/** The condition, on `input`, under which predict(input) reads one row (else an array of rows). */
export const TABLE_ONE_ROW = '!Array.isArray(input) || (input.length > 0 && (input[0] === null || typeof input[0] !== "object"))';

/** One plan entry's literal: where the column's values go and how they are read. */
function planLiteral({ index, column, offset }: EncodedColumn): string {
  if (column.kind === 'numeric') {
    return `{ column: ${index}, offset: ${offset}, numeric: true, fill: ${literal(column.fill)}, indicator: ${column.missingIndicator} }`;
  }
  const places = column.categories.map((k, i) => `[${labelLiteral(k)}, ${i}]`).join(', ');
  // As the Encoder's error lists them: the first five, then an ellipsis.
  const known =
    column.categories
      .slice(0, 5)
      .map((k) => JSON.stringify(k))
      .join(', ') + (column.categories.length > 5 ? ', …' : '');
  return `{ column: ${index}, offset: ${offset}, numeric: false, places: new Map([${places}]), other: ${column.other ? column.categories.length : -1}, strict: ${column.unknown === 'error'}, known: ${JSON.stringify(known)} }`;
}

/**
 * The source lines of the table part: the columns' data, helpers and
 * `row(x, where)`, whose encoded row `a` of `width` values goes through
 * `scale` (statements on a[j], or '' for none), then `layersCall` (an
 * expression of `a`).
 */
export function tableRowSource(schema: Schema, width: number, scale: string, layersCall: string): string[] {
  const names = schema.columns.map((c) => c.name);
  const count = names.length;
  // How the network's errors name column c of an object row (".age", '["unit price"]'): TableRows.where's suffix after the row's index.
  const table = TableRows.of([{}], '', names);
  const keys = names.map((_, c) => table.where(0, c).slice('[0]'.length));
  const shown =
    names
      .slice(0, 8)
      .map((n) => JSON.stringify(n))
      .join(', ') + (count > 8 ? ', …' : '');
  return [
    '  // The columns in the order of array rows (ignored ones too), and how errors name them in object rows.',
    `  var COLUMNS = ${JSON.stringify(names)};`,
    `  var KEYS = ${JSON.stringify(keys)};`,
    '  // The columns the network reads: where their values go in the encoded row, and how each is read',
    '  // (numeric: the value, or fill where missing, then 1/0 for missing with indicator; categorical: 1 at',
    "  // its category's place, at other's for an unknown one where other ≥ 0; nothing for a missing value).",
    '  var PLAN = [',
    ...encodedColumns(schema).map((p) => `    ${planLiteral(p)},`),
    '  ];',
    '  function missing(v) { return v === null || v === undefined || v === "" || v !== v; }',
    '  function describe(v) {',
    '    if (typeof v === "string") return JSON.stringify(v);',
    '    if (Array.isArray(v)) return "an array of length " + v.length;',
    '    if (ArrayBuffer.isView(v)) return "a " + v.constructor.name;',
    '    return typeof v === "function" ? "a function" : v !== null && typeof v === "object" ? "an object" : String(v);',
    '  }',
    '  function bad(where, x, c, message) { return new RangeError(where + (Array.isArray(x) ? "[" + c + "]" : KEYS[c]) + ": " + message); }',
    '  function row(x, where) {',
    '    var array = Array.isArray(x);',
    `    if (!array && (x === null || typeof x !== "object" || ArrayBuffer.isView(x))) throw new RangeError(where + ": expected a row: an object keyed by column name, or an array of ${count} values in column order; got " + describe(x));`,
    `    if (array && x.length !== ${count}) throw new RangeError(where + ${JSON.stringify(`: expected ${count} values (one per column: ${shown}), got `)} + x.length);`,
    `    var a = new Array(${width}), i, j, p, c, v, k, m;`,
    `    for (j = 0; j < ${width}; j++) a[j] = 0;`,
    '    for (i = 0; i < PLAN.length; i++) {',
    '      p = PLAN[i];',
    '      c = p.column;',
    '      if (array) v = x[c];',
    '      else if (COLUMNS[c] in x) v = x[COLUMNS[c]];',
    '      else throw new RangeError(where + ": has no key " + JSON.stringify(COLUMNS[c]) + " (one of the network\'s columns; give null for a missing value)");',
    '      if (p.numeric) {',
    '        if (typeof v === "number" && v === v && v - v !== 0) throw bad(where, x, c, "expected a finite number (or null for a missing value), got " + v);',
    '        m = missing(v);',
    '        if (!m && typeof v !== "number") throw bad(where, x, c, "expected a number or a missing value in numeric column " + JSON.stringify(COLUMNS[c]) + ", got " + describe(v));',
    '        a[p.offset] = m ? p.fill : v;',
    '        if (p.indicator) a[p.offset + 1] = m ? 1 : 0;',
    '      } else if (!missing(v)) {',
    '        if (typeof v !== "string" && typeof v !== "boolean" && (typeof v !== "number" || v - v !== 0)) throw bad(where, x, c, "expected a category (a string, a finite number or a boolean; null for a missing value), got " + describe(v));',
    '        k = p.places.get(v);',
    '        if (k !== undefined) a[p.offset + k] = 1;',
    '        else if (p.other >= 0) a[p.offset + p.other] = 1;',
    '        else if (p.strict) throw bad(where, x, c, JSON.stringify(v) + " is not a category the network learned for column " + JSON.stringify(COLUMNS[c]) + " (it knows " + p.known + "); its unknown: \'error\' refuses it");',
    '      }',
    '    }',
    ...(scale === '' ? [] : [scale]),
    `    return ${layersCall};`,
    '  }',
  ];
}
