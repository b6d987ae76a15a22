// The deltaprop command end to end, as a user runs it (bin/deltaprop.js over
// the built dist/), on generated CSV files: train, evaluate, predict, export,
// info; progress output in each mode; Ctrl-C; and one line with exit status 2
// for every kind of bad input. Expected figures are computed here through the
// library's API from the saved model, never taken from the CLI's own output.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Network } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { BIN, cliWorkspace } from './helpers/cli.js';
import { seededUniform } from './helpers/data.js';

const ROOT = path.resolve(__dirname, '..');
const { dir, file, cli } = cliWorkspace('deltaprop-cli-');

// Three classes with text names, from two features and a distractor column of text.
const uniform = seededUniform(41);
const next = () => 2 * uniform() - 1; // in [-1, 1)
const rows: string[] = ['width,height,colour,kind'];
for (let i = 0; i < 400; i++) {
  const w = 2 * next();
  const h = 2 * next();
  const kind = w + h < -0.5 ? 'small' : w - h > 0.3 ? 'wide, flat' : 'tall';
  rows.push(`${w.toFixed(4)},${h.toFixed(4)},${['red', 'blue'][i % 2]},"${kind}"`);
}
const shapes = file('shapes.csv', `${rows.join('\n')}\n`);
// A regression in a large unit, so an unscaled target would train badly.
const houses = ['area,age,price'];
for (let i = 0; i < 300; i++) {
  const area = 30 + 170 * Math.abs(next());
  const age = Math.floor(80 * Math.abs(next()));
  houses.push(`${area.toFixed(1)},${age},${Math.round(50000 + 3000 * area - 700 * age + 5000 * next())}`);
}
const housing = file('houses.csv', `${houses.join('\n')}\n`);

function parseCsv(text: string): string[][] {
  // Enough for what predict writes: fields quoted only when they hold a comma or quote.
  return text
    .trim()
    .split('\n')
    .map((line) =>
      line
        .match(/("([^"]|"")*"|[^,]*)(,|$)/g)!
        .filter((f) => f !== '')
        .map((f) => {
          const field = f.endsWith(',') ? f.slice(0, -1) : f;
          return field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field;
        }),
    );
}

/** The rows of a CSV (numbers where a cell is one, the text otherwise) for the columns given, and the target column as text, read here independently of the CLI. */
function columns(csvFile: string, features: string[], target: string) {
  const [header, ...data] = parseCsv(readFileSync(csvFile, 'utf8'));
  const at = features.map((f) => header.indexOf(f));
  const cell = (text: string) => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text);
  return { inputs: data.map((r) => at.map((i) => cell(r[i]))), targets: data.map((r) => r[header.indexOf(target)]) };
}

const SHAPE_COLUMNS = ['width', 'height', 'colour'];
const SHAPE_CLASSES = ['small', 'tall', 'wide, flat'];

