// Reading a CSV file with a header row as a stream (csv-parse), record by
// record with its line number; its delimiter (',' ';' or tab, found from
// the header line unless given); and what a cell holds: a missing value,
// a number, or text.
import fs from 'node:fs';
import { parse } from 'csv-parse';
import { CliInputError } from './errors.js';

export interface CsvRecord {
  cells: string[];
  /** 1-based line of the file the record starts on. */
  line: number;
}

/** A cell as a number, or null when it is not one (empty, text, NaN, Infinity). */
export function parseNumber(cell: string): number | null {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell)) return null;
  const x = Number(cell);
  return Number.isFinite(x) ? x : null;
}

/** Cells that mean "no value", as spreadsheets, R and pandas write them. */
export const MISSING_CELLS: ReadonlySet<string> = new Set(['', 'NA', 'N/A', 'n/a', '#N/A', 'NaN', 'nan', '-nan', 'NULL', 'null', '?']);

/** What a cell holds: null when missing, a number when it reads as one (unless `asText`), else its text. */
export function cellValue(cell: string, asText = false): number | string | null {
  if (MISSING_CELLS.has(cell)) return null;
  if (asText) return cell;
  return parseNumber(cell) ?? cell;
}

/** The delimiters told apart, and their names for messages. */
export const DELIMITERS: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/** The delimiter a header line uses: whichever of , ; tab occurs most often outside quotes (a comma on a tie or none). */
export function detectDelimiter(line: string): string {
  const counts = new Map(Object.keys(DELIMITERS).map((d) => [d, 0]));
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

/** The first line of a file (up to 64 KiB of it), to find its delimiter from. */
export function firstLine(file: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw openError(file, e as NodeJS.ErrnoException);
  }
  try {
    const buffer = Buffer.alloc(1 << 16);
    const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, n).toString('utf8');
    const end = text.search(/\r?\n/);
    return end < 0 ? text : text.slice(0, end);
  } catch (e) {
    throw openError(file, e as NodeJS.ErrnoException);
  } finally {
    fs.closeSync(fd);
  }
}

function openError(file: string, error: NodeJS.ErrnoException): CliInputError {
  const reasons: Record<string, string> = { ENOENT: 'no such file', EISDIR: 'is a directory, not a CSV file', EACCES: 'permission denied' };
  return new CliInputError(file, reasons[error.code ?? ''] ?? error.message);
}

/** The records of `file`, the header first, split at `delimiter`; ragged rows are the caller's to check (it knows the header). */
export async function* csvRecords(file: string, delimiter: string): AsyncGenerator<CsvRecord, void, undefined> {
  const parser = fs.createReadStream(file).on('error', (e) => parser.destroy(openError(file, e as NodeJS.ErrnoException)))
    .pipe(parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true, delimiter }));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; raw?: string } }>) {
      // info.lines is the line the record ends on: a record with quoted line breaks starts earlier.
      yield { cells: record, line: info.lines };
    }
  } catch (e) {
    if (e instanceof CliInputError) throw e;
    const error = e as { code?: string; message: string; lines?: number };
    if (typeof error.code === 'string' && error.code.startsWith('CSV_')) {
      throw new CliInputError(file, `not valid CSV: ${error.message.replace(/^Invalid [^:]*: /, '').replace(/\s*at line \d+\.?$/, '')}`, error.lines);
    }
    throw openError(file, e as NodeJS.ErrnoException);
  }
}

/** The header's column names: present, non-empty, distinct. */
export function checkHeader(file: string, record: CsvRecord | undefined): string[] {
  if (record === undefined) throw new CliInputError(file, 'the file is empty (expected a header row, then data rows)');
  const seen = new Map<string, number>();
  record.cells.forEach((name, i) => {
    if (name === '') throw new CliInputError(file, `column ${i + 1} has no name in the header row`, record.line, i + 1);
    if (seen.has(name)) throw new CliInputError(file, `column name '${name}' appears twice in the header (columns ${seen.get(name)! + 1} and ${i + 1})`, record.line, i + 1);
    seen.set(name, i);
  });
  return record.cells;
}

/** Throws unless the record has exactly one cell per column. */
export function checkWidth(file: string, header: readonly string[], record: CsvRecord): void {
  if (record.cells.length !== header.length) {
    const column = Math.min(record.cells.length, header.length) + 1;
    throw new CliInputError(file, `expected ${header.length} fields (one per column of the header), got ${record.cells.length}`, record.line, column);
  }
}

/** A cell for messages: 'text' (cut at 40 characters), or "an empty cell". */
export function showCell(cell: string): string {
  return cell === '' ? 'an empty cell' : `'${cell.length > 40 ? `${cell.slice(0, 40)}…` : cell}'`;
}
