// Row weights and metrics in fit, from the specification only.
//
// - sampleWeight: a fit with integer weights equals a full-batch fit on the
//   rows repeated that many times (weight 0 = absent), for every loss, both
//   reductions, with and without L2, two optimizers; gradients and evaluate
//   likewise; 'mean' is invariant to scaling every weight, 'sum' is not.
// - classWeight: 'balanced' against scikit-learn's compute_sample_weight
//   (test/fixtures/spec/weights.json, from scripts/fixtures/spec-weights.py)
//   and the formula; dictionaries; multiplied with sampleWeight.
// - evaluate(X, T, { sampleWeight, metrics }) against scikit-learn's weighted
//   metrics of networks whose weights are given.
// - history.metrics / validationMetrics against metrics computed here from
//   predict() after each epoch; early stopping and checkpoints monitoring them,
//   against a re-implementation run over a full history, in cases built so a
//   wrong direction would stop at, or keep, a different epoch.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltapropError, Network } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { randomRows, seededUniform } from './helpers/data.js';
import { errorOf } from './helpers/errors.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const dir = mkdtempSync(path.join(tmpdir(), 'deltaprop-spec-weights-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixture = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'spec', 'weights.json'), 'utf8'));

const bits = (a: ArrayLike<number>) => Array.from(a);

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what = '') {
  expect(got.length, what).toBe(want.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i]));
    if (!(e <= worst)) {
      worst = e;
      at = i;
    }
  }
  expect(worst, `${what} worst relative difference at [${at}]: ${got[at]} vs ${want[at]}`).toBeLessThanOrEqual(tol);
}

function repeatRows<T>(rows: ArrayLike<T>, w: number[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < rows.length; i++) for (let k = 0; k < w[i]; k++) out.push(rows[i]);
  return out;
}

function repeatTargets(T: unknown, w: number[]): unknown {
  if (T instanceof Int32Array) return Int32Array.from(repeatRows(T, w));
  if (T instanceof Float64Array) return Float64Array.from(repeatRows(T, w));
  return repeatRows(T as unknown[], w);
}

// ---------------------------------------------------------------------------
// Reference metrics, written here (scikit-learn's definitions).

function classification(yTrue: number[], yPred: number[], k: number) {
  const present = [...new Set([...yTrue, ...yPred])].sort((a, b) => a - b);
  const stats = Array.from({ length: k }, (_, c) => {
    let tp = 0,
      fp = 0,
      fn = 0,
      support = 0;
    for (let i = 0; i < yTrue.length; i++) {
      if (yTrue[i] === c) support++;
      if (yPred[i] === c && yTrue[i] === c) tp++;
      else if (yPred[i] === c) fp++;
      else if (yTrue[i] === c) fn++;
    }
    const p = tp + fp === 0 ? 0 : tp / (tp + fp);
    const r = tp + fn === 0 ? 0 : tp / (tp + fn);
    const f = p + r === 0 ? 0 : (2 * p * r) / (p + r);
    return { p, r, f, support };
  });
  const used = present.map((c) => stats[c]);
  const macro = (key: 'p' | 'r' | 'f') => used.reduce((s, x) => s + x[key], 0) / used.length;
  const n = yTrue.length;
  const weighted = (key: 'p' | 'r' | 'f') => used.reduce((s, x) => s + x[key] * x.support, 0) / n;
  const accuracy = yTrue.filter((y, i) => y === yPred[i]).length / n;
  const trueClasses = [...new Set(yTrue)];
  return {
    accuracy,
    balancedAccuracy: trueClasses.reduce((s, c) => s + stats[c].r, 0) / trueClasses.length,
    precision: macro('p'),
    recall: macro('r'),
    f1: macro('f'),
    precisionMicro: accuracy,
    recallMicro: accuracy,
    f1Micro: accuracy,
    precisionWeighted: weighted('p'),
    recallWeighted: weighted('r'),
    f1Weighted: weighted('f'),
  } as Record<string, number>;
}

/** Binary AUC as the Mann–Whitney statistic (ties count ½). */
function auc(yTrue: number[], score: number[]): number {
  let sum = 0,
    pairs = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] !== 1) continue;
    for (let j = 0; j < yTrue.length; j++) {
      if (yTrue[j] !== 0) continue;
      pairs++;
      sum += score[i] > score[j] ? 1 : score[i] === score[j] ? 0.5 : 0;
    }
  }
  return sum / pairs;
}

function regression(t: number[], f: number[]) {
  const n = t.length;
  const m = t.reduce((s, v) => s + v, 0) / n;
  let res = 0,
    tot = 0,
    abs = 0,
    pct = 0;
  for (let i = 0; i < n; i++) {
    res += (t[i] - f[i]) ** 2;
    tot += (t[i] - m) ** 2;
    abs += Math.abs(t[i] - f[i]);
    pct += Math.abs(t[i] - f[i]) / Math.max(Math.abs(t[i]), 2.220446049250313e-16);
  }
  return { r2: 1 - res / tot, mae: abs / n, mse: res / n, rmse: Math.sqrt(res / n), mape: pct / n } as Record<string, number>;
}

