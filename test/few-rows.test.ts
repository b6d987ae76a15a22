// gemm's few-rows path (native/kernels/gemm.cc: at most 8 rows, B not
// transposed; a server's predict) against the js engine, on the ISA the run
// is on (the suite runs once per ISA): every row count up to one past the
// bound, widths that leave a remainder of vectors and of lanes on every ISA,
// depths over several of the kernel's chunks, alpha and beta, input scaling,
// every activation with and without biases, NaN, ±∞ and overflowing
// products; and the same bits on one thread and on two, and for a row alone
// or among others.
import { afterAll, describe, expect, it } from 'vitest';
import type { Activation } from '../src/index.js';
import { Network, backend, gemm, matrix, setThreads } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { randomArray, seededUniform } from './helpers/data.js';

const BOUND = 8; // kFewRowsMax in gemm.cc
const ROWS = Array.from({ length: BOUND + 1 }, (_, i) => i + 1);
// [n, k]: 13 columns are a vector and lanes on every ISA; 203 × 331 is past
// the multiply-adds per thread where the columns are split between two.
const SHAPES: [number, number][] = [
  [13, 37],
  [203, 331],
];
const BIG = 1e200; // BIG · BIG overflows

interface Product {
  transA: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  A: Float64Array;
  lda: number;
  B: Float64Array;
  ldb: number;
  beta: number;
  C: Float64Array;
  ldc: number;
}

/** A product of random operands with padded row strides (A stored k × m when transposed). */
function product(transA: boolean, m: number, n: number, k: number, alpha: number, beta: number, next: () => number): Product {
  const lda = (transA ? m : k) + 2;
  const ldb = n + 3;
  const ldc = n + 1;
  return {
    transA,
    m,
    n,
    k,
    alpha,
    beta,
    lda,
    ldb,
    ldc,
    A: randomArray((transA ? k : m) * lda, next),
    B: randomArray(k * ldb, next),
    C: randomArray(m * ldc, next),
  };
}

/** C after the product on `engine` (the product's C is left as it was). */
function run(p: Product, engine: 'js' | 'native'): Float64Array {
  const C = Float64Array.from(p.C);
  gemm(p.transA, false, p.m, p.n, p.k, p.alpha, p.A, p.lda, p.B, p.ldb, p.beta, C, p.ldc, { backend: engine });
  return C;
}

/**
 * Per element of C, |alpha|·Σ|a·b| + |beta·c|, computed here: two engines
 * summing in different orders, fused or not, stay within (k + 2)·ε of it.
 */
function magnitudes(p: Product): Float64Array {
  const out = new Float64Array(p.C.length);
  for (let i = 0; i < p.m; i++) {
    for (let j = 0; j < p.n; j++) {
      let sum = 0;
      for (let q = 0; q < p.k; q++) sum += Math.abs((p.transA ? p.A[q * p.lda + i] : p.A[i * p.lda + q]) * p.B[q * p.ldb + j]);
      out[i * p.ldc + j] = Math.abs(p.alpha) * sum + (p.beta === 0 ? 0 : Math.abs(p.beta * p.C[i * p.ldc + j]));
    }
  }
  return out;
}

/** The first element where native and js differ by more than rounding, described, or null. */
function beyondRounding(native: Float64Array, js: Float64Array, magnitude: Float64Array, k: number): string | null {
  for (let i = 0; i < js.length; i++) {
    if (Math.abs(native[i] - js[i]) > (k + 2) * Number.EPSILON * magnitude[i] + Number.MIN_VALUE) return `element ${i}: native ${native[i]}, js ${js[i]}`;
  }
  return null;
}

/** The first element where native and js are not the same non-finite value (or not both finite), described, or null. */
function nonFiniteDisagreement(native: Float64Array, js: Float64Array): string | null {
  for (let i = 0; i < js.length; i++) {
    const same = Number.isFinite(native[i]) ? Number.isFinite(js[i]) : Object.is(native[i], js[i]);
    if (!same) return `element ${i}: native ${native[i]}, js ${js[i]}`;
  }
  return null;
}

/** Rows `rows` of C (row stride ldc) as one array, to compare a row's bits across calls. */
const rowsOf = (C: Float64Array, from: number, count: number, n: number, ldc: number) => Array.from({ length: count }, (_, r) => Array.from(C.subarray((from + r) * ldc, (from + r) * ldc + n))).flat();

const onThreads = <T>(threads: number, f: () => T): T => {
  setThreads(threads);
  return f();
};

