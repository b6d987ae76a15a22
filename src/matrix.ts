import { DeltapropError, describeValue } from './errors.js';
import { allocateFloat64, checkHeap } from './memory.js';
import { checkFloat64Array } from './validate.js';

/** A dense row-major matrix of float64: element (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** What the public API accepts wherever it takes a matrix. */
export type MatrixLike = Matrix | ReadonlyArray<ReadonlyArray<number>>;

function isMatrix(value: unknown): value is Matrix {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'data' in value;
}

/** The most elements a matrix may hold (both engines index with 32-bit-safe products of these). */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** A new rows × cols matrix, zero-filled or over `data` (not copied). */
export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  if (!Number.isInteger(rows) || rows < 0) throw new DeltapropError('rows', `expected an integer ≥ 0, got ${describeValue(rows)}`);
  if (!Number.isInteger(cols) || cols < 0) throw new DeltapropError('cols', `expected an integer ≥ 0, got ${describeValue(cols)}`);
  if (rows * cols > MAX_ELEMENTS) throw new DeltapropError('rows', `expected at most ${MAX_ELEMENTS} elements in all, got ${rows} × ${cols}`);
  if (data === undefined) return { rows, cols, data: allocateFloat64('rows', rows * cols, `a ${rows} × ${cols} matrix`, 'use fewer rows at a time') };
  const values = checkFloat64Array('data', data);
  if (values.length !== rows * cols) {
    throw new DeltapropError('data', `expected ${rows * cols} elements (${rows} × ${cols}), got ${values.length}`);
  }
  return { rows, cols, data: values };
}

/**
 * Converts `number[][]` to a Matrix (one copy) and checks a Matrix's shape
 * against its data. For a Matrix the result is a new object over the same
 * data array, so what was checked is what is used, even if the argument's
 * properties change later.
 */
export function toMatrix(value: MatrixLike, name = 'matrix'): Matrix {
  if (isMatrix(value)) {
    // Each property read once: a getter cannot say one thing to the check and another to the use.
    const { rows, cols, data: raw } = value;
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new DeltapropError(name, `expected integer rows and cols ≥ 0, got ${describeValue(rows)} × ${describeValue(cols)}`);
    }
    const data = checkFloat64Array(`${name}.data`, raw);
    if (data.length !== rows * cols) {
      throw new DeltapropError(`${name}.data`, `expected ${rows * cols} elements (${rows} × ${cols}), got ${data.length}`);
    }
    return { rows, cols, data };
  }
  if (!Array.isArray(value)) {
    throw new DeltapropError(name, `expected a Matrix or an array of rows (number[][]), got ${describeValue(value)}`);
  }
  // The array's length and each row read once (a Proxy or getters cannot show the width one row and the copy another);
  // row 0 decides the width, so it is read into a copy of its own, its length and values once.
  const rows = value.length;
  if (!Number.isInteger(rows) || rows < 0 || rows > MAX_ELEMENTS) throw new DeltapropError(name, `expected at most ${MAX_ELEMENTS} rows, got ${describeValue(rows)}`);
  // A Proxy may claim any length: the list of rows costs the heap 8 bytes a row, which V8 cannot fail gracefully.
  if (rows > 1 << 20) checkHeap(name, 8 * rows, `a list of ${rows} rows`, 'give a Matrix');
  const list: unknown[] = [];
  for (let i = 0; i < rows; i++) list.push(value[i]);
  const first = list[0];
  const cols = Array.isArray(first) ? first.length : 0;
  if (!Number.isInteger(cols) || cols < 0 || rows * cols > MAX_ELEMENTS) throw new DeltapropError(name, `expected at most ${MAX_ELEMENTS} elements in all, got ${rows} × ${describeValue(cols)}`);
  if (Array.isArray(first)) {
    const copy: unknown[] = [];
    for (let j = 0; j < cols; j++) copy.push(first[j]);
    list[0] = copy;
  }
  return { rows, cols, data: convertRows(list, 0, rows, cols, name, 'the length of row 0', false) };
}

/** Row i of number[][] is an array of `cols` values (`what` says where cols comes from); its length is read once. */
export function checkRowShape(row: unknown, i: number, cols: number, name: string, what: string): void {
  if (!Array.isArray(row)) throw new DeltapropError(`${name}[${i}]`, `expected an array of numbers, got ${describeValue(row)}`);
  const length = row.length;
  if (length !== cols) throw new DeltapropError(`${name}[${i}]`, `expected ${cols} values (${what}), got ${describeValue(length)}`);
}

/**
 * Rows [first, first + count) of number[][] as one Float64Array, each number
 * read once and checked (finite, when `finite`), written into `into` when
 * given. `what` says where cols comes from, for checkRowShape; null when the
 * caller has checked every row's shape already (so a row's length is read
 * once in all). Errors name the row and column in the whole array.
 */
export function convertRows(value: ReadonlyArray<unknown>, first: number, count: number, cols: number, name: string, what: string | null, finite: boolean, into?: Float64Array): Float64Array {
  const data = into === undefined ? allocateFloat64(name, count * cols, `${count} rows of ${cols} values`, 'give fewer rows at a time') : into.subarray(0, count * cols);
  for (let r = 0; r < count; r++) {
    const i = first + r;
    const row = value[i] as ArrayLike<unknown>;
    if (what !== null) checkRowShape(row, i, cols, name, what);
    for (let j = 0; j < cols; j++) {
      const x = row[j];
      if (typeof x !== 'number') throw new DeltapropError(`${name}[${i}][${j}]`, `expected a number, got ${describeValue(x)}`);
      if (finite && !Number.isFinite(x)) throw new DeltapropError(`${name}[${i}][${j}]`, `expected a finite number, got ${x}`);
      data[r * cols + j] = x;
    }
  }
  return data;
}

export function toArray(value: Matrix): number[][] {
  const m = toMatrix(value, 'matrix');
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** Throws at the first NaN or ±Infinity, naming its row (counted from `firstRow`, where m's rows start in the caller's) and column. */
export function checkFinite(name: string, m: Matrix, firstRow = 0): void {
  const { data, cols } = m;
  if (allFinite(data)) return;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const r = Math.floor(i / cols);
      throw new DeltapropError(`${name}[${firstRow + r}][${i - r * cols}]`, `expected a finite number, got ${data[i]}`);
    }
  }
}

/**
 * x − x is 0 for a finite x and NaN for NaN or ±Infinity, and NaN survives
 * addition: four independent sums cover the array at about one value per
 * cycle, three times the speed of testing each value (a fit of 4,096 × 784
 * rows checked them in 7 ms); the slow loop runs only to name the culprit.
 */
function allFinite(data: Float64Array): boolean {
  let a = 0,
    b = 0,
    c = 0,
    d = 0;
  const n = data.length - (data.length % 4);
  for (let i = 0; i < n; i += 4) {
    a += data[i] - data[i];
    b += data[i + 1] - data[i + 1];
    c += data[i + 2] - data[i + 2];
    d += data[i + 3] - data[i + 3];
  }
  for (let i = n; i < data.length; i++) a += data[i] - data[i];
  return a + b + c + d === 0;
}

/** Converts and checks a data matrix: at least one row, the given width, finite values. */
export function toDataMatrix(value: MatrixLike, name: string, cols: number, what: string): Matrix {
  const m = toMatrix(value, name);
  if (m.rows === 0) throw new DeltapropError(name, 'expected at least 1 row, got 0');
  if (m.cols !== cols) throw new DeltapropError(name, `expected ${cols} columns (${what}), got ${m.cols}`);
  checkFinite(name, m);
  return m;
}
