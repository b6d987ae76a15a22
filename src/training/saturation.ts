// Saturation: training that has stalled without diverging. A learning rate
// far too large can blow a tanh or sigmoid layer's weights up to where
// every unit sits on its flat tails: its derivative, and so every gradient
// through it, is practically 0, and training stops moving (the loss stays
// where it is, epoch after epoch) while every number stays finite and below
// the divergence bounds. Fit then warns (history.warnings, the epoch's
// info) once per layer; it does not stop, since a saturated network is
// usable and the user decides.
//
// The measure is a layer's typical pre-activation for inputs of unit scale,
// √fanIn · RMS(W): at 15, tanh′ and sigmoid′ of a typical unit are below
// 1e-12. Healthy training keeps it near 1 (within about 5 in the cases
// measured; a stalled one with learning rate 100 reached 17 to 25). It is
// judged only where the layer's inputs are of unit scale: the first layer of
// a network that scales its inputs, and layers after a tanh or sigmoid one.
// An output layer saturates training only under mse: with the
// cross-entropies, δ = f − t does not vanish.
import type { Layout } from '../backend/types.js';
import { ActivationCode, LossCode } from '../backend/types.js';
import { layerOffsets } from '../backend/layout.js';

export const SATURATION_SCALE = 15;

const SATURATING: readonly number[] = [ActivationCode.tanh, ActivationCode.sigmoid];
const NAMES: Record<number, string> = { [ActivationCode.tanh]: 'tanh', [ActivationCode.sigmoid]: 'sigmoid' };

/** The layers whose units are saturated, with their scale √fanIn · RMS(W). */
export function saturatedLayers(layout: Layout, loss: LossCode, params: Float64Array, scaledInputs: boolean): { layer: number; activation: string; scale: number }[] {
  const offsets = layerOffsets(layout);
  const found: { layer: number; activation: string; scale: number }[] = [];
  offsets.forEach((o, l) => {
    const activation = layout.activations[l];
    const output = l === offsets.length - 1;
    const unitInputs = l === 0 ? scaledInputs : SATURATING.includes(layout.activations[l - 1]);
    if (!SATURATING.includes(activation) || !unitInputs || (output && loss !== LossCode.mse)) return;
    let squares = 0;
    for (let i = o.weights; i < o.weights + o.fanIn * o.fanOut; i++) squares += params[i] * params[i];
    const scale = Math.sqrt(o.fanIn) * Math.sqrt(squares / (o.fanIn * o.fanOut));
    if (scale > SATURATION_SCALE) found.push({ layer: l, activation: NAMES[activation], scale });
  });
  return found;
}

/** What fit says of a saturated layer. */
export function saturationWarning(s: { layer: number; activation: string; scale: number }, learningRate: number): string {
  return (
    `layer ${s.layer}'s ${s.activation} units are saturated (their weights' scale √fanIn·RMS(W) is ${s.scale.toPrecision(3)}, beyond ${SATURATION_SCALE}): ` +
    `their gradients vanish and training stalls; start again with a smaller learning rate (this epoch's was ${learningRate})`
  );
}
