// The command line at the edges of the operating system, run as a user runs
// it (bin/deltaprop.js over the built dist/):
//   - closed pipes: a reader that goes away (`| head -1`, a destroyed pipe, a
//     closed terminal) ends the output quietly; train still saves its model
//     and report (exit 0), the others exit 141;
//   - CSV sizes: a row of millions of fields, a row that never ends, NUL
//     bytes fail fast, in one line, in bounded memory;
//   - data in messages: control characters of cells, column and class names
//     and file names are escaped wherever a person reads them, never in
//     machine output; csv-parse's errors, usage errors and bad DELTAPROP_*
//     variables are one line too;
//   - failures after training: a report or ONNX file the system refuses is
//     one line that says what was kept (exit 1); outputs that would
//     overwrite an input, or that could not be written, are refused before
//     training (exit 2); a validation loss of Infinity is in the report.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Network, trainTestSplit } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { BIN, cliWorkspace } from './helpers/cli.js';
import { seededUniform } from './helpers/data.js';

const { dir, file, cli } = cliWorkspace('deltaprop-edges-');

const hasScript = spawnSync('script', ['--version']).status === 0;
const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;
const isRoot = process.getuid?.() === 0;
/**
 * The suite runs again once per lower ISA (vitest.config.mts, DELTAPROP_ISA
 * set): what does not depend on the engine (reading CSV files, messages,
 * paths, predict, evaluate) runs in the first run only; train's runs, on
 * both backends, run in every one.
 */
const engineIndependent = describe.skipIf(process.env.DELTAPROP_ISA !== undefined);

/** Two classes from two numeric columns. */
function classification(rows: number, seed = 3): string {
  const next = seededUniform(seed);
  const lines = ['a,b,t'];
  for (let i = 0; i < rows; i++) {
    const a = 2 * next() - 1;
    const b = 2 * next() - 1;
    lines.push(`${a.toFixed(4)},${b.toFixed(4)},${a + b > 0 ? 'yes' : 'no'}`);
  }
  return `${lines.join('\n')}\n`;
}

const small = file('small.csv', classification(600));
const many = file('many.csv', classification(60_000, 4));
const quick = ['--layers', '4', '--early-stopping', '0'];
/** A model to evaluate and predict with. */
const model = file('shared.dpm');
{
  const run = cli(['train', small, '--target', 't', ...quick, '--epochs', '3', '--out', model]);
  if (run.status !== 0) throw new Error(`could not train the model the tests use: ${run.stderr}`);
}

/** Every line of a stream's text, without the last empty one. */
const linesOf = (text: string) => text.split('\n').filter((line, i, all) => line !== '' || i < all.length - 1);

/** What no message may hold: a stack trace, an unhandled error, an internal error. */
function expectNoCrash(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/internal error|Unhandled|EPIPE|node:internal|\^$/m);
}

/** The run ended with exactly one line on stderr, `deltaprop: …`, with no raw control character from the data. */
function expectOneLine(stderr: string, message?: RegExp): string {
  const lines = linesOf(stderr);
  expect(lines.length, stderr).toBe(1);
  expect(lines[0]).toMatch(/^deltaprop: /);
  if (message !== undefined) expect(lines[0]).toMatch(message);
  expect(stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
  expectNoCrash(stderr);
  return lines[0];
}

interface Ended {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/**
 * Runs the command with stdout a pipe that this side closes: at once
 * ('start'), or once the first line came ('line'). stderr is kept.
 */
function runClosing(args: string[], when: 'start' | 'line', env: Record<string, string> = {}): Promise<Ended> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  if (when === 'start') child.stdout!.destroy();
  else {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) child.stdout!.destroy();
    });
  }
  return new Promise((resolve) => child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr, seconds: (performance.now() - started) / 1000 })));
}

