// A CSV file as the CLI uses it: the input columns' cells (a missing value,
// a number or text, by cellValue) and, when asked for, the target column's
// cells as written, read in blocks of rows so that predict can stream.
import { DeltapropError } from '../errors.js';
import { CliInputError } from './errors.js';
import { DELIMITERS, cellValue, checkHeader, checkWidth, openCsv } from './csv.js';
import { nameList, quoteName } from './text.js';

/** One row's input cells, in the order of the columns read. */
export type Cells = (number | string | null)[];

export interface ColumnChoice {
  /** The target column, which the file must have; none for predict (a target column there is left unread). */
  target?: string;
  /** The input columns by name (a model's, which the file must have); default every column but the target. */
  columns?: readonly string[];
  /** Columns whose cells stay text (categorical columns the user named): '01' stays '01'. */
  textColumns?: ReadonlySet<string>;
  /** ',' ';' or '\t'; default: found from the header line. */
  delimiter?: string;
}

export interface Block {
  rows: number;
  /** One array of cells per row, in the order of `TableShape.columns`. */
  cells: Cells[];
  /** The target's cells as written, when the file has the target column. */
  targets: string[] | null;
  /** The file line each row starts on, for errors. */
  lines: number[];
}

export interface TableShape {
  file: string;
  header: string[];
  /** The input columns read, in order. */
  columns: string[];
  /** 1-based column of each input column in the file. */
  positions: number[];
  /** 1-based column of the target, or null when the file has none. */
  targetColumn: number | null;
  delimiter: string;
}

function columnIndex(file: string, header: readonly string[], index: ReadonlyMap<string, number>, name: string, line: number, why: string): number {
  const at = index.get(name);
  if (at === undefined) throw new CliInputError(file, `no column named ${quoteName(name)} ${why} (the columns are ${nameList(header)})`, line);
  return at;
}

/** Reads `file` in blocks of up to `blockRows` rows; `shape` is known once the header is read. */
export class TableReader {
  shape: TableShape | null = null;

  constructor(
    private readonly file: string,
    private readonly choice: ColumnChoice,
  ) {}

  async *blocks(blockRows: number): AsyncGenerator<Block, void, undefined> {
    const { file, choice } = this;
    const { delimiter, records } = await openCsv(file, choice.delimiter);
    try {
      const headerRecord = (await records.next()).value ?? undefined;
      const header = checkHeader(file, headerRecord);
      const shape = this.#resolve(header, headerRecord?.line ?? 1, delimiter);
      const text = shape.columns.map((c) => choice.textColumns?.has(c) ?? false);
      const at = shape.positions.map((p) => p - 1);
      const targetIndex = shape.targetColumn === null ? -1 : shape.targetColumn - 1;
      let block: Block = { rows: 0, cells: [], targets: targetIndex >= 0 ? [] : null, lines: [] };
      let rows = 0;
      for await (const record of records) {
        checkWidth(file, header, record);
        block.cells.push(at.map((i, j) => cellValue(record.cells[i], text[j])));
        if (targetIndex >= 0) block.targets!.push(record.cells[targetIndex]);
        block.lines.push(record.line);
        block.rows++;
        rows++;
        if (block.rows === blockRows) {
          yield block;
          block = { rows: 0, cells: [], targets: targetIndex >= 0 ? [] : null, lines: [] };
        }
      }
      if (rows === 0) throw new CliInputError(file, 'has a header row but no data rows');
      if (block.rows > 0) yield block;
    } finally {
      // Stops reading the file (and closes it) however this ends: an error, or a caller that stopped early.
      await records.return();
    }
  }

  /** The columns read, from the header. */
  #resolve(header: string[], line: number, delimiter: string): TableShape {
    const { file, choice } = this;
    const split = ` (read with the ${DELIMITERS[delimiter]} as delimiter; --delimiter chooses another)`;
    const index = new Map(header.map((name, i) => [name, i]));
    const targetIndex = choice.target === undefined ? -1 : columnIndex(file, header, index, choice.target, line, `for the target${header.length === 1 ? split : ''}`);
    const names = choice.columns ?? header.filter((_, i) => i !== targetIndex);
    const positions = names.map((name) => columnIndex(file, header, index, name, line, `that the model reads${header.length === 1 ? split : ''}`) + 1);
    this.shape = { file, header, columns: [...names], positions, targetColumn: targetIndex >= 0 ? targetIndex + 1 : null, delimiter };
    return this.shape;
  }
}

/** The whole file as one block (for train and evaluate), and its shape. */
export async function readTable(file: string, choice: ColumnChoice): Promise<Block & TableShape> {
  const reader = new TableReader(file, choice);
  let whole: Block | null = null;
  for await (const block of reader.blocks(Number.MAX_SAFE_INTEGER)) whole = block;
  return { ...whole!, ...reader.shape! };
}

/**
 * The library's error about a row of cells given to a network
 * (inputs[r][c] or inputs[r]) as the CLI tells it: file, line and column.
 * Anything else passes unchanged.
 */
export function placeError(e: unknown, shape: TableShape, lines: readonly number[], firstRow = 0): unknown {
  if (!(e instanceof DeltapropError)) return e;
  const match = /^[A-Za-z.]+\[(\d+)\](?:\[(\d+)\])?$/.exec(e.argument);
  if (match === null) return e;
  const row = Number(match[1]) - firstRow;
  const column = match[2] === undefined ? undefined : shape.positions[Number(match[2])];
  return new CliInputError(shape.file, e.detail, lines[row], column);
}
