import { ActivationCode } from '../types.js';

// JS reference maths. Every derivative is taken from the stored activation
// a = f(z), never from z, exactly as the kernels do:
//   sigmoid' = a(1 − a), tanh' = 1 − a², relu' = [a > 0], identity' = 1.

/** a := f(z) in place over a rows × cols block (softmax works row by row). */
export function activateInPlace(code: ActivationCode, z: Float64Array, rows: number, cols: number): void {
  const n = rows * cols;
  switch (code) {
    case ActivationCode.identity:
      return;
    case ActivationCode.sigmoid:
      for (let i = 0; i < n; i++) z[i] = 1 / (1 + Math.exp(-z[i]));
      return;
    case ActivationCode.tanh:
      for (let i = 0; i < n; i++) z[i] = Math.tanh(z[i]);
      return;
    case ActivationCode.relu:
      // NaN in is NaN out (NaN <= 0 is false), as on every native ISA; −0 becomes 0.
      for (let i = 0; i < n; i++) z[i] = z[i] <= 0 ? 0 : z[i];
      return;
    case ActivationCode.softmax:
      for (let r = 0; r < rows; r++) softmaxRow(z, r * cols, cols);
      return;
  }
}

// Subtracting the row maximum keeps exp() from overflowing; it cancels in the ratio.
function softmaxRow(z: Float64Array, start: number, cols: number): void {
  let max = -Infinity;
  for (let j = 0; j < cols; j++) max = Math.max(max, z[start + j]);
  let sum = 0;
  for (let j = 0; j < cols; j++) {
    const e = Math.exp(z[start + j] - max);
    z[start + j] = e;
    sum += e;
  }
  for (let j = 0; j < cols; j++) z[start + j] /= sum;
}

/** g := g ⊙ f'(a), element by element. Softmax never reaches here: it pairs only with cross-entropy, whose δ is f − t. */
export function multiplyByDerivative(code: ActivationCode, g: Float64Array, a: Float64Array, n: number): void {
  switch (code) {
    case ActivationCode.identity:
      return;
    case ActivationCode.sigmoid:
      for (let i = 0; i < n; i++) g[i] *= a[i] * (1 - a[i]);
      return;
    case ActivationCode.tanh:
      for (let i = 0; i < n; i++) g[i] *= 1 - a[i] * a[i];
      return;
    case ActivationCode.relu:
      for (let i = 0; i < n; i++) if (!(a[i] > 0)) g[i] = 0;
      return;
    case ActivationCode.softmax:
      throw new Error('deltaprop internal error: softmax has no element-wise derivative');
  }
}
