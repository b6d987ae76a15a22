// The engines at overflow. A fused multiply-add keeps a product that
// overflows as its exact value, so where the js engine (and the SSE2 and
// generic kernels) get ∞ − ∞ = NaN, a fused chain used to carry the first
// infinity on: tanh gave ±1 and sigmoid 0 or 1 where js gave NaN. Now NaN in
// is NaN out on every ISA and in js, ±∞ go where the functions' limits say
// (tanh ±1, sigmoid 1 and 0, relu ∞ and 0, exp ∞ and 0), and every
// non-finite result of a product is the one js computes.
import { afterAll, describe, expect, it } from 'vitest';
import { getBackend, nativeEngine } from '../src/backend/index.js';
import { ActivationCode } from '../src/backend/types.js';
import type { Activation } from '../src/index.js';
import { Network, gemm, matrix } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { seededUniform } from './helpers/data.js';

const BIG = 1e200; // BIG · BIG overflows; BIG · 1 and sums of a few thousand such do not

/**
 * The same value: identical when not finite (NaN, or ∞ of the same sign);
 * when finite, within rounding (`finite` 'close'), or just finite both
 * ('finite': sums that cancel among terms of 1e200 differ in their order).
 */
function agree(native: number, js: number, finite: 'close' | 'finite' = 'close'): boolean {
  if (!Number.isFinite(native) || !Number.isFinite(js)) return Object.is(native, js) || (Number.isNaN(native) && Number.isNaN(js));
  return finite === 'finite' || Math.abs(native - js) <= 1e-12 * Math.max(1, Math.abs(js));
}

/** The first index where the two disagree, described, or null. */
function firstDisagreement(native: ArrayLike<number>, js: ArrayLike<number>, finite: 'close' | 'finite' = 'close'): string | null {
  expect(native.length).toBe(js.length);
  for (let i = 0; i < js.length; i++) if (!agree(native[i], js[i], finite)) return `element ${i}: native ${native[i]}, js ${js[i]}`;
  return null;
}

const countOf = (values: ArrayLike<number>, test: (x: number) => boolean) => Array.from(values).filter(test).length;

/**
 * Weights whose products with rows of BIG are, column by column: +∞ and −∞
 * (∞ − ∞), all +∞, all −∞, finite, finite then ∞ − ∞ at the end (past a
 * depth block of the packed gemm), +∞ first then finite.
 */
function overflowingWeights(fanIn: number, fanOut: number, next: () => number): Float64Array {
  const W = new Float64Array(fanIn * fanOut);
  const small = () => (next() - 0.5) * 1e-3;
  for (let j = 0; j < fanOut; j++) {
    const kind = j % 6;
    for (let p = 0; p < fanIn; p++) {
      const late = p >= fanIn - 2;
      const value =
        kind === 0
          ? p % 2 === 0
            ? BIG
            : -BIG
          : kind === 1
            ? BIG
            : kind === 2
              ? -BIG
              : kind === 3
                ? small()
                : kind === 4
                  ? late
                    ? p === fanIn - 1
                      ? -BIG
                      : BIG
                    : small()
                  : p === 0
                    ? BIG
                    : small();
      W[p * fanOut + j] = value;
    }
  }
  return W;
}

/** Rows of BIG (whose products overflow) alternating with rows of small values (whose products do not). */
function overflowingRows(rows: number, cols: number, next: () => number): Float64Array {
  return Float64Array.from({ length: rows * cols }, (_, i) => (Math.floor(i / cols) % 2 === 0 ? BIG : next() - 0.5));
}

const SHAPES: [string, number, number, number][] = [
  ['tiny (a few dozen multiply-adds)', 2, 6, 1],
  ['narrow (js-small, the tiny kernel)', 3, 6, 4],
  ['thin (the direct kernel)', 40, 12, 12],
  ['a few rows (the matrix-vector kernel, columns over two threads)', 300, 230, 3],
  ['packed', 300, 96, 64],
  ['packed over several depth blocks and threads', 800, 260, 192],
];

