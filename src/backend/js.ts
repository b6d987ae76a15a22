// The pure-TypeScript engine: the fallback when the addon is absent, and the
// readable reference the native kernels are tested against. The network-level
// passes below are the matrix form of backpropagation (DESIGN.md), written with
// the same kernels the contract exposes:
//   forward:  Z(l+1) = A(l) W(l) + 1 b(l),  A(l+1) = f(Z(l+1))
//   backward: dW(l) = A(l)ᵀ δ(l+1),  dB(l) = column sums of δ(l+1),
//             δ(l) = (δ(l+1) W(l)ᵀ) ⊙ f'(A(l))
import { activateInPlace, multiplyByDerivative } from '../activations.js';
import { drawMask, multiplyMask } from '../dropout.js';
import { countFloored, outputDeltaAndLoss } from '../losses.js';
import { countCorrect } from '../metrics.js';
import { clipGradientNorm, stepParameters } from '../optimizers.js';
import { Random } from '../random.js';
import { gemm } from './js-gemm.js';
import { trainEpochOnWorker } from './js-thread.js';
import { l2Penalty, layerOffsets } from './layout.js';
import { ReductionCode } from './types.js';
import type { ActivationCode, Backend, EpochJob, EpochResult, InputScaling, Layout, Objective, OwnedTrainingData, TrainingData } from './types.js';

function forwardLayer(
  rows: number, fanIn: number, fanOut: number, input: Float64Array,
  W: Float64Array, b: Float64Array | null, activation: ActivationCode, output: Float64Array,
): void {
  gemm(false, false, rows, fanOut, fanIn, 1, input, fanIn, W, fanOut, 0, output, fanOut);
  if (b !== null) {
    for (let r = 0; r < rows; r++) for (let j = 0; j < fanOut; j++) output[r * fanOut + j] += b[j];
  }
  activateInPlace(activation, output, rows, fanOut);
}

function backpropDelta(
  rows: number, fanIn: number, fanOut: number, deltaNext: Float64Array,
  W: Float64Array, activation: ActivationCode, A: Float64Array, delta: Float64Array,
): void {
  gemm(false, true, rows, fanIn, fanOut, 1, deltaNext, fanOut, W, fanOut, 0, delta, fanIn);
  multiplyByDerivative(activation, delta, A, rows * fanIn);
}

/**
 * Buffers for one batch of up to `capacity` rows: each layer's activation
 * and δ and, for the layers with a dropout rate, their mask and dropped
 * activation (what the next layer reads).
 */
class Workspace {
  readonly activations: Float64Array[];
  readonly deltas: Float64Array[];
  readonly masks: (Float64Array | null)[];
  readonly dropped: (Float64Array | null)[];

  constructor(layout: Layout, readonly capacity: number, readonly dropout: Float64Array | null = null) {
    const widths = Array.from(layout.sizes).slice(1);
    this.activations = widths.map((w) => new Float64Array(capacity * w));
    this.deltas = widths.map((w) => new Float64Array(capacity * w));
    this.masks = widths.map((w, l) => (dropout !== null && dropout[l] > 0 ? new Float64Array(capacity * w) : null));
    this.dropped = this.masks.map((m) => (m === null ? null : new Float64Array(m.length)));
  }

  /** Layer l's output as layer l + 1 reads it. */
  output(l: number): Float64Array {
    return this.dropped[l] ?? this.activations[l];
  }
}

/** (x − shift[j]) / spread[j] for every input column j: the js engine scales a copy of its inputs. */
function scaledCopy(inputs: Float64Array, rows: number, scaling: InputScaling): Float64Array {
  const cols = scaling.shift.length;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows * cols; i++) {
    const j = i % cols;
    out[i] = (inputs[i] - scaling.shift[j]) / scaling.spread[j];
  }
  return out;
}

function forward(layout: Layout, params: Float64Array, inputs: Float64Array, rows: number, outputs: Float64Array[]): void {
  const offsets = layerOffsets(layout);
  let input = inputs;
  offsets.forEach((o, l) => {
    const W = params.subarray(o.weights, o.weights + o.fanIn * o.fanOut);
    const b = o.biases < 0 ? null : params.subarray(o.biases, o.biases + o.fanOut);
    forwardLayer(rows, o.fanIn, o.fanOut, input, W, b, layout.activations[l] as ActivationCode, outputs[l]);
    input = outputs[l];
  });
}

