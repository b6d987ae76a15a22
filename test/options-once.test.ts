// Every option of every public method is read exactly once. An options
// object whose getters answer differently on each read (a Proxy here, or
// defineProperty getters) must not get one value past a check and another
// into the work: epochs 1 to the check and 1e9 to the loop. Each case runs a
// method twice, on plain options and on the same options behind counting
// Proxies (nested objects and arrays too) whose every read after the first
// returns a bad value; the two results must be the same, and no property may
// be read twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FitOptions, History, NetworkOptions, TableNetworkOptions } from '../src/index.js';
import { DeltapropError, Network, crossValidate, gemm, kFold, metrics, setThreads, trainTestSplit, trainingReport } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { errorOf } from './helpers/errors.js';

type Reads = Map<string, number>;

/** Objects and arrays that are options (plain data); typed arrays, Maps, Dates, functions and instances pass as they are. */
function isPlain(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A value no check accepts: what a second read gets. */
function badOf(good: unknown): unknown {
  return typeof good === 'number' ? NaN : typeof good === 'string' ? '\u0000bad' : 'bad';
}

/**
 * Rows inside options are data, read where fit reads its own rows (rows.ts),
 * not by the options' readers: the lists of rows are options' values and
 * are counted, the rows in them are not.
 */
const DATA_ROWS = /\.validation\.inputs\.\d+$/;

/**
 * `value` behind Proxies (every plain object and array in it, to any depth)
 * that count each property's reads in `reads` by path and answer every read
 * after the first with a bad value.
 */
function shifty<T>(value: T, reads: Reads, at = 'options'): T {
  if (!isPlain(value) || DATA_ROWS.test(at)) return value;
  const target = (Array.isArray(value) ? [...value] : { ...value }) as Record<PropertyKey, unknown>;
  return new Proxy(target, {
    get(t, key) {
      const where = `${at}.${String(key)}`;
      const count = (reads.get(where) ?? 0) + 1;
      reads.set(where, count);
      const good = Reflect.get(t, key);
      return count === 1 ? shifty(good, reads, where) : badOf(good);
    },
  }) as T;
}

/** The same with defineProperty getters on a plain object (top level only). */
function withGetters<T extends object>(value: T, reads: Reads): T {
  const out = {};
  for (const [key, good] of Object.entries(value)) {
    Object.defineProperty(out, key, {
      enumerable: true,
      get() {
        const count = (reads.get(key) ?? 0) + 1;
        reads.set(key, count);
        return count === 1 ? good : badOf(good);
      },
    });
  }
  return out as T;
}

function readTwice(reads: Reads): string[] {
  return [...reads].filter(([, n]) => n > 1).map(([where, n]) => `${where} read ${n} times`);
}

/**
 * Runs `call` on `options` as they are, then behind shifty Proxies, then with
 * getters: the results must agree, and no option be read twice. Returns the
 * Proxy run's reads, for more checks.
 */
async function expectReadOnce<O>(options: () => O, call: (options: O) => unknown): Promise<Reads> {
  const plain = await call(options());
  const reads: Reads = new Map();
  let proxied: unknown;
  try {
    proxied = await call(shifty(options(), reads));
  } catch (e) {
    // A bad value got through: say which property was read twice.
    throw new Error(`${(e as Error).message}; read more than once: ${readTwice(reads).join(', ') || 'none'}`, { cause: e });
  }
  expect(readTwice(reads)).toEqual([]);
  expect(proxied).toEqual(plain);
  const getterReads: Reads = new Map();
  const got = options();
  if (isPlain(got) && !Array.isArray(got)) {
    expect(await call(withGetters(got as O & object, getterReads))).toEqual(plain);
    expect(readTwice(getterReads)).toEqual([]);
  }
  return reads;
}

const XOR = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const LABELS = [0, 1, 1, 0, 0, 1, 1, 0];
const WEIGHTS = [1, 2, 1, 1, 0.5, 1, 3, 1];

const dir = mkdtempSync(path.join(tmpdir(), 'deltaprop-options-once-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a fit did, to compare two fits. */
function fitResult(net: Network, history: History) {
  const { bestEpoch, stoppedEpoch, restoredEpoch, ...rest } = history;
  return { history: rest, bestEpoch, stoppedEpoch, restoredEpoch, params: Array.from(net.params) };
}

describe.each(BACKENDS)('options read once on %s', (backend) => {
  const classifier = (): Network =>
    new Network({
      inputs: 2,
      layers: [
        { units: 4, activation: 'tanh' },
        { units: 2, activation: 'softmax' },
      ],
      loss: 'cross-entropy',
      seed: 3,
      backend,
    });

  describe('new Network', () => {
    it('reads each option, each layer and each of its settings once', async () => {
      const options = (): NetworkOptions => ({
        inputs: 3,
        layers: [
          { units: 5, activation: 'relu', dropout: 0.25 },
          { units: 4, activation: 'tanh' },
          { units: 2, activation: 'softmax' },
        ],
        loss: 'cross-entropy',
        reduction: 'sum',
        bias: true,
        l2: 0.01,
        seed: 11,
        init: 'xavier',
        inputScaling: 'minmax',
        backend,
        metadata: { task: 'test', tags: ['a', 'b'], nested: { depth: 2 } },
        classes: ['no', 'yes'],
      });
      const reads = await expectReadOnce(options, (o) => {
        const net = new Network(o);
        return { config: net.toJSON().config, params: Array.from(net.params), metadata: net.metadata, classes: net.classes };
      });
      for (const key of ['inputs', 'layers', 'layers.0', 'layers.0.units', 'layers.0.dropout', 'layers.length', 'classes.length', 'classes.1', 'seed']) {
        expect(reads.get(`options.${key}`), key).toBe(1);
      }
    });

    it('reads each column of a table network once, and each of a schema', async () => {
      const columns = (): TableNetworkOptions => ({
        columns: ['age', { name: 'city', kind: 'categorical', unknown: 'ignore', maxCategories: 5 }, { name: 'income', kind: 'numeric', impute: 'constant', fillValue: 0, missingIndicator: true }],
        layers: [
          { units: 3, activation: 'tanh' },
          { units: 1, activation: 'sigmoid' },
        ],
        loss: 'binary-cross-entropy',
        seed: 2,
        backend,
      });
      await expectReadOnce(columns, (o) => new Network(o).columns);
      const learned = new Network(columns());
      learned.adapt([
        { age: 30, city: 'Lyon', income: 1 },
        { age: 40, city: 'Nice', income: null },
      ]);
      const schema = (): TableNetworkOptions => ({
        schema: structuredClone(learned.schema!),
        layers: [
          { units: 3, activation: 'tanh' },
          { units: 1, activation: 'sigmoid' },
        ],
        loss: 'binary-cross-entropy',
        seed: 2,
        backend,
      });
      await expectReadOnce(schema, (o) => {
        const net = new Network(o);
        return { schema: net.schema, inputs: net.inputs, params: Array.from(net.params) };
      });
    });

    it('a layer count of 1 to the check and 1e9 to the copy builds one layer', () => {
      let lengthReads = 0;
      const layers = new Proxy([{ units: 1, activation: 'identity' }], {
        get(t, key) {
          if (key === 'length') return ++lengthReads === 1 ? 1 : 1e9;
          return Reflect.get(t, key);
        },
      });
      const net = new Network({ inputs: 1, layers: layers as NetworkOptions['layers'], seed: 1, backend });
      expect(net.layers.length).toBe(1);
      expect(lengthReads).toBe(1);
      // A Proxy claiming more layers than any network has is refused before it is read.
      const huge = new Proxy([], { get: (t, key) => (key === 'length' ? 2 ** 31 : Reflect.get(t, key)) });
      expect(() => new Network({ inputs: 1, layers: huge as never })).toThrow(/^options\.layers: expected an array of at most 65536/);
    });
  });

  describe('fit and fitSync', () => {
    it('epochs: 1 to the check and 1e9 to the loop trains one epoch', async () => {
      for (const sync of [true, false]) {
        const net = classifier();
        let reads = 0;
        // onEpoch ends a run gone wrong after a few epochs, so that a second read fails the test instead of hanging it.
        const options = {
          get epochs() {
            return ++reads === 1 ? 1 : 1e9;
          },
          batchSize: 8,
          onEpoch: ({ epoch }: { epoch: number }) => epoch < 3,
        };
        const history = sync ? net.fitSync(XOR, LABELS, options) : await net.fit(XOR, LABELS, options);
        expect(history.epochs).toBe(1);
        expect(reads).toBe(1);
      }
    });

    const fitCases: [string, () => FitOptions][] = [
      [
        'sgd with momentum, a step schedule, weights, class weights, metrics, early stopping, a checkpoint and callbacks',
        () => ({
          epochs: 3,
          batchSize: 3,
          learningRate: { type: 'step', initial: 0.1, gamma: 0.5, every: 1 },
          optimizer: { type: 'sgd', momentum: 0.5, nesterov: true },
          clipNorm: 5,
          shuffle: true,
          validationSplit: 0.25,
          sampleWeight: WEIGHTS,
          classWeight: { 0: 1, 1: 2 },
          metrics: ['accuracy', 'f1'],
          earlyStopping: { monitor: 'validationLoss', patience: 5, minDelta: 0, restoreBest: true },
          checkpoint: { path: path.join(dir, `sgd-${backend}.json`), every: 1, monitor: 'loss' },
          onEpoch: () => undefined,
          onProgress: () => undefined,
          signal: new AbortController().signal,
        }),
      ],
      [
        'adam, a plateau schedule, validation rows with weights, balanced class weights',
        () => ({
          epochs: 3,
          batchSize: 4,
          learningRate: { type: 'plateau', initial: 0.05, factor: 0.5, patience: 0, min: 0.001, monitor: 'validationLoss' },
          optimizer: { type: 'adamw', beta1: 0.8, beta2: 0.99, epsilon: 1e-7, weightDecay: 0.02 },
          shuffle: false,
          validation: {
            inputs: [
              [0, 1],
              [1, 1],
            ],
            targets: [1, 0],
            sampleWeight: [1, 2],
          },
          classWeight: 'balanced',
        }),
      ],
      [
        'the momentum shorthand, a cosine schedule, rmsprop-free sgd',
        () => ({
          epochs: 2,
          batchSize: 8,
          momentum: 0.9,
          learningRate: { type: 'cosine', initial: 0.1, min: 0.01, epochs: 4, warmup: 1 },
        }),
      ],
      [
        'rmsprop and an exponential schedule',
        () => ({
          epochs: 2,
          optimizer: { type: 'rmsprop', alpha: 0.9, epsilon: 1e-6 },
          learningRate: { type: 'exponential', initial: 0.1, gamma: 0.9 },
        }),
      ],
    ];

    it.each(fitCases)('fitSync reads each option once: %s', async (_name, options) => {
      await expectReadOnce(options, (o) => {
        const net = classifier();
        return fitResult(net, net.fitSync(XOR, LABELS, o));
      });
    });

    it.each(fitCases)('fit reads each option once: %s', async (_name, options) => {
      await expectReadOnce(options, async (o) => {
        const net = classifier();
        return fitResult(net, await net.fit(XOR, LABELS, o));
      });
    });

    it('a streamed fit reads its options once, and classWeight once for every chunk of every epoch', async () => {
      const source = () => [
        { inputs: XOR.slice(0, 4), targets: LABELS.slice(0, 4) },
        { inputs: XOR.slice(4), targets: LABELS.slice(4) },
      ];
      const options = (): FitOptions => ({ epochs: 3, batchSize: 2, shuffleBuffer: 3, classWeight: { 0: 2, 1: 1 }, optimizer: 'adam' });
      await expectReadOnce(options, (o) => {
        const net = classifier();
        return fitResult(net, net.fitSync(source, o));
      });
    });

    it("a Map of class weights is copied by Map's own iterator: an override cannot answer twice", () => {
      let calls = 0;
      class Shifty extends Map<number, number> {
        override entries(): MapIterator<[number, number]> {
          calls++;
          return new Map([
            [0, 1e300],
            [1, -1],
          ]).entries();
        }
        override get(key: number): number | undefined {
          calls++;
          return key === 0 ? 1e300 : -1;
        }
        override [Symbol.iterator](): MapIterator<[number, number]> {
          return this.entries();
        }
      }
      const plain = classifier();
      const shifty = classifier();
      const weights = new Shifty([
        [0, 1],
        [1, 2],
      ]);
      const a = plain.fitSync(XOR, LABELS, {
        epochs: 2,
        classWeight: new Map([
          [0, 1],
          [1, 2],
        ]),
      });
      const b = shifty.fitSync(XOR, LABELS, { epochs: 2, classWeight: weights });
      expect(b.loss).toEqual(a.loss);
      expect(Array.from(shifty.params)).toEqual(Array.from(plain.params));
      expect(calls).toBe(0);
      // A Proxy of a Map has no entries of its own to copy.
      const proxy = new Proxy(new Map([[0, 1]]), {});
      expect(errorOf(() => classifier().fitSync(XOR, LABELS, { classWeight: proxy }))).toBeInstanceOf(DeltapropError);
    });
  });

  describe('the other methods of a network', () => {
    it('evaluate and gradients read their options once', async () => {
      const net = classifier();
      await expectReadOnce(
        () => ({ sampleWeight: WEIGHTS, metrics: ['accuracy', 'f1', 'auc'] as const }),
        (o) => net.evaluate(XOR, LABELS, o as never),
      );
      await expectReadOnce(
        () => ({ sampleWeight: WEIGHTS }),
        (o) => {
          const g = net.gradients(XOR, LABELS, o);
          return { loss: g.loss, grads: Array.from(g.grads) };
        },
      );
    });

    it('toONNX, toFunction, fromJSON and load read their options once', async () => {
      const net = new Network({
        inputs: 2,
        layers: [
          { units: 3, activation: 'tanh' },
          { units: 2, activation: 'softmax' },
        ],
        loss: 'cross-entropy',
        classes: ['a', 'b'],
        seed: 4,
        backend,
      });
      await expectReadOnce(
        () => ({ dtype: 'float32' as const, inputName: 'x', outputName: 'y', labelName: 'kind' }),
        (o) => Array.from(net.toONNX(o)),
      );
      await expectReadOnce(
        () => ({ output: 'classes' as const }),
        (o) => net.toFunction(o),
      );
      const json = net.toJSON();
      await expectReadOnce(
        () => ({ backend }),
        (o) => Array.from(Network.fromJSON(json, o).params),
      );
      const file = path.join(dir, `load-${backend}.bin`);
      net.save(file);
      await expectReadOnce(
        () => ({ backend }),
        (o) => Array.from(Network.load(file, o).params),
      );
    });

    it("setBiases and setWeights read each value once, and an array's length once", async () => {
      const net = new Network({ inputs: 2, layers: [{ units: 3, activation: 'identity' }], seed: 1, backend });
      await expectReadOnce(
        () => [0.5, -1, 2],
        (b) => {
          net.setBiases(0, b);
          return Array.from(net.params);
        },
      );
      await expectReadOnce(
        () => [
          [1, 2, 3],
          [4, 5, 6],
        ],
        (w) => {
          net.setWeights(0, w);
          return Array.from(net.params);
        },
      );
    });
  });

  describe('splits, cross-validation and metrics', () => {
    it('trainTestSplit and kFold read their options once', async () => {
      await expectReadOnce(
        () => ({ testFraction: 0.25, seed: 3, stratify: true }),
        (o) => trainTestSplit(XOR, LABELS, o),
      );
      await expectReadOnce(
        () => ({ stratify: LABELS, seed: 5, shuffle: true }),
        (o) => kFold(8, 2, o),
      );
    });

    it('crossValidate reads its options, and the fit options inside them, once', async () => {
      const options = () => ({
        folds: 2,
        seed: 1,
        stratify: true,
        shuffle: true,
        metrics: ['accuracy'] as const,
        sampleWeight: WEIGHTS,
        fit: { epochs: 2, batchSize: 2, optimizer: { type: 'adam' as const } },
      });
      await expectReadOnce(options, async (o) => {
        const result = await crossValidate(classifier, XOR, LABELS, o as never);
        return result.folds.map((f) => f.metrics);
      });
    });

    it('every metric reads its options once', async () => {
      const yTrue = [0, 1, 1, 0, 1, 0];
      const yPred = [0, 1, 0, 0, 1, 1];
      const scores = [0.1, 0.8, 0.4, 0.3, 0.9, 0.6];
      const weight = [1, 2, 1, 1, 2, 1];
      await expectReadOnce(
        () => ({ sampleWeight: weight }),
        (o) => metrics.accuracy(yTrue, yPred, o),
      );
      await expectReadOnce(
        () => ({ sampleWeight: weight }),
        (o) => metrics.balancedAccuracy(yTrue, yPred, o),
      );
      await expectReadOnce(
        () => ({ labels: [1, 0], sampleWeight: weight }),
        (o) => metrics.confusionMatrix(yTrue, yPred, o),
      );
      for (const score of [metrics.precision, metrics.recall, metrics.f1]) {
        await expectReadOnce(
          () => ({ average: 'binary' as const, labels: [0, 1], positiveLabel: 1, zeroDivision: 1 as const, sampleWeight: weight }),
          (o) => score(yTrue, yPred, o),
        );
        await expectReadOnce(
          () => ({ average: 'weighted' as const, labels: [1, 0], sampleWeight: weight }),
          (o) => score(yTrue, yPred, o),
        );
      }
      await expectReadOnce(
        () => ({ labels: [0, 1], zeroDivision: 0 as const, sampleWeight: weight }),
        (o) => metrics.classificationReport(yTrue, yPred, o),
      );
      await expectReadOnce(
        () => ({ labels: [0, 1], sampleWeight: weight }),
        (o) => metrics.rocAuc(yTrue, scores, o),
      );
      await expectReadOnce(
        () => ({ labels: [0, 1], sampleWeight: weight }),
        (o) => metrics.logLoss(yTrue, scores, o),
      );
      for (const measure of [metrics.r2, metrics.mae, metrics.mse, metrics.rmse, metrics.mape]) {
        await expectReadOnce(
          () => ({ sampleWeight: weight }),
          (o) =>
            measure(
              scores,
              yPred.map((y) => y + 1),
              o,
            ),
        );
      }
    });
  });

  describe('trainingReport, gemm and setThreads', () => {
    it('trainingReport reads each detail, and each part of one, once', async () => {
      const net = classifier();
      const history = net.fitSync(XOR, LABELS, { epochs: 2 });
      const details = () => ({
        title: 'once',
        optimizer: { type: 'adam' as const, beta1: 0.8 },
        date: new Date(0),
        evaluation: { loss: 0.5, accuracy: 0.75, metrics: { f1: 0.5 } },
        test: { loss: 0.6, accuracy: 0.5, rows: 8, source: 'test.csv' },
        data: { rows: 8, inputs: 2, outputs: 2, validationRows: 2, source: 'train.csv' },
        timing: { seconds: 1, samplesPerSecond: 16 },
      });
      await expectReadOnce(details, (o) => trainingReport(net, history, o));
    });

    it("gemm reads its options once: backend 'js' to the check cannot become another engine", async () => {
      const A = Float64Array.of(1, 2, 3, 4);
      const B = Float64Array.of(1, 0, 0, 1);
      await expectReadOnce(
        () => ({ backend }),
        (o) => {
          const C = new Float64Array(4);
          gemm(false, false, 2, 2, 2, 1, A, 2, B, 2, 0, C, 2, o);
          return Array.from(C);
        },
      );
    });

    it("setThreads takes a number, never calling an object's valueOf", () => {
      let calls = 0;
      const shiftyCount = {
        valueOf() {
          calls++;
          return calls === 1 ? 2 : 1e9;
        },
      };
      expect(() => setThreads(shiftyCount as never)).toThrow(/^threads: expected an integer in \[1, 256\]/);
      expect(calls).toBe(0);
    });
  });
});

// ---------------------------------------------------------------- hostile arrays

/** A typed array whose buffer was transferred away: no memory left to read. */
function detached<T extends Float64Array | Int32Array>(array: T): T {
  structuredClone(array.buffer, { transfer: [array.buffer as ArrayBuffer] });
  return array;
}

/** A Float64Array subclass whose length claims 2^30, whatever it really holds. */
class LongLiar extends Float64Array {
  override get length(): number {
    return 1 << 30;
  }
}

/** The hostile forms of a typed array of `length` elements (the real ones hold one fewer, for the liar). */
function hostileArrays<T extends Float64Array | Int32Array>(make: (length: number) => T, length: number): [string, unknown][] {
  return [
    ['a detached one', detached(make(length))],
    ['an object with its prototype', Object.create(Object.getPrototypeOf(make(0)))],
    ['a Proxy of one', new Proxy(make(length), {})],
    ['a subclass whose length lies', new LongLiar(length - 1)],
  ];
}

describe.each(BACKENDS)('hostile array arguments on %s', (backend) => {
  const f64 = (n: number) => new Float64Array(n).fill(0.5);

  it.each(hostileArrays(f64, 4))('gemm refuses %s as A, B or C, naming it', (_kind, hostile) => {
    const good = () => Float64Array.of(1, 2, 3, 4);
    const calls: [string, () => void][] = [
      ['A', () => gemm(false, false, 2, 2, 2, 1, hostile as Float64Array, 2, good(), 2, 0, good(), 2, { backend })],
      ['B', () => gemm(false, false, 2, 2, 2, 1, good(), 2, hostile as Float64Array, 2, 0, good(), 2, { backend })],
      ['C', () => gemm(false, false, 2, 2, 2, 1, good(), 2, good(), 2, 0, hostile as Float64Array, 2, { backend })],
    ];
    for (const [name, call] of calls) {
      const e = errorOf(call);
      expect(e, `${name}: ${e.message}`).toBeInstanceOf(DeltapropError);
      expect((e as DeltapropError).argument).toBe(name);
    }
  });

  it("gemm refuses a buffer its options' getter detaches: the options are read first", () => {
    const A = Float64Array.of(1, 2, 3, 4);
    const options = {
      get backend() {
        detached(A);
        return backend;
      },
    };
    const e = errorOf(() => gemm(false, false, 2, 2, 2, 1, A, 2, Float64Array.of(1, 0, 0, 1), 2, 0, new Float64Array(4), 2, options));
    expect(e).toBeInstanceOf(DeltapropError);
    expect(e.message).toMatch(/^A: expected a Float64Array with memory to read, got one whose ArrayBuffer was detached/);
  });

  it.each(hostileArrays(f64, 3))('setBiases and setWeights refuse %s, naming it', (_kind, hostile) => {
    const net = new Network({ inputs: 2, layers: [{ units: 3, activation: 'identity' }], seed: 1, backend });
    const before = Array.from(net.params);
    for (const [name, call] of [
      ['biases', () => net.setBiases(0, hostile as Float64Array)],
      ['weights.data', () => net.setWeights(0, { rows: 2, cols: 3, data: hostile as Float64Array })],
    ] as const) {
      const e = errorOf(call);
      expect(e, e.message).toBeInstanceOf(DeltapropError);
      expect((e as DeltapropError).argument).toMatch(new RegExp(`^${name.replace('.', '\\.')}`));
    }
    expect(Array.from(net.params)).toEqual(before);
  });

  it.each(hostileArrays(f64, 8))("predict, evaluate, gradients and fit refuse %s as a Matrix's data or as sampleWeight", async (_kind, hostile) => {
    const net = new Network({
      inputs: 2,
      layers: [
        { units: 2, activation: 'tanh' },
        { units: 1, activation: 'sigmoid' },
      ],
      loss: 'binary-cross-entropy',
      seed: 1,
      backend,
    });
    const X = { rows: 4, cols: 2, data: hostile as Float64Array };
    const T = { rows: 8, cols: 1, data: hostile as Float64Array };
    const goodX = () => ({ rows: 8, cols: 1 * 2, data: new Float64Array(16) });
    const before = Array.from(net.params);
    const calls: [string, () => unknown][] = [
      ['inputs.data', () => net.predict(X)],
      ['inputs.data', () => net.forward(X)],
      ['inputs.data', () => net.evaluate(X, [0, 1, 0, 1])],
      ['targets.data', () => net.gradients(goodX(), T)],
      ['targets.data', () => net.fitSync(goodX(), T)],
      ['options.sampleWeight', () => net.evaluate(goodX(), new Float64Array(8), { sampleWeight: hostile as Float64Array })],
      ['options.sampleWeight', () => net.gradients(goodX(), new Float64Array(8), { sampleWeight: hostile as Float64Array })],
      ['options.sampleWeight', () => net.fitSync(goodX(), new Float64Array(8), { sampleWeight: hostile as Float64Array })],
      ['options.validation.sampleWeight', () => net.fitSync(goodX(), new Float64Array(8), { validation: { inputs: goodX(), targets: new Float64Array(8), sampleWeight: hostile as Float64Array } })],
    ];
    for (const [name, call] of calls) {
      const e = errorOf(call);
      expect(e, `${name}: ${e.message}`).toBeInstanceOf(DeltapropError);
      expect((e as DeltapropError).argument, e.message).toBe(name);
    }
    const e = await net.fit(goodX(), new Float64Array(8), { sampleWeight: hostile as Float64Array }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(e).toBeInstanceOf(DeltapropError);
    expect(Array.from(net.params)).toEqual(before);
  });

  it.each([...hostileArrays(f64, 6), ...hostileArrays((n) => new Int32Array(n), 6)])('the metrics refuse %s as labels, scores or weights, naming it', (_kind, hostile) => {
    const labels = [0, 1, 1, 0, 1, 0];
    const calls: [string, () => unknown][] = [
      ['yTrue', () => metrics.accuracy(hostile as Int32Array, labels)],
      ['yPred', () => metrics.f1(labels, hostile as Int32Array)],
      ['options.sampleWeight', () => metrics.precision(labels, labels, { sampleWeight: hostile as Float64Array })],
      ['options.sampleWeight', () => metrics.mse([1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6], { sampleWeight: hostile as Float64Array })],
    ];
    if (hostile instanceof Float64Array || !(hostile instanceof Int32Array)) {
      calls.push(['scores', () => metrics.rocAuc(labels, hostile as Float64Array)], ['yTrue', () => metrics.r2(hostile as Float64Array, [1, 2, 3, 4, 5, 6])]);
    }
    for (const [name, call] of calls) {
      const e = errorOf(call);
      expect(e, `${name}: ${e.message}`).toBeInstanceOf(DeltapropError);
      // The liar's real 5 labels are read: yTrue is fine, and the 6 of the other argument do not match it.
      const named = hostile instanceof LongLiar && name === 'yTrue' ? ['yPred', 'yTrue'] : [name];
      expect(named, e.message).toContain((e as DeltapropError).argument);
    }
  });

  it('a subclass whose length lies is read at its real length where that length fits', () => {
    const net = new Network({ inputs: 2, layers: [{ units: 3, activation: 'identity' }], seed: 1, backend });
    net.setBiases(0, LongLiar.of(1, 2, 3));
    expect(Array.from(net.layers[0].biases!)).toEqual([1, 2, 3]);
    const weights = LongLiar.of(1, 1, 1, 1);
    expect(metrics.accuracy([0, 1, 1, 0], [0, 1, 0, 0], { sampleWeight: weights })).toBe(0.75);
  });
});