/** `sh -c 'node BIN … | head -1'`: the command's status (the pipe's first), its stderr, and what head printed. */
function throughHead(args: string[], { mergeStderr = false, env = {} }: { mergeStderr?: boolean; env?: Record<string, string> } = {}) {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const status = file('head-status.txt');
  const errors = file('head-stderr.txt');
  rmSync(status, { force: true });
  const redirect = mergeStderr ? '2>&1' : `2>'${errors}'`;
  const run = spawnSync('sh', ['-c', `{ ${quoted} ${redirect}; echo $? > '${status}'; } | head -1`], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { status: Number(readFileSync(status, 'utf8')), stderr: mergeStderr ? '' : readFileSync(errors, 'utf8'), head: run.stdout };
}

/** The epochs a training report says were run. */
function reportedEpochs(report: string): number {
  return Number(/epochs run<\/dt><dd>(\d+)</.exec(readFileSync(report, 'utf8'))?.[1]);
}

async function eventually(check: () => boolean, seconds: number): Promise<boolean> {
  for (const end = performance.now() + seconds * 1000; performance.now() < end;) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

describe.each(BACKENDS)('closed pipes: train goes on and saves its model and report (%s)', (backend) => {
  const env = { DELTAPROP_BACKEND: backend };

  it('stdout closed after the first epoch line: exit 0, no message, every epoch trained, model and report saved', async () => {
    const out = file(`closed-${backend}.dpm`);
    const report = file(`closed-${backend}.html`);
    const run = await runClosing(['train', many, '--target', 't', ...quick, '--epochs', '30', '--out', out, '--report', report], 'line', env);
    expect(run.stdout).toMatch(/^epoch 1\/30 /);
    expect(run.status, run.stderr).toBe(0);
    // stderr holds train's notes (rows, columns), nothing about the pipe.
    expectNoCrash(run.stderr);
    expect(run.stderr).toMatch(/^deltaprop: .*many\.csv: 60000 rows/);
    expect(Network.load(out).columns).toEqual(['a', 'b']);
    expect(reportedEpochs(report)).toBe(30);
  });

  it('--json, stdout closed after the schema line: exit 0, model and report saved', async () => {
    const out = file(`closed-json-${backend}.dpm`);
    const report = file(`closed-json-${backend}.html`);
    const run = await runClosing(['train', many, '--target', 't', ...quick, '--epochs', '20', '--json', '--out', out, '--report', report], 'line', env);
    expect(JSON.parse(run.stdout.split('\n')[0])).toHaveProperty('schema');
    expect(run.status, run.stderr).toBe(0);
    expectNoCrash(run.stderr);
    expect(existsSync(out)).toBe(true);
    expect(reportedEpochs(report)).toBe(20);
  });

  it('stdout closed before anything is written, and both stdout and stderr into `| head -1`: exit 0, model saved', async () => {
    const out = file(`closed-start-${backend}.dpm`);
    const run = await runClosing(['train', many, '--target', 't', ...quick, '--epochs', '10', '--out', out], 'start', env);
    expect(run.status, run.stderr).toBe(0);
    expectNoCrash(run.stderr);
    expect(existsSync(out)).toBe(true);
    const merged = file(`closed-merged-${backend}.dpm`);
    const head = throughHead(['train', many, '--target', 't', ...quick, '--epochs', '10', '--out', merged, '--report', file(`merged-${backend}.html`)], { mergeStderr: true, env });
    expect(head.status).toBe(0);
    expect(head.head).toMatch(/^deltaprop: .*many\.csv: 60000 rows/);
    expect(existsSync(merged)).toBe(true);
    expect(reportedEpochs(file(`merged-${backend}.html`))).toBe(10);
  });

  it.runIf(hasScript)(
    'the progress bar on a terminal that closes (script killed: SIGHUP, then EIO): training goes on, model and report saved',
    async () => {
      const out = file(`bar-${backend}.dpm`);
      const report = file(`bar-${backend}.html`);
      rmSync(report, { force: true });
      const command = [process.execPath, BIN, 'train', many, '--target', 't', ...quick, '--epochs', '40', '--out', out, '--report', report].map((a) => `'${a}'`).join(' ');
      // script(1) runs train on a pseudo-terminal; killing script closes the terminal under the bar.
      const terminal = spawn('script', ['-qec', command, '/dev/null'], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
      let shown = '';
      await new Promise<void>((resolve) =>
        terminal.stdout.on('data', (chunk: Buffer) => {
          shown += chunk.toString();
          if (/epoch 1\/40 \[/.test(shown)) resolve();
        }),
      );
      terminal.kill('SIGKILL');
      terminal.stdout.destroy();
      expect(existsSync(report)).toBe(false);
      expect(await eventually(() => existsSync(report), 60)).toBe(true);
      expect(reportedEpochs(report)).toBe(40);
      expect(Network.load(out).columns).toEqual(['a', 'b']);
    },
    90_000,
  );
});

engineIndependent('closed pipes: the other commands stop quietly, exit 141', () => {
  it.runIf(hasMkfifo)('predict stops reading a CSV that never ends once its stdout is closed', async () => {
    const fifo = file('endless.fifo');
    rmSync(fifo, { force: true });
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // A writer that never stops: rows until the reader is gone.
    const writer: ChildProcess = spawn(
      process.execPath,
      [
        '-e',
        `
      const out = require('fs').createWriteStream(process.argv[1]);
      out.on('error', () => process.exit(0));
      out.write('a,b\\n');
      const block = Buffer.from('0.5,-0.25\\n'.repeat(10000));
      (function more() { while (out.write(block)); out.once('drain', more); })();
    `,
        fifo,
      ],
      { stdio: 'ignore' },
    );
    try {
      const run = await runClosing(['predict', model, fifo], 'line');
      expect(run.stdout.split('\n')[0]).toBe('t');
      expect([run.status, run.stderr]).toEqual([141, '']);
      expect(run.seconds).toBeLessThan(30);
    } finally {
      writer.kill();
    }
  });

  it('predict, evaluate, cv, info and --help with stdout closed before they write: exit 141, stderr empty', async () => {
    const cases: string[][] = [
      ['predict', model, many],
      ['predict', model, many, '--json', '--proba'],
      ['evaluate', model, small],
      ['cv', small, '--target', 't', ...quick, '--epochs', '200', '--folds', '5'],
      ['info'],
      ['info', '--json'],
      ['--help'],
      ['train', '--help'],
      ['--version'],
    ];
    for (const args of cases) {
      const run = await runClosing(args, 'start');
      expect([args.join(' '), run.status, run.stderr]).toEqual([args.join(' '), 141, '']);
    }
  });

  // cv trains its folds side by side (Network.fitMany), so their lines come out together at the end and may all fit in
  // the pipe before head exits (0) or not (141): a stdout closed before cv writes is the 141 case above, made certain.
  it('| head -1: predict is cut short (141); cv, info and --help may fit in the pipe first (0 or 141); never a message', () => {
    const predict = throughHead(['predict', model, many, '--proba']);
    expect([predict.status, predict.stderr, predict.head]).toEqual([141, '', 't,P(no),P(yes)\n']);
    const cv = throughHead(['cv', small, '--target', 't', ...quick, '--epochs', '200', '--folds', '5']);
    expect([0, 141]).toContain(cv.status);
    expect(cv.stderr).toBe('');
    expect(cv.head).toMatch(/^fold 1\/5: accuracy /);
    for (const args of [['info'], ['--help'], ['evaluate', model, small]]) {
      const run = throughHead(args);
      expect([0, 141]).toContain(run.status);
      expect(run.stderr).toBe('');
    }
  });

  it.runIf(existsSync('/dev/full'))('a stdout that fails otherwise (a full disk: /dev/full) is one line, exit 1', () => {
    const run = spawnSync('sh', ['-c', `'${process.execPath}' '${BIN}' predict '${model}' '${small}' > /dev/full`], { cwd: dir, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expectOneLine(run.stderr, /^deltaprop: could not write to stdout: no space left on the device$/);
  });
});

/** Runs the command with a preload that writes the process's peak RSS (bytes) to a file at exit. */
function cliWithPeak(args: string[]) {
  const preload = file('peak-rss.cjs', `process.on('exit', () => require('fs').writeFileSync(process.env.DELTAPROP_TEST_PEAK, String(process.resourceUsage().maxRSS * 1024)));\n`);
  const peakFile = file('peak.txt');
  rmSync(peakFile, { force: true });
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--require', preload, BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, DELTAPROP_TEST_PEAK: peakFile }, timeout: 120_000 });
  return { status: run.status, stderr: run.stderr, seconds: (performance.now() - started) / 1000, peak: Number(readFileSync(peakFile, 'utf8')) };
}

engineIndependent('CSV sizes: rows that would cost too much fail fast, in one line, in bounded memory', () => {
  // What a command that reads a small file and fails costs: the engine, the library and the CLI loaded (measured once, when first needed).
  let baselinePeak: number | undefined;
  const baseline = () => (baselinePeak ??= cliWithPeak(['train', small, '--target', 'nope']).peak);
  const MiB = 1024 * 1024;
  /**
   * The bound on what a refused file may add to that: a row of at most 16
   * MiB is held by csv-parse in a buffer that grows by doubling (26 MiB at
   * most by then, with the one it outgrew) and once as a string; the files
   * are 20 to 50 MB, so a reader that held a file whole would pass it.
   */
  const BOUND = 64 * MiB;

  const cases: [string, () => string, RegExp][] = [
    ['a 50 MB line of commas', () => file('commas.csv', `a,b,t\n1,2,${','.repeat(50e6)}\n`), /commas\.csv:2:65537: more than 65,536 fields in one row, the most deltaprop reads$/],
    [
      'a 20 MB header of names',
      () => {
        const names: string[] = [];
        for (let i = 0, size = 0; size < 20e6; i++) size += (names[i] = `column_${i}`).length + 1;
        return file('header.csv', `${names.join(',')}\n1\n`);
      },
      /header\.csv:1:65537: more than 65,536 fields in one row/,
    ],
    ['a 20 MB column name', () => file('name.csv', `${'x'.repeat(20e6)},t\n1,2\n`), /name\.csv:1: a row longer than 16 MiB, the most deltaprop reads in one row$/],
    ['a quote never closed, 20 MB on', () => file('quote.csv', `a,b,t\n1,"${'y\n'.repeat(10e6)}`), /quote\.csv:2: a row longer than 16 MiB.*the quote opened at line 2, column 2 is never closed\?$/],
    ['a file of NUL bytes', () => file('nul.csv', Buffer.alloc(30e6) as unknown as string), /nul\.csv:1:1: holds a NUL byte: it is not a text CSV file/],
    ['NUL bytes after a header', () => file('nul-rows.csv', Buffer.concat([Buffer.from('a,b,t\n1,2,x\n3,'), Buffer.alloc(1e6)]) as unknown as string), /nul-rows\.csv:3:2: holds a NUL byte/],
    ['/dev/zero, which never ends', () => '/dev/zero', /\/dev\/zero:1:1: holds a NUL byte/],
  ];
  it.each(cases)('%s', (_, make, message) => {
    const data = make();
    const run = cliWithPeak(['train', data, '--target', 't', '--out', file('never.dpm')]);
    expect(run.status).toBe(2);
    expectOneLine(run.stderr, message);
    expect(run.seconds).toBeLessThan(20);
    expect(run.peak - baseline(), `peak RSS ${run.peak} against ${baseline()}`).toBeLessThan(BOUND);
    expect(existsSync(file('never.dpm'))).toBe(false);
    if (data !== '/dev/zero') rmSync(data);
  });

  it.runIf(hasMkfifo)('a FIFO whose one line never ends', () => {
    const fifo = file('never-ends.fifo');
    rmSync(fifo, { force: true });
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const writer = spawn(
      process.execPath,
      [
        '-e',
        `
      const out = require('fs').createWriteStream(process.argv[1]);
      out.on('error', () => process.exit(0));
      const block = Buffer.alloc(1 << 16, 'a');
      (function more() { while (out.write(block)); out.once('drain', more); })();
    `,
        fifo,
      ],
      { stdio: 'ignore' },
    );
    try {
      const run = cliWithPeak(['predict', model, fifo]);
      expect(run.status).toBe(2);
      expectOneLine(run.stderr, /never-ends\.fifo:1: a row longer than 16 MiB/);
      expect(run.peak - baseline()).toBeLessThan(BOUND);
    } finally {
      writer.kill();
    }
  });

  it('65,536 columns are read, and an error about them is one short line, in time proportional to the file', () => {
    const names = Array.from({ length: 65_536 }, (_, i) => `c${i}`);
    const wide = file('wide.csv', `${names.join(',')}\n${names.map((_, i) => i % 10).join(',')}\n`);
    const started = performance.now();
    const run = cli(['train', wide, '--target', 'nope']);
    expect(run.status).toBe(2);
    const line = expectOneLine(run.stderr, /wide\.csv:1: no column named 'nope' for the target \(the columns are 'c0', 'c1', .* and 65516 more\)$/);
    expect(line.length).toBeLessThan(400);
    const features = cli(['train', wide, '--target', 'c0', '--features', 'c1,zz']);
    expectOneLine(features.stderr, /--features names 'zz', which is not a column \(the columns are 'c1', .* and 65515 more\)$/);
    expect((performance.now() - started) / 1000).toBeLessThan(30);
  });

  it('UTF-16 with its byte-order mark still reads; a CSV through a FIFO reads whole (the header is peeked from the stream, not read twice)', async () => {
    const utf16 = file('utf16.csv', Buffer.from(`\ufeff${classification(40)}`, 'utf16le') as unknown as string);
    const fromUtf16 = cli(['predict', model, utf16]);
    const fromUtf8 = cli(['predict', model, file('utf8.csv', classification(40))]);
    expect(fromUtf16.status, fromUtf16.stderr).toBe(0);
    expect(fromUtf16.stdout).toBe(fromUtf8.stdout);
    if (!hasMkfifo) return;
    const fifo = file('whole.fifo');
    rmSync(fifo, { force: true });
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const writer = spawn('sh', ['-c', `cat '${many}' > '${fifo}'`]);
    const fromFifo = spawnSync(process.execPath, [BIN, 'predict', model, fifo], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
    await new Promise((resolve) => writer.on('close', resolve));
    expect(fromFifo.status, fromFifo.stderr).toBe(0);
    expect(fromFifo.stdout).toBe(cli(['predict', model, many]).stdout);
  });
});

engineIndependent('data in messages: control characters escaped where a person reads them', () => {
  const ESC = '\x1b';
  // Column names, categories and class labels with a colour, a window title (OSC), a quoted line break, a C1 CSI, U+2028 and a right-to-left override.
  const hostile = (() => {
    const labels = [`cat${ESC}]0;pwned\x07`, 'dog\r\nline', 'x\u202eevil'];
    const colours = [`red${ESC}[31m`, 'gr\u2028een', 'blue\u009b2J'];
    const rows = [`a,"b${ESC}[1m","col\nname",t`];
    for (let i = 0; i < 90; i++) rows.push([i % 7, (i * 3) % 11, colours[i % 3], labels[i % 3]].map((c) => `"${c}"`).join(','));
    return { csv: file('hostile.csv', `${rows.join('\n')}\n`), labels, colours };
  })();
  const hostileModel = file('hostile.dpm');

  it('train: the column description and the notes escape names, categories and labels; a line each', () => {
    const run = cli(['train', hostile.csv, '--target', 't', ...quick, '--epochs', '2', '--out', hostileModel]);
    expect(run.status, run.stderr).toBe(0);
    const lines = linesOf(run.stderr);
    expect(lines).toEqual([
      `deltaprop: ${hostile.csv}: 90 rows; predicting 't': classification into 3 classes (cat\\x1b]0;pwned\\x07, dog\\r\\nline, x\\u202eevil)`,
      'deltaprop: columns:',
      expect.stringMatching(/^ {2}a {10}numeric$/),
      expect.stringMatching(/^ {2}b\\x1b\[1m {3}numeric$/),
      expect.stringMatching(/^ {2}col\\nname {2}categorical {2}3 categories \(blue\\x9b2J, gr\\u2028een, red\\x1b\[31m\)$/),
    ]);
    expect(run.stdout).not.toContain(ESC);
  });

  it("evaluate's tables escape the class labels and stay aligned; --json keeps them as data", () => {
    const run = cli(['evaluate', hostileModel, hostile.csv]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).not.toMatch(/[\u001b\u0007\r\u009b\u2028\u202e]/);
    const matrix = run.stdout.slice(run.stdout.indexOf('confusion matrix'));
    const rows = linesOf(matrix).slice(1);
    expect(rows.length).toBe(4);
    expect(new Set(rows.map((r) => r.length)).size).toBe(1);
    expect(rows[1]).toMatch(/^cat\\x1b\]0;pwned\\x07 /);
    const json = JSON.parse(cli(['evaluate', hostileModel, hostile.csv, '--json']).stdout);
    expect(json.confusion.labels).toEqual(hostile.labels);
  });

  it("predict's CSV keeps the data to a pipe (RFC 4180), escapes it on a terminal; --json keeps it", () => {
    const piped = cli(['predict', hostileModel, hostile.csv, '--proba']);
    expect(piped.status).toBe(0);
    expect(piped.stdout.startsWith(`t,P(${hostile.labels[0]}),"P(${hostile.labels[1]})",P(${hostile.labels[2]})\n`)).toBe(true);
    const json = linesOf(cli(['predict', hostileModel, hostile.csv, '--json', '--proba']).stdout).map((l) => JSON.parse(l));
    expect(Object.keys(json[0].probabilities)).toEqual(hostile.labels);
    if (!hasScript) return;
    const command = [process.execPath, BIN, 'predict', hostileModel, hostile.csv, '--proba'].map((a) => `'${a}'`).join(' ');
    const tty = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(tty.status).toBe(0);
    expect(tty.stdout).not.toMatch(/[\u001b\u0007\u009b\u2028\u202e]/);
    expect(tty.stdout).toContain('t,P(cat\\x1b]0;pwned\\x07),P(dog\\r\\nline),P(x\\u202eevil)');
  });

  it('every error naming a cell, a column, a class or a file is one line with the data escaped (exit 2)', () => {
    const rows = ['a,b,t', ...Array.from({ length: 12 }, (_, i) => `${i},${i % 5},${'xy'[i % 2]}`)];
    const cell = file('cell.csv', `${rows.join('\n')}\n1,"bad${ESC}[31m\nline",y\n`);
    const cases: [string[], RegExp][] = [
      [['train', cell, '--target', 't'], /cell\.csv:15:2: expected a number in column 'b', got 'bad\\x1b\[31m\\nline' /],
      [['train', cell, '--target', `t${ESC}[2J`], /no column named 't\\x1b\[2J' for the target/],
      [['train', cell, '--target', 't', '--features', `a,b${ESC}]8;;http://x\x07`], /--features names 'b\\x1b\]8;;http:\/\/x\\x07', which is not a column/],
      [['train', `no${ESC}[31m\nsuch.csv`, '--target', 't'], /no\\x1b\[31m\\nsuch\.csv: no such file$/],
      [
        ['evaluate', hostileModel, file('unknown-class.csv', `a,"b${ESC}[1m","col\nname",t\n1,2,red,"new${ESC}[5m\u2029class"\n`)],
        /:3:4: the target 't' is 'new\\x1b\[5m\\u2029class', not one of the model's classes \(cat\\x1b\]0;pwned\\x07, /,
      ],
      [['predict', hostileModel, file('no-column.csv', `a,"b${ESC}[1m"\n1,2\n`)], /no-column\.csv:1: no column named 'col\\nname' that the model reads \(the columns are 'a', 'b\\x1b\[1m'\)$/],
    ];
    for (const [args, message] of cases) {
      const run = cli(args);
      expect(run.status, run.stderr).toBe(2);
      expectOneLine(run.stderr, message);
    }
  });

  it("csv-parse's errors come out as file:line:column: not valid CSV: …", () => {
    const cases: [string, RegExp][] = [
      ['a,b,t\n1,"2,x\n', /:2:2: not valid CSV: the quote that opens this field is never closed$/],
      ['a,b,t\n1,2,x\n3,4"5,y\n', /:3:2: not valid CSV: a quote inside a field that does not start with one/],
      ['a,b,t\n1,"2"5,x\n', /:2:2: not valid CSV: text after the closing quote of a field/],
      ['a,b,t\n1,2,"x" y\n', /:2:3: not valid CSV: text after the closing quote of a field/],
      [`a,b,t\n1,2,x\n3,4,"${ESC}[31m""\n`, /:3:3: not valid CSV: the quote that opens this field is never closed$/],
    ];
    for (const [text, message] of cases) {
      const run = cli(['train', file('quotes.csv', text), '--target', 't']);
      expect(run.status).toBe(2);
      expectOneLine(run.stderr, message);
    }
  });

  it('usage errors and bad DELTAPROP_* variables: one line, exit 2, no stack trace', () => {
    const usage: [string[], RegExp][] = [
      [[], /^deltaprop: which command\? train, cv, evaluate, predict, export or info/],
      [['trian'], /^deltaprop: unknown command 'trian' \(did you mean train\?\) \(deltaprop --help shows the usage\)$/],
      [['train', small, '--target', 't', '--epochs', '0'], /option '--epochs <n>' argument '0' is invalid/],
      [['train', small, '--target', 't', `--bo${ESC}[31mgus`], /unknown option '--bo\\x1b\[31mgus'/],
      [['train', '--target', 't'], /missing required argument 'data\.csv'/],
      [['predict', model], /missing required argument 'data\.csv'/],
    ];
    for (const [args, message] of usage) {
      const run = cli(args);
      expect([args.join(' '), run.status]).toEqual([args.join(' '), 2]);
      expectOneLine(run.stderr, message);
    }
    // The ISA is checked only where the native engine loads.
    const native = BACKENDS.includes('native');
    const variables: [Record<string, string>, RegExp][] = [
      ...(native
        ? ([
            [{ DELTAPROP_ISA: 'bogus' }, /^deltaprop: DELTAPROP_ISA: 'bogus' was requested/],
            [{ DELTAPROP_ISA: `a${ESC}[31m\nb` }, /^deltaprop: DELTAPROP_ISA: 'a\\x1b\[31m\\nb' was requested/],
          ] as [Record<string, string>, RegExp][])
        : []),
      [{ DELTAPROP_THREADS: '0' }, /^deltaprop: DELTAPROP_THREADS: expected an integer/],
      [{ DELTAPROP_BACKEND: 'x' }, /^deltaprop: DELTAPROP_BACKEND: expected 'auto', 'native' or 'js', got "x"$/],
    ];
    for (const [env, message] of variables) {
      for (const args of [['info'], ['train', small, '--target', 't']]) {
        const run = cli(args, env);
        expect(run.status).toBe(2);
        expectOneLine(run.stderr, message);
      }
    }
  });
});

/** A regression whose validation split holds one row with a huge (finite) input: its squared error, and so the validation loss, is Infinity. */
function hugeValidationRow(): string {
  const next = seededUniform(9);
  const rows = Array.from({ length: 200 }, () => [next(), next()]);
  const targets = rows.map(([a, b]) => 3 * a - b + 0.1 * next());
  // The row the CLI will hold out, by the library's own split with the CLI's seed and fraction.
  const held = trainTestSplit(rows, Float64Array.from(targets), { testFraction: 0.2, seed: 1 }).test.indices[0];
  rows[held][0] = 1e300;
  return `a,b,y\n${rows.map((r, i) => `${r[0]},${r[1]},${targets[i]}`).join('\n')}\n`;
}

describe.each(BACKENDS)('failures after training (%s)', (backend) => {
  const env = { DELTAPROP_BACKEND: backend };

  it('a report the system refuses once trained (a file size limit, as a full disk): one line that says the model was saved, exit 1', () => {
    const out = file(`limited-${backend}.dpm`);
    const report = file(`limited-${backend}.html`);
    const args = ['train', small, '--target', 't', ...quick, '--epochs', '3', '--out', out, '--report', report].map((a) => `'${a}'`).join(' ');
    // 16 KiB: the model (a few hundred bytes) fits, the report (tens of KiB) does not; EFBIG rather than SIGXFSZ, which Node ignores.
    const run = spawnSync('sh', ['-c', `ulimit -f 16 && exec '${process.execPath}' '${BIN}' ${args}`], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
    expect(run.status, run.stderr).toBe(1);
    const last = linesOf(run.stderr).filter((l) => !l.startsWith('  ') && !/rows; predicting|columns:$/.test(l));
    expect(last).toEqual([`deltaprop: ${report}: could not write the report: the file is too large (a limit on file sizes: ulimit -f, or the file system's); the model was saved in ${out}`]);
    expectNoCrash(run.stderr);
    expect(run.stdout).toMatch(/model saved in /);
    expect(run.stdout).not.toMatch(/report:/);
    expect(Network.load(out).columns).toEqual(['a', 'b']);
    expect(existsSync(report)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('a report folder removed during training: one line, the model saved, exit 1', async () => {
    const folder = file(`vanishing-${backend}`);
    mkdirSync(folder, { recursive: true });
    const out = file(`vanishing-${backend}.dpm`);
    const child = spawn(process.execPath, [BIN, 'train', many, '--target', 't', ...quick, '--epochs', '60', '--out', out, '--report', path.join(folder, 'report.html')], {
      cwd: dir,
      env: { ...process.env, ...env },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    let removed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (!removed && chunk.toString().includes('epoch 2/')) {
        removed = true;
        rmSync(folder, { recursive: true, force: true });
      }
    });
    const status = await new Promise((resolve) => child.on('close', resolve));
    expect(removed).toBe(true);
    expect(status, stderr).toBe(1);
    expect(linesOf(stderr).at(-1)).toBe(`deltaprop: ${path.join(folder, 'report.html')}: could not write the report: its folder does not exist (any more); the model was saved in ${out}`);
    expect(existsSync(out)).toBe(true);
  });

  it.runIf(isRoot && existsSync('/sys/kernel'))('a folder the system does not let root write (sysfs): one line after training, the model saved, exit 1', () => {
    const out = file(`sysfs-${backend}.dpm`);
    const run = cli(['train', small, '--target', 't', ...quick, '--epochs', '2', '--out', out, '--report', '/sys/kernel/deltaprop-report.html'], env);
    expect(run.status).toBe(1);
    expect(linesOf(run.stderr).at(-1)).toMatch(
      /^deltaprop: \/sys\/kernel\/deltaprop-report\.html: could not write the report: (permission denied|operation not permitted|the file system is read-only); the model was saved in /,
    );
    expect(existsSync(out)).toBe(true);
  });

  it('a validation row with a huge value: the validation loss is Infinity, and the report shows it (∞, a gap in the chart), exit 0', () => {
    const data = file('huge-value.csv', hugeValidationRow());
    for (const stopping of [
      ['--early-stopping', '0'],
      ['--early-stopping', '3'],
    ]) {
      const out = file(`huge-${backend}.dpm`);
      const report = file(`huge-${backend}.html`);
      const run = cli(['train', data, '--target', 'y', '--layers', '8', '--epochs', '6', ...stopping, '--out', out, '--report', report, '--json'], env);
      expect(run.status, run.stderr).toBe(0);
      const epochs = linesOf(run.stdout)
        .map((l) => JSON.parse(l))
        .filter((l) => 'epoch' in l);
      // JSON has no Infinity: JSON.stringify writes it as null.
      expect(epochs.every((e) => e.validationLoss === null && Number.isFinite(e.loss))).toBe(true);
      const html = readFileSync(report, 'utf8');
      expect(html).toMatch(/validation loss<\/dt><dd>∞</);
      expect(html).toMatch(/data-metric="validationLoss@\d+"><th scope="row">validation loss<\/th><td class="num">∞</);
      // No validation point is drawn: every one is a gap.
      expect(html).not.toMatch(/data-series="validationLoss"/);
      expect(html).toMatch(/data-series="loss" data-epoch="1"/);
      expect(html).not.toMatch(/NaN|Infinity|undefined/);
    }
  });
});

engineIndependent('outputs refused before any work (exit 2, nothing written), and the same failures for export and evaluate', () => {
  const data = file('outputs.csv', classification(100));
  const out = file('outputs.dpm');
  const link = file('outputs-link.html');
  const dataLink = file('outputs-data-link.csv');
  symlinkSync(out, link);
  symlinkSync(data, dataLink);
  mkdirSync(file('sub'), { recursive: true });
  const readOnly = file('read-only');
  mkdirSync(readOnly, { recursive: true });
  chmodSync(readOnly, 0o555);
  const writableAnyway = (() => {
    try {
      writeFileSync(path.join(readOnly, 'probe'), '');
      rmSync(path.join(readOnly, 'probe'));
      return true;
    } catch {
      return false;
    }
  })();

  it.each([
    ["--report at --out's path", ['--out', out, '--report', out], /outputs\.dpm: --report and --out name the same file$/],
    ["--report at --out's path, relatively", ['--out', out, '--report', './sub/../outputs.dpm'], /--report and --out name the same file$/],
    ['--report through a link to --out', ['--out', out, '--report', link], /outputs-link\.html: --report and --out name the same file$/],
    ['--report at the data file', ['--out', out, '--report', data], /outputs\.csv: --report names the data file, which writing it would overwrite$/],
    ['--out at the data file', ['--out', data], /outputs\.csv: --out names the data file, which writing it would overwrite$/],
    ['--out through a link to the data file', ['--out', dataLink], /outputs-data-link\.csv: --out names the data file/],
    ['--report in a folder that does not exist', ['--out', out, '--report', 'nowhere/report.html'], /nowhere\/report\.html: --report: there is no folder .*nowhere$/],
    ['--out in a folder that does not exist', ['--out', 'nowhere/model.dpm'], /--out: there is no folder /],
    ['--out at a folder', ['--out', 'sub'], /sub: --out: "sub" is a directory/],
    ['--report at a device', ['--out', out, '--report', '/dev/null'], /\/dev\/null: --report: "\/dev\/null" is a character device/],
  ])('%s', (_, extra, message) => {
    // A file at --out's path, which a refused run leaves as it was (and through which a link leads to it).
    writeFileSync(out, 'sentinel');
    const before = readFileSync(data, 'utf8');
    const run = cli(['train', data, '--target', 't', ...quick, '--epochs', '2', ...(extra as string[])]);
    expect(run.status).toBe(2);
    expectOneLine(run.stderr, message as RegExp);
    expect(run.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe('sentinel');
    expect(readFileSync(data, 'utf8')).toBe(before);
  });

  it('--out may be the model --resume continues', () => {
    const resumed = file('resumed.dpm');
    expect(cli(['train', data, '--target', 't', ...quick, '--epochs', '1', '--out', resumed]).status).toBe(0);
    const run = cli(['train', data, '--target', 't', '--epochs', '1', '--resume', resumed, '--out', resumed]);
    expect(run.status, run.stderr).toBe(0);
    const report = cli(['train', data, '--target', 't', '--epochs', '1', '--resume', resumed, '--out', out, '--report', resumed]);
    expect(report.status).toBe(2);
    expectOneLine(report.stderr, /resumed\.dpm: --report names the model --resume continues/);
  });

  it.runIf(!writableAnyway)('a folder that may not be written: refused before training', () => {
    rmSync(out, { force: true });
    const run = cli(['train', data, '--target', 't', '--out', out, '--report', path.join(readOnly, 'r.html')]);
    expect(run.status).toBe(2);
    expectOneLine(run.stderr, /--report: the folder .*read-only may not be written \(permission denied\)$/);
    expect(existsSync(out)).toBe(false);
  });

  it('export --onnx and evaluate --report: refused before (exit 2) or failed after (exit 1), one line each', () => {
    const onnxOverModel = cli(['export', model, '--onnx', model]);
    expect(onnxOverModel.status).toBe(2);
    expectOneLine(onnxOverModel.stderr, /shared\.dpm: --onnx names the model, which writing it would overwrite$/);
    expect(Network.load(model).columns).toEqual(['a', 'b']);
    const noFolder = cli(['export', model, '--onnx', 'nowhere/m.onnx']);
    expect(noFolder.status).toBe(2);
    expectOneLine(noFolder.stderr, /--onnx: there is no folder/);
    const limited = (args: string[]) => spawnSync('sh', ['-c', `ulimit -f 1 && exec '${process.execPath}' '${BIN}' ${args.map((a) => `'${a}'`).join(' ')}`], { cwd: dir, encoding: 'utf8' });
    const onnx = limited(['export', model, '--onnx', file('big.onnx')]);
    expect(onnx.status).toBe(1);
    expectOneLine(onnx.stderr, /big\.onnx: could not write the ONNX file: the file is too large/);
    const evaluate = limited(['evaluate', model, small, '--report', file('evaluate.html')]);
    expect(evaluate.status).toBe(1);
    expectOneLine(evaluate.stderr, /evaluate\.html: could not write the report: the file is too large/);
    expect(evaluate.stdout).toMatch(/^rows 600$/m);
    const overData = cli(['evaluate', model, small, '--report', small]);
    expect(overData.status).toBe(2);
    expectOneLine(overData.stderr, /small\.csv: --report names the data file/);
  });
});

describe.each(BACKENDS)('training that diverges in the CLI on %s', (backend) => {
  it('exit 2, one line counting epochs from 1 that names the flag to change, and the model file there before untouched', () => {
    const data = file(`diverge-${backend}.csv`, `a,b,y\n${Array.from({ length: 200 }, (_, i) => `${Math.sin(i)},${Math.cos(i)},${(1000 * Math.sin(3 * i)).toFixed(3)}`).join('\n')}\n`);
    const out = file(`diverge-${backend}.dpm`, 'a model from before');
    const run = cli(['train', data, '--target', 'y', '--optimizer', 'sgd', '--learning-rate', '1000000', '--epochs', '3', '--out', out], { DELTAPROP_BACKEND: backend });
    expect(run.status).toBe(2);
    const lines = run.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('deltaprop: columns') && !/^deltaprop: .*rows; predicting/.test(l) && !/^ {2}\S/.test(l));
    expect(lines.length, run.stderr).toBe(1);
    expect(lines[0]).toMatch(/: training diverged in epoch 1, minibatch \d+ \(.*\): lower --learning-rate \(it was 1000000\) and train again; nothing was saved; .*diverge-\w+\.dpm is as it was$/);
    expect(run.stderr).not.toMatch(/internal error|^\s+at /m);
    expect(readFileSync(out, 'utf8')).toBe('a model from before');
  });
});

describe.each(BACKENDS)('a learning rate that saturates the network in the CLI on %s', (backend) => {
  it('trains on, and says once, in one line, which layer stalled and which flag to change', () => {
    const data = file(
      `saturate-${backend}.csv`,
      `a,b,c,d,y\n${Array.from({ length: 96 }, (_, i) => `${Math.sin(i)},${Math.cos(i)},${Math.sin(2 * i)},${(i % 3) - 1},${(Math.sin(i) + Math.cos(i)).toFixed(4)}`).join('\n')}\n`,
    );
    // A regression (an identity output, which cannot saturate) with tanh layers that do, at a learning rate of 1.
    const run = cli(
      [
        'train',
        data,
        '--target',
        'y',
        '--layers',
        '16,16',
        '--activation',
        'tanh',
        '--optimizer',
        'sgd',
        '--learning-rate',
        '1',
        '--batch-size',
        '16',
        '--epochs',
        '4',
        '--early-stopping',
        '0',
        '--out',
        file(`saturate-${backend}.dpm`),
      ],
      { DELTAPROP_BACKEND: backend },
    );
    expect(run.status, run.stderr).toBe(0);
    const warnings = run.stderr.split('\n').filter((l) => l.startsWith('deltaprop: warning'));
    expect(warnings.length).toBeGreaterThan(0);
    for (const w of warnings)
      expect(w).toMatch(
        /^deltaprop: warning after epoch \d+: layer \d+'s tanh units are saturated .*: their gradients vanish and training stalls; train again with a smaller --learning-rate \(this epoch's was 1\)$/,
      );
    expect(new Set(warnings.map((w) => w.match(/layer (\d+)/)![1])).size).toBe(warnings.length);
  });
});