/** forward(), drawing each dropout layer's mask for this batch from `random` (training only). */
function trainingForward(ws: Workspace, layout: Layout, params: Float64Array, inputs: Float64Array, rows: number, random: Random): void {
  let input = inputs;
  layerOffsets(layout).forEach((o, l) => {
    const W = params.subarray(o.weights, o.weights + o.fanIn * o.fanOut);
    const b = o.biases < 0 ? null : params.subarray(o.biases, o.biases + o.fanOut);
    forwardLayer(rows, o.fanIn, o.fanOut, input, W, b, layout.activations[l] as ActivationCode, ws.activations[l]);
    const mask = ws.masks[l];
    if (mask !== null) {
      drawMask(ws.dropout![l], rows * o.fanOut, random, mask);
      multiplyMask(rows * o.fanOut, mask, ws.activations[l], ws.dropped[l]!);
    }
    input = ws.output(l);
  });
}

/**
 * Writes the gradient of the whole objective (L2 included) into grads;
 * returns the data loss alone. With a workspace made with dropout rates, the
 * masks are drawn from `random` first.
 */
function dataLossAndGradients(
  ws: Workspace, layout: Layout, objective: Objective, params: Float64Array,
  inputs: Float64Array, targets: Float64Array, rows: number, grads: Float64Array, random: Random | null = null,
): number {
  const offsets = layerOffsets(layout);
  const last = offsets.length - 1;
  const A = ws.activations;
  const delta = ws.deltas;
  if (random !== null) trainingForward(ws, layout, params, inputs, rows, random);
  else forward(layout, params, inputs, rows, A);

  const out = offsets[last];
  const loss = outputDeltaAndLoss(
    rows, out.fanOut, objective.loss, objective.reduction,
    layout.activations[last] as ActivationCode, A[last], targets, delta[last],
  );

  for (let l = last; l >= 0; l--) {
    const o = offsets[l];
    const input = l === 0 ? inputs : ws.output(l - 1);
    gemm(true, false, o.fanIn, o.fanOut, rows, 1, input, o.fanIn, delta[l], o.fanOut, 0, grads.subarray(o.weights), o.fanOut);
    if (o.biases >= 0) columnSums(rows, o.fanOut, delta[l], grads, o.biases);
    if (l > 0) {
      const W = params.subarray(o.weights, o.weights + o.fanIn * o.fanOut);
      backpropDelta(rows, o.fanIn, o.fanOut, delta[l], W, layout.activations[l - 1] as ActivationCode, A[l - 1], delta[l - 1]);
      const mask = ws.masks[l - 1];
      if (mask !== null) multiplyMask(rows * o.fanIn, mask, delta[l - 1], delta[l - 1]);
    }
  }

  if (objective.l2 > 0) {
    // L gains (λ/2)·scale·Σ‖W‖², so ∂L/∂W gains λ·scale·W; biases are not penalised.
    const scale = objective.l2 * (objective.reduction === ReductionCode.mean ? 1 / rows : 1);
    for (const o of offsets) {
      for (let i = o.weights; i < o.weights + o.fanIn * o.fanOut; i++) grads[i] += scale * params[i];
    }
  }
  return loss;
}

function columnSums(rows: number, cols: number, m: Float64Array, out: Float64Array, at: number): void {
  out.fill(0, at, at + cols);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) out[at + j] += m[r * cols + j];
}

/** The js engine trains on the arrays themselves. */
interface JsTrainingData extends TrainingData {
  readonly inputs: Float64Array;
  readonly targets: Float64Array;
}