describe.each(BACKENDS)('deltaprop train, evaluate, predict, export on %s', (backend) => {
  const env = { DELTAPROP_BACKEND: backend };
  const model = file(`shapes-${backend}.dpm`);

  it('train --json: the columns it uses, one object per epoch (from 1), then a summary; the model keeps its columns and classes', () => {
    const run = cli(['train', shapes, '--target', 'kind', '--layers', '16', '--epochs', '12', '--learning-rate', '0.02', '--early-stopping', '0', '--out', model, '--json'], env);
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0].schema).toMatchObject({ task: 'classification', target: 'kind', classes: SHAPE_CLASSES });
    expect(lines[0].schema.columns.map((c: { name: string; kind: string }) => [c.name, c.kind])).toEqual([
      ['width', 'numeric'],
      ['height', 'numeric'],
      ['colour', 'categorical'],
    ]);
    const epochs = lines.filter((l) => 'epoch' in l);
    expect(epochs.map((l) => l.epoch)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    for (const e of epochs) {
      expect(Number.isFinite(e.loss) && Number.isFinite(e.validationLoss) && e.accuracy >= 0 && e.accuracy <= 1).toBe(true);
      expect(e.samplesPerSecond).toBeGreaterThan(0);
    }
    const { summary } = lines.at(-1);
    expect(summary).toMatchObject({ model, task: 'classification', rows: 400, trainRows: 320, validationRows: 80, epochs: 12, interrupted: false, backend });
    expect(run.stderr).toMatch(/colour +categorical +2 categories \(blue, red\)/);
    const net = Network.load(model);
    expect(net.metadata).toMatchObject({ cli: { task: 'classification', target: 'kind', settings: { optimizer: 'adam', learningRate: 0.02, batchSize: 32 } } });
    expect(net.columns).toEqual(SHAPE_COLUMNS);
    expect(net.classes).toEqual(SHAPE_CLASSES);
    expect(net.inputScaling).toBe('standard');
    expect(net.layers.map((l) => [l.fanOut, l.activation])).toEqual([
      [16, 'relu'],
      [3, 'softmax'],
    ]);
    expect(summary.metrics.accuracy).toBeGreaterThan(0.85);
  });

  it("evaluate: accuracy, each class's precision, recall and F1, and the confusion matrix, as the saved model computes them", () => {
    const run = cli(['evaluate', model, shapes, '--json'], env);
    expect(run.status, run.stderr).toBe(0);
    const reported = JSON.parse(run.stdout);
    const net = Network.load(model, { backend });
    const { inputs, targets } = columns(shapes, SHAPE_COLUMNS, 'kind');
    const predicted = net.predictClasses(inputs);
    const counts = SHAPE_CLASSES.map(() => SHAPE_CLASSES.map(() => 0));
    targets.forEach((t, r) => counts[SHAPE_CLASSES.indexOf(t)][SHAPE_CLASSES.indexOf(predicted[r] as string)]++);
    expect(reported.confusion).toEqual({ labels: SHAPE_CLASSES, counts });
    const correct = counts.reduce((a, row, i) => a + row[i], 0);
    expect(reported.accuracy).toBe(correct / 400);
    SHAPE_CLASSES.forEach((c, k) => {
      const tp = counts[k][k];
      const predictedK = counts.reduce((a, row) => a + row[k], 0);
      const actualK = counts[k].reduce((a, b) => a + b, 0);
      const precision = tp / predictedK;
      const recall = tp / actualK;
      expect(reported.classes[k]).toMatchObject({ label: c, support: actualK });
      expect(reported.classes[k].precision).toBeCloseTo(precision, 12);
      expect(reported.classes[k].recall).toBeCloseTo(recall, 12);
      expect(reported.classes[k].f1).toBeCloseTo((2 * precision * recall) / (precision + recall), 12);
    });
    const macroF1 = reported.classes.reduce((a: number, c: { f1: number }) => a + c.f1, 0) / 3;
    expect(reported.macro.f1).toBeCloseTo(macroF1, 12);
    expect(reported.loss).toBeCloseTo(net.evaluate(inputs, targets).loss, 12);
    const text = cli(['evaluate', model, shapes], env);
    expect(text.stdout).toMatch(/confusion matrix/);
    expect(text.stdout).toMatch(/^class +precision +recall +F1 +support$/m);
    expect(text.stdout).toMatch(/^macro avg /m);
    expect(text.stdout).toContain('wide, flat');
  });

  it("predict: a CSV of the class names; --proba adds each class's probability, --json one object a row", () => {
    const plain = parseCsv(cli(['predict', model, shapes], env).stdout);
    const run = cli(['predict', model, shapes, '--proba'], env);
    expect(run.status, run.stderr).toBe(0);
    const [header, ...out] = parseCsv(run.stdout);
    expect(header).toEqual(['kind', 'P(small)', 'P(tall)', 'P(wide, flat)']);
    expect(plain[0]).toEqual(['kind']);
    expect(out.length).toBe(400);
    const net = Network.load(model, { backend });
    const { inputs } = columns(shapes, SHAPE_COLUMNS, 'kind');
    const expected = net.predictProba(inputs);
    const classes = net.predictClasses(inputs);
    out.forEach((row, r) => {
      row
        .slice(1)
        .map(Number)
        .forEach((x, j) => expect(x).toBe(expected.data[3 * r + j]));
      expect(row[0]).toBe(classes[r]);
      expect(plain[r + 1]).toEqual([classes[r]]);
    });
    const json = cli(['predict', model, shapes, '--json', '--proba'], env)
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(json.length).toBe(400);
    expect(json[7]).toEqual({ kind: classes[7], probabilities: { small: expected.data[21], tall: expected.data[22], 'wide, flat': expected.data[23] } });
  });

  it("predict reads the model's columns by name, in any order, without the target", () => {
    const [header, ...data] = parseCsv(readFileSync(shapes, 'utf8'));
    const order = ['colour', 'height', 'width'];
    const reordered = file(
      'reordered.csv',
      `${order.join(',')}\n${data
        .slice(0, 5)
        .map((r) => order.map((c) => r[header.indexOf(c)]).join(','))
        .join('\n')}\n`,
    );
    const a = parseCsv(cli(['predict', model, reordered, '--proba'], env).stdout);
    const b = parseCsv(cli(['predict', model, shapes, '--proba'], env).stdout);
    expect(a).toEqual(b.slice(0, 6));
  });

  it("regression: the model predicts in the target's own unit; evaluate's RMSE, MAE and R² match", () => {
    const out = file(`houses-${backend}.dpm`);
    const run = cli(['train', housing, '--target', 'price', '--epochs', '60', '--out', out], env);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/validation R² \S+, RMSE/);
    const net = Network.load(out, { backend });
    expect(net.metadata).toMatchObject({ cli: { task: 'regression', target: 'price' } });
    expect(net.columns).toEqual(['area', 'age']);
    const { inputs, targets } = columns(housing, ['area', 'age'], 'price');
    const predicted = net.predict(inputs).data;
    const t = targets.map(Number);
    const mean = t.reduce((a, b) => a + b) / t.length;
    const sse = t.reduce((s, y, r) => s + (predicted[r] - y) ** 2, 0);
    const reported = JSON.parse(cli(['evaluate', out, housing, '--json'], env).stdout);
    expect(reported.rmse).toBeCloseTo(Math.sqrt(sse / t.length), 6);
    expect(reported.mae).toBeCloseTo(t.reduce((s, y, r) => s + Math.abs(predicted[r] - y), 0) / t.length, 6);
    expect(reported.r2).toBeCloseTo(1 - sse / t.reduce((s, y) => s + (y - mean) ** 2, 0), 9);
    expect(reported.r2).toBeGreaterThan(0.9);
    const [, ...rows] = parseCsv(cli(['predict', out, housing], env).stdout);
    rows.forEach((row, r) => expect(Number(row[0])).toBe(predicted[r]));
  });

  it("export --onnx: a file ONNX Runtime runs, with predict's outputs, one input per column", async () => {
    const onnx = file(`shapes-${backend}.onnx`);
    const run = cli(['export', model, '--onnx', onnx], env);
    expect(run.status, run.stderr).toBe(0);
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(readFileSync(onnx));
    const { inputs } = columns(shapes, SHAPE_COLUMNS, 'kind');
    const feeds = {
      width: new ort.Tensor(
        'float64',
        Float64Array.from(inputs, (r) => r[0] as number),
        [400, 1],
      ),
      height: new ort.Tensor(
        'float64',
        Float64Array.from(inputs, (r) => r[1] as number),
        [400, 1],
      ),
      colour: new ort.Tensor(
        'string',
        inputs.map((r) => String(r[2])),
        [400, 1],
      ),
    };
    const result = await session.run(feeds);
    const net = Network.load(model, { backend });
    const expected = net.predict(inputs).data;
    const got = result.output.data as Float64Array;
    expect(got.length).toBe(expected.length);
    got.forEach((x, i) => expect(Math.abs(x - expected[i])).toBeLessThan(1e-12));
    expect(Array.from(result.label.data as string[])).toEqual(net.predictClasses(inputs));
  });
});