/** All the named metrics of outputs `out` (rows × units) against class indices or values. */
function metricsOf(kind: 'sigmoid' | 'softmax' | 'identity', out: Float64Array, units: number, y: number[]): Record<string, number> {
  const n = y.length;
  if (kind === 'identity') return regression(y, Array.from(out));
  if (kind === 'sigmoid') {
    const pred = Array.from(out, (p) => (p >= 0.5 ? 1 : 0));
    const ll = y.reduce((s, c, i) => s - Math.log(c === 1 ? out[i] : 1 - out[i]), 0) / n;
    return { ...classification(y, pred, 2), auc: auc(y, Array.from(out)), logLoss: ll };
  }
  const pred = y.map((_, i) => {
    let best = 0;
    for (let c = 1; c < units; c++) if (out[i * units + c] > out[i * units + best]) best = c;
    return best;
  });
  const ll = y.reduce((s, c, i) => s - Math.log(out[i * units + c]), 0) / n;
  return { ...classification(y, pred, units), logLoss: ll };
}

// ---------------------------------------------------------------------------

const next = seededUniform(4242);
const N = 13;
const X = randomRows(N, 3, next, -1.5, 1.5);
const W = [1, 0, 2, 3, 1, 1, 0, 2, 1, 3, 1, 2, 1];
const cls3 = X.map((r) => (r[0] > 0.4 ? 2 : r[1] > 0 ? 1 : 0));
const bin = X.map((r, i) => (r[0] + r[2] > 0 !== (i % 5 === 0) ? 1 : 0));

interface Config {
  name: string;
  layers: Array<{ units: number; activation: string }>;
  loss: string;
  T: unknown;
}
const configs: Config[] = [
  {
    name: 'mse, identity outputs, matrix targets',
    layers: [
      { units: 5, activation: 'tanh' },
      { units: 2, activation: 'identity' },
    ],
    loss: 'mse',
    T: X.map((r) => [r[0] * r[1], r[2] - 0.5]),
  },
  {
    name: 'mse, sigmoid outputs',
    layers: [
      { units: 4, activation: 'relu' },
      { units: 2, activation: 'sigmoid' },
    ],
    loss: 'mse',
    T: X.map((r) => [(r[0] + 1.5) / 3, r[1] > 0 ? 0.9 : 0.1]),
  },
  {
    name: 'mse, one output, flat number[] targets',
    layers: [
      { units: 4, activation: 'tanh' },
      { units: 1, activation: 'identity' },
    ],
    loss: 'mse',
    T: X.map((r) => Math.sin(2 * r[0]) + r[1]),
  },
  {
    name: 'mse, one output, Float64Array targets',
    layers: [
      { units: 4, activation: 'sigmoid' },
      { units: 1, activation: 'identity' },
    ],
    loss: 'mse',
    T: Float64Array.from(X, (r) => r[2] * 2),
  },
  {
    name: 'binary-cross-entropy, two sigmoid outputs, soft targets',
    layers: [
      { units: 5, activation: 'tanh' },
      { units: 2, activation: 'sigmoid' },
    ],
    loss: 'binary-cross-entropy',
    T: X.map((r, i) => [bin[i], (r[1] + 1.5) / 3]),
  },
  {
    name: 'binary-cross-entropy, one output, 0/1 labels',
    layers: [
      { units: 5, activation: 'tanh' },
      { units: 1, activation: 'sigmoid' },
    ],
    loss: 'binary-cross-entropy',
    T: bin,
  },
  {
    name: 'binary-cross-entropy, one output, string labels',
    layers: [
      { units: 5, activation: 'relu' },
      { units: 1, activation: 'sigmoid' },
    ],
    loss: 'binary-cross-entropy',
    T: bin.map((b) => (b ? 'spam' : 'ham')),
  },
  {
    name: 'cross-entropy, Int32Array labels',
    layers: [
      { units: 6, activation: 'tanh' },
      { units: 3, activation: 'softmax' },
    ],
    loss: 'cross-entropy',
    T: Int32Array.from(cls3),
  },
  {
    name: 'cross-entropy, one-hot rows',
    layers: [
      { units: 6, activation: 'relu' },
      { units: 3, activation: 'softmax' },
    ],
    loss: 'cross-entropy',
    T: cls3.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0))),
  },
  {
    name: 'cross-entropy, string labels',
    layers: [
      { units: 6, activation: 'tanh' },
      { units: 3, activation: 'softmax' },
    ],
    loss: 'cross-entropy',
    T: cls3.map((c) => ['red', 'green', 'blue'][c]),
  },
];

