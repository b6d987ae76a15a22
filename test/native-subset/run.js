'use strict';
// The native test subset.
//
// The vitest suite cannot run against every native binary we ship: the arm64
// prebuild is exercised under qemu-user with Debian's Node 18 (no vitest, and
// 20-50x slower than native), and the AddressSanitizer build needs a plain
// `node` process with the sanitizer preloaded. This script is the check for
// those binaries: plain CommonJS, node: builtins only, deterministic (its own
// seeded PRNG), small enough to finish in seconds natively. Every reference
// value is computed here independently (naive loops, finite differences or
// the js backend), never taken from the native result.
//
// Run it against a folder holding the built package (package.json, dist/ and
// a binary that node-gyp-build finds):
//
//   DELTAPROP_BACKEND=native node test/native-subset/run.js <packageRoot>
//   DELTAPROP_BACKEND=native DELTAPROP_ISA=generic node test/native-subset/run.js <packageRoot>
//
// It prints `ok <name>` or `FAIL <name>: <why>` per check, then a summary, and
// exits with 1 if any check failed.

const assert = require('node:assert/strict');
const path = require('node:path');

// ---------------------------------------------------------------------------
// Deterministic random numbers

/** mulberry32: a tiny 32-bit PRNG, uniform in [0, 1). */
function mulberry32(seed) {
  let state = seed >>> 0;
  return function next() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uniformArray(rng, length, lo = -1, hi = 1) {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = lo + (hi - lo) * rng();
  return out;
}

// ---------------------------------------------------------------------------
// Comparison helpers (every failure message carries the numbers)

function maxAbs(values) {
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  return m;
}

/** max|actual − expected| ≤ tol · max|expected|: agreement relative to the vector's scale. */
function assertNormClose(label, actual, expected, tol = 1e-10) {
  assert.equal(actual.length, expected.length, `${label}: length ${actual.length}, expected ${expected.length}`);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    // Once a NaN is recorded it stays: nothing compares greater than NaN.
    const d = Math.abs(actual[i] - expected[i]);
    if (Number.isNaN(d) || d > worst) {
      worst = d;
      at = i;
    }
  }
  const scale = maxAbs(expected);
  if (!(worst <= tol * scale)) {
    throw new Error(
      `${label}: max|diff| = ${worst} at [${at}] (${actual[at]} vs ${expected[at]}), ` +
        `max|expected| = ${scale}, relative ${worst / scale} > ${tol}`,
    );
  }
}

function assertScalarClose(label, actual, expected, tol = 1e-10) {
  const d = Math.abs(actual - expected);
  if (!(d <= tol * Math.abs(expected))) {
    throw new Error(`${label}: ${actual} vs ${expected}, relative difference ${d / Math.abs(expected)} > ${tol}`);
  }
}

