import type { LayerOffsets } from '../layout.js';

/**
 * A layer's products, reading W(l) and b(l) where `o` places them in the
 * parameter buffer and writing dW(l), dB(l) at the same places of the
 * gradient buffer.
 */
export interface LayerProducts {
  /** out := input·W + 1·b (rows × fanOut). */
  linear(rows: number, o: LayerOffsets, input: Float64Array, params: Float64Array, out: Float64Array): void;
  /** dW := inputᵀ·δ and, with biases, dB := the column sums of δ. */
  weightGradients(rows: number, o: LayerOffsets, input: Float64Array, delta: Float64Array, grads: Float64Array): void;
  /** delta := δnext·Wᵀ (rows × fanIn), before ⊙ f'. */
  backLinear(rows: number, o: LayerOffsets, deltaNext: Float64Array, params: Float64Array, delta: Float64Array): void;
}
