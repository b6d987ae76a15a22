// The three matrix products of a layer's passes, over the one parameter
// buffer: gemm with its 4 × 4 register blocks (the reference), or, for a
// layer with a side narrower than those blocks, the plain loops of
// small.ts. Both give the same bits.
import { activateInPlace } from './activation.js';
import { gemm } from './gemm.js';
import { smallProducts } from './small.js';
import type { LayerOffsets } from '../layout.js';
import { ActivationCode } from '../types.js';
import type { LayerProducts } from './products.js';

/** output := f(input·W + 1·b), input rows × fanIn, output rows × fanOut (the contract's forwardLayer). */
export function forwardLayer(rows: number, fanIn: number, fanOut: number, input: Float64Array, W: Float64Array, b: Float64Array | null, activation: ActivationCode, output: Float64Array): void {
  gemm(false, false, rows, fanOut, fanIn, 1, input, fanIn, W, fanOut, 0, output, fanOut);
  if (b !== null) {
    for (let r = 0; r < rows; r++) for (let j = 0; j < fanOut; j++) output[r * fanOut + j] += b[j];
  }
  activateInPlace(activation, output, rows, fanOut);
}

const weightsOf = (o: LayerOffsets, params: Float64Array) => params.subarray(o.weights, o.weights + o.fanIn * o.fanOut);

function columnSums(rows: number, cols: number, m: Float64Array, out: Float64Array, at: number): void {
  out.fill(0, at, at + cols);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) out[at + j] += m[r * cols + j];
}

export const gemmProducts: LayerProducts = {
  linear(rows, o, input, params, out) {
    const b = o.biases < 0 ? null : params.subarray(o.biases, o.biases + o.fanOut);
    forwardLayer(rows, o.fanIn, o.fanOut, input, weightsOf(o, params), b, ActivationCode.identity, out);
  },
  weightGradients(rows, o, input, delta, grads) {
    gemm(true, false, o.fanIn, o.fanOut, rows, 1, input, o.fanIn, delta, o.fanOut, 0, grads.subarray(o.weights), o.fanOut);
    if (o.biases >= 0) columnSums(rows, o.fanOut, delta, grads, o.biases);
  },
  backLinear(rows, o, deltaNext, params, delta) {
    gemm(false, true, rows, o.fanIn, o.fanOut, 1, deltaNext, o.fanOut, weightsOf(o, params), o.fanOut, 0, delta, o.fanIn);
  },
};

/** gemm's block side: a product narrower than this is done one element at a time anyway, after gemm's set-up. */
const BLOCK = 4;

/**
 * Plain loops for a layer with fewer than 4 inputs or units, gemm for the
 * others. Measured on 2-3-1 at batch 4, the loops make the whole epoch
 * about 2.5× faster; on 8-8-8 gemm's blocks win from batch 16 on.
 */
export function productsFor(o: LayerOffsets): LayerProducts {
  return o.fanIn < BLOCK || o.fanOut < BLOCK ? smallProducts : gemmProducts;
}
