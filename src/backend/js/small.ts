// The products of narrow layers (layer.ts) as plain loops over the
// parameter buffer. At 2-3-1 a whole minibatch step is about a hundred
// floating-point operations, so what gemm costs around them (subarray views,
// the zeroing pass, blocking meant for big shapes) is most of the step.
// Each element is the same sum as gemm's, over the same terms in the same
// order from 0, so the results are the same to the bit.
import type { LayerProducts } from './products.js';

export const smallProducts: LayerProducts = {
  linear(rows, o, input, params, out) {
    const { fanIn, fanOut, weights: w, biases: b } = o;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < fanOut; j++) {
        let sum = 0;
        for (let p = 0; p < fanIn; p++) sum += input[r * fanIn + p] * params[w + p * fanOut + j];
        out[r * fanOut + j] = b < 0 ? sum : sum + params[b + j];
      }
    }
  },
  weightGradients(rows, o, input, delta, grads) {
    const { fanIn, fanOut, weights: w, biases: b } = o;
    for (let p = 0; p < fanIn; p++) {
      for (let j = 0; j < fanOut; j++) {
        let sum = 0;
        for (let r = 0; r < rows; r++) sum += input[r * fanIn + p] * delta[r * fanOut + j];
        grads[w + p * fanOut + j] = sum;
      }
    }
    if (b < 0) return;
    for (let j = 0; j < fanOut; j++) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += delta[r * fanOut + j];
      grads[b + j] = sum;
    }
  },
  backLinear(rows, o, deltaNext, params, delta) {
    const { fanIn, fanOut, weights: w } = o;
    for (let r = 0; r < rows; r++) {
      for (let p = 0; p < fanIn; p++) {
        let sum = 0;
        for (let j = 0; j < fanOut; j++) sum += deltaNext[r * fanOut + j] * params[w + p * fanOut + j];
        delta[r * fanIn + p] = sum;
      }
    }
  },
};
