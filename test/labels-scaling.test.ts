// Sparse labels, oneHot, trainTestSplit, inputScaling and two helpful
// messages, from the spec. Scaling is checked against statistics computed
// here and a network without scaling fed rows scaled by hand.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltapropError, Network, oneHot, trainTestSplit } from '../src/index.js';
import type { Matrix } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { maxRelativeDifference, randomRows, seededUniform } from './helpers/data.js';
import { errorOf } from './helpers/errors.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const bits = (a: ArrayLike<number>) => Array.from(a);
const dir = mkdtempSync(path.join(tmpdir(), 'deltaprop-labels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const next = seededUniform(31);
const X = randomRows(30, 4, next);
const labels = X.map(() => Math.floor(next() * 3));
const oneHotT = labels.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));
const binary = X.map((r) => (r[0] + r[1] > 0 ? 1 : 0));
const binaryT = binary.map((b) => [b]);

/** Rows of a Matrix or number[][] as number[][]. */
function rowsOf(m: Matrix | number[][]): number[][] {
  if (Array.isArray(m)) return m.map((r) => Array.from(r));
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
}

describe.each(BACKENDS)('sparse labels on %s', (backend) => {
  const ce = {
    inputs: 4,
    layers: [
      { units: 6, activation: 'tanh' as const },
      { units: 3, activation: 'softmax' as const },
    ],
    loss: 'cross-entropy' as const,
    seed: 4,
    backend,
  };
  const bce = {
    inputs: 4,
    layers: [
      { units: 5, activation: 'relu' as const },
      { units: 1, activation: 'sigmoid' as const },
    ],
    loss: 'binary-cross-entropy' as const,
    seed: 4,
    backend,
  };
  const fit = { epochs: 3, batchSize: 7, learningRate: 0.3, momentum: 0.5 };

  it.each([
    ['number[]', labels],
    ['Int32Array', Int32Array.from(labels)],
  ])('cross-entropy with %s class indices trains exactly like one-hot targets', async (_kind, L) => {
    const a = new Network(ce);
    const b = new Network(ce);
    const ha = a.fitSync(X, L as Any, { ...fit, validation: { inputs: X.slice(0, 9), targets: (L as Any).slice(0, 9) } } as Any);
    const hb = b.fitSync(X, oneHotT, { ...fit, validation: { inputs: X.slice(0, 9), targets: oneHotT.slice(0, 9) } });
    expect(bits(a.params)).toEqual(bits(b.params));
    expect(ha.loss).toEqual(hb.loss);
    expect(ha.validationLoss).toEqual(hb.validationLoss);
    expect(a.evaluate(X, L as Any)).toEqual(b.evaluate(X, oneHotT));
    expect(bits(a.gradients(X, L as Any).grads)).toEqual(bits(b.gradients(X, oneHotT).grads));
    // async fit as well
    const c = new Network(ce);
    await c.fit(X, L as Any, fit);
    expect(bits(c.params)).toEqual(bits(b.params));
  });

  it('binary-cross-entropy with one output takes a number[] of 0s and 1s', () => {
    const a = new Network(bce);
    const b = new Network(bce);
    const ha = a.fitSync(X, binary as Any, fit);
    const hb = b.fitSync(X, binaryT, fit);
    expect(bits(a.params)).toEqual(bits(b.params));
    expect(ha.loss).toEqual(hb.loss);
    expect(a.evaluate(X, binary as Any)).toEqual(b.evaluate(X, binaryT));
  });

  const bad: Array<[string, object, unknown]> = [
    ['a label out of range (3 of 3 classes)', ce, labels.map((l, i) => (i === 5 ? 3 : l))],
    ['a negative label', ce, labels.map((l, i) => (i === 5 ? -1 : l))],
    ['a non-integer label', ce, labels.map((l, i) => (i === 5 ? 1.5 : l))],
    ['NaN as a label', ce, labels.map((l, i) => (i === 5 ? NaN : l))],
    ['labels with mse', { ...ce, layers: [{ units: 3, activation: 'sigmoid' }], loss: 'mse' }, labels],
    ['0.5 for binary-cross-entropy', bce, binary.map((b, i) => (i === 2 ? 0.5 : b))],
    ['2 for binary-cross-entropy', bce, binary.map((b, i) => (i === 2 ? 2 : b))],
    ['labels for binary-cross-entropy with two outputs', { ...bce, layers: [{ units: 2, activation: 'sigmoid' }] }, binary],
    ['too few labels', ce, labels.slice(0, 29)],
  ];
  it.each(bad)('%s is a DeltapropError naming both accepted forms', (_name, options, targets) => {
    const net = new Network(options as Any);
    const before = bits(net.params);
    for (const call of [() => net.fitSync(X, targets as Any, fit), () => net.evaluate(X, targets as Any)]) {
      const e = errorOf(call);
      expect(e).toBeInstanceOf(DeltapropError);
      expect(e.message).toMatch(/targets/);
      if (_name !== 'too few labels') {
        // the label form (class indices, or 0s and 1s for BCE) and the matrix form
        expect(e.message).toMatch(/class ind(ex|ices)|labels?|0 or 1|0s and 1s/i);
        expect(e.message).toMatch(/one-hot|matrix|number\[\]\[\]/i);
      }
    }
    expect(bits(net.params)).toEqual(before);
  });

  it('oneHot(labels) trains like the labels themselves', () => {
    const a = new Network(ce);
    const b = new Network(ce);
    a.fitSync(X, oneHot(labels, 3), fit);
    b.fitSync(X, labels as Any, fit);
    expect(bits(a.params)).toEqual(bits(b.params));
  });

  it('a one-column matrix of integer labels for a 3-class softmax gets a message about class indices', () => {
    const net = new Network(ce);
    const e = errorOf(() =>
      net.fitSync(
        X,
        labels.map((l) => [l]),
        fit,
      ),
    );
    expect(e).toBeInstanceOf(DeltapropError);
    expect(e.message).toMatch(/class ind(ex|ices)/i);
  });
});

