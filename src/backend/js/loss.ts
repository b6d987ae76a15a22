import { multiplyByDerivative } from './activation.js';
import { LossCode, ReductionCode } from '../types.js';
import type { ActivationCode } from '../types.js';

// JS reference maths of the losses.

/** Smallest argument given to log: an output saturated to exactly 0 or 1 costs −log(DBL_MIN) ≈ 708, not Infinity. */
const LOG_FLOOR = 2.2250738585072014e-308;

function xlog(t: number, f: number): number {
  return t > 0 ? t * Math.log(Math.max(f, LOG_FLOOR)) : 0;
}

/**
 * How many of the n log terms of a cross-entropy loss had their argument
 * floored: outputs that give an observed target a probability of exactly 0,
 * whose true loss is +∞. Always 0 for mse. Mirrored by native count_floored.
 */
export function countFloored(loss: LossCode, n: number, F: Float64Array, T: Float64Array): number {
  if (loss === LossCode.mse) return 0;
  let floored = 0;
  for (let i = 0; i < n; i++) {
    if (T[i] > 0 && F[i] < LOG_FLOOR) floored++;
    if (loss === LossCode.binaryCrossEntropy && 1 - T[i] > 0 && 1 - F[i] < LOG_FLOOR) floored++;
  }
  return floored;
}

/** One output's term of the per-row loss l_r. */
function elementLoss(loss: LossCode, f: number, t: number): number {
  if (loss === LossCode.mse) return 0.5 * (f - t) * (f - t);
  if (loss === LossCode.binaryCrossEntropy) return -(xlog(t, f) + xlog(1 - t, 1 - f));
  return -xlog(t, f);
}

// Per-row weights w_r ≥ 0 (PyTorch's `weight` convention, for every loss): a
// batch's data loss is Σ_r w_r·l_r, divided for 'mean' by the batch's
// normaliser W = Σ_r w_r instead of its row count, and so is the L2 term and
// its gradient. Null weights: every row weighs 1, W is the row count. These
// two functions are the only place N or W enters (mirrored by native loss.h).

/**
 * What 'mean' divides a batch's sums by: Σ_r w_r, summed in row order, or the
 * row count when weights is null (the same number as summing that many ones).
 */
export function batchNormaliser(rows: number, weights: Float64Array | null): number {
  if (weights === null) return rows;
  let total = 0;
  for (let r = 0; r < rows; r++) total += weights[r];
  return total;
}

/**
 * The factor the reduction applies to a batch's sums: 1/normaliser for
 * 'mean', 1 for 'sum'. A batch of total weight 0 has nothing to learn from:
 * 'mean' gives it 0 (not 1/0), so its loss and gradient are 0.
 */
export function reductionScale(reduction: ReductionCode, normaliser: number): number {
  if (reduction === ReductionCode.sum) return 1;
  return normaliser > 0 ? 1 / normaliser : 0;
}

/**
 * δ(L) := dLoss/dZ(L), row r's times weights[r] (1 when weights is null or
 * left out) and times the reduction's scale; returns Σ_r w_r·l_r times that
 * scale: the reduced data loss of the batch (without any L2 term).
 */
export function outputDeltaAndLoss(
  rows: number,
  cols: number,
  loss: LossCode,
  reduction: ReductionCode,
  activation: ActivationCode,
  F: Float64Array,
  T: Float64Array,
  delta: Float64Array,
  weights: Float64Array | null = null,
): number {
  const n = rows * cols;
  const scale = reductionScale(reduction, batchNormaliser(rows, weights));
  let total = 0;
  if (weights === null) {
    // One flat loop, as before weights existed (as native loss.cc keeps it for speed).
    for (let i = 0; i < n; i++) {
      delta[i] = (F[i] - T[i]) * scale;
      total += elementLoss(loss, F[i], T[i]);
    }
  } else {
    for (let r = 0; r < rows; r++) {
      // With w = 1, w·scale and w·term are the flat loop's numbers, added in
      // the same order: all-ones weights train as no weights, to the bit.
      const w = weights[r];
      const rowScale = w * scale;
      for (let i = r * cols; i < (r + 1) * cols; i++) {
        delta[i] = (F[i] - T[i]) * rowScale;
        total += w * elementLoss(loss, F[i], T[i]);
      }
    }
  }
  // For mse the δ carries f'(a) of the output activation; the cross-entropies cancel it.
  if (loss === LossCode.mse) multiplyByDerivative(activation, delta, F, n);
  return total * scale;
}
