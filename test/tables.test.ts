// Table networks beyond the user-facing promises (test/spec-tables.test.ts
// checks those): the schema as a file holds it (hostile edits refused with
// errors naming the part), streamed fits of table rows, a second adapt,
// what a table network refuses before it is built, class labels of plain
// networks, and fit's metrics and monitors with weights.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltapropError, Network } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { seededUniform } from './helpers/data.js';
import { errorOf } from './helpers/errors.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const dir = mkdtempSync(path.join(tmpdir(), 'deltaprop-tables-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Row = { size: number | null; colour: string | null; weight: number };

function table(rows: number, seed: number): { X: Row[]; y: string[] } {
  const next = seededUniform(seed);
  const X: Row[] = [];
  const y: string[] = [];
  for (let i = 0; i < rows; i++) {
    const size = next() < 0.1 ? null : 10 * next();
    const colour = next() < 0.05 ? null : ['red', 'green', 'blue', 'grey'][Math.floor(4 * next())];
    const weight = next();
    X.push({ size, colour, weight });
    y.push((size ?? 5) + (colour === 'red' ? 3 : 0) > 6 ? 'big' : 'small');
  }
  return { X, y };
}

const options = (backend: 'js' | 'native') => ({
  columns: ['size', { name: 'colour', kind: 'categorical' as const }, 'weight'],
  classes: ['big', 'small'],
  layers: [
    { units: 6, activation: 'tanh' as const },
    { units: 2, activation: 'softmax' as const },
  ],
  loss: 'cross-entropy' as const,
  inputScaling: 'standard' as const,
  seed: 11,
  backend,
});

