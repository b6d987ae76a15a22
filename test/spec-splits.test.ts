// trainTestSplit, kFold and crossValidate, from the specification only:
// partitions checked row by row, stratified shares counted here, folds'
// sizes, reproducibility from the seed, and crossValidate's per-fold figures
// recomputed here from the networks it trained (the rows each was trained on
// are observed through its fit) with mean and population std over the folds.
import { describe, expect, it } from 'vitest';
import { crossValidate, DeltapropError, kFold, Network, trainTestSplit } from '../src/index.js';
import type { Matrix } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { randomRows, seededUniform } from './helpers/data.js';
import { errorOf } from './helpers/errors.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function rowsOf(m: Matrix): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
}

const count = <T>(xs: ArrayLike<T>) => {
  const m = new Map<T, number>();
  for (let i = 0; i < xs.length; i++) m.set(xs[i], (m.get(xs[i]) ?? 0) + 1);
  return m;
};

/** Labels with very unequal classes: 50, 30, 7, 3 of 'a', 'b', 'c', 'd', shuffled by a fixed generator. */
function imbalanced(seed: number): string[] {
  const labels = [...Array(50).fill('a'), ...Array(30).fill('b'), ...Array(7).fill('c'), ...Array(3).fill('d')];
  const next = seededUniform(seed);
  for (let i = labels.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [labels[i], labels[j]] = [labels[j], labels[i]];
  }
  return labels;
}

function expectPartition(a: ArrayLike<number>, b: ArrayLike<number>, n: number) {
  const all = [...Array.from(a), ...Array.from(b)].sort((x, y) => x - y);
  expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
}

// ---------------------------------------------------------------------------