const OUTPUTS: Activation[] = ['identity', 'sigmoid', 'tanh', 'relu', 'softmax'];

function overflowingNetwork(backend: 'js' | 'native', activation: Activation, fanIn: number, units: number, bias: boolean): Network {
  const softmax = activation === 'softmax';
  const net = new Network({
    inputs: fanIn,
    layers: [{ units, activation }],
    bias,
    seed: 7,
    backend,
    ...(softmax ? { loss: 'cross-entropy' as const } : {}),
  });
  const next = seededUniform(fanIn * 1000 + units);
  net.setWeights(0, matrix(fanIn, units, overflowingWeights(fanIn, units, next)));
  if (bias)
    net.setBiases(
      0,
      Float64Array.from({ length: units }, () => next() - 0.5),
    );
  return net;
}

describe.runIf(BACKENDS.includes('native') && BACKENDS.includes('js'))('a forward pass whose pre-activations overflow', () => {
  const engine = nativeEngine()!;
  const initial = engine.info().isa;
  afterAll(() => engine.setIsa(initial));

  describe.each(engine.info().supportedIsas)('on %s', (isa) => {
    describe.each(SHAPES)('%s', (_name, fanIn, units, rows) => {
      it.each(OUTPUTS)('%s gives what the js engine gives, NaN where ∞ − ∞', (activation) => {
        engine.setIsa(isa);
        const X = matrix(rows, fanIn, overflowingRows(rows, fanIn, seededUniform(rows)));
        for (const bias of [true, false]) {
          const native = overflowingNetwork('native', activation, fanIn, units, bias).predict(X).data;
          const js = overflowingNetwork('js', activation, fanIn, units, bias).predict(X).data;
          expect(firstDisagreement(native, js), `bias ${bias}`).toBeNull();
          // The case is what it says: ∞ − ∞ is there, and comes out NaN (softmax: the whole row).
          expect(countOf(native, Number.isNaN)).toBeGreaterThan(0);
          if (activation !== 'softmax') expect(Number.isNaN(native[0])).toBe(true);
        }
      });
    });

    it('through two layers: NaN and ∞ of the first reach the second alike', () => {
      engine.setIsa(isa);
      const [fanIn, hidden, rows] = [64, 48, 40];
      const X = matrix(rows, fanIn, overflowingRows(rows, fanIn, seededUniform(3)));
      const outputs = (backend: 'js' | 'native') => {
        const net = new Network({
          inputs: fanIn,
          layers: [
            { units: hidden, activation: 'identity' },
            { units: 10, activation: 'tanh' },
          ],
          seed: 5,
          backend,
        });
        const next = seededUniform(9);
        net.setWeights(0, matrix(fanIn, hidden, overflowingWeights(fanIn, hidden, next)));
        net.setWeights(
          1,
          matrix(
            hidden,
            10,
            Float64Array.from({ length: hidden * 10 }, () => next() - 0.5),
          ),
        );
        return net.forward(X);
      };
      const [native, js] = [outputs('native'), outputs('js')];
      native.forEach((layer, l) => expect(firstDisagreement(layer.data, js[l].data), `layer ${l}`).toBeNull());
    });

    it('gradients agree on what is not finite', () => {
      engine.setIsa(isa);
      const [fanIn, units, rows] = [50, 30, 20];
      const X = matrix(rows, fanIn, overflowingRows(rows, fanIn, seededUniform(4)));
      const T = matrix(rows, units, new Float64Array(rows * units).fill(0.5));
      const grads = (backend: 'js' | 'native') => overflowingNetwork(backend, 'tanh', fanIn, units, true).gradients(X, T);
      const [native, js] = [grads('native'), grads('js')];
      expect(Number.isNaN(native.loss) && Number.isNaN(js.loss)).toBe(true);
      const nonFinite = (g: Float64Array) => Array.from(g, (x) => (Number.isNaN(x) ? 'NaN' : x === Infinity ? '+∞' : x === -Infinity ? '−∞' : 'finite'));
      expect(nonFinite(native.grads)).toEqual(nonFinite(js.grads));
    });
  });
});

