// Accuracy of the native vector exp, sigmoid and tanh on every ISA this CPU
// supports, against double-double references (helpers/double-double.ts). The
// documented bounds (docs/api.md, "Accuracy"): exp below 1 ulp (faithfully
// rounded), tanh within 1.5 ulp, sigmoid within 2.5 ulp (it is 1/(1 + e^−z):
// exp's error, then an addition and a division, each rounded).
import { afterAll, describe, expect, it } from 'vitest';
import { getBackend, nativeEngine } from '../src/backend/index.js';
import { ActivationCode } from '../src/backend/types.js';
import { BACKENDS } from './helpers/backends.js';
import { seededUniform } from './helpers/data.js';
import * as dd from './helpers/double-double.js';

const BOUNDS = { exp: 1, sigmoid: 2.5, tanh: 1.5 };
// Above this the references keep their full double-double precision (their low word stays normal).
const SMALLEST_CHECKED = 1e-300;

const RANGES: [string, number, number][] = [
  ['the whole finite range', -690, 709.7],
  ['[−1, 1]', -1, 1],
  ['[−40, 40]', -40, 40],
  ['[−0.7, 0.7] (tanh switches formula at 0.625)', -0.7, 0.7],
  ['[−1e−6, 1e−6]', -1e-6, 1e-6],
];

function worstError(x: Float64Array, got: Float64Array, reference: (v: number) => dd.DD): number {
  let worst = 0;
  x.forEach((v, i) => {
    const want = reference(v);
    if (Math.abs(want[0]) >= SMALLEST_CHECKED) worst = Math.max(worst, dd.ulpError(got[i], want));
  });
  return worst;
}

describe.runIf(BACKENDS.includes('native'))('vector exp, sigmoid and tanh', () => {
  const engine = nativeEngine()!;
  const native = getBackend('native', 'test');
  const initial = engine.info().isa;
  afterAll(() => engine.setIsa(initial));

  describe.each(engine.info().supportedIsas)('on %s', (isa) => {
    it.each(RANGES)('stay within their bounds over %s', (_name, lo, hi) => {
      engine.setIsa(isa);
      const next = seededUniform(Math.round(hi * 1000));
      const x = Float64Array.from({ length: 20000 }, () => lo + (hi - lo) * next());
      const [e, s, t] = [new Float64Array(x.length), new Float64Array(x.length), new Float64Array(x.length)];
      engine.vectorExp(x, e);
      // A 1 × 1 identity weight makes the layer's pre-activation exactly x.
      native.forwardLayer(x.length, 1, 1, x, Float64Array.of(1), null, ActivationCode.sigmoid, s);
      native.forwardLayer(x.length, 1, 1, x, Float64Array.of(1), null, ActivationCode.tanh, t);
      expect(worstError(x, e, dd.exp)).toBeLessThan(BOUNDS.exp);
      expect(worstError(x, s, dd.sigmoid)).toBeLessThanOrEqual(BOUNDS.sigmoid);
      expect(worstError(x, t, dd.tanh)).toBeLessThanOrEqual(BOUNDS.tanh);
    });

    it('handle the edges: overflow, underflow, ±Infinity, NaN, subnormal results', () => {
      engine.setIsa(isa);
      const x = Float64Array.of(710, 1e308, Infinity, -746, -1e308, -Infinity, NaN, 0, -0, -740);
      const y = new Float64Array(x.length);
      engine.vectorExp(x, y);
      expect(Array.from(y.subarray(0, 9))).toEqual([Infinity, Infinity, Infinity, 0, 0, 0, NaN, 1, 1]);
      // e^−740 ≈ 4.2e−322 is subnormal: right to within the subnormal spacing.
      expect(Math.abs(y[9] - 4.2e-322)).toBeLessThanOrEqual(5e-324 * 2);
      const s = new Float64Array(4);
      const t = new Float64Array(4);
      const z = Float64Array.of(-Infinity, Infinity, -800, 800);
      native.forwardLayer(4, 1, 1, z, Float64Array.of(1), null, ActivationCode.sigmoid, s);
      native.forwardLayer(4, 1, 1, z, Float64Array.of(1), null, ActivationCode.tanh, t);
      expect(Array.from(s)).toEqual([0, 1, 0, 1]);
      expect(Array.from(t)).toEqual([-1, 1, -1, 1]);
    });
  });
});
