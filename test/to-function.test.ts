// net.toFunction(): the source of a standalone function that predicts as
// net.predict does. The reference is always predict (the engines), never the
// exporter. Criterion: the function's outputs are the doubles the js
// engine's predict gives, bit for bit (it repeats that arithmetic in the same
// order with the same Math functions), on either backend (on native, against
// a js twin of the network); and on the native backend, whose GEMM sums in
// another order and whose exp/tanh are its own, every output is within
// 1e-15 · max(1, |predict|, ‖x̃‖∞) of native predict, x̃ the row as the first
// layer reads it (after input scaling). The function runs in a fresh context without any
// globals of Node's, and its source requires and imports nothing.
import vm from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltapropError, Network } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { randomRows, seededUniform } from './helpers/data.js';
import { activationCases, columnRows, deepNetworks, makeNetwork } from './helpers/export-networks.js';
import { errorOf } from './helpers/errors.js';

const NATIVE_TOLERANCE = 1e-15;
type Predict = (input: unknown) => number[] | number[][];

/** Per backend: the largest |f − predict| / max(1, |predict|), the same over max(1, |predict|, ‖x̃‖∞), and how many outputs were not bit-identical. */
const measured: Record<string, { worst: number; worstScaled: number; differing: number; outputs: number }> = {};

afterAll(() => {
  console.log('toFunction vs predict:', measured);
});

/** The exported function, evaluated in a context of its own with no globals beyond the language's. */
function compileIsolated(source: string): Predict {
  return vm.runInNewContext(source, vm.createContext(Object.create(null))) as Predict;
}

/** Row r as the first layer reads it (input scaling applied), for the native criterion's scale. */
function largestScaledInput(net: Network, row: ArrayLike<number>): number {
  const scaling = net.scaling;
  let largest = 0;
  for (let j = 0; j < row.length; j++) largest = Math.max(largest, Math.abs(scaling === null ? row[j] : (row[j] - scaling.shift[j]) / scaling.spread[j]));
  return largest;
}

/**
 * Checks f against predict on each row alone and on all rows at once. js
 * backend: the same doubles (Object.is). native backend: the same doubles as
 * predict of a js twin of the network (same parameters and scaling, through
 * toJSON), and within 1e-15 · max(1, |predict|, ‖x̃‖∞) of the native predict,
 * x̃ the row as the first layer reads it: the engines' rounding differences
 * in Σ x̃_p w_p are relative to the size of the terms, not of the sum.
 */
function expectSameAsPredict(net: Network, f: Predict, rows: number[][], label: string) {
  const expected = net.predict(rows);
  const twin = net.backend === 'js' ? expected : Network.fromJSON(net.toJSON(), { backend: 'js' }).predict(rows);
  const batch = f(rows) as number[][];
  expect(batch.length, label).toBe(rows.length);
  const record = (measured[net.backend] ??= { worst: 0, worstScaled: 0, differing: 0, outputs: 0 });
  rows.forEach((row, r) => {
    const single = f(row) as number[];
    expect(single.length, label).toBe(net.outputs);
    expect(batch[r].length, label).toBe(net.outputs);
    const inputScale = largestScaledInput(net, row);
    for (let k = 0; k < net.outputs; k++) {
      const want = expected.data[r * net.outputs + k];
      const where = `${label}: row ${r} output ${k}: function ${single[k]}`;
      // One row alone and in a batch give the same doubles: each row is computed on its own.
      expect(Object.is(batch[r][k], single[k]), `${where}, ${batch[r][k]} in a batch`).toBe(true);
      expect(Object.is(single[k], twin.data[r * net.outputs + k]), `${where} vs js predict ${twin.data[r * net.outputs + k]}`).toBe(true);
      record.outputs++;
      if (!Object.is(single[k], want)) record.differing++;
      const diff = Math.abs(single[k] - want);
      record.worst = Math.max(record.worst, diff / Math.max(1, Math.abs(want)));
      record.worstScaled = Math.max(record.worstScaled, diff / Math.max(1, Math.abs(want), inputScale));
      if (net.backend !== 'js') {
        expect(diff, `${where} vs native predict ${want}`).toBeLessThanOrEqual(NATIVE_TOLERANCE * Math.max(1, Math.abs(want), inputScale));
      }
    }
  });
}