describe.runIf(BACKENDS.includes('native') && BACKENDS.includes('js'))('gemm at overflow', () => {
  const engine = nativeEngine()!;
  const initial = engine.info().isa;
  afterAll(() => engine.setIsa(initial));

  // Operands of ±BIG here and there among values in [−1, 1], so that about
  // 1.5 products of each element of C overflow: some elements none (finite),
  // some one (±∞), some several (∞ − ∞, or ∞ + ∞). C may hold NaN and ±∞
  // where beta reads it.
  const operand = (length: number, k: number, next: () => number) => {
    const big = Math.min(0.6, Math.sqrt(1.5 / k));
    return Float64Array.from({ length }, () => {
      const u = next();
      return u < big / 2 ? BIG : u < big ? -BIG : 2 * next() - 1;
    });
  };
  const withNonFinite = (length: number, next: () => number) =>
    Float64Array.from({ length }, () => {
      const u = next();
      return u < 0.05 ? NaN : u < 0.1 ? Infinity : u < 0.15 ? -Infinity : next();
    });

  describe.each(engine.info().supportedIsas)('on %s', (isa) => {
    it.each([
      [3, 4, 5],
      [5, 40, 30],
      [64, 72, 300],
      [130, 150, 600],
    ])('%i × %i × %i, every transpose, beta 0, 1 and −0.5: the same non-finite results as js', (m, n, k) => {
      engine.setIsa(isa);
      const next = seededUniform(m * n * k);
      const A = operand(m * k, k, next);
      const B = operand(k * n, k, next);
      const seen = { nan: 0, infinite: 0, finite: 0 };
      for (const [transA, transB] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ]) {
        for (const alpha of [1, -1]) {
          for (const beta of [0, 1, -0.5]) {
            for (const C0 of [Float64Array.from({ length: m * n }, () => next()), withNonFinite(m * n, next)]) {
              const [native, js] = [Float64Array.from(C0), Float64Array.from(C0)];
              gemm(transA, transB, m, n, k, alpha, A, transA ? m : k, B, transB ? k : n, beta, native, n, { backend: 'native' });
              gemm(transA, transB, m, n, k, alpha, A, transA ? m : k, B, transB ? k : n, beta, js, n, { backend: 'js' });
              expect(firstDisagreement(native, js, 'finite'), `transA ${transA}, transB ${transB}, alpha ${alpha}, beta ${beta}`).toBeNull();
              seen.nan += countOf(native, Number.isNaN);
              seen.infinite += countOf(native, (x) => x === Infinity || x === -Infinity);
              seen.finite += countOf(native, Number.isFinite);
            }
          }
        }
      }
      // The case is what it says: every kind of result came up.
      expect(Math.min(seen.nan, seen.infinite, seen.finite)).toBeGreaterThan(0);
    });
  });
});

