// Inverted dropout during training, mirrored by native/kernels/dropout.h.
// For a layer with rate p, each unit of each row is kept when the next 32-bit
// draw of the network's dropout stream is ≥ p·2³² (draws in row-major order),
// and a kept unit is scaled by 1/(1 − p), so that the expected activation is
// unchanged and prediction needs no rescaling. The mask holds that factor or 0:
//   forward   Ã = A ⊙ M (what the next layer reads)
//   backward  δ = ((δ'·Wᵀ) ⊙ f'(A)) ⊙ M
import type { Random } from '../../random.js';

/** mask[i] := 1/(1 − rate) when draw i keeps the unit, else 0, for i < n. */
export function drawMask(rate: number, n: number, random: Random, mask: Float64Array): void {
  const threshold = rate * 4294967296;
  const scale = 1 / (1 - rate);
  for (let i = 0; i < n; i++) mask[i] = random.nextUint32() >= threshold ? scale : 0;
}

/** y := mask ≠ 0 ? x·mask : 0 over n values (a dropped ∞ or NaN is 0 too); y may be x. */
export function multiplyMask(n: number, mask: Float64Array, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < n; i++) y[i] = mask[i] > 0 ? x[i] * mask[i] : 0;
}
