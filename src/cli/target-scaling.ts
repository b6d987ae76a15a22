// A regression's target is trained on standardised, (t − shift) / spread, so
// that the loss is well scaled whatever the target's unit; afterwards the
// scale is folded into the identity output layer, y = spread·(W a + b) +
// shift, so the saved model predicts in the target's unit. --resume unfolds
// it to train on (the same shift and spread), then folds it again.
import type { Network } from '../network.js';
import { RowData } from '../rows.js';
import { computeScaling } from '../scaling.js';

export interface TargetScaling {
  shift: number;
  spread: number;
}

/** The statistics inputScaling 'standard' would use, of the target's values. */
export function targetScalingOf(values: Float64Array): TargetScaling {
  const {
    shift: [shift],
    spread: [spread],
  } = computeScaling('standard', RowData.of({ rows: values.length, cols: 1, data: values }, 'targets', 1, 'a target'));
  return { shift, spread };
}

export function scaleTargets(values: Float64Array, { shift, spread }: TargetScaling): Float64Array {
  return values.map((t) => (t - shift) / spread);
}

/** The output layer then predicts in the target's unit. */
export function foldIntoOutput(net: Network, { shift, spread }: TargetScaling): void {
  const last = net.layers[net.layers.length - 1];
  for (let i = 0; i < last.weights.data.length; i++) last.weights.data[i] *= spread;
  last.biases![0] = last.biases![0] * spread + shift;
}

/** The output layer then predicts the standardised target again (to the last bit or so: ×spread then ÷spread may round). */
export function unfoldFromOutput(net: Network, { shift, spread }: TargetScaling): void {
  const last = net.layers[net.layers.length - 1];
  for (let i = 0; i < last.weights.data.length; i++) last.weights.data[i] /= spread;
  last.biases![0] = (last.biases![0] - shift) / spread;
}
