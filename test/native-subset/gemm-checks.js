'use strict';
// The gemm checks of the native test subset: gemm against a naive triple loop,
// and its rejection of bad inputs.

const dp = require('./package-under-test');
const { mulberry32, assertBitEqual, expectDeltapropError } = require('./support');

// ---------------------------------------------------------------------------
// gemm

/** Elements a rows × cols row-major block with row stride ld spans (BLAS: the last row needs only cols). */
function span(rows, cols, ld) {
  return rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
}

/**
 * A stored operand of exactly its span, so that an ASan build sees any read
 * past the end. The padding columns hold NaN: a kernel that lets them into a
 * result shows up as a NaN there.
 */
function storedOperand(rng, rows, cols, ld) {
  const data = new Float64Array(span(rows, cols, ld)).fill(NaN);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) data[i * ld + j] = 2 * rng() - 1;
  }
  return data;
}

/** A view starting `offset` elements into a larger buffer, to check that byteOffset is honoured. */
function atOffset(data, offset) {
  if (offset === 0) return data;
  const buffer = new Float64Array(offset + data.length).fill(NaN);
  buffer.set(data, offset);
  return buffer.subarray(offset);
}

/**
 * The naive triple loop in double, plus per element the error bound
 * |alpha|·Σ|a·b| + |beta·c|. With beta = 0, C is not read (docs/api.md), so NaN in
 * C must not leak. Elements outside the m × n block keep their value.
 */
function referenceGemm({ transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc }) {
  const expected = Float64Array.from(C);
  const bound = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let magnitude = 0;
      for (let p = 0; p < k; p++) {
        const product = (transA ? A[p * lda + i] : A[i * lda + p]) * (transB ? B[j * ldb + p] : B[p * ldb + j]);
        sum += product;
        magnitude += Math.abs(product);
      }
      const scaledC = beta === 0 ? 0 : beta * C[i * ldc + j];
      expected[i * ldc + j] = alpha * sum + scaledC;
      bound[i * n + j] = Math.abs(alpha) * magnitude + Math.abs(scaledC);
    }
  }
  return { expected, bound };
}

function makeGemmCase(rng, { transA, transB, m, n, k, pad, alpha, beta, offset }) {
  const [aRows, aCols] = transA ? [k, m] : [m, k];
  const [bRows, bCols] = transB ? [n, k] : [k, n];
  const lda = Math.max(1, aCols) + pad;
  const ldb = Math.max(1, bCols) + pad;
  const ldc = Math.max(1, n) + pad;
  const C = new Float64Array(span(m, n, ldc)).fill(NaN);
  if (beta !== 0) {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) C[i * ldc + j] = 2 * rng() - 1;
  }
  return {
    transA,
    transB,
    m,
    n,
    k,
    alpha,
    A: atOffset(storedOperand(rng, aRows, aCols, lda), offset),
    lda,
    B: atOffset(storedOperand(rng, bRows, bCols, ldb), offset),
    ldb,
    beta,
    C: atOffset(C, offset),
    ldc,
  };
}

function runGemm(c) {
  dp.gemm(c.transA, c.transB, c.m, c.n, c.k, c.alpha, c.A, c.lda, c.B, c.ldb, c.beta, c.C, c.ldc);
}

function checkGemmCase(rng, shape) {
  const c = makeGemmCase(rng, shape);
  const { expected, bound } = referenceGemm(c);
  runGemm(c);
  const label = `gemm ${JSON.stringify(shape)}`;
  for (let idx = 0; idx < expected.length; idx++) {
    const i = Math.floor(idx / c.ldc);
    const j = idx % c.ldc;
    const got = c.C[idx];
    if (j >= c.n) {
      if (!Object.is(got, expected[idx])) throw new Error(`${label}: padding C[${i}][${j}] changed to ${got}`);
      continue;
    }
    // 1e-12 of Σ|a·b| covers any summation order; the tiny floor covers exact zeros.
    const tol = 1e-12 * bound[i * c.n + j] + 1e-300;
    if (!(Math.abs(got - expected[idx]) <= tol)) {
      throw new Error(`${label}: C[${i}][${j}] = ${got}, expected ${expected[idx]} (tolerance ${tol})`);
    }
  }
}

const TRANSPOSES = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

// Odd and degenerate sizes (k = 0 leaves beta·C; m or n = 0 writes nothing).
const SMALL_GEMM_SIZES = [
  [1, 1, 1],
  [3, 7, 13],
  [13, 3, 7],
  [7, 13, 33],
  [33, 1, 3],
  [1, 33, 7],
  [5, 4, 1],
  [3, 4, 0],
  [0, 5, 3],
  [4, 0, 2],
];