/** Equality to the bit (Object.is: NaN equals NaN, −0 differs from 0). */
function assertBitEqual(label, actual, expected) {
  assert.equal(actual.length, expected.length, `${label}: length ${actual.length}, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      throw new Error(`${label}: differs at [${i}]: ${actual[i]} vs ${expected[i]} (difference ${actual[i] - expected[i]})`);
    }
  }
}

function describeError(error) {
  return error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
}

// ---------------------------------------------------------------------------
// The package under test and its expected errors

let dp;

/** `fn` must throw a DeltapropError; anything else (no throw, another error) fails. */
function expectDeltapropError(label, fn) {
  try {
    fn();
  } catch (error) {
    if (error instanceof dp.DeltapropError) return;
    throw new Error(`${label}: expected a DeltapropError, got ${describeError(error)}`);
  }
  throw new Error(`${label}: expected a DeltapropError, but the call succeeded`);
}

/** Like expectDeltapropError, for calls that may also report by rejecting a promise. */
async function expectDeltapropErrorAsync(label, fn) {
  try {
    await fn();
  } catch (error) {
    if (error instanceof dp.DeltapropError) return;
    throw new Error(`${label}: expected a DeltapropError, got ${describeError(error)}`);
  }
  throw new Error(`${label}: expected a DeltapropError, but the call succeeded`);
}

// ---------------------------------------------------------------------------
// 1, 2: gemm

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
 * |alpha|·Σ|a·b| + |beta·c|. With beta = 0, C is not read (README), so NaN in
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

// ---------------------------------------------------------------------------
// Networks and data

function dataMatrix(rng, rows, cols, lo = -1, hi = 1) {
  return dp.matrix(rows, cols, uniformArray(rng, rows * cols, lo, hi));
}

/** Targets a loss accepts: probabilities for the cross-entropies (rows summing to 1 for softmax). */
function targetsFor(rng, loss, rows, cols) {
  if (loss === 'binary-cross-entropy') return dataMatrix(rng, rows, cols, 0, 1);
  if (loss !== 'cross-entropy') return dataMatrix(rng, rows, cols);
  const t = dataMatrix(rng, rows, cols, 0.05, 1);
  for (let i = 0; i < rows; i++) {
    const row = t.data.subarray(i * cols, (i + 1) * cols);
    const total = row.reduce((a, b) => a + b, 0);
    for (let j = 0; j < cols; j++) row[j] /= total;
  }
  return t;
}

function oneHotTargets(rng, rows, cols) {
  const t = dp.matrix(rows, cols);
  for (let i = 0; i < rows; i++) t.data[i * cols + Math.floor(rng() * cols)] = 1;
  return t;
}

/**
 * The README's layout: layer views are W (fanIn × fanOut) then b, layer after
 * layer, over one flat buffer. Checks views against `flat` to the bit.
 */
function assertLayout(label, flat, views, fanIns, fanOuts, bias) {
  let offset = 0;
  views.forEach((view, i) => {
    const size = fanIns[i] * fanOuts[i];
    assert.equal(view.weights.rows, fanIns[i], `${label}: layer ${i} weights.rows`);
    assert.equal(view.weights.cols, fanOuts[i], `${label}: layer ${i} weights.cols`);
    assertBitEqual(`${label}: layer ${i} weights`, view.weights.data, flat.subarray(offset, offset + size));
    offset += size;
    if (bias) {
      assertBitEqual(`${label}: layer ${i} biases`, view.biases, flat.subarray(offset, offset + fanOuts[i]));
      offset += fanOuts[i];
    } else {
      assert.equal(view.biases, null, `${label}: layer ${i} biases should be null without bias`);
    }
  });
  assert.equal(offset, flat.length, `${label}: layers cover ${offset} of ${flat.length} values`);
}

// ---------------------------------------------------------------------------
// 3: native vs js in one process

// Together: every activation, every loss, both reductions, bias on and off, l2 on and off.
const PARITY_CONFIGS = [
  { inputs: 4, layers: [['tanh', 5], ['sigmoid', 3]], loss: 'binary-cross-entropy', reduction: 'mean', bias: true, l2: 0 },
  { inputs: 3, layers: [['relu', 6], ['identity', 2]], loss: 'mse', reduction: 'sum', bias: false, l2: 0.01 },
  { inputs: 5, layers: [['sigmoid', 4], ['tanh', 3], ['softmax', 4]], loss: 'cross-entropy', reduction: 'mean', bias: true, l2: 0.05 },
  { inputs: 2, layers: [['identity', 3], ['relu', 2]], loss: 'mse', reduction: 'mean', bias: true, l2: 0 },
  { inputs: 3, layers: [['relu', 4], ['tanh', 2]], loss: 'mse', reduction: 'sum', bias: true, l2: 0.1 },
  { inputs: 3, layers: [['tanh', 3], ['sigmoid', 2]], loss: 'mse', reduction: 'mean', bias: false, l2: 0 },
  { inputs: 4, layers: [['relu', 5], ['softmax', 3]], loss: 'cross-entropy', reduction: 'sum', bias: false, l2: 0 },
];

// Run in sequence on the same networks: the shuffling state carries over, so it is compared too.
const PARITY_FITS = [
  { epochs: 3, batchSize: 4, learningRate: 0.05, momentum: 0, shuffle: true },
  { epochs: 3, batchSize: 3, learningRate: 0.05, momentum: 0.9, shuffle: true },
  { epochs: 2, batchSize: 100, learningRate: 0.05, momentum: 0.5, shuffle: false },
];

function networkOptions(config, seed, backendName) {
  const { layers, ...rest } = config;
  return { ...rest, layers: layers.map(([activation, units]) => ({ units, activation })), seed, backend: backendName };
}

function checkParityConfig(config, seed) {
  const label = config.layers.map(([a, u]) => `${a}${u}`).join('-') + `/${config.loss}/${config.reduction}`;
  const native = new dp.Network(networkOptions(config, seed, 'native'));
  const js = new dp.Network(networkOptions(config, seed, 'js'));
  assert.equal(native.backend, 'native', `${label}: network backend`);
  assert.equal(js.backend, 'js', `${label}: network backend`);
  assertBitEqual(`${label}: initial params`, native.params, js.params);

  const fanIns = [config.inputs, ...config.layers.slice(0, -1).map(([, units]) => units)];
  const fanOuts = config.layers.map(([, units]) => units);
  assertLayout(`${label}: net.layers`, native.params, native.layers, fanIns, fanOuts, config.bias);

  const rng = mulberry32(seed);
  const X = dataMatrix(rng, 10, config.inputs, -2, 2);
  const T = targetsFor(rng, config.loss, 10, fanOuts.at(-1));

  assertNormClose(`${label}: predict`, native.predict(X).data, js.predict(X).data);
  const nativeForward = native.forward(X);
  const jsForward = js.forward(X);
  assert.equal(nativeForward.length, config.layers.length, `${label}: forward returns one matrix per layer`);
  nativeForward.forEach((a, i) => assertNormClose(`${label}: forward layer ${i}`, a.data, jsForward[i].data));

  const nativeEval = native.evaluate(X, T);
  const jsEval = js.evaluate(X, T);
  assertScalarClose(`${label}: evaluate loss`, nativeEval.loss, jsEval.loss);
  assert.equal(nativeEval.accuracy, jsEval.accuracy, `${label}: evaluate accuracy`);

  const nativeGrad = native.gradients(X, T);
  const jsGrad = js.gradients(X, T);
  assertScalarClose(`${label}: gradients loss`, nativeGrad.loss, jsGrad.loss);
  assertNormClose(`${label}: grads`, nativeGrad.grads, jsGrad.grads);
  assertLayout(`${label}: gradients().layers`, nativeGrad.grads, nativeGrad.layers, fanIns, fanOuts, config.bias);
  nativeGrad.layers.forEach((layer, i) => {
    assertNormClose(`${label}: dW layer ${i}`, layer.weights.data, jsGrad.layers[i].weights.data);
    if (config.bias) assertNormClose(`${label}: db layer ${i}`, layer.biases, jsGrad.layers[i].biases);
  });

  PARITY_FITS.forEach((fit, f) => {
    const nativeHistory = native.fitSync(X, T, fit);
    const jsHistory = js.fitSync(X, T, fit);
    assert.equal(nativeHistory.epochs, fit.epochs, `${label}: fit ${f} epochs run`);
    assertNormClose(`${label}: fit ${f} history.loss`, nativeHistory.loss, jsHistory.loss);
    assertNormClose(`${label}: fit ${f} params`, native.params, js.params);
  });
}

function parityNativeVsJs() {
  PARITY_CONFIGS.forEach((config, i) => checkParityConfig(config, 1000 + i));
}

// ---------------------------------------------------------------------------
// 4: async fit

const ASYNC_CONFIG = { inputs: 6, layers: [['tanh', 8], ['sigmoid', 3]], loss: 'binary-cross-entropy', reduction: 'mean', bias: true, l2: 0.01 };

/**
 * fit and fitSync run the same native epoch code (one on a worker thread),
 * with the same thread count, so the results must agree to the bit.
 */
async function asyncFitEqualsSync() {
  const rng = mulberry32(2001);
  const X = dataMatrix(rng, 40, 6);
  const T = targetsFor(rng, 'binary-cross-entropy', 40, 3);
  const V = dataMatrix(rng, 8, 6);
  const VT = targetsFor(rng, 'binary-cross-entropy', 8, 3);
  const options = { epochs: 4, batchSize: 7, learningRate: 0.2, momentum: 0.8, shuffle: true, validation: { inputs: V, targets: VT } };
  const syncNet = new dp.Network(networkOptions(ASYNC_CONFIG, 2002, 'native'));
  const asyncNet = new dp.Network(networkOptions(ASYNC_CONFIG, 2002, 'native'));
  const syncHistory = syncNet.fitSync(X, T, options);
  const asyncHistory = await asyncNet.fit(X, T, options);
  assertBitEqual('params', asyncNet.params, syncNet.params);
  assertBitEqual('history.loss', asyncHistory.loss, syncHistory.loss);
  assertBitEqual('history.validationLoss', asyncHistory.validationLoss, syncHistory.validationLoss);
  assert.equal(asyncHistory.epochs, syncHistory.epochs, 'history.epochs');
}

/** While fit runs on a worker thread, touching the network from JS would race it: every call must be refused. */
async function callsDuringFitRejected() {
  const rng = mulberry32(2101);
  const X = dataMatrix(rng, 64, 6);
  const T = targetsFor(rng, 'binary-cross-entropy', 64, 3);
  const net = new dp.Network(networkOptions(ASYNC_CONFIG, 2102, 'native'));
  const running = net.fit(X, T, { epochs: 3, batchSize: 8 });
  expectDeltapropError('predict during fit', () => net.predict(X));
  expectDeltapropError('gradients during fit', () => net.gradients(X, T));
  expectDeltapropError('fitSync during fit', () => net.fitSync(X, T));
  expectDeltapropError('setBiases during fit', () => net.setBiases(0, new Float64Array(8)));
  await expectDeltapropErrorAsync('a second fit during fit', () => net.fit(X, T));
  const history = await running;
  assert.equal(history.epochs, 3, 'the first fit completes');
  const out = net.predict(X).data;
  assert.ok(out.every(Number.isFinite), 'predict works again after fit');
}

// ---------------------------------------------------------------------------
// 5: finite differences

function finiteDifferenceGradients() {
  const config = { inputs: 3, layers: [['sigmoid', 4], ['tanh', 3], ['identity', 2]], loss: 'mse', reduction: 'mean', bias: true, l2: 0.1 };
  const net = new dp.Network(networkOptions(config, 3001, 'native'));
  const rng = mulberry32(3002);
  const X = dataMatrix(rng, 5, 3, -2, 2);
  const T = dataMatrix(rng, 5, 2, -2, 2);
  const analytic = net.gradients(X, T);
  assertScalarClose('gradients().loss vs evaluate().loss', analytic.loss, net.evaluate(X, T).loss, 1e-12);

  const h = 1e-5;
  const lossAt = (i, value) => {
    net.params[i] = value;
    return net.evaluate(X, T).loss;
  };
  for (let i = 0; i < net.params.length; i++) {
    const original = net.params[i];
    const fd = (lossAt(i, original + h) - lossAt(i, original - h)) / (2 * h);
    net.params[i] = original;
    const an = analytic.grads[i];
    const relative = Math.abs(fd - an) / Math.max(Math.abs(fd), Math.abs(an), 1e-8);
    if (!(relative < 1e-6)) {
      throw new Error(`param ${i}: analytic ${an}, central difference ${fd}, relative error ${relative}`);
    }
  }
}

// ---------------------------------------------------------------------------
// 6: thread count

/**
 * Work big enough to be split over two threads (the gemm at 256³, and the
 * network's products at 128 × 96 × 192 and more), all of it from fixed seeds.
 */
function threadWorkload() {
  const rng = mulberry32(4001);
  const size = 256;
  const A = uniformArray(rng, size * size);
  const B = uniformArray(rng, size * size);
  const C = new Float64Array(size * size);
  dp.gemm(false, true, size, size, size, 1, A, size, B, size, 0, C, size);

  const net = new dp.Network({
    inputs: 96,
    layers: [
      { units: 192, activation: 'sigmoid' },
      { units: 10, activation: 'softmax' },
    ],
    loss: 'cross-entropy',
    l2: 0.001,
    seed: 4002,
    backend: 'native',
  });
  const X = dataMatrix(rng, 256, 96);
  const T = oneHotTargets(rng, 256, 10);
  const { loss, grads } = net.gradients(X, T);
  const history = net.fitSync(X, T, { epochs: 2, batchSize: 128, learningRate: 0.1, momentum: 0.9 });
  return { C, loss: [loss], grads, params: net.params, history: history.loss };
}

function threadCountIndependence() {
  assert.equal(typeof dp.setThreads, 'function', 'setThreads is exported (README)');
  const original = dp.backend.threads;
  try {
    dp.setThreads(1);
    assert.equal(dp.backend.threads, 1, 'backend.threads after setThreads(1)');
    const one = threadWorkload();
    dp.setThreads(2);
    assert.equal(dp.backend.threads, 2, 'backend.threads after setThreads(2)');
    const two = threadWorkload();
    for (const key of Object.keys(one)) assertBitEqual(`${key}, 1 vs 2 threads`, two[key], one[key]);
    for (const bad of [0, 1.5, 257, NaN, '2']) expectDeltapropError(`setThreads(${String(bad)})`, () => dp.setThreads(bad));
  } finally {
    dp.setThreads(original);
  }
  assert.equal(dp.backend.threads, original, 'thread count restored');
}

// ---------------------------------------------------------------------------
// 7: bad inputs to Network

function badNetworkInputs() {
  const net = new dp.Network({
    inputs: 4,
    layers: [
      { units: 3, activation: 'tanh' },
      { units: 3, activation: 'softmax' },
    ],
    loss: 'cross-entropy',
    seed: 5001,
    backend: 'native',
  });
  const rng = mulberry32(5002);
  const X = dataMatrix(rng, 6, 4);
  const T = oneHotTargets(rng, 6, 3);
  const before = Float64Array.from(net.params);
  const withNaN = dp.matrix(6, 4, Float64Array.from(X.data));
  withNaN.data[9] = NaN;
  const withInfinity = dp.matrix(6, 4, Float64Array.from(X.data));
  withInfinity.data[0] = -Infinity;
  const targetWithNaN = dp.matrix(6, 3, Float64Array.from(T.data));
  targetWithNaN.data[4] = NaN;

  const cases = {
    'predict: a row of 3 values': () => net.predict([[1, 2, 3]]),
    'predict: ragged rows': () => net.predict([[1, 2, 3, 4], [1, 2, 3]]),
    'predict: NaN': () => net.predict(withNaN),
    'predict: -Infinity': () => net.predict(withInfinity),
    'predict: NaN in number[][]': () => net.predict([[0, NaN, 0, 0]]),
    'predict: Matrix of 5 columns': () => net.predict({ rows: 2, cols: 5, data: new Float64Array(10) }),
    'predict: Matrix data shorter than rows × cols': () => net.predict({ rows: 100, cols: 4, data: new Float64Array(8) }),
    'predict: Matrix over a Float32Array': () => net.predict({ rows: 1, cols: 4, data: new Float32Array(4) }),
    'predict: Matrix with negative rows': () => net.predict({ rows: -1, cols: 4, data: new Float64Array(0) }),
    'predict: a string': () => net.predict('1,2,3,4'),
    'predict: null': () => net.predict(null),
    'forward: NaN': () => net.forward(withNaN),
    'gradients: 5 target rows for 6 inputs': () => net.gradients(X, dp.matrix(5, 3, T.data.slice(0, 15))),
    'gradients: targets of 2 columns': () => net.gradients(X, dp.matrix(6, 2)),
    'gradients: NaN target': () => net.gradients(X, targetWithNaN),
    'gradients: target row not summing to 1': () => net.gradients([[1, 2, 3, 4]], [[0.5, 0.2, 0.1]]),
    'gradients: target outside [0, 1] summing to 1': () => net.gradients([[1, 2, 3, 4]], [[-0.5, 1.5, 0]]),
    'evaluate: targets of 4 columns': () => net.evaluate(X, dp.matrix(6, 4)),
    'fitSync: 7 target rows': () => net.fitSync(X, dp.matrix(7, 3)),
    'fitSync: batchSize 0': () => net.fitSync(X, T, { batchSize: 0 }),
    'fitSync: learningRate -0.1': () => net.fitSync(X, T, { learningRate: -0.1 }),
    'fitSync: momentum 1': () => net.fitSync(X, T, { momentum: 1 }),
    'fitSync: epochs 2.5': () => net.fitSync(X, T, { epochs: 2.5 }),
    'fitSync: validation targets of 2 columns': () =>
      net.fitSync(X, T, { validation: { inputs: X, targets: dp.matrix(6, 2) } }),
    'setWeights: 3 × 4 for a 4 × 3 layer': () => net.setWeights(0, dp.matrix(3, 4)),
    'setWeights: NaN': () => net.setWeights(1, [[0, 0, 0], [0, NaN, 0], [0, 0, 0]]),
    'setWeights: layer 2 of 2': () => net.setWeights(2, dp.matrix(3, 3)),
    'setBiases: 2 values for 3 units': () => net.setBiases(0, [0, 0]),
  };
  for (const [label, call] of Object.entries(cases)) expectDeltapropError(label, call);

  const constructors = {
    'softmax on a hidden layer': { inputs: 2, layers: [{ units: 2, activation: 'softmax' }, { units: 2, activation: 'softmax' }], loss: 'cross-entropy' },
    'softmax with mse': { inputs: 2, layers: [{ units: 2, activation: 'softmax' }], loss: 'mse' },
    'binary-cross-entropy with tanh output': { inputs: 2, layers: [{ units: 1, activation: 'tanh' }], loss: 'binary-cross-entropy' },
    'inputs 0': { inputs: 0, layers: [{ units: 1, activation: 'identity' }] },
    'unknown activation': { inputs: 2, layers: [{ units: 1, activation: 'gelu' }] },
    'units 0': { inputs: 2, layers: [{ units: 0, activation: 'identity' }] },
  };
  for (const [label, options] of Object.entries(constructors)) {
    expectDeltapropError(`new Network: ${label}`, () => new dp.Network({ ...options, backend: 'native' }));
  }
  const bce = new dp.Network({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'binary-cross-entropy', backend: 'native', seed: 1 });
  expectDeltapropError('binary-cross-entropy target 1.5', () => bce.gradients([[0, 1]], [[1.5]]));

  assertBitEqual('params after rejected calls', net.params, before);
  const out = net.predict(X);
  assert.equal(out.rows, 6, 'predict still works: rows');
  assert.ok(out.data.every(Number.isFinite), 'predict still works: finite outputs');
}

async function badAsyncFitInputs() {
  const net = new dp.Network({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse', backend: 'native', seed: 5101 });
  await expectDeltapropErrorAsync('fit: NaN input', () => net.fit([[0, NaN]], [[1]]));
  await expectDeltapropErrorAsync('fit: targets of 2 columns', () => net.fit([[0, 1]], [[1, 0]]));
  await expectDeltapropErrorAsync('fit: batchSize -1', () => net.fit([[0, 1]], [[1]], { batchSize: -1 }));
  const history = await net.fit([[0, 1]], [[1]], { epochs: 2 });
  assert.equal(history.epochs, 2, 'fit still works after rejected calls');
}

// ---------------------------------------------------------------------------
// 8: XOR

function xorLearns() {
  const net = new dp.Network({
    inputs: 2,
    layers: [
      { units: 4, activation: 'sigmoid' },
      { units: 1, activation: 'sigmoid' },
    ],
    loss: 'mse',
    seed: 6001,
    backend: 'native',
  });
  const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
  const T = [[0], [1], [1], [0]];
  const history = net.fitSync(X, T, { epochs: 1000, batchSize: 4, learningRate: 2, momentum: 0.9 });
  const out = net.predict(X).data;
  const wrong = T.filter(([t], i) => (out[i] > 0.5) !== (t > 0.5));
  if (wrong.length > 0) {
    throw new Error(`outputs ${Array.from(out).map((v) => v.toFixed(3)).join(', ')} after loss ${history.loss.at(-1)}`);
  }
  assert.equal(net.evaluate(X, T).accuracy, 1, 'evaluate().accuracy');
}

// ---------------------------------------------------------------------------

const CHECKS = [
  ['gemm: small, odd and degenerate shapes, all transposes, padding, offsets, beta', gemmSmallShapes],
  ['gemm: large shapes (packed and threaded paths)', gemmLargeShapes],
  ['gemm: invalid inputs throw DeltapropError', gemmInvalidInputs],
  ['network: native agrees with js', parityNativeVsJs],
  ['network: async fit equals fitSync to the bit', asyncFitEqualsSync],
  ['network: calls during async fit are rejected', callsDuringFitRejected],
  ['network: gradients match central differences', finiteDifferenceGradients],
  ['threads: results do not depend on the thread count', threadCountIndependence],
  ['network: bad inputs throw DeltapropError', badNetworkInputs],
  ['network: bad inputs to async fit are rejected', badAsyncFitInputs],
  ['network: XOR learns', xorLearns],
];

function checkBackend() {
  assert.equal(dp.backend.name, 'native', `backend.name (nativeError: ${dp.backend.nativeError})`);
  const requestedIsa = process.env.DELTAPROP_ISA;
  if (requestedIsa) assert.equal(dp.backend.isa, requestedIsa, 'backend.isa vs DELTAPROP_ISA');
  console.log(`isa ${dp.backend.isa}, supported [${dp.backend.supportedIsas.join(', ')}], threads ${dp.backend.threads}`);
}

async function main() {
  const packageRoot = process.argv[2];
  if (!packageRoot) throw new Error('usage: node test/native-subset/run.js <packageRoot>');
  dp = require(path.resolve(packageRoot));
  checkBackend();
  let passed = 0;
  let failed = 0;
  for (const [name, check] of CHECKS) {
    try {
      await check();
      console.log(`ok ${name}`);
      passed++;
    } catch (error) {
      const message = error instanceof assert.AssertionError ? error.message : describeError(error);
      console.log(`FAIL ${name}: ${message}`);
      failed++;
    }
  }
  console.log(`native subset: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`native subset: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  },
);