/** Rows in SharedArrayBuffers: the async epochs' worker thread reads them where they are. */
function createTrainingData(rows: number, inputWidth: number, outputWidth: number): JsTrainingData & OwnedTrainingData {
  const inputs = new Float64Array(new SharedArrayBuffer(rows * inputWidth * 8));
  const targets = new Float64Array(new SharedArrayBuffer(rows * outputWidth * 8));
  return {
    rows, inputs, targets,
    setRows(start, x, t, count) {
      inputs.set(x.subarray(0, count * inputWidth), start * inputWidth);
      targets.set(t.subarray(0, count * outputWidth), start * outputWidth);
    },
    copyRows(target, start, count) {
      inputs.copyWithin(target * inputWidth, start * inputWidth, (start + count) * inputWidth);
      targets.copyWithin(target * outputWidth, start * outputWidth, (start + count) * outputWidth);
    },
  };
}

export function trainEpoch(job: EpochJob): EpochResult {
  const { layout, objective, params, optimizer, order, inputScaling: scaling } = job;
  const { inputs, targets } = job.data as JsTrainingData;
  const count = order.length;
  const batch = Math.max(1, Math.min(job.batchSize, count));
  const nIn = layout.sizes[0];
  const nOut = layout.sizes[layout.sizes.length - 1];
  const offsets = layerOffsets(layout);
  const ws = new Workspace(layout, batch, job.dropout);
  const random = job.dropout === null ? null : Random.over(job.randomState);
  const X = new Float64Array(batch * nIn);
  const T = new Float64Array(batch * nOut);
  const grads = new Float64Array(params.length);
  const output = layout.activations[layout.activations.length - 1];
  const result = { lossSum: job.lossSumStart, correct: 0, floored: 0, minibatches: 0, rows: 0 };
  let t = optimizer.stepsTaken;
  for (let start = 0; start < count; start += batch) {
    if (job.abort?.aborted) break;
    const n = Math.min(batch, count - start);
    for (let r = 0; r < n; r++) {
      const src = order[start + r];
      for (let j = 0; j < nIn; j++) {
        const x = inputs[src * nIn + j];
        X[r * nIn + j] = scaling === null ? x : (x - scaling.shift[j]) / scaling.spread[j];
      }
      T.set(targets.subarray(src * nOut, (src + 1) * nOut), r * nOut);
    }
    const loss = dataLossAndGradients(ws, layout, objective, params, X, T, n, grads, random);
    // The output activations are the minibatch's, from before its update.
    result.correct += countCorrect(output, n, nOut, ws.activations[ws.activations.length - 1], T);
    result.floored += countFloored(objective.loss, n * nOut, ws.activations[ws.activations.length - 1], T);
    result.lossSum += objective.reduction === ReductionCode.mean ? loss * n : loss;
    result.minibatches++;
    result.rows += n;
    if (job.clipNorm > 0) clipGradientNorm(grads, job.clipNorm);
    stepParameters(offsets, optimizer, ++t, job.learningRate, grads, params);
  }
  return result;
}

export const jsBackend: Backend = {
  name: 'js',
  gemm,
  forwardLayer,
  backpropDelta,
  outputDelta: outputDeltaAndLoss,
  optimizerStep: (layout, optimizer, learningRate, grads, params) =>
    stepParameters(layerOffsets(layout), optimizer, optimizer.stepsTaken + 1, learningRate, grads, params),
  forward: (layout, params, inputs, rows, outputs, scaling) =>
    forward(layout, params, scaling === null ? inputs : scaledCopy(inputs, rows, scaling), rows, outputs),
  gradients: (layout, objective, params, inputs, targets, rows, grads, scaling) => {
    const X = scaling === null ? inputs : scaledCopy(inputs, rows, scaling);
    return dataLossAndGradients(new Workspace(layout, rows), layout, objective, params, X, targets, rows, grads) +
      l2Penalty(layerOffsets(layout), params, objective, rows);
  },
  borrowTrainingData: (inputs, targets, rows): JsTrainingData => ({ inputs, targets, rows }),
  createTrainingData,
  asyncNeedsOwnedData: true,
  // Shared, so that the worker thread sees the flag raised.
  createAbortFlag: () => {
    const cell = new Int32Array(new SharedArrayBuffer(4));
    return { cell, get aborted() { return Atomics.load(cell, 0) !== 0; }, abort() { Atomics.store(cell, 0, 1); } };
  },
  trainEpoch,
  trainEpochAsync: trainEpochOnWorker,
};
