// Plain SGD with optional momentum, the optimizer of deltaprop 0.1.
//   without momentum: W := W − η·∂L/∂W
//   with momentum μ:  V := μ·V + ∂L/∂W,  W := W − η·V   (weights and biases alike)
// This is the same as V := μV − η∂L/∂W, W := W + V while η is constant.

/** The reference update, one fused loop over the whole parameter buffer. */
export function sgdUpdate(
  params: Float64Array, grads: Float64Array, velocity: Float64Array | null, learningRate: number, momentum: number,
): void {
  const n = params.length;
  if (velocity === null) {
    for (let i = 0; i < n; i++) params[i] -= learningRate * grads[i];
    return;
  }
  for (let i = 0; i < n; i++) {
    const v = momentum * velocity[i] + grads[i];
    velocity[i] = v;
    params[i] -= learningRate * v;
  }
}
