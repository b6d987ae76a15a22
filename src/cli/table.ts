// A CSV file as the CLI uses it: numeric feature columns (by name, or every
// numeric column but the target) and, when asked for, the target column's
// cells as text, read in blocks of rows so that predict can stream.
import { CliInputError } from './errors.js';
import type { CsvRecord } from './csv.js';
import { checkHeader, checkWidth, csvRecords, numberCell, parseNumber } from './csv.js';

export interface ColumnChoice {
  /** The target column, which the file must have; none for predict (a target column there is left unread). */
  target?: string;
  /** The feature columns by name (a trained model's); default every numeric column but the target. */
  features?: readonly string[];
}

export interface Block {
  rows: number;
  /** rows × features, row-major. */
  inputs: Float64Array;
  /** The target's cells, when the file has the target column. */
  targets: string[] | null;
  /** The file line each row starts on, for errors about its target. */
  lines: number[];
}

export interface TableShape {
  features: string[];
  /** Columns left out because their first value is not a number. */
  ignored: string[];
  /** 1-based column of the target, or null when the file has none. */
  targetColumn: number | null;
}

function columnIndex(file: string, header: readonly string[], name: string, line: number, why: string): number {
  const index = header.indexOf(name);
  if (index < 0) throw new CliInputError(file, `no column named '${name}' ${why} (the columns are ${header.map((h) => `'${h}'`).join(', ')})`, line);
  return index;
}

/** Reads `file` in blocks of up to `blockRows` rows; `shape` is known once the first block is read. */
export class TableReader {
  shape: TableShape | null = null;

  constructor(private readonly file: string, private readonly choice: ColumnChoice) {}

  async *blocks(blockRows: number): AsyncGenerator<Block, void, undefined> {
    const { file } = this;
    const records = csvRecords(file);
    const header = checkHeader(file, (await records.next()).value ?? undefined);
    let columns: { featureIndex: number[]; targetIndex: number } | null = null;
    let block: Block | null = null;
    let rows = 0;
    for await (const record of records) {
      checkWidth(file, header, record);
      columns ??= this.#resolve(header, record);
      block ??= { rows: 0, inputs: new Float64Array(columns.featureIndex.length * Math.min(blockRows, 1024)), targets: columns.targetIndex >= 0 ? [] : null, lines: [] };
      this.#add(block, header, record, columns.featureIndex, columns.targetIndex);
      rows++;
      if (block.rows === blockRows) {
        yield block;
        block = null;
      }
    }
    if (rows === 0) throw new CliInputError(file, 'has a header row but no data rows');
    if (block !== null) yield { ...block, inputs: block.inputs.subarray(0, block.rows * columns!.featureIndex.length) };
  }

  /** The columns used, from the header and the first data row. */
  #resolve(header: string[], first: CsvRecord): { featureIndex: number[]; targetIndex: number } {
    const { file, choice } = this;
    const targetIndex = choice.target === undefined ? -1 : columnIndex(file, header, choice.target, 1, 'for the target');
    let features: number[];
    const ignored: string[] = [];
    if (choice.features) {
      features = choice.features.map((name) => columnIndex(file, header, name, 1, 'that the model was trained on'));
    } else {
      features = [];
      header.forEach((name, i) => {
        if (i === targetIndex) return;
        if (parseNumber(first.cells[i]) === null) ignored.push(name);
        else features.push(i);
      });
      if (features.length === 0) throw new CliInputError(file, 'has no numeric feature column (a column whose first value is a number)', first.line);
    }
    this.shape = { features: features.map((i) => header[i]), ignored, targetColumn: targetIndex >= 0 ? targetIndex + 1 : null };
    return { featureIndex: features, targetIndex };
  }

  #add(block: Block, header: string[], record: CsvRecord, featureIndex: number[], targetIndex: number): void {
    const width = featureIndex.length;
    if ((block.rows + 1) * width > block.inputs.length) {
      const grown = new Float64Array(2 * block.inputs.length);
      grown.set(block.inputs);
      block.inputs = grown;
    }
    const at = block.rows * width;
    for (let j = 0; j < width; j++) block.inputs[at + j] = numberCell(this.file, header, record, featureIndex[j]);
    if (targetIndex >= 0) {
      const cell = record.cells[targetIndex];
      if (cell === '') throw new CliInputError(this.file, `the target column '${header[targetIndex]}' has an empty cell`, record.line, targetIndex + 1);
      block.targets!.push(cell);
    }
    block.lines.push(record.line);
    block.rows++;
  }
}

/** The whole file as one block (for train and evaluate), and its shape. */
export async function readTable(file: string, choice: ColumnChoice): Promise<Block & TableShape> {
  const reader = new TableReader(file, choice);
  let whole: Block | null = null;
  for await (const block of reader.blocks(Number.MAX_SAFE_INTEGER)) whole = block;
  return { ...whole!, ...reader.shape! };
}
