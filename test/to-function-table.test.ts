// net.toFunction() of table networks, and its output: 'classes' option: the
// function reads rows as predict does (objects keyed by column name or arrays
// in column order, one or an array of them) and returns predict's outputs,
// the js engine's doubles bit for bit (on the native backend: a js twin's,
// and within 1e-15 · max(1, |predict|, ‖x̃‖∞) of native predict, x̃ the
// encoded row as the first layer reads it, as test/to-function.test.ts
// holds plain networks), or predictClasses' classes. Rows hold missing
// values of every form, unknown categories (with and without 'other'),
// categories that are numbers and booleans. A bad row throws a RangeError
// whose message is predict's for the same row (input[2].age: …).
import vm from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import type { FunctionOptions } from '../src/export/to-function.js';
import { DeltapropError, Network } from '../src/index.js';
import { Encoder } from '../src/table/encode.js';
import { TableRows } from '../src/table/table-rows.js';
import { BACKENDS } from './helpers/backends.js';
import { seededUniform } from './helpers/data.js';
import { errorOf } from './helpers/errors.js';
import { UNKNOWN, asArray, columnRows, functionSource, makeNetwork, tableCases, tableRows } from './helpers/export-networks.js';

const NATIVE_TOLERANCE = 1e-15;
type Row = Record<string, unknown>;
type Predict = (input: unknown) => unknown;

const measured: Record<string, { worstScaled: number; differing: number; outputs: number }> = {};
afterAll(() => {
  console.log('table toFunction vs predict:', measured);
});

/** The exported function, evaluated in a context of its own with no globals beyond the language's. */
function compileIsolated(source: string): Predict {
  return vm.runInNewContext(source, vm.createContext(Object.create(null))) as Predict;
}

const namesOf = (net: Network) => net.schema!.columns.map((c) => c.name);

/** Row r encoded and scaled as the first layer reads it: its largest |x̃|, the native criterion's scale. */
function largestScaledInput(net: Network, rows: Row[], r: number): number {
  const encoded = new Encoder(net.schema!).encode(TableRows.of(rows, 'inputs', namesOf(net)), r, 1);
  const scaling = net.scaling;
  return encoded.reduce((m, x, j) => Math.max(m, Math.abs(scaling === null ? x : (x - scaling.shift[j]) / scaling.spread[j])), 0);
}

/** f on each row alone and on all at once, as objects and as arrays: predict's doubles (see the header). */
function expectSameAsPredict(net: Network, f: Predict, rows: Row[], label: string) {
  const expected = net.predict(rows).data;
  const twin = net.backend === 'js' ? expected : Network.fromJSON(net.toJSON(), { backend: 'js' }).predict(rows).data;
  const arrays = rows.map((r) => asArray(r, namesOf(net)));
  const batch = f(rows) as number[][];
  const batchOfArrays = f(arrays) as number[][];
  expect(batch.length, label).toBe(rows.length);
  const record = (measured[net.backend] ??= { worstScaled: 0, differing: 0, outputs: 0 });
  rows.forEach((row, r) => {
    const single = f(row) as number[];
    const singleArray = f(arrays[r]) as number[];
    expect(single.length, label).toBe(net.outputs);
    const scale = net.backend === 'js' ? 1 : largestScaledInput(net, rows, r);
    for (let k = 0; k < net.outputs; k++) {
      const at = r * net.outputs + k;
      const where = `${label}: row ${r} output ${k}: function ${single[k]}`;
      for (const [x, how] of [
        [batch[r][k], 'in a batch'],
        [singleArray[k], 'as an array'],
        [batchOfArrays[r][k], 'as an array in a batch'],
      ] as const) {
        expect(Object.is(x, single[k]), `${where}, ${x} ${how}`).toBe(true);
      }
      expect(Object.is(single[k], twin[at]), `${where} vs js predict ${twin[at]}`).toBe(true);
      record.outputs++;
      if (!Object.is(single[k], expected[at])) record.differing++;
      const diff = Math.abs(single[k] - expected[at]) / Math.max(1, Math.abs(expected[at]), scale);
      record.worstScaled = Math.max(record.worstScaled, diff);
      if (net.backend !== 'js') expect(diff, `${where} vs native predict ${expected[at]}`).toBeLessThanOrEqual(NATIVE_TOLERANCE);
    }
  });
}

/**
 * f with output 'classes' gives predictClasses' labels (of the same types)
 * for each row alone and for all at once: those of the js engine's predict
 * (on the native backend, a js twin's; see expectClasses).
 */
function expectSameClasses(net: Network, f: Predict, rows: unknown[], label: string) {
  const want = net.predictClasses(rows as never);
  expect(f(rows), label).toEqual(want);
  (f(rows) as unknown[]).forEach((got, r) => expect(Object.is(got, want[r]), `${label}: row ${r}: ${String(got)} vs ${String(want[r])}`).toBe(true));
  rows.forEach((row, r) => expect(Object.is(f(row), want[r]), `${label}: row ${r} alone`).toBe(true));
}