describe.each(BACKENDS)('integer sample weights = repeated rows on %s', (backend) => {
  const variants: Array<[string, number, string]> = [];
  for (const reduction of ['mean', 'sum']) for (const l2 of [0, 0.03]) for (const optimizer of ['sgd', 'adam']) variants.push([reduction, l2, optimizer]);

  describe.each(configs)('$name', (config) => {
    it.each(variants)('reduction %s, l2 %s, %s: fit (params and loss history) to 1e-12', (reduction, l2, optimizer) => {
      const options = { inputs: 3, layers: config.layers, loss: config.loss, reduction, l2, seed: 17, backend } as Any;
      const fit = { epochs: 4, batchSize: 1000, shuffle: false, optimizer, learningRate: optimizer === 'adam' ? 0.02 : 0.2, ...(optimizer === 'sgd' ? { momentum: 0.5 } : {}) } as Any;
      const a: Any = new Network(options);
      const b: Any = new Network(options);
      const ha = a.fitSync(X, config.T, { ...fit, sampleWeight: W });
      const hb = b.fitSync(repeatRows(X, W), repeatTargets(config.T, W), fit);
      expectClose(a.params, b.params, 1e-12, 'params');
      expectClose(ha.loss, hb.loss, 1e-12, 'history.loss');
    });

    it.each([['mean'], ['sum']])('reduction %s: gradients and evaluate with sampleWeight (a Float64Array) equal those of the repeated rows', (reduction) => {
      const options = { inputs: 3, layers: config.layers, loss: config.loss, reduction, l2: 0.05, seed: 23, backend } as Any;
      const a: Any = new Network(options);
      if (typeof (config.T as Any)[0] === 'string') a.fitSync(X, config.T, { epochs: 1, learningRate: 1e-12 }); // learn the labels
      const Xr = repeatRows(X, W);
      const Tr = repeatTargets(config.T, W);
      const ga = a.gradients(X, config.T, { sampleWeight: Float64Array.from(W) });
      const gb = a.gradients(Xr, Tr);
      expectClose(ga.grads, gb.grads, 1e-12, 'grads');
      expectClose([ga.loss], [gb.loss], 1e-12, 'gradients loss');
      expectClose([a.evaluate(X, config.T, { sampleWeight: W }).loss], [a.evaluate(Xr, Tr).loss], 1e-12, 'evaluate loss');
    });
  });

  it('weights of 1 train like no weights (minibatches, shuffled)', () => {
    const options = { inputs: 3, layers: configs[7].layers, loss: 'cross-entropy', l2: 0.01, seed: 5, backend } as Any;
    const fit = { epochs: 3, batchSize: 4, learningRate: 0.3, momentum: 0.9 };
    const a: Any = new Network(options);
    const b: Any = new Network(options);
    a.fitSync(X, configs[7].T, { ...fit, sampleWeight: X.map(() => 1) });
    b.fitSync(X, configs[7].T, fit);
    expectClose(a.params, b.params, 1e-12);
  });

  it("'mean' without L2: multiplying every weight by a constant changes nothing, minibatch by minibatch", () => {
    const w = X.map((_, i) => 0.25 + ((i * 7) % 5) / 3);
    const options = { inputs: 3, layers: configs[0].layers, loss: 'mse', seed: 9, backend } as Any;
    const fit = { epochs: 3, batchSize: 4, learningRate: 0.1, momentum: 0.5 };
    const a: Any = new Network(options);
    const b: Any = new Network(options);
    const c: Any = new Network(options);
    a.fitSync(X, configs[0].T, { ...fit, sampleWeight: w });
    b.fitSync(X, configs[0].T, { ...fit, sampleWeight: w.map((v) => v * 3.7) });
    c.fitSync(X, configs[0].T, fit);
    expectClose(a.params, b.params, 1e-11);
    // and the weights did matter
    expect(Math.max(...bits(a.params).map((v, i) => Math.abs(v - c.params[i])))).toBeGreaterThan(1e-6);
  });

  it("'mean' with L2: the L2 term is divided by Σ wᵢ, so weights × 4 train like l2 / 4", () => {
    const w = X.map((_, i) => 0.25 + ((i * 7) % 5) / 3);
    const base = { inputs: 3, layers: configs[8].layers, loss: 'cross-entropy', seed: 9, backend } as Any;
    const fit = { epochs: 3, batchSize: 4, learningRate: 0.2, momentum: 0.5 };
    const a: Any = new Network({ ...base, l2: 0.2 });
    const b: Any = new Network({ ...base, l2: 0.05 });
    const c: Any = new Network({ ...base, l2: 0.2 });
    const ha = a.fitSync(X, configs[8].T, { ...fit, sampleWeight: w.map((v) => v * 4) });
    const hb = b.fitSync(X, configs[8].T, { ...fit, sampleWeight: w });
    c.fitSync(X, configs[8].T, { ...fit, sampleWeight: w });
    expectClose(a.params, b.params, 1e-12);
    expectClose(ha.loss, hb.loss, 1e-12);
    expect(Math.max(...bits(a.params).map((v, i) => Math.abs(v - c.params[i])))).toBeGreaterThan(1e-6);
    // one batch, by hand: loss = Σ wᵢ lᵢ / Σ wᵢ + (λ / 2Σ wᵢ) ‖W‖²
    const net: Any = new Network({ ...base, l2: 0.3 });
    const out = net.predict(X).data;
    const sw = w.reduce((s, v) => s + v, 0);
    const data = cls3.reduce((s: number, cl: number, i: number) => s - w[i] * Math.log(out[i * 3 + cl]), 0) / sw;
    const sq = net.layers.reduce((s: number, l: Any) => s + bits(l.weights.data).reduce((t: number, v: number) => t + v * v, 0), 0);
    expectClose([net.evaluate(X, configs[8].T, { sampleWeight: w }).loss], [data + (0.3 / (2 * sw)) * sq], 1e-12);
    expectClose([net.gradients(X, configs[8].T, { sampleWeight: w }).loss], [data + (0.3 / (2 * sw)) * sq], 1e-12);
  });

  it("'sum': doubling every weight is doubling the step (plain SGD, no L2)", () => {
    const w = X.map((_, i) => 0.5 + ((i * 3) % 4) / 2);
    const options = { inputs: 3, layers: configs[7].layers, loss: 'cross-entropy', reduction: 'sum', seed: 9, backend } as Any;
    const fit = { epochs: 3, batchSize: 5, shuffle: true };
    const a: Any = new Network(options);
    const b: Any = new Network(options);
    a.fitSync(X, configs[7].T, { ...fit, learningRate: 0.05, sampleWeight: w.map((v) => 2 * v) });
    b.fitSync(X, configs[7].T, { ...fit, learningRate: 0.1, sampleWeight: w });
    expectClose(a.params, b.params, 1e-13);
  });
});