describe('trainTestSplit', () => {
  const next = seededUniform(61);
  const X = randomRows(40, 3, next);
  const labels = X.map((r) => (r[0] > 0 ? 'yes' : 'no'));

  it.each([[0.1], [0.25], [0.3], [0.5], [0.77]])('testFraction %s: indices partition the rows; numeric rows come back as a Matrix of those rows', (f) => {
    const s: Any = trainTestSplit(X, labels as Any, { testFraction: f, seed: 3 } as Any);
    expectPartition(s.train.indices, s.test.indices, X.length);
    expect(Math.abs(s.test.indices.length - f * X.length)).toBeLessThan(1);
    for (const part of [s.train, s.test]) {
      expect(part.inputs.rows).toBe(part.indices.length);
      expect(part.inputs.cols).toBe(3);
      expect(rowsOf(part.inputs)).toEqual(Array.from(part.indices as ArrayLike<number>, (i) => X[i]));
      expect(part.targets).toEqual(Array.from(part.indices as ArrayLike<number>, (i) => labels[i]));
    }
  });

  it('a Matrix of inputs splits like the same rows as number[][]', () => {
    const m = { rows: X.length, cols: 3, data: Float64Array.from(X.flat()) };
    const a: Any = trainTestSplit(m, labels as Any, { testFraction: 0.3, seed: 8 } as Any);
    const b: Any = trainTestSplit(X, labels as Any, { testFraction: 0.3, seed: 8 } as Any);
    expect(Array.from(a.test.indices)).toEqual(Array.from(b.test.indices));
    expect(Array.from(a.train.inputs.data)).toEqual(Array.from(b.train.inputs.data));
  });

  it('object rows come back as the same objects', () => {
    const objects = X.map(([a, b, c]) => ({ a, b, c, city: a > 0 ? 'x' : 'y' }));
    const s: Any = trainTestSplit(objects as Any, labels as Any, { testFraction: 0.25, seed: 4 } as Any);
    expectPartition(s.train.indices, s.test.indices, X.length);
    for (const part of [s.train, s.test]) {
      expect(part.inputs).toHaveLength(part.indices.length);
      Array.from(part.indices as ArrayLike<number>).forEach((i, k) => expect(part.inputs[k]).toBe(objects[i]));
    }
  });

  it.each([
    ['string[]', labels, (t: Any) => Array.isArray(t) && t.every((v: unknown) => typeof v === 'string')],
    ['number[]', labels.map((l) => (l === 'yes' ? 1 : 0)), (t: Any) => Array.isArray(t)],
    ['Int32Array', Int32Array.from(labels, (l) => (l === 'yes' ? 1 : 0)), (t: Any) => t instanceof Int32Array],
    ['Float64Array', Float64Array.from(X, (r) => r[1]), (t: Any) => t instanceof Float64Array],
    ['boolean[]', labels.map((l) => l === 'yes'), (t: Any) => Array.isArray(t) && t.every((v: unknown) => typeof v === 'boolean')],
  ])('%s targets keep their form and follow the indices', (_name, T: Any, isForm) => {
    const s: Any = trainTestSplit(X, T, { testFraction: 0.25, seed: 5 } as Any);
    for (const part of [s.train, s.test]) {
      expect(isForm(part.targets)).toBe(true);
      expect(Array.from(part.targets)).toEqual(Array.from(part.indices as ArrayLike<number>, (i) => T[i]));
    }
  });

  it('matrix targets come back as a Matrix of the same rows', () => {
    const T = X.map((r) => [r[0] * 2, r[1] - r[2]]);
    const s: Any = trainTestSplit(X, T, { testFraction: 0.25, seed: 5 } as Any);
    for (const part of [s.train, s.test]) {
      expect(part.targets.cols).toBe(2);
      expect(rowsOf(part.targets)).toEqual(Array.from(part.indices as ArrayLike<number>, (i) => T[i]));
    }
  });

  it('the same seed gives the same split; different seeds give different ones', () => {
    const a: Any = trainTestSplit(X, labels as Any, { testFraction: 0.3, seed: 11 } as Any);
    const b: Any = trainTestSplit(X, labels as Any, { testFraction: 0.3, seed: 11 } as Any);
    expect(Array.from(a.test.indices)).toEqual(Array.from(b.test.indices));
    const others = [12, 13, 14, 15].map((seed) => JSON.stringify(Array.from((trainTestSplit(X, labels as Any, { testFraction: 0.3, seed } as Any) as Any).test.indices).sort()));
    expect(others.some((o) => o !== JSON.stringify(Array.from(a.test.indices as ArrayLike<number>).sort()))).toBe(true);
  });

  describe('stratify: each class keeps its share of rows, to within one row per class', () => {
    const cases: Array<[number, number]> = [];
    for (const f of [0.1, 0.2, 0.25, 0.33, 0.5, 0.8]) for (const seed of [1, 2, 3]) cases.push([f, seed]);
    it.each(cases)('testFraction %s, seed %i, classes of 50/30/7/3 rows', (f, seed) => {
      const y = imbalanced(seed + 10);
      const Xi = y.map((_, i) => [i, i % 7]);
      const s: Any = trainTestSplit(Xi, y as Any, { testFraction: f, seed, stratify: true } as Any);
      expectPartition(s.train.indices, s.test.indices, y.length);
      const nTest = s.test.indices.length;
      expect(Math.abs(nTest - f * y.length)).toBeLessThanOrEqual(1);
      const all = count(y);
      const inTest = count(s.test.targets as string[]);
      for (const [c, n] of all) {
        const want = (n * nTest) / y.length;
        expect(Math.abs((inTest.get(c) ?? 0) - want), `class ${c}: ${inTest.get(c) ?? 0} of ${n} in a test set of ${nTest}`).toBeLessThanOrEqual(1);
      }
    });

    it("1 and '1' are different classes", () => {
      const y: Array<number | string> = [...Array(10).fill(1), ...Array(10).fill('1')];
      const s: Any = trainTestSplit(
        y.map((_, i) => [i]),
        y as Any,
        { testFraction: 0.5, seed: 3, stratify: true } as Any,
      );
      expect((s.test.targets as unknown[]).filter((v) => v === 1)).toHaveLength(5);
      expect((s.test.targets as unknown[]).filter((v) => v === '1')).toHaveLength(5);
    });

    it('unstratified splits do miss the shares on the same data (the check can fail)', () => {
      let worst = 0;
      for (let seed = 1; seed <= 20; seed++) {
        const y = imbalanced(seed + 10);
        const s: Any = trainTestSplit(
          y.map((_, i) => [i]),
          y as Any,
          { testFraction: 0.5, seed } as Any,
        );
        const inTest = count(s.test.targets as string[]);
        for (const [c, n] of count(y)) worst = Math.max(worst, Math.abs((inTest.get(c) ?? 0) - (n * s.test.indices.length) / y.length));
      }
      expect(worst).toBeGreaterThan(1);
    });
  });

  it.each([[0], [1], [1.5], [-0.2], [NaN]])('testFraction %s is a DeltapropError naming options.testFraction', (f) => {
    const e = errorOf(() => trainTestSplit(X, labels as Any, { testFraction: f, seed: 1 } as Any));
    expect(e).toBeInstanceOf(DeltapropError);
    expect(e.message).toContain('options.testFraction');
  });

  it('targets of another length are a DeltapropError naming targets', () => {
    const e = errorOf(() => trainTestSplit(X, labels.slice(1) as Any, { testFraction: 0.2, seed: 1 } as Any));
    expect(e).toBeInstanceOf(DeltapropError);
    expect(e.message).toContain('targets');
  });
});