/** expectSameClasses against the js engine's classes (a js twin's on native), and against the network's own on `ordinary` rows (native: where no output overflows). */
function expectClasses(net: Network, f: Predict, rows: unknown[], label: string, ordinary = rows.length) {
  const twin = net.backend === 'js' ? net : Network.fromJSON(net.toJSON(), { backend: 'js' });
  expectSameClasses(twin, f, rows, label);
  if (net.backend !== 'js') expectSameClasses(net, f, rows.slice(0, ordinary), `${label}, native`);
}

describe.each(BACKENDS)('toFunction of table networks on the %s backend', (backend) => {
  const cases = tableCases(backend);

  it('every column setting, scaling and output kind predicts as predict', () => {
    for (const { net, seed, label, unknown } of cases) {
      const f = compileIsolated(functionSource(net));
      const next = seededUniform(seed);
      for (const count of [1, 9, 60]) expectSameAsPredict(net, f, tableRows(count, next, unknown), `${label}, ${count} rows`);
    }
  });

  it("output: 'classes' gives predictClasses' classes (labels, or indices without them)", () => {
    for (const { net, seed, label, unknown } of cases) {
      if (net.loss === 'mse') continue;
      const f = compileIsolated(functionSource(net, { output: 'classes' }));
      const rows = tableRows(80, seededUniform(seed + 1), unknown);
      expectClasses(net, f, rows, label);
      expectClasses(
        net,
        f,
        rows.map((r) => asArray(r, namesOf(net))),
        `${label}, arrays`,
      );
    }
  });

  it('one row (an object, or an array in column order) gives one result; an array of rows gives one per row; none gives none', () => {
    const { net } = cases[0];
    const f = compileIsolated(functionSource(net));
    const [row] = tableRows(1, seededUniform(3));
    expect(typeof (f(row) as number[])[0]).toBe('number');
    expect(typeof (f(asArray(row, namesOf(net))) as number[])[0]).toBe('number');
    expect((f([row]) as number[][])[0]).toEqual(f(row));
    // A row whose first value is missing (null) is still one row.
    const array = asArray({ ...row, [namesOf(net)[0]]: null }, namesOf(net));
    expect((f(array) as number[]).length).toBe(net.outputs);
    expect(typeof (f(array) as number[])[0]).toBe('number');
    expect(f([])).toEqual([]);
  });

  it('a bad row throws a RangeError with the message predict throws for it (row and column named)', () => {
    const strict = cases[1].net; // city: unknown 'error', no 'other'
    const [good] = tableRows(1, seededUniform(11));
    const { id: _id, ...withoutId } = good;
    const { age: _age, ...withoutAge } = good;
    const bad: [Network, unknown][] = [
      [strict, { ...good, age: 'x' }],
      [strict, { ...good, age: true }],
      [strict, { ...good, age: Infinity }],
      [strict, { ...good, rooms: -Infinity }],
      [strict, { ...good, age: {} }],
      [strict, { ...good, income: [1, 2] }],
      [strict, { ...good, city: Infinity }],
      [strict, { ...good, city: { name: 'Lyon' } }],
      [strict, { ...good, city: UNKNOWN.city[0] }],
      [strict, { ...good, city: 3 }],
      [strict, withoutAge],
      [strict, null],
      [strict, 5],
      [strict, 'Lyon'],
      [strict, new Float64Array(6)],
      [strict, [1, 'Lyon', 2]],
      [strict, ['x', 'Lyon', 2, 1, 3, 'id']],
      [strict, [40, 'Rome', 2, 1, 3, 'id']],
    ];
    const f = compileIsolated(functionSource(strict));
    // An ignored column's key may be absent, as predict allows.
    expect(() => f(withoutId)).not.toThrow();
    for (const [net, row] of bad) {
      const expected = errorOf(() => net.predict([good, good, row] as never));
      expect(expected, String(row)).toBeInstanceOf(DeltapropError);
      const e = errorOf(() => f([good, good, row]));
      expect(e.name, expected.message).toBe('RangeError');
      expect(e.message).toBe(expected.message.replace(/^inputs\[/, 'input['));
    }
    // One row alone is named `input`.
    const alone = { ...good, age: 'x' };
    expect(errorOf(() => f(alone)).message).toBe(errorOf(() => strict.predict([alone])).message.replace(/^inputs\[0\]/, 'input'));
    expect(errorOf(() => f(alone)).message).toMatch(/^input\.age: /);
    expect(errorOf(() => f(null)).message).toBe('input: expected a row or an array of rows, got null');
  });

  it('names a column that is not an identifier as predict does', () => {
    const net = new Network({ columns: [{ name: 'unit price' }, { name: '2nd', kind: 'categorical', unknown: 'error' }], layers: [{ units: 2, activation: 'identity' }], seed: 31, backend } as never);
    net.adapt([
      { 'unit price': 3, '2nd': 'a' },
      { 'unit price': null, '2nd': 'b' },
      { 'unit price': 5, '2nd': null },
    ]);
    const f = compileIsolated(functionSource(net));
    for (const row of [{ 'unit price': 'x', '2nd': 'a' }, { 'unit price': 1, '2nd': 'zzz' }, { '2nd': 'a' }]) {
      const expected = errorOf(() => net.predict([row]));
      expect(expected).toBeInstanceOf(DeltapropError);
      expect(errorOf(() => f([row])).message).toBe(expected.message.replace(/^inputs\[/, 'input['));
    }
    const alone = { 'unit price': 'x', '2nd': 'a' };
    expect(errorOf(() => f(alone)).message).toBe(errorOf(() => net.predict([alone])).message.replace(/^inputs\[0\]/, 'input'));
    expect(errorOf(() => f(alone)).message).toMatch(/^input\["unit price"\]: /);
  });

  it('the source depends on nothing and runs in a frozen context without globals', () => {
    const { net, seed, unknown } = cases[0];
    const source = functionSource(net);
    expect(source).not.toMatch(/\brequire\b|\bimport\b|\bprocess\b|\bglobalThis\b|\bmodule\b|\bexports\b|\bBuffer\b/);
    const context = vm.createContext(Object.freeze(Object.create(null)));
    const f = vm.runInContext(source, context) as Predict;
    expectSameAsPredict(net, f, tableRows(5, seededUniform(seed), unknown), 'frozen context');
    expect(typeof new Function('return ' + source)()).toBe('function');
  });
});

describe.each(BACKENDS)("toFunction's output option on networks of numeric inputs on the %s backend", (backend) => {
  it("'classes' gives predictClasses' labels, indices without labels, null where an output is not finite", () => {
    let nulls = 0;
    const variants: [string, object][] = [
      [
        'softmax, string labels',
        {
          layers: [
            { units: 5, activation: 'relu' },
            { units: 3, activation: 'softmax' },
          ],
          loss: 'cross-entropy',
          classes: ['a', 'b', 'c'],
        },
      ],
      [
        'softmax, no labels',
        {
          layers: [
            { units: 5, activation: 'relu' },
            { units: 4, activation: 'softmax' },
          ],
          loss: 'cross-entropy',
          inputScaling: 'standard',
        },
      ],
      [
        'sigmoid, mixed labels',
        {
          layers: [
            { units: 5, activation: 'identity' },
            { units: 1, activation: 'sigmoid' },
          ],
          loss: 'binary-cross-entropy',
          classes: [0, true],
        },
      ],
      ['sigmoid, no labels', { layers: [{ units: 1, activation: 'sigmoid' }], loss: 'binary-cross-entropy', inputScaling: 'minmax' }],
    ];
    for (const [label, options] of variants) {
      const net = makeNetwork(backend, { inputs: 3, ...options } as never, 41);
      const f = compileIsolated(functionSource(net, { output: 'classes' }));
      const rows = columnRows(60, 3, seededUniform(42));
      // Rows large enough to overflow: where predict's outputs are then not finite, its class is null.
      rows.push([1e308, -1e308, 1e308], [-1e308, 1e308, 1e308], [1e308, 1e308, 1e308]);
      nulls += net.predictClasses(rows.slice(-3)).filter((k) => k === null).length;
      expectClasses(net, f, rows, label, 60);
    }
    expect(nulls).toBeGreaterThan(0);
  });

  it("refuses 'classes' for a network that is not a classifier, and options it does not know", () => {
    const net = makeNetwork(backend, { inputs: 2, layers: [{ units: 2, activation: 'identity' }] }, 51);
    const cases: [FunctionOptions | unknown, RegExp][] = [
      [{ output: 'classes' }, /^options\.output: 'classes' needs a classifier/],
      [{ output: 'labels' }, /^options\.output: expected one of 'values', 'classes', got "labels"/],
      [{ outputs: 'values' }, /^options\.outputs: unknown option/],
      ['classes', /^options: expected an options object/],
    ];
    for (const [options, message] of cases) {
      const e = errorOf(() => functionSource(net, options as FunctionOptions));
      expect(e, JSON.stringify(options)).toBeInstanceOf(DeltapropError);
      expect(e.message, JSON.stringify(options)).toMatch(message);
    }
    // 'values' is the default: the same source.
    expect(functionSource(net, { output: 'values' })).toBe(net.toFunction());
  });
});