// ---------------------------------------------------------------------------

describe.each(BACKENDS)('classWeight on %s', (backend) => {
  const [strings, numbers, booleans] = fixture.balanced as Array<{ labels: Any[]; sampleWeight: number[]; classWeight: Record<string, number> }>;
  const rows = (n: number) => randomRows(n, 2, seededUniform(n + 100));
  const balanced = (labels: unknown[]) => {
    const count = new Map<unknown, number>();
    for (const l of labels) count.set(l, (count.get(l) ?? 0) + 1);
    return labels.map((l) => labels.length / (count.size * count.get(l)!));
  };
  const fit = { epochs: 3, batchSize: 4, learningRate: 0.2, momentum: 0.3 };

  it('the formula n_samples / (n_classes × count) matches scikit-learn (sanity of the test)', () => {
    for (const c of [strings, numbers, booleans]) expectClose(balanced(c.labels), c.sampleWeight, 1e-15);
  });

  const cases: Array<[string, Any, Record<string, unknown>]> = [
    [
      'strings, softmax',
      strings,
      {
        layers: [
          { units: 4, activation: 'tanh' },
          { units: 3, activation: 'softmax' },
        ],
        loss: 'cross-entropy',
      },
    ],
    [
      'numbers with given classes, softmax',
      numbers,
      {
        layers: [
          { units: 4, activation: 'tanh' },
          { units: 3, activation: 'softmax' },
        ],
        loss: 'cross-entropy',
        classes: [1, 3, 7],
      },
    ],
    [
      'booleans, one sigmoid output',
      booleans,
      {
        layers: [
          { units: 4, activation: 'tanh' },
          { units: 1, activation: 'sigmoid' },
        ],
        loss: 'binary-cross-entropy',
      },
    ],
    [
      'strings, given classes with one never in the training rows (n_classes counts the present ones)',
      strings,
      {
        layers: [
          { units: 4, activation: 'tanh' },
          { units: 4, activation: 'softmax' },
        ],
        loss: 'cross-entropy',
        classes: ['d', 'c', 'b', 'a'],
      },
    ],
  ];
  it.each(cases)("'balanced' (%s) trains like scikit-learn's balanced sample weights", (_name, c, net) => {
    const Xc = rows(c.labels.length);
    const options = { inputs: 2, seed: 31, backend, ...net } as Any;
    const a: Any = new Network(options);
    const b: Any = new Network(options);
    a.fitSync(Xc, c.labels, { ...fit, classWeight: 'balanced' });
    b.fitSync(Xc, c.labels, { ...fit, sampleWeight: c.sampleWeight });
    expectClose(a.params, b.params, 1e-12);
    const u: Any = new Network(options);
    u.fitSync(Xc, c.labels, fit);
    expect(bits(u.params)).not.toEqual(bits(a.params));
  });

  it('a table network: balanced weights over its learned (numeric) classes', () => {
    const Xc = rows(numbers.labels.length).map(([p, q]) => ({ p, q }));
    const options = {
      columns: ['p', 'q'],
      layers: [
        { units: 4, activation: 'tanh' },
        { units: 3, activation: 'softmax' },
      ],
      loss: 'cross-entropy',
      seed: 31,
      backend,
    } as Any;
    const a: Any = new Network(options);
    const b: Any = new Network(options);
    a.fitSync(Xc, numbers.labels, { ...fit, classWeight: 'balanced' });
    b.fitSync(Xc, numbers.labels, { ...fit, sampleWeight: numbers.sampleWeight });
    expectClose(a.params, b.params, 1e-12);
  });

  it("'balanced' counts the training rows only (not the rows validationSplit holds out)", () => {
    const labels = [...strings.labels, 'c', 'c', 'c', 'a'];
    const Xc = rows(labels.length);
    const options = {
      inputs: 2,
      layers: [
        { units: 4, activation: 'tanh' },
        { units: 3, activation: 'softmax' },
      ],
      loss: 'cross-entropy',
      seed: 31,
      backend,
    } as Any;
    const a: Any = new Network(options);
    const b: Any = new Network(options);
    const f = { ...fit, validationSplit: 0.25 }; // 16 rows: the first 12 train (strings.labels)
    a.fitSync(Xc, labels, { ...f, classWeight: 'balanced' });
    b.fitSync(Xc, labels, { ...f, sampleWeight: [...strings.sampleWeight, 1, 1, 1, 1] });
    expectClose(a.params, b.params, 1e-12);
  });

  it('a dictionary gives each label its weight; classWeight and sampleWeight multiply', () => {
    const Xc = rows(strings.labels.length);
    const options = {
      inputs: 2,
      layers: [
        { units: 4, activation: 'tanh' },
        { units: 3, activation: 'softmax' },
      ],
      loss: 'cross-entropy',
      seed: 31,
      backend,
    } as Any;
    const dict = { a: 2, b: 0.5, c: 1.25 };
    const s = strings.labels.map((_: unknown, i: number) => 1 + (i % 3));
    const a: Any = new Network(options);
    const b: Any = new Network(options);
    a.fitSync(Xc, strings.labels, { ...fit, classWeight: dict, sampleWeight: s });
    b.fitSync(Xc, strings.labels, { ...fit, sampleWeight: strings.labels.map((l: 'a' | 'b' | 'c', i: number) => dict[l] * s[i]) });
    expectClose(a.params, b.params, 1e-12);
    const c: Any = new Network(options);
    const d: Any = new Network(options);
    c.fitSync(Xc, strings.labels, { ...fit, classWeight: 'balanced', sampleWeight: s });
    d.fitSync(Xc, strings.labels, { ...fit, sampleWeight: strings.sampleWeight.map((v: number, i: number) => v * s[i]) });
    expectClose(c.params, d.params, 1e-12);
  });

  it('a dictionary keyed by boolean labels', () => {
    const Xc = rows(booleans.labels.length);
    const options = {
      inputs: 2,
      layers: [
        { units: 3, activation: 'tanh' },
        { units: 1, activation: 'sigmoid' },
      ],
      loss: 'binary-cross-entropy',
      seed: 31,
      backend,
    } as Any;
    const a: Any = new Network(options);
    const b: Any = new Network(options);
    a.fitSync(Xc, booleans.labels, { ...fit, classWeight: { true: 3, false: 0.5 } });
    b.fitSync(Xc, booleans.labels, { ...fit, sampleWeight: booleans.labels.map((l: boolean) => (l ? 3 : 0.5)) });
    expectClose(a.params, b.params, 1e-12);
  });
});

