// Input rows as the caller gave them, checked for shape up front and read a
// block of rows at a time, so that a fit can copy them into an engine's own
// buffer without first converting the whole set (number[][] would otherwise
// exist three times: the arrays, a Float64Array and the engine's copy). The
// rows are a Matrix (blocks are views), number[][] (converted and checked a
// block at a time), or anything else a reader turns into float64 blocks (a
// table network's rows, encoded).
import { DeltapropError } from './errors.js';
import type { Matrix, MatrixLike } from './matrix.js';
import { checkFinite, checkRowShape, convertRows, MAX_ELEMENTS, toMatrix } from './matrix.js';
import { allocateFloat64 } from './memory.js';
import type { Steps } from './steps.js';
import { runSteps } from './steps.js';
import { checkArray } from './validate.js';

/** Rows converted per block: small enough to stay in cache, large enough that calls are few. */
export const BLOCK_ROWS = 1024;

/**
 * Rows [start, start + count) of a set as one Float64Array of count × cols
 * values: written into `into` (at least that long) when given, so that a
 * loop over blocks reuses one buffer instead of leaving one per block to the
 * garbage collector.
 */
export type BlockReader = (start: number, count: number, into?: Float64Array) => Float64Array;

export class RowData {
  private constructor(
    readonly name: string,
    readonly rows: number,
    readonly cols: number,
    /** The Float64Array form, when the caller gave one (then blocks are views, never copies). */
    private readonly values: Matrix | null,
    private readonly read: BlockReader,
    /** For a Matrix: the row of the caller's matrix this set starts at (messages name rows of the whole). */
    private readonly first = 0,
  ) {}

  /**
   * Checks the shape; `what` says where the width comes from. Values are
   * checked (finite) as they are read, a block at a time, so that checking a
   * large set can pause between blocks; matrix() checks them all.
   */
  static of(value: MatrixLike, name: string, cols: number, what: string): RowData {
    if (Array.isArray(value)) {
      // The list of rows, each row and its length are read once here, each value once as its block is converted.
      const rows = checkArray(name, value, MAX_ELEMENTS, 'rows');
      if (rows.length === 0) throw new DeltapropError(name, 'expected at least 1 row, got 0');
      if (typeof rows[0] === 'number') {
        throw new DeltapropError(name, `expected rows (number[][]), got a flat array of numbers; for one row pass [[${rows.slice(0, 3).join(', ')}${rows.length > 3 ? ', …' : ''}]]`);
      }
      rows.forEach((row, i) => checkRowShape(row, i, cols, name, what));
      return new RowData(name, rows.length, cols, null, (start, count, into) => convertRows(rows, start, count, cols, name, null, true, into));
    }
    const m = toMatrix(value, name);
    if (m.rows === 0) throw new DeltapropError(name, 'expected at least 1 row, got 0');
    if (m.cols !== cols) throw new DeltapropError(name, `expected ${cols} columns (${what}), got ${m.cols}`);
    return RowData.ofMatrix(name, m);
  }

  /** Rows read by `read` (which checks what it reads, naming `name`). */
  static reading(name: string, rows: number, cols: number, read: BlockReader): RowData {
    return new RowData(name, rows, cols, null, read);
  }

  /** A Matrix's rows; `first` is the row of the caller's whole matrix they start at (for messages). */
  private static ofMatrix(name: string, m: Matrix, first = 0): RowData {
    return new RowData(
      name,
      m.rows,
      m.cols,
      m,
      (start, count) => {
        const block = m.data.subarray(start * m.cols, (start + count) * m.cols);
        checkFinite(name, { rows: count, cols: m.cols, data: block }, first + start);
        return block;
      },
      first,
    );
  }

  /** Rows [start, end) of this set, without copying. */
  slice(start: number, end: number): RowData {
    if (this.values !== null) {
      return RowData.ofMatrix(this.name, { rows: end - start, cols: this.cols, data: this.values.data.subarray(start * this.cols, end * this.cols) }, this.first + start);
    }
    return new RowData(this.name, end - start, this.cols, null, (s, count, into) => this.read(start + s, count, into));
  }

  /** Rows [start, start + count) as one Float64Array: a view of a Matrix, or the rows converted and checked (into `into`, when given). */
  block(start: number, count: number, into?: Float64Array): Float64Array {
    return this.read(start, count, into);
  }

  /** The whole set as a Matrix (every value checked): itself for a Matrix, one conversion otherwise. */
  matrix(): Matrix {
    if (this.values === null) return { rows: this.rows, cols: this.cols, data: this.block(0, this.rows) };
    checkFinite(this.name, this.values, this.first);
    return this.values;
  }

  /**
   * These rows as a Matrix, read once a block at a time (steps), so that the
   * passes after it (scaling's, each epoch's figures) read that Matrix and
   * never the caller's arrays again, nor encode a table's rows again; itself
   * when it is a Matrix already.
   */
  *materialised(): Steps<RowData> {
    if (this.values !== null) return this;
    const data = allocateFloat64(this.name, this.rows * this.cols, `a copy of ${this.rows} rows of ${this.cols} values`, 'give the rows as a Matrix');
    for (let start = 0; start < this.rows; start += BLOCK_ROWS) {
      const count = Math.min(BLOCK_ROWS, this.rows - start);
      const target = data.subarray(start * this.cols, (start + count) * this.cols);
      const block = this.read(start, count, target);
      if (block !== target) target.set(block);
      yield;
    }
    return RowData.ofMatrix(this.name, { rows: this.rows, cols: this.cols, data }, this.first);
  }

  /** Calls visit with each block of rows in order (the block is only valid during the call: converted rows share one buffer). */
  forEachBlock(visit: (block: Float64Array, start: number, count: number) => void): void {
    runSteps(this.eachBlock(visit));
  }

  /** forEachBlock as steps: a pause may come after each block. */
  *eachBlock(visit: (block: Float64Array, start: number, count: number) => void): Steps<void> {
    const scratch = this.values === null ? new Float64Array(Math.min(BLOCK_ROWS, this.rows) * this.cols) : undefined;
    for (let start = 0; start < this.rows; start += BLOCK_ROWS) {
      const count = Math.min(BLOCK_ROWS, this.rows - start);
      visit(this.block(start, count, scratch), start, count);
      yield;
    }
  }
}