describe.runIf(BACKENDS.includes('native') && BACKENDS.includes('js'))('gemm of a few rows', () => {
  const threads = backend.threads;
  afterAll(() => setThreads(threads));

  describe.each(SHAPES)('n %i, k %i', (n, k) => {
    it.each(ROWS)('%i rows, A plain or transposed, alpha 1 and 0.75, beta 0, 1 and −0.5: within rounding of js', (m) => {
      const next = seededUniform(m * 1000 + n);
      for (const transA of [false, true]) {
        for (const alpha of [1, 0.75]) {
          for (const beta of [0, 1, -0.5]) {
            const p = product(transA, m, n, k, alpha, beta, next);
            const [native, js] = [run(p, 'native'), run(p, 'js')];
            expect(beyondRounding(native, js, magnitudes(p), k), `transA ${transA}, alpha ${alpha}, beta ${beta}`).toBeNull();
            // The padding between C's rows is not written.
            for (let i = 0; i < m; i++) expect(native[i * p.ldc + n]).toBe(p.C[i * p.ldc + n]);
          }
        }
      }
    });

    it.each(ROWS.slice(0, BOUND))('%i rows: the same bits on one thread and two, and each row as when alone', (m) => {
      const p = product(false, m, n, k, 1, 1, seededUniform(m + 7));
      const one = onThreads(1, () => run(p, 'native'));
      expect(Array.from(onThreads(2, () => run(p, 'native')))).toEqual(Array.from(one));
      for (let i = 0; i < m; i++) {
        const alone: Product = { ...p, m: 1, A: p.A.subarray(i * p.lda), C: p.C.subarray(i * p.ldc) };
        expect(
          rowsOf(
            onThreads(2, () => run(alone, 'native')),
            0,
            1,
            n,
            p.ldc,
          ),
          `row ${i}`,
        ).toEqual(rowsOf(one, i, 1, n, p.ldc));
      }
    });
  });

  it.each(ROWS)('%i rows with NaN, ±∞ and overflowing products, C not finite under beta: the same non-finite results as js', (m) => {
    const next = seededUniform(m * 31);
    const [n, k] = [203, 331];
    // About one product per element overflows; NaN and ±∞ here and there.
    const value = () => {
      const u = next();
      return u < 0.002 ? NaN : u < 0.004 ? Infinity : u < 0.006 ? -Infinity : u < 0.04 ? BIG : u < 0.075 ? -BIG : 2 * next() - 1;
    };
    const seen = { nan: 0, infinite: 0, finite: 0 };
    for (const threadCount of [1, 2]) {
      for (const [alpha, beta] of [
        [1, 0],
        [1, 1],
        [-1, -0.5],
      ]) {
        const p = product(false, m, n, k, alpha, beta, next);
        p.A.forEach((_, i) => {
          p.A[i] = value();
        });
        p.B.forEach((_, i) => {
          p.B[i] = value();
        });
        p.C.forEach((_, i) => {
          p.C[i] = value();
        });
        const [native, js] = [onThreads(threadCount, () => run(p, 'native')), run(p, 'js')];
        expect(nonFiniteDisagreement(native, js), `threads ${threadCount}, alpha ${alpha}, beta ${beta}`).toBeNull();
        for (const x of native) {
          if (Number.isNaN(x)) seen.nan++;
          else if (Number.isFinite(x)) seen.finite++;
          else seen.infinite++;
        }
      }
    }
    // The case is what it says: every kind of result came up.
    expect(Math.min(seen.nan, seen.infinite, seen.finite)).toBeGreaterThan(0);
  });
});

describe.runIf(BACKENDS.includes('native') && BACKENDS.includes('js'))('predict of a few rows', () => {
  const threads = backend.threads;
  afterAll(() => setThreads(threads));

  // 301 → 219 is past the multiply-adds per thread for one row; 219 → 9 is not.
  const [inputs, hidden, outputs] = [301, 219, 9];
  const ACTIVATIONS: Activation[] = ['identity', 'sigmoid', 'tanh', 'relu', 'softmax'];

  function network(engine: 'js' | 'native', output: Activation, bias: boolean, scaled: boolean): Network {
    const net = new Network({
      inputs,
      bias,
      seed: 3,
      backend: engine,
      layers: [
        { units: hidden, activation: output === 'softmax' ? 'tanh' : output },
        { units: outputs, activation: output },
      ],
      ...(output === 'softmax' ? { loss: 'cross-entropy' as const } : {}),
      ...(scaled ? { inputScaling: 'standard' as const } : {}),
    });
    // Inputs far from unit scale, so that the scaling matters.
    if (scaled) net.adapt(matrix(16, inputs, randomArray(16 * inputs, seededUniform(5), -4, 9)));
    return net;
  }

  describe.each(ACTIVATIONS)('%s', (activation) => {
    it.each(ROWS)("%i rows, with and without biases and input scaling: js's outputs, the same bits on one thread and two", (rows) => {
      const X = matrix(rows, inputs, randomArray(rows * inputs, seededUniform(rows), -4, 9));
      for (const bias of [true, false]) {
        for (const scaled of [false, true]) {
          const native = network('native', activation, bias, scaled);
          const js = network('js', activation, bias, scaled).forward(X);
          const one = onThreads(1, () => native.forward(X));
          const two = onThreads(2, () => native.forward(X));
          one.forEach((layer, l) => {
            const want = js[l].data;
            layer.data.forEach((x, i) => expect(Math.abs(x - want[i]), `bias ${bias}, scaled ${scaled}, layer ${l}, element ${i}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want[i]))));
            expect(Array.from(two[l].data), `bias ${bias}, scaled ${scaled}, layer ${l}`).toEqual(Array.from(layer.data));
          });
          expect(Array.from(onThreads(2, () => native.predict(X)).data)).toEqual(Array.from(one[1].data));
        }
      }
    });
  });

  it('predict after predict of another row count, and of more rows than it keeps buffers for, gives each its own outputs', () => {
    const net = network('native', 'sigmoid', true, false);
    const js = network('js', 'sigmoid', true, false);
    for (const rows of [1, 3, 1, 400, 2, 1]) {
      const X = matrix(rows, inputs, randomArray(rows * inputs, seededUniform(rows + 100), -1, 1));
      const first = net.predict(X);
      const again = net.predict(X);
      // Each call returns a buffer of its own: the second does not overwrite the first.
      expect(again.data).not.toBe(first.data);
      expect(Array.from(again.data)).toEqual(Array.from(first.data));
      const want = js.predict(X).data;
      first.data.forEach((x, i) => expect(Math.abs(x - want[i])).toBeLessThanOrEqual(1e-12));
    }
  });
});
