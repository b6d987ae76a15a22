import type { Activation } from './activations.js';
import { multiplyByDerivative } from './activations.js';
import { ActivationCode, LossCode, ReductionCode } from './backend/types.js';
import { DeltapropError } from './errors.js';
import type { Matrix } from './matrix.js';
import { checkOneOf } from './validate.js';

export const LOSSES = ['mse', 'binary-cross-entropy', 'cross-entropy'] as const;
export type Loss = (typeof LOSSES)[number];

export const REDUCTIONS = ['mean', 'sum'] as const;
export type Reduction = (typeof REDUCTIONS)[number];

export function checkLoss(name: string, value: unknown): Loss {
  return checkOneOf(name, value, LOSSES);
}

export function checkReduction(name: string, value: unknown): Reduction {
  return checkOneOf(name, value, REDUCTIONS);
}

const LOSS_CODES: Record<Loss, LossCode> = {
  mse: LossCode.mse,
  'binary-cross-entropy': LossCode.binaryCrossEntropy,
  'cross-entropy': LossCode.crossEntropy,
};

export function lossCode(loss: Loss): LossCode {
  return LOSS_CODES[loss];
}

export function reductionCode(reduction: Reduction): ReductionCode {
  return ReductionCode[reduction];
}

/**
 * The output activations each loss is defined for. The cross-entropy losses
 * need their matching activation for δ = f − t to be the true gradient;
 * mse uses (f − t) ⊙ f'(a), which softmax (not element-wise) does not have.
 */
const OUTPUTS_FOR_LOSS: Record<Loss, readonly Activation[]> = {
  mse: ['identity', 'sigmoid', 'tanh', 'relu'],
  'binary-cross-entropy': ['sigmoid'],
  'cross-entropy': ['softmax'],
};

export function checkOutputActivation(loss: Loss, activation: Activation, name: string, lossGiven = true): void {
  const allowed = OUTPUTS_FOR_LOSS[loss];
  if (!lossGiven && !allowed.includes(activation)) {
    const fitting = (Object.keys(OUTPUTS_FOR_LOSS) as Loss[]).find((l) => OUTPUTS_FOR_LOSS[l].includes(activation))!;
    throw new DeltapropError(name, `'${activation}' outputs need loss: '${fitting}' (options.loss defaults to 'mse', which needs ${allowed.map((a) => `'${a}'`).join(' or ')})`);
  }
  if (!allowed.includes(activation)) {
    throw new DeltapropError(
      name,
      `loss '${loss}' needs an output activation of ${allowed.map((a) => `'${a}'`).join(' or ')}, got '${activation}'`,
    );
  }
}

/** Cross-entropy row sums may differ from 1 by this much (rounding in user-made soft labels). */
const ROW_SUM_TOLERANCE = 1e-6;

/** Targets the loss is defined for: in [0, 1] for both cross-entropies, rows summing to 1 for cross-entropy. */
export function checkTargetsForLoss(loss: Loss, targets: Matrix, name: string): void {
  if (loss === 'mse') return;
  const { rows, cols, data } = targets;
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const t = data[r * cols + c];
      if (t < 0 || t > 1) throw new DeltapropError(`${name}[${r}][${c}]`, `expected a target in [0, 1] for loss '${loss}', got ${t}`);
      sum += t;
    }
    if (loss === 'cross-entropy' && Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
      throw new DeltapropError(`${name}[${r}]`, `expected a row summing to 1 for loss 'cross-entropy', got a sum of ${sum}`);
    }
  }
}

// JS reference maths of the losses.

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

/** Smallest argument given to log: an output saturated to exactly 0 or 1 costs −log(DBL_MIN) ≈ 708, not Infinity. */

/**
 * δ(L) := dLoss/dZ(L) scaled by the reduction (1/rows for 'mean'), and the
 * reduced loss of the batch (without any L2 term).
 */
export function outputDeltaAndLoss(
  rows: number, cols: number, loss: LossCode, reduction: ReductionCode,
  activation: ActivationCode, F: Float64Array, T: Float64Array, delta: Float64Array,
): number {
  const n = rows * cols;
  const scale = reduction === ReductionCode.mean ? 1 / rows : 1;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const f = F[i];
    const t = T[i];
    delta[i] = (f - t) * scale;
    if (loss === LossCode.mse) total += 0.5 * (f - t) * (f - t);
    else if (loss === LossCode.binaryCrossEntropy) total -= xlog(t, f) + xlog(1 - t, 1 - f);
    else total -= xlog(t, f);
  }
  // For mse the δ carries f'(a) of the output activation; the cross-entropies cancel it.
  if (loss === LossCode.mse) multiplyByDerivative(activation, delta, F, n);
  return total * scale;
}
