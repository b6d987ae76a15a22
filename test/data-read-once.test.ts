// The data a method is given are read once, as its options are
// (options-once.test.ts): the list of rows, each row, its length and each
// value, and a flat array of targets (its length and each label), so that a
// Proxy or getters cannot show the checks one thing and the training
// another. And what a rejected value is described as runs none of its code.
import { describe, expect, it } from 'vitest';
import { DeltapropError, Network, oneHot, trainingReport } from '../src/index.js';
import { describeValue } from '../src/errors.js';
import { BACKENDS } from './helpers/backends.js';
import { errorOf } from './helpers/errors.js';

type Reads = Map<string, number>;

/**
 * An array (and the arrays in it) behind Proxies that count each property's
 * reads by path and answer every read after the first with a bad value:
 * 'bad' for an element, NaN for a length.
 */
function shiftyArray<T>(value: T, reads: Reads, at: string): T {
  if (!Array.isArray(value)) return value;
  return new Proxy(value.slice() as unknown[], {
    get(t, key) {
      if (typeof key === 'symbol') return Reflect.get(t, key);
      const where = `${at}.${key}`;
      const count = (reads.get(where) ?? 0) + 1;
      reads.set(where, count);
      const good = Reflect.get(t, key) as unknown;
      if (count === 1) return Array.isArray(good) ? shiftyArray(good, reads, where) : good;
      return key === 'length' ? NaN : 'bad';
    },
  }) as T;
}

function readTwice(reads: Reads): string[] {
  return [...reads].filter(([, n]) => n > 1).map(([where, n]) => `${where} read ${n} times`);
}

const ROWS = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
  [0.5, 0],
  [0, 0.5],
  [1, 0.5],
  [0.5, 1],
];
const NAMES = ['no', 'yes', 'yes', 'no', 'no', 'yes', 'yes', 'no'];

describe.each(BACKENDS)('data read once on %s', (backend) => {
  const classifier = () =>
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
  const regressor = () =>
    new Network({
      inputs: 2,
      layers: [
        { units: 3, activation: 'tanh' },
        { units: 1, activation: 'identity' },
      ],
      seed: 5,
      backend,
    });

  for (const how of ['fitSync', 'fit'] as const) {
    it(`${how} reads each row, its length, each value and each label once (the classes it learns too)`, async () => {
      const run = async (rows: number[][], labels: string[]) => {
        const net = classifier();
        const options = { epochs: 3, batchSize: 4, validationSplit: 0.25 };
        const history = how === 'fitSync' ? net.fitSync(rows, labels, options) : await net.fit(rows, labels, options);
        return { loss: history.loss, validationLoss: history.validationLoss, params: Array.from(net.params), classes: net.classes };
      };
      const plain = await run(ROWS, NAMES);
      const reads: Reads = new Map();
      const proxied = await run(shiftyArray(ROWS, reads, 'inputs'), shiftyArray(NAMES, reads, 'targets'));
      expect(readTwice(reads)).toEqual([]);
      expect(proxied).toEqual(plain);
      // Every value was read: the counts are not zero by accident.
      expect(reads.get('inputs.7.1')).toBe(1);
      expect(reads.get('targets.7')).toBe(1);
    });
  }

  it('predict, evaluate and gradients read each row, value and target once', () => {
    const net = regressor();
    const targets = ROWS.map(([a, b]) => a - b);
    const plain = { predict: net.predict(ROWS).data, evaluate: net.evaluate(ROWS, targets), gradients: net.gradients(ROWS, targets) };
    for (const [call, run] of [
      ['predict', (reads: Reads) => net.predict(shiftyArray(ROWS, reads, 'inputs')).data],
      ['evaluate', (reads: Reads) => net.evaluate(shiftyArray(ROWS, reads, 'inputs'), shiftyArray(targets, reads, 'targets'))],
      ['gradients', (reads: Reads) => net.gradients(shiftyArray(ROWS, reads, 'inputs'), shiftyArray(targets, reads, 'targets'))],
    ] as const) {
      const reads: Reads = new Map();
      expect(run(reads), call).toEqual(plain[call]);
      expect(readTwice(reads), call).toEqual([]);
    }
  });

  it('a row whose length answers 2 and then something else is read at 2, once', () => {
    let reads = 0;
    const row = new Proxy([0.5, 1], { get: (t, key) => (key === 'length' && ++reads > 1 ? 1e9 : Reflect.get(t, key)) });
    const net = regressor();
    expect(net.predict([row, [0.5, 1]]).data[0]).toBe(net.predict([[0.5, 1]]).data[0]);
    expect(reads).toBe(1);
  });
});