describe.each(BACKENDS)('toFunction on the %s backend', (backend) => {
  it('every hidden × output activation, bias or not, each scaling, predicts as predict', () => {
    for (const { net, seed, label } of activationCases(backend)) {
      expectSameAsPredict(net, compileIsolated(net.toFunction()), columnRows(9, net.inputs, seededUniform(seed)), label);
    }
  });

  it('deeper networks (6 layers, every activation) predict as predict', () => {
    for (const { net, i } of deepNetworks(backend)) {
      expectSameAsPredict(net, compileIsolated(net.toFunction()), columnRows(40, 37, seededUniform(600 + i)), `deep ${i}`);
    }
  });

  it('parameters that are hard to print read back exactly', () => {
    const net = makeNetwork(backend, { inputs: 3, layers: [{ units: 2, activation: 'identity' }], bias: true }, 31);
    // Subnormals, the extremes of the exponent range, 17 significant digits, a power of ten far out.
    net.setWeights(0, [
      [5e-324, 0.1 + 0.2],
      [-1.7976931348623157e300, 2.2250738585072014e-308],
      [1 / 3, -123456789.12345679],
    ]);
    net.setBiases(0, [1e21, -(2 ** -1074)]);
    const source = net.toFunction();
    const f = compileIsolated(source);
    const rows = [
      [1e-300, 1, 0],
      [0, 0, 1],
      [-1e-8, 3, 2],
    ];
    expectSameAsPredict(net, f, rows, 'hard literals');
    // The literals are the shortest round-tripping ones (String(x)).
    for (const x of [5e-324, 0.30000000000000004, -1.7976931348623157e300, 1e21, -5e-324]) expect(source).toContain(String(x));
  });

  it('is the value of `new Function("return " + source)()`, and accepts typed-array rows', () => {
    const net = makeNetwork(
      backend,
      {
        inputs: 4,
        layers: [
          { units: 5, activation: 'tanh' },
          { units: 3, activation: 'softmax' },
        ],
        loss: 'cross-entropy',
        inputScaling: 'standard',
      },
      41,
    );
    const f = new Function('return ' + net.toFunction())() as Predict;
    expect(typeof f).toBe('function');
    const rows = columnRows(6, 4, seededUniform(42));
    expectSameAsPredict(net, f, rows, 'new Function');
    const typed = rows.map((r) => Float64Array.from(r));
    const expected = net.predict(rows).data;
    const fromTyped = f(typed) as number[][];
    fromTyped.forEach((out, r) => out.forEach((x, k) => expect(Object.is(x, (f(rows[r]) as number[])[k])).toBe(true)));
    expect((f(typed[0]) as number[]).length).toBe(3);
    expect(Math.abs((f(typed[0]) as number[])[0] - expected[0])).toBeLessThanOrEqual(NATIVE_TOLERANCE);
    expect(f([])).toEqual([]);
  });

  it('the source depends on nothing: no require, no import, no global of Node, a context without globals', () => {
    const net = makeNetwork(
      backend,
      {
        inputs: 3,
        layers: [
          { units: 4, activation: 'relu' },
          { units: 2, activation: 'sigmoid' },
        ],
        loss: 'binary-cross-entropy',
        inputScaling: 'minmax',
      },
      51,
    );
    const source = net.toFunction();
    expect(source).not.toMatch(/\brequire\b|\bimport\b|\bprocess\b|\bglobalThis\b|\bmodule\b|\bexports\b|\bBuffer\b/);
    // A context whose global object has no properties but the language's built-ins, frozen so nothing can be added.
    const context = vm.createContext(Object.freeze(Object.create(null)));
    const f = vm.runInContext(source, context) as Predict;
    expect(typeof f).toBe('function');
    expect(vm.runInContext('Object.keys(globalThis).length', context)).toBe(0);
    expectSameAsPredict(net, f, columnRows(5, 3, seededUniform(52)), 'isolated');
  });

  it('the function rejects rows of the wrong width and values that are not finite numbers', () => {
    const net = makeNetwork(backend, { inputs: 2, layers: [{ units: 1, activation: 'identity' }] }, 61);
    const f = compileIsolated(net.toFunction());
    const cases: [unknown, RegExp][] = [
      [[1, 2, 3], /^input: expected an array of 2 numbers, got length 3$/],
      [[[1, 2], [1]], /^input\[1\]: expected an array of 2 numbers, got length 1$/],
      [[1, NaN], /^input\[1\]: expected a finite number, got NaN$/],
      [
        [
          [1, 2],
          [Infinity, 0],
        ],
        /^input\[1\]\[0\]: expected a finite number, got Infinity$/,
      ],
      [[1, '2'], /^input\[1\]: expected a finite number, got 2$/],
      [[[1, 2], null], /^input\[1\]: expected an array of 2 numbers, got null$/],
      [null, /^input: expected a row or an array of rows, got null$/],
      [3, /^input: expected a row or an array of rows, got 3$/],
    ];
    for (const [input, message] of cases) {
      const e = errorOf(() => f(input));
      expect(e.name, JSON.stringify(input)).toBe('RangeError');
      expect(e.message, JSON.stringify(input)).toMatch(message);
    }
  });

  it('refuses a network with a non-finite parameter, naming it', () => {
    const net = makeNetwork(
      backend,
      {
        inputs: 2,
        layers: [
          { units: 3, activation: 'tanh' },
          { units: 1, activation: 'identity' },
        ],
      },
      71,
    );
    expect(() => net.toFunction()).not.toThrow();
    for (const bad of [NaN, Infinity, -Infinity]) {
      const i = net.params.length - 1;
      const saved = net.params[i];
      net.params[i] = bad;
      const e = errorOf(() => net.toFunction());
      expect(e).toBeInstanceOf(DeltapropError);
      expect(e.message).toBe(`params: params[${i}] is ${bad}: the network cannot be exported (its outputs would not be finite numbers); train it again from a saved state`);
      net.params[i] = saved;
    }
    expect(() => net.toFunction()).not.toThrow();
  });

  it('is refused while an epoch trains, and allowed between epochs', async () => {
    const net = makeNetwork(
      backend,
      {
        inputs: 2,
        layers: [
          { units: 3, activation: 'tanh' },
          { units: 1, activation: 'identity' },
        ],
      },
      81,
    );
    const X = randomRows(64, 2, seededUniform(82));
    const T = X.map((r) => [r[0] - r[1]]);
    let between: string | null = null;
    const fit = net.fit(X, T, {
      epochs: 2,
      onEpoch: () => {
        between = net.toFunction();
      },
    });
    const e = errorOf(() => net.toFunction());
    expect(e).toBeInstanceOf(DeltapropError);
    expect(e.message).toMatch(/^network: cannot call toFunction\(\) while fit\(\) is training/);
    await fit;
    expect(typeof between).toBe('string');
    // What it exported between the last epoch's end and now predicts as the trained network does.
    expectSameAsPredict(net, compileIsolated(between!), X.slice(0, 5), 'after fit');
  });
});