// ---------------------------------------------------------------------------

describe.each(BACKENDS)('evaluate with sampleWeight and metrics against scikit-learn on %s', (backend) => {
  it.each(fixture.networks.map((n: Any) => [n.name, n]) as Array<[string, Any]>)('%s', (_name: string, n: Any) => {
    const net: Any = new Network({ inputs: n.inputs, layers: [{ units: n.units, activation: n.output }], loss: n.loss, seed: 1, backend, ...(n.classes ? { classes: n.classes } : {}) } as Any);
    net.setWeights(0, n.W);
    net.setBiases(0, n.b);
    const names = Object.keys(n.expected);
    const result = net.evaluate(n.X, n.targets, { sampleWeight: n.sampleWeight, metrics: names });
    for (const name of names) {
      const got = result.metrics?.[name] ?? result[name];
      expect(typeof got, name).toBe('number');
      expect(Math.abs(got - n.expected[name]) / Math.max(1, Math.abs(n.expected[name])), `${name}: ${got} vs sklearn ${n.expected[name]}`).toBeLessThanOrEqual(1e-10);
    }
    // the loss: Σ wᵢ lᵢ / Σ wᵢ, computed here from the outputs
    const out = net.predict(n.X).data as Float64Array;
    const w = n.sampleWeight as number[];
    let num = 0,
      den = 0;
    n.targets.forEach((t: Any, i: number) => {
      let l: number;
      if (n.output === 'sigmoid') l = -Math.log(t === n.classes[1] ? out[i] : 1 - out[i]);
      else if (n.output === 'softmax') l = -Math.log(out[i * n.units + n.classes.indexOf(t)]);
      else l = 0.5 * (out[i] - t) ** 2;
      num += w[i] * l;
      den += w[i];
    });
    expect(Math.abs(result.loss - num / den) / (num / den)).toBeLessThanOrEqual(1e-12);
  });
});

