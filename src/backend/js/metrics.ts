// Accuracy as evaluate() defines it, mirrored by native/kernels/metrics.h: for
// a softmax output a row is correct when the argmax of its outputs is that of
// its targets; for a sigmoid output each output counts, correct when it and
// its target fall on the same side of 0.5. A non-finite output is never
// correct (a row with one never is).
import { ActivationCode } from '../types.js';

export function hasAccuracy(output: number): boolean {
  return output === ActivationCode.softmax || output === ActivationCode.sigmoid;
}

/** The first index of the largest value (NaN never is). */
function argmax(x: Float64Array, start: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (x[start + j] > x[start + best]) best = j;
  return best;
}

function allFinite(x: Float64Array, start: number, n: number): boolean {
  for (let j = 0; j < n; j++) if (!Number.isFinite(x[start + j])) return false;
  return true;
}

/** How many rows (softmax) or outputs (sigmoid) of F (rows × cols) are correct for T. */
export function countCorrect(output: number, rows: number, cols: number, F: Float64Array, T: Float64Array): number {
  let correct = 0;
  if (output === ActivationCode.softmax) {
    for (let r = 0; r < rows; r++) {
      if (allFinite(F, r * cols, cols) && argmax(F, r * cols, cols) === argmax(T, r * cols, cols)) correct++;
    }
  } else if (output === ActivationCode.sigmoid) {
    for (let i = 0; i < rows * cols; i++) if (Number.isFinite(F[i]) && F[i] >= 0.5 === T[i] >= 0.5) correct++;
  }
  return correct;
}

/** What the count is out of: rows for softmax, every output for sigmoid. */
export function accuracyDenominator(output: number, rows: number, cols: number): number {
  return output === ActivationCode.softmax ? rows : rows * cols;
}
