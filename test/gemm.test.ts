// gemm against a naive triple loop written here, over every transpose case,
// row strides wider than the rows, odd sizes, and alpha/beta special values.
import { describe, expect, it } from 'vitest';
import { DeltapropError, gemm } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { randomArray, seededUniform } from './helpers/data.js';

/**
 * C := alpha·op(A)·op(B) + beta·C by definition, element by element, and for
 * each element the magnitude |alpha|·Σ|a||b| + |beta·c| that bounds its
 * rounding error: any summation order is within (k + 2)·ε of that magnitude.
 */
function referenceGemm(
  ta: boolean,
  tb: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  A: Float64Array,
  lda: number,
  B: Float64Array,
  ldb: number,
  beta: number,
  C: Float64Array,
  ldc: number,
): { value: Float64Array; magnitude: Float64Array } {
  const value = C.slice();
  const magnitude = new Float64Array(C.length);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let abs = 0;
      for (let p = 0; p < k; p++) {
        const product = (ta ? A[p * lda + i] : A[i * lda + p]) * (tb ? B[j * ldb + p] : B[p * ldb + j]);
        sum += product;
        abs += Math.abs(product);
      }
      const scaled = beta === 0 ? 0 : beta * C[i * ldc + j];
      value[i * ldc + j] = alpha * sum + scaled;
      magnitude[i * ldc + j] = Math.abs(alpha) * abs + Math.abs(scaled);
    }
  }
  return { value, magnitude };
}

/** Largest |got − want| in units of the element's error bound (k + 2)·ε·magnitude; ≤ 1 passes. */
function errorInBounds(got: Float64Array, want: { value: Float64Array; magnitude: Float64Array }, k: number): number {
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const bound = (k + 2) * Number.EPSILON * want.magnitude[i] + Number.MIN_VALUE;
    worst = Math.max(worst, Math.abs(got[i] - want.value[i]) / bound);
  }
  return worst;
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [17, 1, 9],
  [1, 33, 4],
  [64, 64, 64],
  [37, 129, 300],
  [130, 257, 5],
  [4, 3, 0],
];

describe.each(BACKENDS)('gemm on %s', (backend) => {
  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      it(`matches the definition, transA=${ta} transB=${tb}, with padded strides`, () => {
        const next = seededUniform(1000 + Number(ta) * 2 + Number(tb));
        for (const [m, n, k] of SHAPES) {
          const pad = 3;
          const [aRows, aCols] = ta ? [k, m] : [m, k];
          const [bRows, bCols] = tb ? [n, k] : [k, n];
          const lda = aCols + pad;
          const ldb = bCols + pad;
          const ldc = n + pad;
          const A = randomArray(Math.max(1, aRows * lda), next);
          const B = randomArray(Math.max(1, bRows * ldb), next);
          const C = randomArray(m * ldc, next);
          const expected = referenceGemm(ta, tb, m, n, k, 0.75, A, lda, B, ldb, -0.5, C, ldc);
          gemm(ta, tb, m, n, k, 0.75, A, lda, B, ldb, -0.5, C, ldc, { backend });
          expect(errorInBounds(C, expected, k)).toBeLessThanOrEqual(1);
        }
      });
    }
  }

  it('with beta = 0 overwrites C without reading it (NaN in C does not leak)', () => {
    const A = Float64Array.of(1, 2, 3, 4);
    const B = Float64Array.of(5, 6, 7, 8);
    const C = new Float64Array(4).fill(NaN);
    gemm(false, false, 2, 2, 2, 1, A, 2, B, 2, 0, C, 2, { backend });
    expect(Array.from(C)).toEqual([19, 22, 43, 50]);
  });

  it('with alpha = 0 only scales C', () => {
    const C = Float64Array.of(1, 2, 3, 4);
    gemm(false, false, 2, 2, 2, 0, new Float64Array(4), 2, new Float64Array(4), 2, 2, C, 2, { backend });
    expect(Array.from(C)).toEqual([2, 4, 6, 8]);
  });

  it('leaves the padding between rows of C untouched', () => {
    const next = seededUniform(7);
    const A = randomArray(6, next);
    const B = randomArray(9, next);
    const C = new Float64Array(2 * 5).fill(-7); // 2 × 3 with ldc 5: two padding slots per row
    gemm(false, false, 2, 3, 3, 1, A, 3, B, 3, 0, C, 5, { backend });
    expect([C[3], C[4], C[8], C[9]]).toEqual([-7, -7, -7, -7]);
  });

  it('rejects a C too short for m × n at stride ldc', () => {
    expect(() => gemm(false, false, 2, 2, 2, 1, new Float64Array(4), 2, new Float64Array(4), 2, 0, new Float64Array(3), 2, { backend })).toThrow(DeltapropError);
  });
});
