'use strict';
// Shared by the checks of the native test subset: a seeded PRNG, comparisons
// whose failure messages carry the numbers, the expected-error helpers, and
// data and layout helpers for networks.

const assert = require('node:assert/strict');
const dp = require('./package-under-test');

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
    throw new Error(`${label}: max|diff| = ${worst} at [${at}] (${actual[at]} vs ${expected[at]}), ` + `max|expected| = ${scale}, relative ${worst / scale} > ${tol}`);
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
// Expected errors

/** `fn` must throw a DeltapropError; anything else (no throw, another error) fails. */
function expectDeltapropError(label, fn) {
  try {
    fn();
  } catch (error) {
    if (error instanceof dp.DeltapropError) return;
    throw new Error(`${label}: expected a DeltapropError, got ${describeError(error)}`, { cause: error });
  }
  throw new Error(`${label}: expected a DeltapropError, but the call succeeded`);
}

/** Like expectDeltapropError, for calls that may also report by rejecting a promise. */
async function expectDeltapropErrorAsync(label, fn) {
  try {
    await fn();
  } catch (error) {
    if (error instanceof dp.DeltapropError) return;
    throw new Error(`${label}: expected a DeltapropError, got ${describeError(error)}`, { cause: error });
  }
  throw new Error(`${label}: expected a DeltapropError, but the call succeeded`);
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
 * docs/api.md's layout: layer views are W (fanIn × fanOut) then b, layer after
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

module.exports = {
  mulberry32,
  uniformArray,
  maxAbs,
  assertNormClose,
  assertScalarClose,
  assertBitEqual,
  describeError,
  expectDeltapropError,
  expectDeltapropErrorAsync,
  dataMatrix,
  targetsFor,
  oneHotTargets,
  assertLayout,
};