describe.runIf(BACKENDS.includes('native') && BACKENDS.includes('js'))('the vector math at NaN and ±∞', () => {
  const engine = nativeEngine()!;
  const native = getBackend('native', 'test');
  const js = getBackend('js', 'test');
  const initial = engine.info().isa;
  afterAll(() => engine.setIsa(initial));

  // Long enough to fill every ISA's vector lanes and its scalar tail.
  const EDGES = [NaN, Infinity, -Infinity, -0, 0, 800, -800, NaN, 1, -1, NaN, Infinity, -Infinity, NaN, 0.5, -Infinity, Infinity];
  const LIMITS: Record<'sigmoid' | 'tanh' | 'relu', (x: number) => number> = {
    sigmoid: (x) => (Number.isNaN(x) ? NaN : x === Infinity ? 1 : x === -Infinity ? 0 : 1 / (1 + Math.exp(-x))),
    tanh: (x) => (Number.isNaN(x) ? NaN : Math.tanh(x)),
    relu: (x) => (Number.isNaN(x) ? NaN : x > 0 ? x : 0),
  };

  describe.each(engine.info().supportedIsas)('on %s', (isa) => {
    it.each(['sigmoid', 'tanh', 'relu'] as const)('%s: NaN in is NaN out, ±∞ go to the limits, as in js', (name) => {
      engine.setIsa(isa);
      const z = Float64Array.from(EDGES);
      const [n, j] = [new Float64Array(z.length), new Float64Array(z.length)];
      // A 1 × 1 identity weight makes the layer's pre-activation exactly z.
      native.forwardLayer(z.length, 1, 1, z, Float64Array.of(1), null, ActivationCode[name], n);
      js.forwardLayer(z.length, 1, 1, z, Float64Array.of(1), null, ActivationCode[name], j);
      expect(firstDisagreement(n, j)).toBeNull();
      z.forEach((x, i) => expect(agree(n[i], LIMITS[name](x)), `${name}(${x}) = ${n[i]}`).toBe(true));
    });

    it('exp: NaN, +∞ and −∞ give NaN, +∞ and 0, as Math.exp', () => {
      engine.setIsa(isa);
      const x = Float64Array.from(EDGES);
      const y = new Float64Array(x.length);
      engine.vectorExp(x, y);
      x.forEach((v, i) => expect(Object.is(y[i], Math.exp(v)) || Math.abs(y[i] - Math.exp(v)) <= 2e-16 * Math.exp(v), `exp(${v})`).toBe(true));
    });

    it('softmax: a row with NaN or +∞ is NaN throughout, −∞ is a probability of 0, as in js', () => {
      engine.setIsa(isa);
      const rows = [
        [NaN, 1, 2],
        [1, NaN, 2],
        [Infinity, 1, 2],
        [1, 2, Infinity],
        [Infinity, Infinity, 0],
        [-Infinity, 1, 2],
        [-Infinity, -Infinity, 3],
        [-Infinity, -Infinity, -Infinity],
        [Infinity, -Infinity, 0],
        [1, 2, 3],
      ];
      const z = Float64Array.from(rows.flat());
      const [n, j] = [new Float64Array(z.length), new Float64Array(z.length)];
      // Identity weights of 3 × 3: each output row is its input row.
      const I = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
      native.forwardLayer(rows.length, 3, 3, z, I, null, ActivationCode.softmax, n);
      js.forwardLayer(rows.length, 3, 3, z, I, null, ActivationCode.softmax, j);
      // The identity product adds 0 · ±∞ = NaN where a row holds ±∞: compare to the product's own rows.
      expect(firstDisagreement(n, j)).toBeNull();
      const direct = Float64Array.from(z);
      for (let r = 0; r < rows.length; r++) {
        const row = direct.subarray(3 * r, 3 * r + 3);
        const max = Math.max(...row);
        const e = Array.from(row, (v) => Math.exp(v - max));
        const sum = e.reduce((a, b) => a + b, 0);
        row.set(e.map((v) => v / sum));
      }
      // Rows without ±∞ went through the identity product unchanged: their softmax is the formula's.
      for (const r of [0, 1, 9]) {
        for (let c = 0; c < 3; c++) expect(agree(n[3 * r + c], direct[3 * r + c]), `row ${r}`).toBe(true);
      }
      expect(Array.from(n.subarray(0, 6)).every(Number.isNaN)).toBe(true);
    });
  });
});

describe.each(BACKENDS)('relu of NaN on %s', (backend) => {
  it('predict keeps a NaN pre-activation NaN through relu', () => {
    const net = new Network({ inputs: 2, layers: [{ units: 2, activation: 'relu' }], seed: 1, backend });
    net.setWeights(0, [
      [BIG, -BIG],
      [-BIG, -BIG],
    ]);
    // Row 0: BIG·BIG − BIG·BIG = ∞ − ∞ in column 0; −∞ in column 1.
    const out = net.predict([
      [BIG, BIG],
      [1, 1],
    ]).data;
    expect(Number.isNaN(out[0])).toBe(true);
    expect(out[1]).toBe(0);
    expect(out[2]).toBe(0);
    expect(out[3]).toBe(0);
  });
});
