// Inputs at the edges of what the public API accepts: each must either work
// or throw a DeltapropError naming the argument, before doing any heavy work.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltapropError, Network, gemm, matrix, toArray } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';

function rejects(work: () => unknown, argument: RegExp): void {
  let error: unknown;
  try {
    work();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(DeltapropError);
  expect((error as DeltapropError).message).toMatch(argument);
}

const XOR_X = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const XOR_T = [[0], [1], [1], [0]];
const small = (backend: 'js' | 'native') =>
  new Network({
    inputs: 2,
    layers: [
      { units: 3, activation: 'tanh' },
      { units: 1, activation: 'sigmoid' },
    ],
    seed: 5,
    backend,
  });

describe.each(BACKENDS)('on %s', (backend) => {
  it('a batch size beyond any data set means the whole set', () => {
    const whole = small(backend);
    const huge = small(backend);
    whole.fitSync(XOR_X, XOR_T, { epochs: 3, batchSize: 4, learningRate: 0.5 });
    huge.fitSync(XOR_X, XOR_T, { epochs: 3, batchSize: Number.MAX_SAFE_INTEGER, learningRate: 0.5 });
    expect(Array.from(huge.params)).toEqual(Array.from(whole.params));
  });

  it('gemm rejects dimensions and strides beyond 2³¹ − 1, and C overlapping A or B', () => {
    const a = new Float64Array(4);
    rejects(() => gemm(false, false, 2 ** 31, 0, 0, 1, a, 1, a, 1, 0, new Float64Array(1), 1, { backend }), /^m: expected an integer in \[0, 2147483647\]/);
    rejects(() => gemm(false, false, 1, 1, 1, 1, a, 2 ** 31, a, 1, 0, new Float64Array(1), 1, { backend }), /^lda:/);
    const buffer = new Float64Array(8);
    rejects(() => gemm(false, false, 2, 2, 2, 1, buffer.subarray(0, 4), 2, a, 2, 0, buffer.subarray(2, 6), 2, { backend }), /^C: expected memory separate from A/);
    rejects(() => gemm(false, false, 2, 2, 2, 1, a, 2, buffer, 2, 0, buffer, 2, { backend }), /^C: expected memory separate from B/);
    // Views of one buffer that do not overlap are fine.
    gemm(false, false, 2, 2, 2, 1, buffer.subarray(0, 4), 2, a, 2, 0, buffer.subarray(4, 8), 2, { backend });
  });

  it('async fit lets timers run between epochs', async () => {
    const net = small(backend);
    let settled = false;
    let ticks = 0;
    const timer = setInterval(() => {
      if (!settled) ticks++;
    }, 0);
    await net.fit(XOR_X, XOR_T, { epochs: 200, batchSize: 1, learningRate: 0.1 }).finally(() => {
      settled = true;
    });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('argument checks before heavy work', () => {
  it('a sparse layers array is a DeltapropError, not a TypeError', () => {
    // eslint-disable-next-line no-sparse-arrays
    rejects(() => new Network({ inputs: 2, layers: [, { units: 1, activation: 'sigmoid' }] as never }), /^options\.layers\[0\]: expected an options object/);
  });

  it('setBiases checks the length before copying anything', () => {
    rejects(() => small('js').setBiases(0, { length: 3e7 } as ArrayLike<number>), /^biases: expected 3 values/);
  });

  it('matrix and toArray check their arguments', () => {
    rejects(() => matrix(1e6, 1e6), /^rows: expected at most 2147483647 elements/);
    rejects(() => toArray(null as never), /^matrix: expected a Matrix/);
    rejects(() => toArray({ rows: 1, cols: 2, data: new Float64Array(1) }), /^matrix\.data: expected 2 elements/);
  });

  it('a Matrix is read once: a getter changing its answer after the checks changes nothing', () => {
    let reads = 0;
    const sneaky = {
      rows: 1,
      cols: 2,
      get data() {
        reads++;
        return reads === 1 ? Float64Array.of(1, 2) : new Float64Array(0);
      },
    };
    expect(small('js').predict(sneaky).rows).toBe(1);
  });

  it('fromJSON checks the parameter count before building the network', () => {
    const json = small('js').toJSON();
    // A network of 2²⁴ inputs would take seconds and gigabytes to build; the check comes first.
    const config = { ...json.config, inputs: 2 ** 24, layers: [{ units: 12, activation: 'sigmoid' as const }] };
    rejects(() => Network.fromJSON({ ...json, config, params: '' }), /^json\.params: expected 201326604 float64 parameters/);
  });

  describe('save and load', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'deltaprop-edges-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('need a path, and report file errors as DeltapropErrors naming it', () => {
      rejects(() => small('js').save(123 as never), /^path: expected a file path, got 123/);
      rejects(() => small('js').save(path.join(dir, 'missing', 'net.json')), /^path: could not write .*ENOENT/);
      rejects(() => Network.load(path.join(dir, 'nothing.json')), /^path: could not read .*ENOENT/);
    });
  });
});