const GEMM_VARIANTS = [
  { pad: 0, alpha: 1, beta: 0, offset: 0 },
  { pad: 3, alpha: -1.25, beta: 0.5, offset: 0 },
  { pad: 1, alpha: 0.75, beta: -1, offset: 3 },
  { pad: 5, alpha: 1, beta: 1, offset: 0 },
];

function gemmSmallShapes() {
  const rng = mulberry32(101);
  for (const [transA, transB] of TRANSPOSES) {
    for (const [m, n, k] of SMALL_GEMM_SIZES) {
      for (const variant of GEMM_VARIANTS) checkGemmCase(rng, { transA, transB, m, n, k, ...variant });
    }
  }
}

// Large enough for the packed path and, with two or more threads, a split;
// few of them, since the naive reference dominates the run time under qemu.
function gemmLargeShapes() {
  const rng = mulberry32(102);
  for (const [transA, transB] of TRANSPOSES) {
    checkGemmCase(rng, { transA, transB, m: 97, n: 131, k: 150, pad: 3, alpha: 1, beta: 0.5, offset: 1 });
  }
  checkGemmCase(rng, { transA: false, transB: false, m: 256, n: 256, k: 256, pad: 0, alpha: 1, beta: 0, offset: 0 });
}

/** Each case is a call that must throw a DeltapropError; every one passes the same C, which must stay untouched. */
function gemmInvalidInputs() {
  const m = 3;
  const n = 4;
  const k = 5;
  const C = new Float64Array(m * n).fill(7);
  const valid = () => [false, false, m, n, k, 1, new Float64Array(m * k), k, new Float64Array(k * n), n, 0, C, n];
  const withArgs = (changes) => {
    const args = valid();
    for (const [index, value] of Object.entries(changes)) args[index] = value;
    return args;
  };
  const shared = new Float64Array(40);
  const cases = {
    'A one element short': withArgs({ 6: new Float64Array(m * k - 1) }),
    'B one element short': withArgs({ 8: new Float64Array(k * n - 1) }),
    'transposed A short for its lda': withArgs({ 0: true, 6: new Float64Array(span(k, m, 4) - 1), 7: 4 }),
    'transposed B short for its ldb': withArgs({ 1: true, 8: new Float64Array(span(n, k, 6) - 1), 9: 6 }),
    'C short for its ldc': withArgs({ 11: new Float64Array(span(m, n, 6) - 1), 12: 6 }),
    'lda below k': withArgs({ 6: new Float64Array(100), 7: k - 1 }),
    'ldb zero': withArgs({ 9: 0 }),
    'ldc negative': withArgs({ 12: -4 }),
    'negative m': withArgs({ 2: -1 }),
    'non-integer n': withArgs({ 3: 2.5 }),
    'NaN k': withArgs({ 4: NaN }),
    'infinite m': withArgs({ 2: Infinity }),
    'm as a string': withArgs({ 2: '3' }),
    'm at 2^31 - 1 with small buffers': withArgs({ 2: 2 ** 31 - 1 }),
    'm above 2^31 - 1': withArgs({ 2: 2 ** 31 }),
    'lda whose span overflows 32 bits': withArgs({ 2: 2 ** 20, 7: 2 ** 20 }),
    'A as number[]': withArgs({ 6: Array(m * k).fill(1) }),
    'B as Float32Array': withArgs({ 8: new Float32Array(k * n) }),
    'C null': withArgs({ 11: null }),
    'alpha NaN': withArgs({ 5: NaN }),
    'C overlapping A': withArgs({ 6: shared.subarray(0, m * k), 11: shared.subarray(10, 10 + m * n) }),
    'C the same array as B': (() => {
      const same = new Float64Array(k * n);
      return withArgs({ 8: same, 11: same });
    })(),
    'missing arguments': valid().slice(0, 5),
  };
  for (const [label, args] of Object.entries(cases)) expectDeltapropError(label, () => dp.gemm(...args));
  expectDeltapropError('unknown backend option', () => dp.gemm(...valid(), { backend: 'gpu' }));
  // "Every public function checks its inputs before doing any work."
  assertBitEqual('C after rejected calls', C, new Float64Array(m * n).fill(7));
}

module.exports = { gemmSmallShapes, gemmLargeShapes, gemmInvalidInputs };
