import type { Activation } from './activations.js';
import type { Matrix } from './matrix.js';

/** One layer's parameters: views into `network.params` (or, from gradients(), into `grads`). */
export interface LayerView {
  readonly fanIn: number;
  readonly fanOut: number;
  readonly activation: Activation;
  /** fanIn × fanOut, row-major. */
  readonly weights: Matrix;
  /** fanOut values, or null when the network has no biases. */
  readonly biases: Float64Array | null;
}
