import type { Activation } from './activations.js';
import { LossCode, ReductionCode } from './backend/types.js';
import { DeltapropError } from './errors.js';
import type { Matrix } from './matrix.js';
import { checkOneOf } from './validate.js';

export const LOSSES = ['mse', 'binary-cross-entropy', 'cross-entropy'] as const;
/**
 * The loss a network is trained to minimise.
 * @useDeclaredType
 */
export type Loss = (typeof LOSSES)[number];

export const REDUCTIONS = ['mean', 'sum'] as const;
/**
 * Whether a batch's loss is the mean or the sum over its rows.
 * @useDeclaredType
 */
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
    throw new DeltapropError(name, `loss '${loss}' needs an output activation of ${allowed.map((a) => `'${a}'`).join(' or ')}, got '${activation}'`);
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
