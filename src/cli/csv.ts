// Reading a CSV file with a header row as a stream (csv-parse), record by
// record with its line number; its delimiter (',' ';' or tab, found from
// the header line unless given); and what a cell holds: a missing value,
// a number, or text.
//
// The file is opened once and read as a stream, so a pipe or a FIFO
// (`<(zcat data.csv.gz)`, /dev/stdin) reads as a file does: the header line
// is peeked from the stream itself. Before csv-parse sees the bytes, a
// guard bounds what one row may cost (MAX_RECORD_BYTES, MAX_FIELDS) and
// refuses NUL bytes (a binary file), so that a line of a hundred million
// commas, or a file that never ends its line, fails fast with one line
// instead of filling the memory.
import fs from 'node:fs';
import { Readable, Transform, pipeline } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { MAX_COLUMNS } from '../table/columns.js';
import { CliInputError } from './errors.js';
import { cut } from './text.js';

export interface CsvRecord {
  cells: string[];
  /** 1-based line of the file the record ends on. */
  line: number;
}

/** The longest row deltaprop reads, in bytes (16 MiB): far beyond a real row, small enough to hold. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;
/** The most fields a row may have: the library's limit on a network's columns (65,536). */
export const MAX_FIELDS = MAX_COLUMNS;
/** How much of the header line the delimiter is found from. */
const PEEK_BYTES = 1 << 16;

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

function openError(file: string, error: NodeJS.ErrnoException): CliInputError {
  const reasons: Record<string, string> = {
    ENOENT: 'no such file',
    EISDIR: 'is a directory, not a CSV file',
    EACCES: 'permission denied',
    ENOTDIR: 'no such file (a part of its path is not a folder)',
  };
  return new CliInputError(file, reasons[error.code ?? ''] ?? error.message);
}

const MIB = MAX_RECORD_BYTES / (1024 * 1024);

/**
 * Counts what csv-parse is about to hold for a row, from the bytes (UTF-8)
 * or 16-bit units (UTF-16 with its byte-order mark) as they stream by:
 * the row's size and its fields (delimiters outside quotes). Quotes toggle
 * the quoted state, which is exact for valid CSV (a doubled quote toggles
 * twice); invalid quoting is csv-parse's to report. Lines are counted as
 * csv-parse counts them (\r\n, \n or \r), quoted line breaks included.
 */
class RowGuard extends Transform {
  #line = 1;
  #column = 1;
  #recordLine = 1;
  #recordBytes = 0;
  #quoted = false;
  #quoteAt: [number, number] = [1, 1];
  #afterCR = false;
  #odd: number | null = null;