// ---------------------------------------------------------------------------
// Metrics in fit, early stopping and checkpoints

const nextM = seededUniform(777);
const XB = randomRows(48, 3, nextM, -2, 2);
// Noisy labels: the figures move up and down, not monotonically.
const yB = XB.map((r) => (r[0] - 0.5 * r[1] + 0.8 * (nextM() - 0.5) > 0 ? 1 : 0));
const namesB = yB.map((v) => (v ? 'pos' : 'neg'));
const XC = randomRows(60, 3, nextM, -2, 2);
const yC = XC.map((r) => (r[0] + 0.6 * (nextM() - 0.5) > 0.5 ? 2 : r[1] + 0.6 * (nextM() - 0.5) > 0 ? 1 : 0));
const namesC = yC.map((c) => ['a', 'b', 'c'][c]);
const XR = randomRows(50, 3, nextM, -2, 2);
const yR = XR.map((r) => 2 + Math.sin(2 * r[0]) + r[1] * r[2] + 0.3 * (nextM() - 0.5));

interface Task {
  name: string;
  kind: 'sigmoid' | 'softmax' | 'identity';
  X: number[][];
  T: unknown[];
  y: number[]; // class index (in sorted class order) or value
  units: number;
  loss: string;
  metrics: string[];
}
const tasks: Task[] = [
  {
    name: 'binary (one sigmoid output, string labels)',
    kind: 'sigmoid',
    X: XB,
    T: namesB,
    y: yB,
    units: 1,
    loss: 'binary-cross-entropy',
    metrics: ['accuracy', 'balancedAccuracy', 'precision', 'recall', 'f1', 'precisionMicro', 'recallMicro', 'f1Micro', 'precisionWeighted', 'recallWeighted', 'f1Weighted', 'auc', 'logLoss'],
  },
  {
    name: 'three classes (softmax, string labels)',
    kind: 'softmax',
    X: XC,
    T: namesC,
    y: yC,
    units: 3,
    loss: 'cross-entropy',
    metrics: ['accuracy', 'balancedAccuracy', 'precision', 'recall', 'f1', 'f1Micro', 'precisionWeighted', 'recallWeighted', 'f1Weighted', 'logLoss'],
  },
  { name: 'regression (identity)', kind: 'identity', X: XR, T: yR, y: yR, units: 1, loss: 'mse', metrics: ['r2', 'mae', 'mse', 'rmse', 'mape'] },
];

function makeNet(task: Task, backend: string, seed = 12): Any {
  return new Network({
    inputs: 3,
    layers: [
      { units: 6, activation: 'tanh' },
      { units: task.units, activation: task.kind },
    ],
    loss: task.loss,
    seed,
    backend,
  } as Any);
}

const fitFor = (task: Task) => ({ batchSize: 6, learningRate: task.kind === 'identity' ? 0.05 : 0.6, momentum: 0.6 });

describe.each(BACKENDS)('history.metrics and validationMetrics on %s', (backend) => {
  it.each(tasks.map((t) => [t.name, t]))('%s: every epoch, over every training row and every validation row', (_name, task: Task) => {
    const nTrain = Math.floor(task.X.length * 0.7);
    const Xt = task.X.slice(0, nTrain);
    const Xv = task.X.slice(nTrain);
    const net = makeNet(task, backend);
    const seenT: Float64Array[] = [];
    const seenV: Float64Array[] = [];
    const h: Any = net.fitSync(Xt, task.T.slice(0, nTrain), {
      ...fitFor(task),
      epochs: 6,
      metrics: task.metrics,
      validation: { inputs: Xv, targets: task.T.slice(nTrain) },
      onEpoch: () => {
        seenT.push(Float64Array.from(net.predict(Xt).data));
        seenV.push(Float64Array.from(net.predict(Xv).data));
      },
    });
    for (const name of task.metrics) {
      expect(h.metrics?.[name], name).toHaveLength(6);
      expect(h.validationMetrics?.[name], name).toHaveLength(6);
      const wantT = seenT.map((o) => metricsOf(task.kind, o, task.units, task.y.slice(0, nTrain))[name]);
      const wantV = seenV.map((o) => metricsOf(task.kind, o, task.units, task.y.slice(nTrain))[name]);
      expectClose(h.metrics[name], wantT, 1e-10, `metrics.${name}`);
      expectClose(h.validationMetrics[name], wantV, 1e-10, `validationMetrics.${name}`);
    }
  });

  it('with validationSplit the training metrics cover the training rows only', () => {
    const task = tasks[0];
    const net = makeNet(task, backend);
    const nTrain = Math.floor(task.X.length * (1 - 0.25));
    const seen: Float64Array[] = [];
    const h: Any = net.fitSync(task.X, task.T, {
      ...fitFor(task),
      epochs: 3,
      validationSplit: 0.25,
      metrics: ['f1', 'auc'],
      onEpoch: () => {
        seen.push(Float64Array.from(net.predict(task.X.slice(0, nTrain)).data));
      },
    });
    expectClose(
      h.metrics.f1,
      seen.map((o) => metricsOf('sigmoid', o, 1, task.y.slice(0, nTrain)).f1),
      1e-10,
    );
    expectClose(
      h.metrics.auc,
      seen.map((o) => metricsOf('sigmoid', o, 1, task.y.slice(0, nTrain)).auc),
      1e-10,
    );
  });
});

