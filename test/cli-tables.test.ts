// The command line on tables as they come: which columns train uses and
// says it uses (identifiers and free text left out unless --features names
// them, --ignore, --categorical keeping '01' as written), missing values (NA,
// ?, empty) imputed instead of making a regression a classification, class
// labels written as numbers in several ways read as one, rows with a missing
// target left out, the delimiter found or given, and the flags that reach
// the library (--class-weight, --metrics, --l2, --dropout, --schedule,
// --resume), cv and evaluate --report. Expected figures are computed here
// from the saved models through the API, never from the CLI's own output.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Network } from '../src/index.js';
import { cliWorkspace } from './helpers/cli.js';
import { seededUniform } from './helpers/data.js';

const { file, cli } = cliWorkspace('deltaprop-cli-tables-');

/** A table as users have them: an id, a measurement with gaps, a text category, a free-text note, a price with an NA, a grade written several ways. */
function messyTable(delimiter: string): string {
  const next = seededUniform(5);
  const rows = [['id', 'size', 'colour', 'note', 'price', 'grade'].join(delimiter)];
  for (let i = 0; i < 240; i++) {
    const size = 10 + 90 * next();
    const colour = ['red', 'green', 'blue'][i % 3];
    const price = i === 17 ? 'NA' : String(Math.round(1000 + 30 * size + (colour === 'red' ? 500 : 0) + 40 * next()));
    const grade = size > 55 ? ['2', '2.0'][i % 2] : ['1', '1.0', '01', '+1'][i % 4];
    rows.push([String(1000 + i), i % 40 === 0 ? '?' : size.toFixed(2), colour, `note ${i}`, price, i === 3 ? '' : grade].join(delimiter));
  }
  return `${rows.join('\n')}\n`;
}

const messy = file('messy.csv', messyTable(','));
const quiet = ['--epochs', '3', '--early-stopping', '0'];