  constructor(
    private readonly file: string,
    private readonly delimiter: number,
    private readonly utf16: boolean,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _: BufferEncoding, done: TransformCallback): void {
    const error = this.utf16 ? this.#scan16(chunk) : this.#scan8(chunk);
    if (error !== null) done(error);
    else done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.#quoted) {
      const [line, column] = this.#quoteAt;
      done(new CliInputError(this.file, 'not valid CSV: the quote that opens this field is never closed', line, column));
    } else done();
  }

  #scan8(bytes: Buffer): CliInputError | null {
    const delimiter = this.delimiter;
    // Bytes that are none of NUL, a quote, a line break or the delimiter only count towards the row's size: a run of them at once.
    let plain = 0;
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i];
      if (c === 34 || c === 10 || c === 13 || c === delimiter || c === 0) {
        const error = this.#plain(plain) ?? this.#unit(c, 1);
        plain = 0;
        if (error !== null) return error;
      } else plain++;
    }
    return this.#plain(plain);
  }

  /** A run of `n` plain bytes. */
  #plain(n: number): CliInputError | null {
    if (n === 0) return null;
    this.#afterCR = false;
    this.#recordBytes += n;
    return this.#recordBytes > MAX_RECORD_BYTES ? this.#tooLong() : null;
  }

  #tooLong(): CliInputError {
    const why = this.#quoted ? `; the quote opened at line ${this.#quoteAt[0]}, column ${this.#quoteAt[1]} is never closed?` : '';
    return new CliInputError(this.file, `a row longer than ${MIB} MiB, the most deltaprop reads in one row${why}`, this.#recordLine);
  }

  #scan16(bytes: Buffer): CliInputError | null {
    let i = 0;
    if (this.#odd !== null && bytes.length > 0) {
      const error = this.#unit(this.#odd | (bytes[0] << 8), 2);
      this.#odd = null;
      i = 1;
      if (error !== null) return error;
    }
    for (; i + 1 < bytes.length; i += 2) {
      const error = this.#unit(bytes[i] | (bytes[i + 1] << 8), 2);
      if (error !== null) return error;
    }
    if (i < bytes.length) this.#odd = bytes[i];
    return null;
  }

  /** One character (or UTF-8 byte) of `size` bytes. */
  #unit(c: number, size: number): CliInputError | null {
    if (c === 0) {
      return new CliInputError(this.file, 'holds a NUL byte: it is not a text CSV file (a binary file, or UTF-16 text without its byte-order mark?)', this.#line, this.#column);
    }
    this.#recordBytes += size;
    if (this.#recordBytes > MAX_RECORD_BYTES) return this.#tooLong();
    const afterCR = this.#afterCR;
    this.#afterCR = c === 13;
    if (c === 34) {
      this.#quoted = !this.#quoted;
      if (this.#quoted) this.#quoteAt = [this.#line, this.#column];
    } else if (c === 10 || c === 13) {
      if (c === 10 && afterCR) {
        // The \n of \r\n: the line was counted at the \r.
        if (!this.#quoted) this.#recordBytes = 0;
        return null;
      }
      this.#line++;
      if (!this.#quoted) this.#endRecord();
    } else if (c === this.delimiter && !this.#quoted) {
      this.#column++;
      if (this.#column > MAX_FIELDS) {
        return new CliInputError(this.file, `more than ${MAX_FIELDS.toLocaleString('en-US')} fields in one row, the most deltaprop reads`, this.#line, this.#column);
      }
    }
    return null;
  }

  #endRecord(): void {
    this.#column = 1;
    this.#recordBytes = 0;
    this.#recordLine = this.#line;
  }
}

/** csv-parse's error as the CLI tells it: file:line:column and what is wrong, in words. */
function csvError(file: string, error: CsvError): CliInputError {
  const e = error as CsvError & { lines?: number; column?: number | string };
  const column = typeof e.column === 'number' ? e.column + 1 : undefined;
  const messages: Record<string, string> = {
    INVALID_OPENING_QUOTE: 'a quote inside a field that does not start with one (quote the whole field and double its quotes: "a ""b"" c")',
    CSV_INVALID_CLOSING_QUOTE: 'text after the closing quote of a field (quote the whole field and double the quotes inside it: "a ""b"" c")',
    CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text after the closing quote of a field (quote the whole field and double the quotes inside it: "a ""b"" c")',
    CSV_QUOTE_NOT_CLOSED: 'the quote that opens this field is never closed',
    CSV_MAX_RECORD_SIZE: `a row longer than ${MIB} MiB, the most deltaprop reads in one row`,
  };
  const detail = messages[e.code] ?? cut(e.message.replace(/^Invalid [^:]*: /, '').replace(/\s*at line \d+\.?$/, ''), 200);
  return new CliInputError(file, `not valid CSV: ${detail}`, e.lines, column);
}

/** What a CSV file is read with: its delimiter and its records, the header first. */
export interface CsvFile {
  delimiter: string;
  /** Ragged rows are the caller's to check (it knows the header); returning early stops reading the file. */
  records: AsyncGenerator<CsvRecord, void, undefined>;
}

/** The first line of `head` (decoded), and the line break it ends with, if it ends within `head`. */
function headerLine(head: Buffer, utf16: boolean): { line: string; lineBreak: string | null } {
  const text = head
    .subarray(0, PEEK_BYTES + 4)
    .toString(utf16 ? 'utf16le' : 'utf8')
    .replace(/^\uFEFF/, '');
  const end = /\r\n|\n|\r/.exec(text);
  if (end === null) return { line: text, lineBreak: null };
  // A lone \r at the end of what was peeked may be the first half of \r\n.
  const lineBreak = end[0] === '\r' && end.index === text.length - 1 ? null : end[0];
  return { line: text.slice(0, end.index), lineBreak };
}

/** Opens `file` and reads up to its first line break: its delimiter (unless given) and its line breaks are found there. */
export async function openCsv(file: string, given?: string): Promise<CsvFile> {
  const input = fs.createReadStream(file, { highWaterMark: PEEK_BYTES });
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const peeked: Buffer[] = [];
  let size = 0;
  let ended = false;
  let head = Buffer.alloc(0);
  try {
    for (;;) {
      const next = await chunks.next();
      if (next.done) {
        ended = true;
        break;
      }
      peeked.push(next.value);
      size += next.value.length;
      head = Buffer.concat(peeked, size);
      if (size >= PEEK_BYTES || headerLine(head, head[0] === 0xff && head[1] === 0xfe).lineBreak !== null) break;
    }
  } catch (e) {
    input.destroy();
    throw openError(file, e as NodeJS.ErrnoException);
  }
  const utf16 = head[0] === 0xff && head[1] === 0xfe;
  const { line, lineBreak } = headerLine(head, utf16);
  const delimiter = given ?? detectDelimiter(line);
  async function* bytes(): AsyncGenerator<Buffer> {
    try {
      if (head.length > 0) yield head;
      while (!ended) {
        const next = await chunks.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      input.destroy();
    }
  }
  const parser = parse({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
    delimiter,
    // Given, not found by csv-parse: its search runs per character until a line ends (a line that never ends read at 2 MB/s).
    record_delimiter: lineBreak === null ? ['\r\n', '\n', '\r'] : [lineBreak],
    max_record_size: MAX_RECORD_BYTES,
  });
  const guard = new RowGuard(file, delimiter.charCodeAt(0), utf16);
  // Errors reach the parser (pipeline destroys every stream with the first error), whose iteration throws them.
  pipeline(Readable.from(bytes(), { objectMode: false }), guard, parser, () => {});
  async function* records(): AsyncGenerator<CsvRecord, void, undefined> {
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        // info.lines is the line the record ends on: a record with quoted line breaks starts earlier.
        yield { cells: record, line: info.lines };
      }
    } catch (e) {
      if (e instanceof CliInputError) throw e;
      if (e instanceof CsvError) throw csvError(file, e);
      throw openError(file, e as NodeJS.ErrnoException);
    } finally {
      parser.destroy();
    }
  }
  return { delimiter, records: records() };
}

/** The header's column names: present, non-empty, distinct. */
export function checkHeader(file: string, record: CsvRecord | undefined): string[] {
  if (record === undefined) throw new CliInputError(file, 'the file is empty (expected a header row, then data rows)');
  const seen = new Map<string, number>();
  record.cells.forEach((name, i) => {
    if (name === '') throw new CliInputError(file, `column ${i + 1} has no name in the header row`, record.line, i + 1);
    if (seen.has(name)) throw new CliInputError(file, `column name '${cut(name, 60)}' appears twice in the header (columns ${seen.get(name)! + 1} and ${i + 1})`, record.line, i + 1);
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

/** A cell for messages: 'text' (cut at 40 characters), or "an empty cell". Control characters are escaped where the message is printed. */
export function showCell(cell: string): string {
  return cell === '' ? 'an empty cell' : `'${cut(cell, 40)}'`;
}