/** Early stopping re-implemented over a full run's figures (strict improvement, minDelta 0). */
function simulate(values: number[], up: boolean, patience: number) {
  let best = values[0];
  let bestEpoch = 0;
  let wait = 0;
  for (let e = 1; e < values.length; e++) {
    if (up ? values[e] > best : values[e] < best) {
      best = values[e];
      bestEpoch = e;
      wait = 0;
    } else if (++wait >= patience) return { bestEpoch, stoppedEpoch: e as number | null, epochs: e + 1 };
  }
  return { bestEpoch, stoppedEpoch: null as number | null, epochs: values.length };
}

/** The last epoch at which the figure beat its best so far (the first always does). */
function lastImproved(values: number[], up: boolean): number {
  let best = values[0];
  let at = 0;
  for (let e = 1; e < values.length; e++)
    if (up ? values[e] > best : values[e] < best) {
      best = values[e];
      at = e;
    }
  return at;
}

const monitorCases: Array<[string, number, string, boolean]> = [
  ['validationF1', 0, 'f1', true],
  ['validationAuc', 0, 'auc', true],
  ['logLoss', 0, 'logLoss', false],
  ['validationLogLoss', 0, 'logLoss', false],
  ['f1', 1, 'f1', true],
  ['validationAccuracy', 1, 'accuracy', true],
  ['validationR2', 2, 'r2', true],
  ['mae', 2, 'mae', false],
  ['validationRmse', 2, 'rmse', false],
  ['validationMape', 2, 'mape', false],
];

describe.each(BACKENDS)('early stopping and checkpoints monitoring metrics on %s', (backend) => {
  const EPOCHS = 30;
  function fullRun(task: Task) {
    const net = makeNet(task, backend);
    const states: string[] = [];
    const nTrain = Math.floor(task.X.length * 0.6);
    const opts = { ...fitFor(task), metrics: task.metrics, validationSplit: 0.4 } as Any;
    const h: Any = net.fitSync(task.X, task.T, {
      ...opts,
      epochs: EPOCHS,
      onEpoch: () => {
        states.push(JSON.stringify(net.toJSON()));
      },
    });
    return { h, states, opts, nTrain };
  }

  it.each(monitorCases)('monitor %s: stops and restores where the right direction says, not the wrong one', (monitor, t, metric, up) => {
    const task = tasks[t];
    const full = fullRun(task);
    const series: number[] = monitor.startsWith('validation') ? full.h.validationMetrics[metric] : full.h.metrics[metric];
    expect(series).toHaveLength(EPOCHS);
    // the smallest patience at which the wrong direction would give another outcome
    let patience = 0;
    for (let p = 1; p <= 8 && patience === 0; p++) {
      const right = simulate(series, up, p);
      const wrong = simulate(series, !up, p);
      if (right.bestEpoch !== wrong.bestEpoch || right.stoppedEpoch !== wrong.stoppedEpoch) patience = p;
    }
    expect(patience, `the fixture does not tell the directions apart: ${JSON.stringify(series)}`).toBeGreaterThan(0);
    const want = simulate(series, up, patience);

    const net = makeNet(task, backend);
    const h: Any = net.fitSync(task.X, task.T, { ...full.opts, epochs: EPOCHS, earlyStopping: { monitor, patience, restoreBest: true } });
    expect({ bestEpoch: h.bestEpoch, stoppedEpoch: h.stoppedEpoch, epochs: h.loss.length }).toEqual(want);
    const best = (Network as Any).fromJSON(full.states[want.bestEpoch], { backend });
    expect(bits(net.params)).toEqual(bits(best.params));
  });

  it.each([
    ['validationAuc', 0, 'auc', true],
    ['logLoss', 0, 'logLoss', false],
    ['validationF1', 1, 'f1', true],
    ['mae', 2, 'mae', false],
    ['validationR2', 2, 'r2', true],
  ] as Array<[string, number, string, boolean]>)('checkpoint { monitor: %s } saves at the improvements in the right direction', (monitor, t, metric, up) => {
    const task = tasks[t];
    const full = fullRun(task);
    const series: number[] = monitor.startsWith('validation') ? full.h.validationMetrics[metric] : full.h.metrics[metric];
    const want = lastImproved(series, up);
    expect(want, 'the fixture does not tell the directions apart').not.toBe(lastImproved(series, !up));
    const file = path.join(dir, `ck-${backend}-${monitor}.json`);
    const net = makeNet(task, backend);
    net.fitSync(task.X, task.T, { ...full.opts, epochs: EPOCHS, checkpoint: { path: file, monitor } });
    const saved = (Network as Any).load(file, { backend });
    expect(bits(saved.params)).toEqual(bits((Network as Any).fromJSON(full.states[want], { backend }).params));
  });
});