describe('deltaprop progress output', () => {
  it('not a terminal: one plain line per epoch', () => {
    const run = cli(['train', shapes, '--target', 'kind', '--epochs', '5', '--early-stopping', '0', '--out', file('plain.dpm')]);
    expect(run.status, run.stderr).toBe(0);
    const epochs = run.stdout.split('\n').filter((l) => l.startsWith('epoch '));
    expect(epochs.length).toBe(5);
    epochs.forEach((line, i) => expect(line).toMatch(new RegExp(`^epoch ${i + 1}/5 loss \\S+ val_loss \\S+ acc \\S+ val_acc \\S+ samples/s \\d+$`)));
    expect(run.stdout).toMatch(/model saved in .*plain\.dpm/);
  });

  it.runIf(spawnSync('script', ['--version']).status === 0)('a terminal: a progress bar with epoch, minibatch, loss, samples/s and time left', () => {
    // script(1) runs the command on a pseudo-terminal.
    const command = [process.execPath, BIN, 'train', shapes, '--target', 'kind', '--epochs', '3', '--out', file('tty.dpm')].map((a) => `'${a}'`).join(' ');
    const run = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stdout).toBe(0);
    const frames = run.stdout.split(/\r|\n/);
    expect(frames.some((f) => /epoch 3\/3 \[=+\] 10\/10 \| loss \S+ val_loss \S+ acc \S+ val_acc \S+ \| \d+ samples\/s \| \S+ left/.test(f))).toBe(true);
    expect(frames.some((f) => /epoch 1\/3 \[[=-]+\] \d+\/10/.test(f))).toBe(true);
  });

  it('Ctrl-C stops at the next minibatch, saves the model trained so far and says where (exit 130)', async () => {
    const big = ['a,b,label'];
    for (let i = 0; i < 20000; i++) big.push(`${Math.sin(i)},${Math.cos(3 * i)},${Math.sin(i) > Math.cos(3 * i) ? 'yes' : 'no'}`);
    const data = file('interrupt.csv', `${big.join('\n')}\n`);
    const out = file('interrupted.dpm');
    const child = spawn(process.execPath, [BIN, 'train', data, '--target', 'label', '--epochs', '100000', '--out', out], { cwd: dir });
    let stdout = '';
    const sawEpoch = new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('epoch 2/')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await sawEpoch;
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stdout).toMatch(new RegExp(`interrupted after \\d+ epochs .*saved in ${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    const net = Network.load(out);
    expect(net.classes).toEqual(['no', 'yes']);
  }, 120_000);
});

describe('deltaprop on bad input: one line naming file, line and column; exit status 2; no stack trace', () => {
  const cases: [string, string | null, string[], RegExp][] = [
    ['a ragged row (short)', 'a,b,t\n1,2,x\n3,4\n', [], /bad\.csv:3:3: expected 3 fields .* got 2$/],
    ['a ragged row (long)', 'a,b,t\n1,2,x\n3,4,y,5\n', [], /bad\.csv:3:4: expected 3 fields .* got 4$/],
    [
      'a text among the numbers of a column',
      `a,b,t\n${Array.from({ length: 12 }, (_, i) => `${i},${i % 5},${'xy'[i % 2]}`).join('\n')}\n3,oops,y\n`,
      [],
      /bad\.csv:14:2: expected a number in column 'b', got 'oops' \(.*--categorical b/,
    ],
    ['every target missing', 'a,b,t\n1,2,\n3,4,NA\n', [], /bad\.csv: every row's target 't' is missing/],
    ['an unknown column in --features', 'a,b,t\n1,2,x\n3,4,y\n', ['--features', 'a,c'], /bad\.csv: --features names 'c', which is not a column/],
    ['the target in --ignore', 'a,b,t\n1,2,x\n3,4,y\n', ['--ignore', 't'], /bad\.csv: --ignore names the target column 't'/],
    ['a missing target column', 'a,b,c\n1,2,x\n', [], /bad\.csv:1: no column named 't' for the target/],
    ['an empty file', '', [], /bad\.csv: the file is empty/],
    ['a header only', 'a,b,t\n', [], /bad\.csv: has a header row but no data rows$/],
    ['a missing file', null, [], /bad\.csv: no such file$/],
    ['an unclosed quote', 'a,b,t\n1,"2,x\n', [], /bad\.csv:\d+:\d+: not valid CSV/],
    ['a duplicate column name', 'a,a,t\n1,2,x\n', [], /bad\.csv:1:2: column name 'a' appears twice/],
    ['one class only', 'a,b,t\n1,2,x\n3,4,x\n', [], /bad\.csv: the target column 't' holds one class only/],
    ['text in a regression target', 'a,b,t\n1,2,1.5\n3,4,abc\n', ['--task', 'regression'], /bad\.csv:3:3: expected a number in the target column 't', got 'abc'/],
    ['a bad option value', 'a,b,t\n1,2,x\n3,4,y\n', ['--epochs', '0'], /--epochs <n>.*invalid/],
  ];
  it.each(cases)('%s', (_, text, extra, message) => {
    const bad = path.join(dir, 'bad.csv');
    rmSync(bad, { force: true });
    if (text !== null) writeFileSync(bad, text);
    const run = cli(['train', bad, '--target', 't', '--out', file('never.dpm'), ...extra]);
    expect(run.status).toBe(2);
    const lines = run.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('(run deltaprop --help'));
    expect(lines.length, run.stderr).toBe(1);
    expect(lines[0]).toMatch(message);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(file('never.dpm'))).toBe(false);
  });

  it("evaluate and predict: a missing model file, a model's column missing from the data, an unknown class", () => {
    const model = file('bad-model.dpm');
    expect(cli(['train', shapes, '--target', 'kind', '--epochs', '1', '--out', model]).status).toBe(0);
    const missing = cli(['evaluate', file('nope.dpm'), shapes]);
    expect([missing.status, missing.stderr.trim()]).toEqual([2, `deltaprop: ${file('nope.dpm')}: no such file`]);
    const noColumn = cli(['predict', model, file('cols.csv', 'width,depth,colour\n1,2,red\n')]);
    expect(noColumn.status).toBe(2);
    expect(noColumn.stderr.trim()).toMatch(/cols\.csv:1: no column named 'height' that the model reads/);
    const unknown = cli(['evaluate', model, file('unknown.csv', 'width,height,colour,kind\n1,2,red,tall\n0,1,blue,huge\n')]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim()).toMatch(/unknown\.csv:3:4: the target 'kind' is 'huge', not one of the model's classes/);
    const text = cli(['predict', model, file('text.csv', 'width,height,colour\n1,2,red\n0,abc,blue\n')]);
    expect(text.status).toBe(2);
    expect(text.stderr.trim()).toMatch(/text\.csv:3:2: expected a number or a missing value in numeric column "height", got "abc"/);
    const notModel = cli(['predict', shapes, shapes]);
    expect(notModel.status).toBe(2);
    expect(notModel.stderr.trim().split('\n').length).toBe(1);
  });
});

describe('deltaprop info, and the core import path', () => {
  it('info: version, backend, ISA and threads (and --json)', () => {
    const text = cli(['info']);
    expect(text.status).toBe(0);
    const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    expect(text.stdout).toContain(`deltaprop ${version}`);
    const facts = JSON.parse(cli(['info', '--json']).stdout);
    const { backend } = require('../dist/index.js');
    expect(facts).toMatchObject({ version, backend: backend.name, isa: backend.isa, threads: backend.threads, nativeError: backend.nativeError });
    if (backend.name === 'native') expect(text.stdout).toMatch(new RegExp(`ISA: ${backend.isa}`));
    // Whether deltaprop/distributed's addon is built, as the file says.
    expect(facts.mpiAddon.built).toBe(existsSync(facts.mpiAddon.path));
    expect(text.stdout).toContain(facts.mpiAddon.built ? `MPI addon (deltaprop/distributed): built, ${facts.mpiAddon.path}` : 'npm run build:mpi');
  });

  it("require('deltaprop') loads none of the CLI's, the report's or the exporters' dependencies", () => {
    const probe = spawnSync(
      process.execPath,
      [
        '-e',
        `
      require(${JSON.stringify(path.join(ROOT, 'dist/index.js'))});
      const loaded = Object.keys(require.cache).filter((f) => /node_modules[\\\\/](csv-parse|cli-progress|commander|protobufjs)[\\\\/]/.test(f));
      console.log(JSON.stringify(loaded));
    `,
      ],
      { encoding: 'utf8' },
    );
    expect(probe.status, probe.stderr).toBe(0);
    expect(JSON.parse(probe.stdout)).toEqual([]);
  });
});