// ---------------------------------------------------------------------------

describe('kFold', () => {
  function checkFolds(folds: Any[], n: number, k: number) {
    expect(folds).toHaveLength(k);
    const seen = new Array<number>(n).fill(0);
    for (const f of folds) {
      expect(f.train).toBeInstanceOf(Int32Array);
      expect(f.test).toBeInstanceOf(Int32Array);
      for (const part of [f.train, f.test]) for (let i = 1; i < part.length; i++) expect(part[i]).toBeGreaterThan(part[i - 1]);
      expectPartition(f.train, f.test, n);
      for (const i of f.test) seen[i]++;
    }
    expect(seen.every((s) => s === 1)).toBe(true);
    const sizes = folds.map((f) => f.test.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  }

  it.each([
    [10, 2],
    [10, 3],
    [17, 5],
    [100, 7],
    [5, 5],
    [23, 10],
  ])('%i rows, k = %i: ascending Int32Arrays, every row in exactly one test fold, sizes within 1', (n, k) => {
    checkFolds(kFold(n, k, { seed: 4 }) as Any, n, k);
  });

  it('an array of rows is taken by its length', () => {
    const rows = Array.from({ length: 19 }, (_, i) => ({ i }));
    const a = kFold(rows as Any, 4, { seed: 9 }) as Any;
    checkFolds(a, 19, 4);
    const b = kFold(19, 4, { seed: 9 }) as Any;
    expect(a.map((f: Any) => Array.from(f.test))).toEqual(b.map((f: Any) => Array.from(f.test)));
  });

  it('the same seed gives the same folds; other seeds other folds', () => {
    const a = (kFold(30, 4, { seed: 21 }) as Any).map((f: Any) => Array.from(f.test));
    const b = (kFold(30, 4, { seed: 21 }) as Any).map((f: Any) => Array.from(f.test));
    expect(a).toEqual(b);
    const others = [22, 23, 24].map((seed) => JSON.stringify((kFold(30, 4, { seed }) as Any).map((f: Any) => Array.from(f.test))));
    expect(others.some((o) => o !== JSON.stringify(a))).toBe(true);
  });

  it('shuffle: false does not depend on the seed', () => {
    const a = (kFold(23, 4, { shuffle: false, seed: 1 }) as Any).map((f: Any) => Array.from(f.test));
    const b = (kFold(23, 4, { shuffle: false, seed: 2 }) as Any).map((f: Any) => Array.from(f.test));
    expect(a).toEqual(b);
    checkFolds(kFold(23, 4, { shuffle: false, seed: 1 }) as Any, 23, 4);
  });

  describe("stratified: each class's count in two folds differs by at most 1", () => {
    const cases: Array<[number, number]> = [];
    for (const k of [2, 3, 5, 7]) for (const seed of [1, 2, 3]) cases.push([k, seed]);
    it.each(cases)('k = %i, seed %i, labels given (classes of 50/30/7/3 rows)', (k, seed) => {
      const y = imbalanced(seed);
      const folds = kFold(y.length, k, { stratify: y, seed } as Any) as Any;
      checkFolds(folds, y.length, k);
      for (const c of ['a', 'b', 'c', 'd']) {
        const per = folds.map((f: Any) => Array.from(f.test as Int32Array).filter((i) => y[i] === c).length);
        expect(Math.max(...per) - Math.min(...per), `class ${c}: ${per}`).toBeLessThanOrEqual(1);
      }
    });

    it.each([[3], [4]])('stratify: true takes the rows as the labels (k = %i, booleans and numbers)', (k) => {
      const y = imbalanced(5).map((l) => (l === 'a' ? true : l === 'b' ? false : l === 'c' ? 1 : 2));
      const folds = kFold(y as Any, k, { stratify: true, seed: 3 } as Any) as Any;
      checkFolds(folds, y.length, k);
      for (const c of [true, false, 1, 2]) {
        const per = folds.map((f: Any) => Array.from(f.test as Int32Array).filter((i) => y[i] === c).length);
        expect(Math.max(...per) - Math.min(...per), `class ${String(c)}: ${per}`).toBeLessThanOrEqual(1);
      }
    });

    it("1 and '1' are different classes when stratifying", () => {
      const y: Array<number | string> = [...Array(6).fill(1), ...Array(6).fill('1')];
      const folds = kFold(y.length, 3, { stratify: y, seed: 2 } as Any) as Any;
      for (const f of folds) {
        expect(Array.from(f.test as Int32Array).filter((i) => y[i] === 1)).toHaveLength(2);
        expect(Array.from(f.test as Int32Array).filter((i) => y[i] === '1')).toHaveLength(2);
      }
    });

    it('plain folds do break the class counts on the same data (the check can fail)', () => {
      let worst = 0;
      for (let seed = 1; seed <= 10; seed++) {
        const y = imbalanced(seed);
        for (const f0 of [kFold(y.length, 5, { seed }) as Any]) {
          for (const c of ['a', 'b']) {
            const per = f0.map((f: Any) => Array.from(f.test as Int32Array).filter((i) => y[i] === c).length);
            worst = Math.max(worst, Math.max(...per) - Math.min(...per));
          }
        }
      }
      expect(worst).toBeGreaterThan(1);
    });
  });

  it.each([
    ['k = 1', () => kFold(10, 1, { seed: 1 }), /\bk\b|folds/],
    ['k above the number of rows', () => kFold(4, 5, { seed: 1 }), /\bk\b|folds|rows/],
    ['k not an integer', () => kFold(10, 2.5, { seed: 1 }), /\bk\b|folds/],
    ['stratify labels of another length', () => kFold(10, 2, { stratify: [1, 2, 1], seed: 1 } as Any), /options\.stratify/],
  ])('%s is a DeltapropError naming the argument', (_name, f, where) => {
    const e = errorOf(f);
    expect(e).toBeInstanceOf(DeltapropError);
    expect(e.message).toMatch(where);
  });
});

// ---------------------------------------------------------------------------

interface Observed {
  fold: unknown;
  net: Any;
  trainInputs?: Any;
  trainTargets?: Any;
}

/** Records the rows each network is trained on when several train at once (Network.fitMany), as the fit patch below does alone. */
const trainedTogether = new Map<Any, Observed>();
const fitMany = Network.fitMany.bind(Network);
Network.fitMany = (tasks: Any) => {
  for (const task of tasks) {
    const o = trainedTogether.get(task.network);
    if (o) Object.assign(o, { trainInputs: task.inputs, trainTargets: task.targets });
  }
  return fitMany(tasks);
};

/** A makeNetwork that keeps each network and the rows it was trained on (alone or with others). */
function observing(make: () => Any) {
  const seen: Observed[] = [];
  const makeNetwork = (fold: unknown) => {
    const net = make();
    const o: Observed = { fold, net };
    trainedTogether.set(net, o);
    for (const name of ['fit', 'fitSync']) {
      const original = net[name].bind(net);
      net[name] = (inputs: Any, targets: Any, options: Any) => {
        o.trainInputs = inputs;
        o.trainTargets = targets;
        return original(inputs, targets, options);
      };
    }
    seen.push(o);
    return net;
  };
  return { seen, makeNetwork };
}

function matrixRows(x: Any): number[][] {
  return Array.isArray(x) ? x : rowsOf(x);
}

const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
const popStd = (xs: number[]) => Math.sqrt(xs.reduce((s, v) => s + (v - mean(xs)) ** 2, 0) / xs.length);

describe.each(BACKENDS)('crossValidate on %s', (backend) => {
  const next = seededUniform(313);
  // Column 0 is the row's index: it tells which rows a fold was trained on.
  const X = Array.from({ length: 45 }, (_, i) => [i, ...randomRows(1, 2, next)[0]]);
  const y = X.map((r) => (r[1] > 0.3 ? 'c' : r[2] > 0 ? 'b' : 'a'));
  const yi = y.map((l) => ['a', 'b', 'c'].indexOf(l));
  const yr = X.map((r) => 1 + r[1] * 2 - r[2]);
  const clf = () =>
    new Network({
      inputs: 3,
      layers: [
        { units: 5, activation: 'tanh' },
        { units: 3, activation: 'softmax' },
      ],
      loss: 'cross-entropy',
      inputScaling: 'standard',
      seed: 7,
      backend,
    } as Any);
  const reg = () =>
    new Network({
      inputs: 3,
      layers: [
        { units: 5, activation: 'tanh' },
        { units: 1, activation: 'identity' },
      ],
      loss: 'mse',
      inputScaling: 'standard',
      seed: 7,
      backend,
    } as Any);
  const fit = { epochs: 4, batchSize: 8, learningRate: 0.2 };

  it('a classifier: k folds, each network trained on its train rows and scored on the rest; accuracy and loss recomputed here; mean and population std', async () => {
    const { seen, makeNetwork } = observing(clf);
    const cv: Any = await crossValidate(makeNetwork, X, y as Any, { folds: 4, seed: 5, fit } as Any);
    expect(cv.folds).toHaveLength(4);
    expect(seen).toHaveLength(4);
    expect(new Set(seen.map((s) => JSON.stringify(s.fold))).size).toBe(4);
    const testSets: number[][] = [];
    cv.folds.forEach((f: Any, k: number) => {
      expect(f.fold).toBe(k);
      expect(Object.keys(f.metrics).sort()).toEqual(['accuracy', 'loss']);
      const o = seen[k];
      const trainIdx = matrixRows(o.trainInputs).map((r) => r[0]);
      expect(Array.from(o.trainTargets)).toEqual(trainIdx.map((i) => y[i]));
      const test = X.map((_, i) => i).filter((i) => !trainIdx.includes(i));
      testSets.push(test);
      expect(f.trainRows).toBe(trainIdx.length);
      expect(f.testRows).toBe(test.length);
      // the fold's figures, from its network
      const out = o.net.predict(test.map((i) => X[i]));
      const pred = rowsOf(out).map((r) => r.indexOf(Math.max(...r)));
      const acc = pred.filter((p, j) => p === yi[test[j]]).length / test.length;
      const loss = -test.reduce((s, i, j) => s + Math.log(out.data[j * 3 + yi[i]]), 0) / test.length;
      expect(f.metrics.accuracy).toBeCloseTo(acc, 14);
      expect(Math.abs(f.metrics.loss - loss) / loss).toBeLessThanOrEqual(1e-12);
      expect(f.history.loss).toHaveLength(4);
    });
    // every row tested once; fold sizes within 1; stratified by default for a classifier
    expect(testSets.flat().sort((a, b) => a - b)).toEqual(X.map((_, i) => i));
    const sizes = testSets.map((t) => t.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    for (const c of ['a', 'b', 'c']) {
      const per = testSets.map((t) => t.filter((i) => y[i] === c).length);
      expect(Math.max(...per) - Math.min(...per), `class ${c}: ${per}`).toBeLessThanOrEqual(1);
    }
    for (const name of ['loss', 'accuracy']) {
      const values = cv.folds.map((f: Any) => f.metrics[name]);
      expect(Math.abs(cv.mean[name] - mean(values))).toBeLessThanOrEqual(1e-14);
      expect(Math.abs(cv.std[name] - popStd(values))).toBeLessThanOrEqual(1e-14);
    }
  });

  it('folds = 5 by default', async () => {
    const cv: Any = await crossValidate(() => clf(), X, y as Any, { seed: 5, fit } as Any);
    expect(cv.folds).toHaveLength(5);
  });

  it('reproducible from the seed: the same seed gives the same folds and figures', async () => {
    const a: Any = await crossValidate(() => clf(), X, y as Any, { folds: 3, seed: 9, fit } as Any);
    const b: Any = await crossValidate(() => clf(), X, y as Any, { folds: 3, seed: 9, fit } as Any);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const o1 = observing(clf);
    const o2 = observing(clf);
    await crossValidate(o1.makeNetwork, X, y as Any, { folds: 3, seed: 9, fit } as Any);
    await crossValidate(o2.makeNetwork, X, y as Any, { folds: 3, seed: 10, fit } as Any);
    const trainSets = (o: Observed[]) =>
      JSON.stringify(
        o.map((s) =>
          matrixRows(s.trainInputs)
            .map((r) => r[0])
            .sort((p, q) => p - q),
        ),
      );
    expect(trainSets(o2.seen)).not.toBe(trainSets(o1.seen));
  });

  it("named metrics: options.metrics ['f1', 'accuracy'] gives loss, f1 and accuracy per fold, and their mean and std", async () => {
    const cv: Any = await crossValidate(() => clf(), X, y as Any, { folds: 3, seed: 2, metrics: ['f1', 'accuracy'], fit } as Any);
    for (const f of cv.folds) expect(Object.keys(f.metrics).sort()).toEqual(['accuracy', 'f1', 'loss']);
    for (const name of ['loss', 'f1', 'accuracy']) {
      const values = cv.folds.map((f: Any) => f.metrics[name]);
      expect(Math.abs(cv.mean[name] - mean(values))).toBeLessThanOrEqual(1e-14);
      expect(Math.abs(cv.std[name] - popStd(values))).toBeLessThanOrEqual(1e-14);
    }
  });

  it('a regression network: r2 by default, recomputed here from each network; not stratified (continuous targets)', async () => {
    const { seen, makeNetwork } = observing(reg);
    const cv: Any = await crossValidate(makeNetwork, X, yr as Any, { folds: 3, seed: 4, fit: { ...fit, learningRate: 0.05 } } as Any);
    expect(cv.folds).toHaveLength(3);
    cv.folds.forEach((f: Any, k: number) => {
      expect(Object.keys(f.metrics).sort()).toEqual(['loss', 'r2']);
      const trainIdx = matrixRows(seen[k].trainInputs).map((r) => r[0]);
      const test = X.map((_, i) => i).filter((i) => !trainIdx.includes(i));
      const out = seen[k].net.predict(test.map((i) => X[i])).data;
      const t = test.map((i) => yr[i]);
      const m = mean(t);
      const res = t.reduce((s, v, j) => s + (v - out[j]) ** 2, 0);
      const tot = t.reduce((s, v) => s + (v - m) ** 2, 0);
      expect(Math.abs(f.metrics.r2 - (1 - res / tot))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(f.metrics.r2)));
      // mse loss: ½ (f − t)² averaged over the rows
      expect(Math.abs(f.metrics.loss - res / (2 * t.length)) / (res / (2 * t.length))).toBeLessThanOrEqual(1e-12);
    });
    const r2 = cv.folds.map((f: Any) => f.metrics.r2);
    expect(Math.abs(cv.mean.r2 - mean(r2))).toBeLessThanOrEqual(1e-14);
    expect(Math.abs(cv.std.r2 - popStd(r2))).toBeLessThanOrEqual(1e-14);
  });

  it("sampleWeight reaches each fold's fit: integer weights train like repeated rows", async () => {
    // Weights 0/1: a row of weight 0 is absent from its fold's training.
    const w = X.map((_, i) => (i % 4 === 0 ? 0 : 1));
    const full = { epochs: 3, batchSize: 1000, shuffle: false, learningRate: 0.3 };
    const plain = () =>
      new Network({
        inputs: 3,
        layers: [
          { units: 5, activation: 'tanh' },
          { units: 3, activation: 'softmax' },
        ],
        loss: 'cross-entropy',
        seed: 7,
        backend,
      } as Any);
    const a = observing(plain);
    await crossValidate(a.makeNetwork, X, y as Any, { folds: 3, seed: 6, sampleWeight: w, fit: full } as Any);
    for (const o of a.seen) {
      const idx = matrixRows(o.trainInputs).map((r) => r[0]);
      const kept = idx.filter((i) => w[i] === 1);
      expect(kept.length).toBeLessThan(idx.length);
      const ref: Any = plain();
      ref.fitSync(
        kept.map((i) => X[i]),
        kept.map((i) => y[i]),
        full,
      );
      const d = Math.max(...Array.from(o.net.params as Float64Array, (v, j) => Math.abs(v - ref.params[j]) / Math.max(1, Math.abs(v))));
      expect(d).toBeLessThanOrEqual(1e-12);
    }
  });

  it('a table network with object rows and string labels', async () => {
    const objects = X.map(([i, a, b]) => ({ id: i, a, b, kind: a > 0 ? 'up' : 'down' }));
    const make = () =>
      new Network({
        columns: [{ name: 'id', kind: 'ignore' }, 'a', 'b', 'kind'],
        layers: [
          { units: 4, activation: 'tanh' },
          { units: 3, activation: 'softmax' },
        ],
        loss: 'cross-entropy',
        seed: 3,
        backend,
      } as Any);
    const { seen, makeNetwork } = observing(make);
    const cv: Any = await crossValidate(makeNetwork, objects as Any, y as Any, { folds: 3, seed: 1, fit } as Any);
    expect(cv.folds).toHaveLength(3);
    const tested = cv.folds.reduce((s: number, f: Any) => s + f.testRows, 0);
    expect(tested).toBe(X.length);
    cv.folds.forEach((f: Any, k: number) => {
      expect(f.trainRows + f.testRows).toBe(X.length);
      const ids = (seen[k].trainInputs as Any[]).map((r) => r.id);
      expect(ids).toHaveLength(f.trainRows);
      const test = objects.filter((r) => !ids.includes(r.id));
      const pred = seen[k].net.predictClasses(test);
      const acc = pred.filter((p: string, j: number) => p === y[test[j].id]).length / test.length;
      expect(f.metrics.accuracy).toBeCloseTo(acc, 14);
    });
  });

  it.each([
    ['folds 1', { folds: 1 }, 'options.folds'],
    ['folds 2.5', { folds: 2.5 }, 'options.folds'],
    ['an unknown metric', { metrics: ['nope'] }, 'options.metrics'],
  ])('%s is a DeltapropError naming %s', async (_name, options, where) => {
    let e: unknown;
    try {
      await crossValidate(() => clf(), X, y as Any, { seed: 1, fit, ...options } as Any);
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(DeltapropError);
    expect((e as Error).message).toContain(where);
  });
});