describe.each(BACKENDS)('table networks on %s', (backend) => {
  const { X, y } = table(200, 3);

  it('before its columns are learned it has no width: inputs, params, predict, save and toJSON say to adapt or fit', () => {
    const net = new Network(options(backend));
    for (const call of [() => net.inputs, () => net.params, () => net.predict(X), () => net.toJSON(), () => net.save(path.join(dir, 'never.dpm'))]) {
      const e = errorOf(call);
      expect(e).toBeInstanceOf(DeltapropError);
      expect(e.message).toMatch(/adapt\(rows\) or fit it first/);
    }
    expect(net.schema).toBeNull();
    expect(net.columns).toEqual(['size', 'colour', 'weight']);
  });

  it('inputs with columns is refused; a schema gives the width, and inputs must agree with it', () => {
    expect(errorOf(() => new Network({ ...options(backend), inputs: 6 } as never)).message).toMatch(/^options\.inputs: leave it out with options\.columns/);
    const net = new Network(options(backend));
    net.adapt(X);
    const twin = new Network({ schema: net.schema!, layers: options(backend).layers, loss: 'cross-entropy' });
    expect(twin.inputs).toBe(net.inputs);
    expect(twin.columns).toEqual(net.columns);
    expect(errorOf(() => new Network({ schema: net.schema!, inputs: 5, layers: options(backend).layers, loss: 'cross-entropy' })).message).toBe(
      `options.inputs: expected ${net.inputs} (the width of options.schema's encoded columns), got 5`,
    );
  });

  it('a second adapt keeps the categories (the width the weights depend on) and relearns the numeric fills', () => {
    const net = new Network(options(backend));
    net.adapt(X);
    const first = net.schema!;
    const shifted = X.map((r) => ({ ...r, size: r.size === null ? null : r.size + 100, colour: 'violet' }));
    net.adapt(shifted);
    expect(net.schema!.columns[1]).toEqual(first.columns[1]);
    const fill = (net.schema!.columns[0] as { fill: number }).fill;
    expect(fill).toBeCloseTo((first.columns[0] as { fill: number }).fill + 100, 10);
    expect(net.scaling!.shift[0]).toBeCloseTo(fill, 10);
  });

  it('save/load and toJSON/fromJSON keep columns, schema, classes and scaling; predictions equal to the bit, and training goes on identically', () => {
    const net = new Network(options(backend));
    net.fitSync(X, y, { epochs: 3, batchSize: 16, optimizer: 'adam', learningRate: 0.01 });
    const file = path.join(dir, `table-${backend}.dpm`);
    net.save(file);
    for (const copy of [Network.load(file, { backend }), Network.fromJSON(JSON.stringify(net.toJSON()), { backend })]) {
      expect(copy.schema).toEqual(net.schema);
      expect(copy.classes).toEqual(net.classes);
      expect(copy.columns).toEqual(net.columns);
      expect(copy.predict(X).data).toEqual(net.predict(X).data);
      copy.fitSync(X, y, { epochs: 2, batchSize: 16, optimizer: 'adam', learningRate: 0.01 });
    }
    const a = Network.load(file, { backend });
    a.fitSync(X, y, { epochs: 2, batchSize: 16, optimizer: 'adam', learningRate: 0.01 });
    net.fitSync(X, y, { epochs: 2, batchSize: 16, optimizer: 'adam', learningRate: 0.01 });
    expect(a.params).toEqual(net.params);
  });

  it('a file whose schema was edited is refused, naming the part', () => {
    const net = new Network(options(backend));
    net.fitSync(X, y, { epochs: 1 });
    const json = net.toJSON();
    const edit = (change: (config: Record<string, Any>) => void) => {
      const copy = JSON.parse(JSON.stringify(json));
      change(copy.config);
      return errorOf(() => Network.fromJSON(copy));
    };
    expect(
      edit((c) => {
        c.schema.columns[1].categories.reverse();
      }).message,
    ).toMatch(/^json\.config\.schema\.columns\[1\]\.categories\[1\]: expected categories distinct and in order/);
    expect(
      edit((c) => {
        c.schema.columns[1].categories.push('zzz');
      }).message,
    ).toMatch(/^json\.config\.inputs: expected 7 \(the width of options\.schema's encoded columns\), got 6$/);
    expect(
      edit((c) => {
        c.schema.columns[0].fill = 'x';
      }).message,
    ).toMatch(/^json\.config\.schema\.columns\[0\]\.fill: expected a finite number/);
    expect(
      edit((c) => {
        c.schema.columns[2].kind = 'text';
      }).message,
    ).toMatch(/^json\.config\.schema\.columns\[2\]\.kind: expected one of/);
    expect(
      edit((c) => {
        c.classes = ['big'];
      }).message,
    ).toMatch(/^json\.config\.classes: expected 2 class labels/);
    expect(
      edit((c) => {
        c.columns[0].name = 'length';
      }).message,
    ).toMatch(/must be the same columns/);
    expect(
      edit((c) => {
        delete c.schema;
      }).message,
    ).toMatch(/^json\.config\.schema: expected the schema a table network learned/);
  });

  it('a streamed fit of object rows trains as the same rows in memory (no shuffling), once adapted; without adapt it says to adapt', async () => {
    const a = new Network(options(backend));
    const b = new Network(options(backend));
    a.adapt(X);
    b.adapt(X);
    const fit = { epochs: 2, batchSize: 10, shuffle: false, optimizer: 'adam' as const, learningRate: 0.01 };
    a.fitSync(X, y, fit);
    await b.fit(() => [0, 50, 100, 150].map((at) => ({ inputs: X.slice(at, at + 50), targets: y.slice(at, at + 50) })), fit);
    expect(b.params).toEqual(a.params);
    const unbuilt = new Network(options(backend));
    expect(errorOf(() => unbuilt.fitSync(() => [{ inputs: X, targets: y }], fit)).message).toMatch(/adapt\(rows\) or fit it first/);
  });

  it('rows of a built network: an unknown key is ignored, a missing key or a text in a numeric column is an error naming the row and column', () => {
    const net = new Network(options(backend));
    net.adapt(X);
    const row = { size: 2, colour: 'red', weight: 0.5 };
    expect(net.predict([{ ...row, extra: 'x' }]).data).toEqual(net.predict([row]).data);
    expect(errorOf(() => net.predict([row, { size: 1, colour: 'red' }])).message).toBe('inputs[1]: has no key "weight" (one of the network\'s columns; give null for a missing value)');
    expect(errorOf(() => net.predict([row, { ...row, size: '4' }])).message).toBe('inputs[1].size: expected a number or a missing value in numeric column "size", got "4"');
    expect(errorOf(() => net.predict([[2, 'red']])).message).toMatch(/^inputs\[0\]: expected 3 values \(one per column/);
    expect(errorOf(() => net.predict([{ ...row, colour: { name: 'red' } }])).message).toMatch(/^inputs\[0\]\.colour: expected a category/);
  });
});

describe.each(BACKENDS)('class labels, weights and metrics in fit on %s', (backend) => {
  const next = seededUniform(17);
  const X = Array.from({ length: 120 }, () => [next() * 2 - 1, next() * 2 - 1]);
  const words = X.map(([a, b]) => (a + b > 0 ? 'yes' : 'no'));

  it('a plain network learns its labels from text targets, and keeps taking numbers as class indices otherwise', () => {
    const layers = [{ units: 2, activation: 'softmax' as const }];
    const labelled = new Network({ inputs: 2, layers, loss: 'cross-entropy', seed: 1, backend });
    labelled.fitSync(X, words, { epochs: 2 });
    expect(labelled.classes).toEqual(['no', 'yes']);
    const indexed = new Network({ inputs: 2, layers, loss: 'cross-entropy', seed: 1, backend });
    indexed.fitSync(
      X,
      words.map((w) => (w === 'yes' ? 1 : 0)),
      { epochs: 2 },
    );
    expect(indexed.classes).toBeNull();
    expect(indexed.params).toEqual(labelled.params);
    expect(indexed.predictClasses(X.slice(0, 3))).toEqual(labelled.predictClasses(X.slice(0, 3)).map((l) => (l === 'yes' ? 1 : 0)));
    expect(errorOf(() => labelled.evaluate(X.slice(0, 2), ['yes', 'maybe'])).message).toBe('targets[1]: "maybe" is not one of the network\'s classes ("no", "yes")');
  });

  it("with sampleWeight the epoch loss is the weighted mean, and history's metrics are unweighted", () => {
    const net = new Network({ inputs: 2, layers: [{ units: 2, activation: 'softmax' }], loss: 'cross-entropy', seed: 2, backend });
    const w = X.map((_, i) => (i % 3) + 0.5);
    const before = new Network({ inputs: 2, layers: [{ units: 2, activation: 'softmax' }], loss: 'cross-entropy', seed: 2, backend, classes: ['no', 'yes'] });
    // One full batch, taken before its step: the epoch's loss is evaluate()'s weighted loss before training.
    const h = net.fitSync(X, words, { epochs: 1, batchSize: 1000, sampleWeight: w, metrics: ['accuracy'], learningRate: 0.1 });
    expect(h.loss[0]).toBeCloseTo(before.evaluate(X, words, { sampleWeight: w }).loss, 12);
    const predicted = net.predictClasses(X);
    expect(h.metrics!.accuracy![0]).toBe(predicted.filter((p, i) => p === words[i]).length / X.length);
  });

  it("early stopping on a metric keeps the epoch with its best value, in the metric's direction", () => {
    const make = () =>
      new Network({
        inputs: 2,
        layers: [
          { units: 4, activation: 'tanh' },
          { units: 2, activation: 'softmax' },
        ],
        loss: 'cross-entropy',
        seed: 5,
        backend,
      });
    for (const [monitor, better] of [
      ['validationLogLoss', Math.min],
      ['validationAuc', Math.max],
      ['validationF1', Math.max],
    ] as const) {
      const net = make();
      const metric = monitor === 'validationLogLoss' ? 'logLoss' : monitor === 'validationAuc' ? 'auc' : 'f1';
      const h = net.fitSync(X, words, { epochs: 25, learningRate: 0.5, momentum: 0.9, validationSplit: 0.25, metrics: [metric], earlyStopping: { monitor, patience: 25 } });
      const series = h.validationMetrics![metric]!;
      // The first epoch reaching the best value is kept (a later tie is no improvement).
      expect(h.bestEpoch).toBe(series.indexOf(better(...series)));
      const validation = { inputs: X.slice(90), targets: words.slice(90) };
      expect(net.evaluate(validation.inputs, validation.targets, { metrics: [metric] }).metrics![metric]).toBeCloseTo(series[h.bestEpoch!], 12);
    }
  });

  it('monitors and metrics that do not fit are refused, naming the option', () => {
    const net = new Network({ inputs: 2, layers: [{ units: 2, activation: 'softmax' }], loss: 'cross-entropy', seed: 5, backend });
    expect(errorOf(() => net.fitSync(X, words, { metrics: ['r2'] })).message).toMatch(/^options\.metrics\[0\]: 'r2' measures a regression/);
    expect(errorOf(() => net.fitSync(X, words, { earlyStopping: { monitor: 'validationF1' }, validationSplit: 0.2 })).message).toMatch(
      /^options\.earlyStopping\.monitor: 'validationF1' needs 'f1' in options\.metrics/,
    );
    expect(errorOf(() => net.fitSync(X, words, { metrics: ['f1'], earlyStopping: { monitor: 'validationF1' } })).message).toMatch(
      /^options\.earlyStopping\.monitor: 'validationF1' needs validation data/,
    );
    expect(errorOf(() => net.fitSync(X, words, { sampleWeight: X.map(() => 0) })).message).toBe('options.sampleWeight: every weight is 0: there is nothing to train on');
    expect(errorOf(() => net.fitSync(X, words, { classWeight: { yes: 2, maybe: 1 } })).message).toMatch(/^options\.classWeight\["maybe"\]: is not a class of this network/);
  });
});

describe('a table network of numeric columns without gaps is a plain network', () => {
  it.each(BACKENDS)('on %s: same parameters after training, to the bit', (backend) => {
    const next = seededUniform(23);
    const rows = Array.from({ length: 60 }, () => [next() * 4, next() - 0.5, 10 * next()]);
    const t = rows.map(([a, b, c]) => [a * b - c / 10]);
    const layers = [
      { units: 5, activation: 'tanh' as const },
      { units: 1, activation: 'identity' as const },
    ];
    const plain = new Network({ inputs: 3, layers, inputScaling: 'standard', seed: 8, backend });
    const table = new Network({ columns: ['a', 'b', 'c'], layers, inputScaling: 'standard', seed: 8, backend });
    const fit = { epochs: 3, batchSize: 7, optimizer: 'adam' as const, learningRate: 0.01 };
    plain.fitSync(rows, t, fit);
    table.fitSync(
      rows.map(([a, b, c]) => ({ a, b, c })),
      t,
      fit,
    );
    expect(table.params).toEqual(plain.params);
    expect(table.scaling).toEqual(plain.scaling);
  });
});

it('a saved table network file holds the schema in its header', () => {
  const net = new Network({ columns: ['x', 'k'], layers: [{ units: 2, activation: 'softmax' }], loss: 'cross-entropy', seed: 1 });
  net.fitSync(
    [
      { x: 1, k: 'a' },
      { x: 2, k: 'b' },
    ],
    ['p', 'q'],
    { epochs: 1 },
  );
  const file = path.join(dir, 'header.dpm');
  net.save(file);
  const bytes = readFileSync(file);
  const header = JSON.parse(bytes.subarray(16, 16 + bytes.readUInt32LE(12)).toString('utf8'));
  expect(header.config.schema.columns[1]).toEqual({ name: 'k', kind: 'categorical', categories: ['a', 'b'], other: false, unknown: 'ignore' });
  expect(header.config.classes).toEqual(['p', 'q']);
  writeFileSync(file, bytes);
});