/** The hostile forms of a typed array of `length` elements: detached, a look-alike, a Proxy. */
function hostileLabels(make: (n: number) => Float64Array | Int32Array, length: number): [string, unknown][] {
  const detached = make(length);
  structuredClone(detached.buffer, { transfer: [detached.buffer as ArrayBuffer] });
  return [
    ['a detached one', detached],
    ['an object with its prototype', Object.create(Object.getPrototypeOf(make(0)))],
    ['a Proxy of one', new Proxy(make(length), {})],
  ];
}

describe.each(BACKENDS)('hostile flat targets on %s', (backend) => {
  const cases = [
    ...hostileLabels((n) => new Float64Array(n), 4).map(([kind, value]) => [`${kind} (Float64Array)`, value] as [string, unknown]),
    ...hostileLabels((n) => new Int32Array(n), 4).map(([kind, value]) => [`${kind} (Int32Array)`, value] as [string, unknown]),
  ];
  it.each(cases)('fit, evaluate and gradients refuse %s as targets with a DeltapropError naming them', async (_kind, hostile) => {
    for (const loss of ['mse', 'cross-entropy'] as const) {
      const layer = loss === 'mse' ? { units: 1, activation: 'identity' as const } : { units: 2, activation: 'softmax' as const };
      const net = new Network({ inputs: 2, layers: [layer], loss, seed: 1, backend });
      const X = [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ];
      const before = Array.from(net.params);
      for (const call of [() => net.fitSync(X, hostile as Float64Array), () => net.evaluate(X, hostile as Float64Array), () => net.gradients(X, hostile as Float64Array)]) {
        const e = errorOf(call);
        expect(e, `${loss}: ${e.message}`).toBeInstanceOf(DeltapropError);
        expect((e as DeltapropError).argument).toBe('targets');
      }
      const e = await net.fit(X, hostile as Float64Array).then(
        () => null,
        (error: unknown) => error,
      );
      expect(e).toBeInstanceOf(DeltapropError);
      expect(Array.from(net.params)).toEqual(before);
    }
  });

  it.each(hostileLabels((n) => new Int32Array(n), 3))('oneHot refuses %s with a DeltapropError', (_kind, hostile) => {
    const e = errorOf(() => oneHot(hostile as Int32Array));
    expect(e, e.message).toBeInstanceOf(DeltapropError);
    expect((e as DeltapropError).argument).toBe('labels');
  });
});

describe('describing a rejected value runs none of its code', () => {
  const trap = () => {
    throw new Error('a trap ran');
  };
  const traps = { get: trap, has: trap, ownKeys: trap, getPrototypeOf: trap, getOwnPropertyDescriptor: trap };

  it('a Proxy of an array, of an object, of a function, of a typed array', () => {
    expect(describeValue(new Proxy([1, 2], traps))).toBe('a Proxy of an array');
    expect(describeValue(new Proxy({}, traps))).toBe('a Proxy');
    expect(describeValue(new Proxy(() => 0, traps))).toBe('a Proxy');
    expect(describeValue(new Proxy(new Float64Array(2), traps))).toBe('a Proxy');
  });

  it('a typed array subclass with a lying constructor, and a DataView', () => {
    class Sly extends Float64Array {
      static override get name(): string {
        throw new Error('constructor.name ran');
      }
    }
    expect(describeValue(new Sly(2))).toBe('a Float64Array');
    expect(describeValue(new DataView(new ArrayBuffer(8)))).toBe('a DataView');
    expect(describeValue([1, 2, 3])).toBe('an array of length 3');
  });

  it('a network given a Proxy of an object with throwing traps as its layers says what it got, as a DeltapropError', () => {
    const e = errorOf(() => new Network({ inputs: 2, layers: new Proxy({}, traps) as never }));
    expect(e, e.message).toBeInstanceOf(DeltapropError);
    expect(e.message).toMatch(/^options\.layers: .*got a Proxy$/);
  });
});

describe("a report's date is read by its internal time", () => {
  const net = new Network({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'binary-cross-entropy', seed: 1 });
  const history = net.fitSync(
    [
      [0, 0],
      [1, 1],
    ],
    [0, 1],
    { epochs: 1 },
  );

  it('a Date subclass whose getTime lies is drawn at its real date', () => {
    class Liar extends Date {
      override getTime(): number {
        return NaN;
      }
    }
    const html = trainingReport(net, history, { date: new Liar(Date.UTC(2021, 4, 6)) });
    expect(html).toContain('2021-05-06');
  });

  it("an object with Date's prototype, and a Proxy of a Date, are refused as DeltapropErrors", () => {
    for (const date of [Object.create(Date.prototype), new Proxy(new Date(0), {})]) {
      const e = errorOf(() => trainingReport(net, history, { date }));
      expect(e, e.message).toBeInstanceOf(DeltapropError);
      expect((e as DeltapropError).argument).toBe('details.date');
    }
  });
});
