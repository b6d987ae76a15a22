'use strict';
// Deterministic benchmark data (a 32-bit LCG: fast, and the same in every run).

function uniform(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Inputs in [−1, 1) and targets in [0, 1), row-major Float64Arrays. */
function dataset(rows, inputs, outputs, seed = 1) {
  const next = uniform(seed);
  return {
    rows,
    inputs,
    outputs,
    X: Float64Array.from({ length: rows * inputs }, () => 2 * next() - 1),
    T: Float64Array.from({ length: rows * outputs }, next),
  };
}

module.exports = { uniform, dataset };