describe('deltaprop train on a table as it comes', () => {
  it('says which columns it uses and how, leaves out the id and the free text, and imputes NA and ? instead of making price a classification', () => {
    const out = file('price.dpm');
    const run = cli(['train', messy, '--target', 'price', ...quiet, '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/left out 1 row whose target 'price' is missing \(line 19\)/);
    expect(run.stderr).toMatch(/239 rows; predicting 'price': regression/);
    expect(run.stderr).toMatch(/^ +size +numeric +6 missing, filled with the mean /m);
    expect(run.stderr).toMatch(/^ +colour +categorical +3 categories \(blue, green, red\)/m);
    expect(run.stderr).toMatch(/^ +id +ignored +every row has a different integer: an identifier/m);
    expect(run.stderr).toMatch(/^ +note +ignored +every row has a different text/m);
    const net = Network.load(out);
    expect(net.columns).toEqual(['size', 'colour', 'grade']);
    expect(net.outputs).toBe(1);
    const size = net.schema!.columns[0];
    // The mean of the sizes given, of the training rows (the 80% train keeps, as trainTestSplit picks them with seed 1).
    expect(size).toMatchObject({ kind: 'numeric', impute: 'mean' });
  });

  it('--features uses exactly the columns named (an identifier too); --ignore leaves some out', () => {
    const a = cli(['train', messy, '--target', 'price', ...quiet, '--features', 'id,size', '--out', file('f.dpm')]);
    expect(a.status, a.stderr).toBe(0);
    expect(Network.load(file('f.dpm')).columns).toEqual(['id', 'size']);
    expect(a.stderr).toMatch(/^ +colour +ignored +not among --features/m);
    const b = cli(['train', messy, '--target', 'price', ...quiet, '--ignore', 'grade,colour', '--out', file('i.dpm')]);
    expect(b.status, b.stderr).toBe(0);
    expect(Network.load(file('i.dpm')).columns).toEqual(['size']);
    expect(b.stderr).toMatch(/^ +grade +ignored +--ignore/m);
  });

  it('--categorical reads a column as categories as written (01 stays 01), and predict reads it so too', () => {
    const text = 'code,x,y\n' + Array.from({ length: 60 }, (_, i) => `${['01', '1', '001'][i % 3]},${i % 7},${i % 3 === 0 ? 'a' : 'b'}`).join('\n') + '\n';
    const data = file('codes.csv', text);
    const out = file('codes.dpm');
    const run = cli(['train', data, '--target', 'y', ...quiet, '--categorical', 'code', '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    const net = Network.load(out);
    expect(net.schema!.columns[0]).toMatchObject({ name: 'code', kind: 'categorical', categories: ['001', '01', '1'] });
    expect(net.metadata).toMatchObject({ cli: { textColumns: ['code'] } });
    const predicted = cli(['predict', out, data, '--proba']);
    expect(predicted.status, predicted.stderr).toBe(0);
    const rows = predicted.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').slice(1).map(Number));
    const expected = net.predictProba(Array.from({ length: 60 }, (_, i) => [['01', '1', '001'][i % 3], i % 7]));
    rows.forEach((p, r) => p.forEach((x, j) => expect(x).toBe(expected.data[2 * r + j])));
  });

  it('class labels written 1, 1.0, 01, +1 are one class, and train says so; a row without a label is left out', () => {
    const out = file('grade.dpm');
    const run = cli(['train', messy, '--target', 'grade', ...quiet, '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/class labels that are numbers are read as numbers: '\+1', '01', '1', '1\.0' as 1; '2', '2\.0' as 2/);
    expect(run.stderr).toMatch(/left out 1 row whose target 'grade' is missing \(line 5\)/);
    expect(run.stderr).toMatch(/classification into 2 classes \(1, 2\)/);
    expect(Network.load(out).classes).toEqual([1, 2]);
  });

  it.each([
    [';', 'semicolon'],
    ['\t', 'tab'],
  ])('finds the %s delimiter from the header, and --delimiter gives it', (delimiter) => {
    const data = file(`messy-${delimiter === ';' ? 'semi' : 'tab'}.csv`, messyTable(delimiter));
    const found = cli(['train', data, '--target', 'price', ...quiet, '--out', file('d1.dpm')]);
    expect(found.status, found.stderr).toBe(0);
    const given = cli(['train', data, '--target', 'price', ...quiet, '--delimiter', delimiter === ';' ? ';' : 'tab', '--out', file('d2.dpm')]);
    expect(given.status, given.stderr).toBe(0);
    expect(Network.load(file('d1.dpm')).params).toEqual(Network.load(file('d2.dpm')).params);
    expect(Network.load(file('d1.dpm')).params).toEqual(
      (() => {
        expect(cli(['train', messy, '--target', 'price', ...quiet, '--out', file('d3.dpm')]).status).toBe(0);
        return Network.load(file('d3.dpm')).params;
      })(),
    );
  });

  it('--l2, --dropout, --schedule and --class-weight reach the network and its fit; --metrics add figures to every epoch', () => {
    const out = file('flags.dpm');
    const run = cli([
      'train',
      messy,
      '--target',
      'grade',
      '--epochs',
      '4',
      '--early-stopping',
      '0',
      '--l2',
      '0.001',
      '--dropout',
      '0.25',
      '--schedule',
      'step:0.5:2',
      '--class-weight',
      'balanced',
      '--metrics',
      'f1,auc',
      '--json',
      '--out',
      out,
    ]);
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const epochs = lines.filter((l) => 'epoch' in l);
    expect(epochs.map((e) => e.learningRate)).toEqual([0.001, 0.001, 0.0005, 0.0005]);
    for (const e of epochs) {
      expect(Object.keys(e.metrics)).toEqual(['f1', 'auc']);
      expect(Object.keys(e.validationMetrics)).toEqual(['f1', 'auc']);
      expect(e.validationMetrics.auc).toBeGreaterThanOrEqual(0);
    }
    const net = Network.load(out);
    expect(net.l2).toBe(0.001);
    expect(net.layers.slice(0, -1).every((l, i) => net.toJSON().config.layers[i].dropout === 0.25 && l.activation === 'relu')).toBe(true);
  });

  it('--resume continues a model with its optimizer state: 3 epochs, then 3 more, equal 6 at once to the bit', () => {
    const common = ['--target', 'grade', '--early-stopping', '0', '--validation-split', '0', '--seed', '4'];
    expect(cli(['train', messy, ...common, '--epochs', '6', '--out', file('six.dpm')]).status).toBe(0);
    expect(cli(['train', messy, ...common, '--epochs', '3', '--out', file('three.dpm')]).status).toBe(0);
    const resumed = cli(['train', messy, ...common, '--epochs', '3', '--resume', file('three.dpm'), '--out', file('resumed.dpm')]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/continuing .*three\.dpm/);
    expect(Network.load(file('resumed.dpm')).params).toEqual(Network.load(file('six.dpm')).params);
    const refused = cli(['train', messy, ...common, '--epochs', '1', '--resume', file('three.dpm'), '--layers', '8', '--out', file('x.dpm')]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--layers shapes a new network; --resume continues this one as it is/);
  });
});

describe('deltaprop cv and evaluate --report', () => {
  it("cv: a line per fold, then each figure's mean ± std over the folds (--json gives the same)", () => {
    const run = cli(['cv', messy, '--target', 'grade', '--folds', '4', ...quiet, '--json']);
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const folds = lines.filter((l) => 'fold' in l);
    expect(folds.map((f) => f.fold)).toEqual([1, 2, 3, 4]);
    expect(folds.reduce((n, f) => n + f.testRows, 0)).toBe(239);
    const { summary } = lines.at(-1);
    const accuracies = folds.map((f) => f.figures.accuracy);
    const mean = accuracies.reduce((a, b) => a + b) / 4;
    expect(summary.mean.accuracy).toBeCloseTo(mean, 12);
    expect(summary.std.accuracy).toBeCloseTo(Math.sqrt(accuracies.reduce((a, x) => a + (x - mean) ** 2, 0) / 4), 12);
    const text = cli(['cv', messy, '--target', 'grade', '--folds', '4', ...quiet]);
    expect(text.stdout).toMatch(/^fold 1\/4: accuracy /m);
    expect(text.stdout).toMatch(/classification, 4 folds of 239 rows: accuracy \S+ ± \S+/);
  });

  it("evaluate --report: a page with the test set's figures and confusion matrix", () => {
    const model = file('grade.dpm');
    expect(cli(['train', messy, '--target', 'grade', ...quiet, '--out', model]).status).toBe(0);
    const page = file('test-report.html');
    const run = cli(['evaluate', model, messy, '--report', page, '--json']);
    expect(run.status, run.stderr).toBe(0);
    const figures = JSON.parse(run.stdout);
    const html = readFileSync(page, 'utf8');
    expect(html).toMatch(/Test set/);
    expect(html).toContain(String(figures.rows));
    expect(html).toMatch(/class="confusion"/);
  });
});