describe('oneHot', () => {
  it("makes one row per label with a 1 in the label's column; classes default to max + 1", () => {
    const m = oneHot([2, 0, 1, 2]);
    expect(m.rows).toBe(4);
    expect(m.cols).toBe(3);
    expect(bits(m.data)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('takes classes, and an Int32Array', () => {
    const m = oneHot(Int32Array.from([1, 0]), 4);
    expect([m.rows, m.cols]).toEqual([2, 4]);
    expect(bits(m.data)).toEqual([0, 1, 0, 0, 1, 0, 0, 0]);
  });

  it.each([
    [[0, 3], 3],
    [[0, -1], undefined],
    [[0.5], undefined],
    [[NaN], undefined],
  ])('rejects labels %j (classes %s)', (L, classes) => {
    expect(errorOf(() => oneHot(L as number[], classes as number | undefined))).toBeInstanceOf(DeltapropError);
  });
});

describe('trainTestSplit', () => {
  const N = 50;
  const inputs = Array.from({ length: N }, (_, i) => [i, i * 10]);
  const targetRows = Array.from({ length: N }, (_, i) => [i * 100]);
  const lab = Array.from({ length: N }, (_, i) => i % 7);

  const split = (seed: number, targets: unknown = targetRows, testFraction = 0.2) => trainTestSplit(inputs, targets as Any, { testFraction, seed }) as Any;

  it('partitions the rows (every row exactly once) and keeps inputs and targets together', () => {
    const s = split(1);
    const train = rowsOf(s.train.inputs);
    const test = rowsOf(s.test.inputs);
    expect(train.length + test.length).toBe(N);
    expect([Math.floor(N * 0.2), Math.ceil(N * 0.2)]).toContain(test.length);
    const ids = [...train, ...test].map((r) => r[0]).sort((a, b) => a - b);
    expect(ids).toEqual(inputs.map((r) => r[0]));
    rowsOf(s.train.targets).forEach((t, i) => expect(t).toEqual([train[i][0] * 100]));
    rowsOf(s.test.targets).forEach((t, i) => expect(t).toEqual([test[i][0] * 100]));
    train.forEach((r) => expect(r[1]).toBe(r[0] * 10));
  });

  it('is seeded: the same seed gives the same split, another seed another', () => {
    const ids = (s: Any) => rowsOf(s.test.inputs).map((r) => r[0]);
    expect(ids(split(7))).toEqual(ids(split(7)));
    expect(ids(split(7))).not.toEqual(ids(split(8)));
    // and it does shuffle: the test rows are not simply the last ones
    expect(ids(split(7))).not.toEqual(inputs.slice(N - ids(split(7)).length).map((r) => r[0]));
  });

  it('labels stay labels, matched to their rows', () => {
    const s = split(3, lab);
    for (const part of [s.train, s.test]) {
      expect(Array.isArray(part.targets) || ArrayBuffer.isView(part.targets)).toBe(true);
      const rows = rowsOf(part.inputs);
      expect(part.targets.length).toBe(rows.length);
      rows.forEach((r, i) => expect(part.targets[i]).toBe(r[0] % 7));
    }
  });

  it('an Int32Array of labels stays labels', () => {
    const s = split(3, Int32Array.from(lab));
    const rows = rowsOf(s.test.inputs);
    expect(s.test.targets.length).toBe(rows.length);
    rows.forEach((r, i) => expect(Number(s.test.targets[i])).toBe(r[0] % 7));
  });

  it.each([0, 1, -0.5, 2])('testFraction %s is a DeltapropError', (f) => {
    expect(errorOf(() => split(1, targetRows, f))).toBeInstanceOf(DeltapropError);
  });

  it('mismatched row counts are a DeltapropError', () => {
    expect(errorOf(() => trainTestSplit(inputs, targetRows.slice(1), { testFraction: 0.2, seed: 1 }))).toBeInstanceOf(DeltapropError);
  });
});

/** Column statistics computed here: (shift, spread) for standard or minmax. */
function stats(rows: number[][], kind: 'standard' | 'minmax') {
  const cols = rows[0].length;
  const shift: number[] = [];
  const spread: number[] = [];
  for (let j = 0; j < cols; j++) {
    const col = rows.map((r) => r[j]);
    if (kind === 'standard') {
      const mean = col.reduce((s, v) => s + v, 0) / col.length;
      const variance = col.reduce((s, v) => s + (v - mean) ** 2, 0) / col.length; // population
      shift.push(mean);
      spread.push(Math.sqrt(variance));
    } else {
      const lo = Math.min(...col);
      const hi = Math.max(...col);
      shift.push(lo);
      spread.push(hi - lo);
    }
  }
  return { shift, spread };
}

function scaleByHand(rows: number[][], s: { shift: number[]; spread: number[] }): number[][] {
  return rows.map((r) => r.map((v, j) => (s.spread[j] === 0 ? v : (v - s.shift[j]) / s.spread[j])));
}

describe.each(BACKENDS)('inputScaling on %s', (backend) => {
  // Columns on very different scales.
  const g = seededUniform(8);
  const raw = Array.from({ length: 40 }, () => [1000 + 500 * g(), 0.001 * g(), -50 + 10 * g()]);
  const target = raw.map((r) => [Math.tanh((r[0] - 1250) / 200 + (r[1] - 0.0005) * 2000), r[2] > -45 ? 0.5 : -0.5]);
  const layers = [
    { units: 5, activation: 'tanh' as const },
    { units: 2, activation: 'identity' as const },
  ];
  const base = { inputs: 3, layers, seed: 12, backend };
  const fit = { epochs: 3, batchSize: 8, learningRate: 0.05, shuffle: false };

  it('net.scaling is null without inputScaling, and before the first fit', () => {
    expect((new Network(base) as Any).scaling).toBeNull();
    const net = new Network({ ...base, inputScaling: 'standard' } as Any) as Any;
    expect(net.scaling).toBeNull();
    net.fitSync(raw, target, fit);
    expect(net.scaling).not.toBeNull();
    const plain = new Network(base) as Any;
    plain.fitSync(raw, target, fit);
    expect(plain.scaling).toBeNull();
  });

  for (const kind of ['standard', 'minmax'] as const) {
    describe(kind, () => {
      it("the first fit stores the training data's statistics", () => {
        const net = new Network({ ...base, inputScaling: kind } as Any) as Any;
        net.fitSync(raw, target, fit);
        const want = stats(raw, kind);
        expect(maxRelativeDifference(bits(net.scaling.shift), want.shift)).toBeLessThan(1e-12);
        expect(maxRelativeDifference(bits(net.scaling.spread), want.spread)).toBeLessThan(1e-12);
        // A later fit on other data keeps them.
        net.fitSync(
          raw.slice(0, 10).map((r) => r.map((v) => v * 3)),
          target.slice(0, 10),
          fit,
        );
        expect(maxRelativeDifference(bits(net.scaling.shift), want.shift)).toBeLessThan(1e-12);
      });

      it('predict, evaluate and gradients on raw rows equal an unscaled network with the same params on rows scaled by hand', () => {
        const net = new Network({ ...base, inputScaling: kind } as Any);
        net.fitSync(raw, target, fit);
        const plain = new Network(base);
        plain.params.set(net.params);
        const scaled = scaleByHand(raw, stats(raw, kind));
        expect(maxRelativeDifference(bits(net.predict(raw).data), bits(plain.predict(scaled).data), 1e-300)).toBeLessThan(1e-12);
        expect(net.evaluate(raw, target).loss).toBeCloseTo(plain.evaluate(scaled, target).loss, 12);
        expect(maxRelativeDifference(bits(net.gradients(raw, target).grads), bits(plain.gradients(scaled, target).grads), 1e-9)).toBeLessThan(1e-10);
        const fw = net.forward(raw).at(-1)!;
        expect(maxRelativeDifference(bits(fw.data), bits(plain.forward(scaled).at(-1)!.data))).toBeLessThan(1e-12);
      });

      it('fit trains on the scaled rows: like an unscaled network fed rows scaled by hand', async () => {
        const net = new Network({ ...base, inputScaling: kind } as Any);
        const h = await net.fit(raw, target, { ...fit, validation: { inputs: raw.slice(0, 5), targets: target.slice(0, 5) } });
        const plain = new Network(base);
        const scaled = scaleByHand(raw, stats(raw, kind));
        const hp = plain.fitSync(scaled, target, { ...fit, validation: { inputs: scaled.slice(0, 5), targets: target.slice(0, 5) } });
        expect(maxRelativeDifference(bits(net.params), bits(plain.params), 1e-6)).toBeLessThan(1e-10);
        expect(maxRelativeDifference(h.loss, hp.loss)).toBeLessThan(1e-10);
        expect(maxRelativeDifference(h.validationLoss!, hp.validationLoss!)).toBeLessThan(1e-10);
      });

      it('net.adapt(inputs) computes the statistics explicitly, and fit keeps them', () => {
        const net = new Network({ ...base, inputScaling: kind } as Any) as Any;
        const other = raw.slice(0, 20);
        net.adapt(other);
        const want = stats(other, kind);
        expect(maxRelativeDifference(bits(net.scaling.shift), want.shift)).toBeLessThan(1e-12);
        expect(maxRelativeDifference(bits(net.scaling.spread), want.spread)).toBeLessThan(1e-12);
        net.fitSync(raw, target, fit);
        expect(maxRelativeDifference(bits(net.scaling.shift), want.shift)).toBeLessThan(1e-12);
        const plain = new Network(base);
        plain.params.set(net.params);
        expect(maxRelativeDifference(bits(net.predict(raw).data), bits(plain.predict(scaleByHand(raw, want)).data))).toBeLessThan(1e-12);
      });

      it('round-trips through toJSON/fromJSON and save/load (predictions equal to the bit)', () => {
        const net = new Network({ ...base, inputScaling: kind } as Any) as Any;
        net.fitSync(raw, target, fit);
        const copy = Network.fromJSON(JSON.stringify(net.toJSON()), { backend }) as Any;
        const file = path.join(dir, `scaled-${kind}-${backend}.json`);
        net.save(file);
        const loaded = Network.load(file, { backend }) as Any;
        for (const other of [copy, loaded]) {
          expect(bits(other.predict(raw).data)).toEqual(bits(net.predict(raw).data));
          expect(bits(other.scaling.shift)).toEqual(bits(net.scaling.shift));
          expect(bits(other.scaling.spread)).toEqual(bits(net.scaling.spread));
        }
        // and the restored one trains on identically
        net.fitSync(raw, target, fit);
        copy.fitSync(raw, target, fit);
        expect(bits(copy.params)).toEqual(bits(net.params));
      });

      it('validationSplit rows are not part of the statistics', () => {
        const rows = raw.map((r) => [...r]);
        const t = target.map((r) => [...r]);
        for (let i = 32; i < 40; i++) rows[i] = [1e6, 1e3, -1e5]; // extreme validation rows
        const net = new Network({ ...base, inputScaling: kind } as Any) as Any;
        net.fitSync(rows, t, { ...fit, validationSplit: 0.2 } as Any);
        const want = stats(rows.slice(0, 32), kind);
        expect(maxRelativeDifference(bits(net.scaling.shift), want.shift)).toBeLessThan(1e-12);
        expect(maxRelativeDifference(bits(net.scaling.spread), want.spread)).toBeLessThan(1e-12);
      });
    });
  }

  it.each(['standard', 'minmax'] as const)('%s: a column with zero spread is left unscaled', (kind) => {
    const rows = raw.map((r) => [r[0], 7, r[2]]);
    const net = new Network({ ...base, inputScaling: kind } as Any) as Any;
    net.fitSync(rows, target, fit);
    expect(bits(net.params).every(Number.isFinite)).toBe(true);
    const plain = new Network(base);
    plain.params.set(net.params);
    const s = stats(rows, kind);
    expect(s.spread[1]).toBe(0);
    expect(maxRelativeDifference(bits(net.predict(rows).data), bits(plain.predict(scaleByHand(rows, s)).data))).toBeLessThan(1e-12);
  });

  it('an unknown inputScaling is a DeltapropError', () => {
    expect(errorOf(() => new Network({ ...base, inputScaling: 'zscore' } as Any))).toBeInstanceOf(DeltapropError);
  });
});

describe.each(BACKENDS)('messages on %s', (backend) => {
  it('a single flat row predict([0, 1]) says to pass [[0, 1]]', () => {
    const net = new Network({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], seed: 1, backend });
    const e = errorOf(() => net.predict([0, 1] as Any));
    expect(e).toBeInstanceOf(DeltapropError);
    expect(e.message).toContain('[[0, 1]]');
  });

  it("a softmax output with the default loss says to use loss: 'cross-entropy'", () => {
    const e = errorOf(() => new Network({ inputs: 2, layers: [{ units: 3, activation: 'softmax' }], seed: 1, backend }));
    expect(e).toBeInstanceOf(DeltapropError);
    expect(e.message).toContain("loss: 'cross-entropy'");
  });
});