// ---------------------------------------------------------------------------

describe('argument errors name the argument', () => {
  const backend = BACKENDS[0];
  const clf = () => makeNet(tasks[0], backend);
  const reg = () => makeNet(tasks[2], backend);
  const XB10 = XB.slice(0, 10);
  const TB10 = namesB.slice(0, 10);
  const expectError = (f: () => unknown, where: string) => {
    const e = errorOf(f);
    expect(e).toBeInstanceOf(DeltapropError);
    expect(e.message).toContain(where);
  };

  it.each([
    ['negative', -1],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['a string', '1'],
  ])('a %s weight names options.sampleWeight[3] (fit, evaluate, gradients), before any training', (_n, bad) => {
    const w: unknown[] = XB10.map(() => 1);
    w[3] = bad;
    const net = clf();
    net.fitSync(XB10, TB10, { epochs: 1, learningRate: 1e-9 });
    const before = bits(net.params);
    expectError(() => net.fitSync(XB10, TB10, { sampleWeight: w } as Any), 'options.sampleWeight[3]');
    expectError(() => net.evaluate(XB10, TB10, { sampleWeight: w } as Any), 'options.sampleWeight[3]');
    expectError(() => net.gradients(XB10, TB10, { sampleWeight: w } as Any), 'options.sampleWeight[3]');
    expect(bits(net.params)).toEqual(before);
  });

  it('a sampleWeight of the wrong length names options.sampleWeight', () => {
    expectError(() => clf().fitSync(XB10, TB10, { sampleWeight: [1, 1, 1] } as Any), 'options.sampleWeight');
  });

  it.each([
    ['an unknown string', 'balancd'],
    ['a negative weight', { pos: -1, neg: 1 }],
    ['a NaN weight', { pos: NaN, neg: 1 }],
  ])('classWeight: %s names options.classWeight', (_n, cw) => {
    expectError(() => clf().fitSync(XB10, TB10, { classWeight: cw } as Any), 'options.classWeight');
  });

  it('classWeight on a regression network names options.classWeight', () => {
    expectError(() => reg().fitSync(XR.slice(0, 10), yR.slice(0, 10), { classWeight: 'balanced' } as Any), 'options.classWeight');
  });

  it('an unknown metric name names options.metrics[1]', () => {
    expectError(() => clf().fitSync(XB10, TB10, { metrics: ['f1', 'f2'] } as Any), 'options.metrics[1]');
  });

  it.each(['f1', 'auc', 'accuracy', 'logLoss', 'precisionWeighted'])('the classification metric %s on a regression network is a DeltapropError naming options.metrics', (m) => {
    expectError(() => reg().fitSync(XR.slice(0, 10), yR.slice(0, 10), { metrics: ['r2', m] } as Any), 'options.metrics');
  });

  it.each([
    ['validationF1', ['auc']],
    ['validationF1', undefined],
    ['f1', ['accuracy']],
    ['validationAuc', ['f1']],
    ['logLoss', ['f1']],
  ])('earlyStopping.monitor %s with metrics %j names options.earlyStopping.monitor', (monitor, metrics) => {
    const net = clf();
    const before = bits(net.params);
    expectError(() => net.fitSync(XB, namesB, { epochs: 2, validationSplit: 0.25, ...(metrics ? { metrics } : {}), earlyStopping: { monitor } } as Any), 'options.earlyStopping.monitor');
    expect(bits(net.params)).toEqual(before);
  });

  it('a checkpoint monitor naming a metric not in options.metrics names options.checkpoint.monitor', () => {
    expectError(
      () => clf().fitSync(XB, namesB, { epochs: 2, validationSplit: 0.25, metrics: ['auc'], checkpoint: { path: path.join(dir, 'never.json'), monitor: 'validationF1' } } as Any),
      'options.checkpoint.monitor',
    );
  });
});
