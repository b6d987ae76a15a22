import { reductionScale } from './js/loss.js';
import type { Layout, Objective } from './types.js';

export interface LayerOffsets {
  /** Start of W(l) in the parameter buffer. */
  readonly weights: number;
  /** Start of b(l), or -1 when the network has no biases. */
  readonly biases: number;
  readonly fanIn: number;
  readonly fanOut: number;
}

/** Where each layer's W and b live in the one parameter buffer (W then b, layer after layer). */
export function layerOffsets(layout: Layout): LayerOffsets[] {
  const result: LayerOffsets[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < layout.sizes.length; l++) {
    const fanIn = layout.sizes[l];
    const fanOut = layout.sizes[l + 1];
    const weights = offset;
    offset += fanIn * fanOut;
    const biases = layout.bias ? offset : -1;
    if (layout.bias) offset += fanOut;
    result.push({ weights, biases, fanIn, fanOut });
  }
  return result;
}

export function parameterCount(layout: Layout): number {
  let count = 0;
  for (let l = 0; l + 1 < layout.sizes.length; l++) {
    count += layout.sizes[l] * layout.sizes[l + 1] + (layout.bias ? layout.sizes[l + 1] : 0);
  }
  return count;
}

/** Σ‖W(l)‖² over every layer's weights (never the biases): the L2 penalty's sum. */
export function sumOfSquaredWeights(offsets: readonly LayerOffsets[], params: Float64Array): number {
  let squares = 0;
  for (const o of offsets) {
    for (let i = o.weights; i < o.weights + o.fanIn * o.fanOut; i++) squares += params[i] * params[i];
  }
  return squares;
}

/**
 * The L2 term of the objective over a batch of that normaliser (N rows, or
 * their total weight W: losses.ts batchNormaliser): (λ/2)·Σ‖W‖², divided by
 * the normaliser for 'mean'.
 */
export function l2Penalty(offsets: readonly LayerOffsets[], params: Float64Array, objective: Objective, normaliser: number): number {
  if (objective.l2 === 0) return 0;
  return 0.5 * objective.l2 * reductionScale(objective.reduction, normaliser) * sumOfSquaredWeights(offsets, params);
}
