// The pure-TypeScript engine: the fallback when the addon is absent, and the
// readable reference the native kernels are tested against. The network-level
// passes below are the matrix form of backpropagation, written with
// each layer's three products (layer.ts: gemm, or plain loops for a
// narrow layer, with the same bits) and the element-wise kernels:
//   forward:  Z(l+1) = A(l) W(l) + 1 b(l),  A(l+1) = f(Z(l+1))
//   backward: dW(l) = A(l)ᵀ δ(l+1),  dB(l) = column sums of δ(l+1),
//             δ(l) = (δ(l+1) W(l)ᵀ) ⊙ f'(A(l))
import { activateInPlace, multiplyByDerivative } from './activation.js';
import { drawMask, multiplyMask } from './dropout.js';
import { batchNormaliser, countFloored, outputDeltaAndLoss, reductionScale } from './loss.js';
import { countCorrect } from './metrics.js';
import { clipGradientNorm, stepParameters } from './optimizer.js';
import { allocationError } from '../../memory.js';
import { Random } from '../../random.js';
import { gemm } from './gemm.js';
import { forwardLayer, productsFor } from './layer.js';
import type { LayerProducts } from './products.js';
import { touchPagesOnWorker, trainEpochOnWorker, trainEpochsOnWorker } from './thread.js';
import { l2Penalty, layerOffsets } from '../layout.js';
import type { LayerOffsets } from '../layout.js';
import { OptimizerCode, ReductionCode } from '../types.js';
import type { ActivationCode, Backend, EpochJob, EpochResult, InputScaling, Layout, Objective, OwnedTrainingData, TrainingData } from '../types.js';

function backpropDelta(rows: number, fanIn: number, fanOut: number, deltaNext: Float64Array, W: Float64Array, activation: ActivationCode, A: Float64Array, delta: Float64Array): void {
  gemm(false, true, rows, fanIn, fanOut, 1, deltaNext, fanOut, W, fanOut, 0, delta, fanIn);
  multiplyByDerivative(activation, delta, A, rows * fanIn);
}

/**
 * What a network's passes over batches of up to `capacity` rows need, made
 * once (per epoch, or per gradients() call): the layer offsets, each layer's
 * products (layer.ts), its activation and δ and, for the layers with a
 * dropout rate, their mask and dropped activation (what the next layer reads).
 */
class Workspace {
  readonly offsets: LayerOffsets[];
  readonly products: LayerProducts[];
  readonly activations: Float64Array[];
  readonly deltas: Float64Array[];
  readonly masks: (Float64Array | null)[];
  readonly dropped: (Float64Array | null)[];

  constructor(
    readonly layout: Layout,
    choose: (o: LayerOffsets) => LayerProducts,
    readonly capacity: number,
    readonly dropout: Float64Array | null = null,
  ) {
    this.offsets = layerOffsets(layout);
    this.products = this.offsets.map(choose);
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

/** The forward pass into the workspace, drawing each dropout layer's mask for this batch from `random` (given whenever ws has masks). */
function trainingForward(ws: Workspace, params: Float64Array, inputs: Float64Array, rows: number, random: Random | null): void {
  let input = inputs;
  for (let l = 0; l < ws.offsets.length; l++) {
    const o = ws.offsets[l];
    ws.products[l].linear(rows, o, input, params, ws.activations[l]);
    activateInPlace(ws.layout.activations[l] as ActivationCode, ws.activations[l], rows, o.fanOut);
    const mask = ws.masks[l];
    if (mask !== null) {
      drawMask(ws.dropout![l], rows * o.fanOut, random!, mask);
      multiplyMask(rows * o.fanOut, mask, ws.activations[l], ws.dropped[l]!);
    }
    input = ws.output(l);
  }
}

/**
 * Writes the gradient of the whole objective (L2 included) into grads;
 * returns the data loss alone, both weighted by `weights` (one per row, or
 * null). With a workspace made with dropout rates, the masks are drawn from
 * `random` first.
 */
function dataLossAndGradients(
  ws: Workspace,
  objective: Objective,
  params: Float64Array,
  inputs: Float64Array,
  targets: Float64Array,
  rows: number,
  grads: Float64Array,
  random: Random | null = null,
  weights: Float64Array | null = null,
): number {
  const { offsets, layout } = ws;
  const last = offsets.length - 1;
  const A = ws.activations;
  const delta = ws.deltas;
  trainingForward(ws, params, inputs, rows, random);

  const loss = outputDeltaAndLoss(rows, offsets[last].fanOut, objective.loss, objective.reduction, layout.activations[last] as ActivationCode, A[last], targets, delta[last], weights);

  for (let l = last; l >= 0; l--) {
    const o = offsets[l];
    ws.products[l].weightGradients(rows, o, l === 0 ? inputs : ws.output(l - 1), delta[l], grads);
    if (l > 0) {
      ws.products[l].backLinear(rows, o, delta[l], params, delta[l - 1]);
      multiplyByDerivative(layout.activations[l - 1] as ActivationCode, delta[l - 1], A[l - 1], rows * o.fanIn);
      const mask = ws.masks[l - 1];
      if (mask !== null) multiplyMask(rows * o.fanIn, mask, delta[l - 1], delta[l - 1]);
    }
  }

  if (objective.l2 > 0) {
    // L gains (λ/2)·scale·Σ‖W‖², so ∂L/∂W gains λ·scale·W; biases are not penalised.
    const scale = objective.l2 * reductionScale(objective.reduction, batchNormaliser(rows, weights));
    for (const o of offsets) {
      for (let i = o.weights; i < o.weights + o.fanIn * o.fanOut; i++) grads[i] += scale * params[i];
    }
  }
  return loss;
}

/** The js engine trains on the arrays themselves. */
interface JsTrainingData extends TrainingData {
  readonly inputs: Float64Array;
  readonly targets: Float64Array;
  /** One per row, or null: every row weighs 1. */
  readonly weights: Float64Array | null;
}

/**
 * `length` doubles in a SharedArrayBuffer. The TypeScript layer measured the
 * memory first (Network's checks); a failure that still comes is a
 * DeltapropError naming the size, as the native engine's bad_alloc is.
 */
function sharedFloat64(length: number, rows: number, what: string): Float64Array {
  try {
    return new Float64Array(new SharedArrayBuffer(length * 8));
  } catch (e) {
    throw allocationError(
      e,
      'memory',
      length * 8,
      `the js engine's buffer of ${rows} rows of ${what}`,
      'use fewer rows (a smaller options.shuffleBuffer for a streamed fit), or fitSync, which trains on the rows where they are',
    );
  }
}

/** Rows in SharedArrayBuffers: the async epochs' worker thread reads them where they are. */
function createTrainingData(rows: number, inputWidth: number, outputWidth: number, weighted = false): JsTrainingData & OwnedTrainingData {
  const inputs = sharedFloat64(rows * inputWidth, rows, 'inputs');
  const targets = sharedFloat64(rows * outputWidth, rows, 'targets');
  const weights = weighted ? sharedFloat64(rows, rows, 'weights') : null;
  return {
    rows,
    inputs,
    targets,
    weights,
    setRows(start, x, t, count, w) {
      // The TypeScript layer checks the values; this is the contract's shape, as the native engine refuses it.
      if ((w !== undefined && w !== null) !== weighted) {
        throw new Error(`deltaprop js TrainingData.setRows: weights: ${weighted ? 'expected a Float64Array: this TrainingData is weighted' : 'expected none: this TrainingData was made unweighted'}`);
      }
      inputs.set(x.subarray(0, count * inputWidth), start * inputWidth);
      targets.set(t.subarray(0, count * outputWidth), start * outputWidth);
      if (weights !== null) weights.set(w!.subarray(0, count), start);
    },
    copyRows(target, start, count) {
      inputs.copyWithin(target * inputWidth, start * inputWidth, (start + count) * inputWidth);
      targets.copyWithin(target * outputWidth, start * outputWidth, (start + count) * outputWidth);
      weights?.copyWithin(target, start, start + count);
    },
    touchPages: () => touchPagesOnWorker(weights === null ? [inputs, targets] : [inputs, targets, weights]),
    // The arrays are the garbage collector's (and may be shared with the engine's worker): nothing to free early.
    release() {},
  };
}

/**
 * Plain SGD's step: stepParameters' arithmetic without its per-call set-up
 * (a settings object, and a look at whether the settings changed), which
 * costs about 0.5 µs, as much as the rest of a 2-3-1 minibatch.
 */
function descend(params: Float64Array, grads: Float64Array, learningRate: number): void {
  for (let i = 0; i < params.length; i++) params[i] = params[i] - learningRate * grads[i];
}

/** One epoch; `choose` picks each layer's products (tests pass one kind for all, to compare them). */
export function trainEpoch(job: EpochJob, choose = productsFor): EpochResult {
  const { layout, objective, params, optimizer, order, inputScaling: scaling } = job;
  const { inputs, targets } = job.data as JsTrainingData;
  const weights = (job.data as JsTrainingData).weights ?? null;
  const count = order.length;
  const batch = Math.max(1, Math.min(job.batchSize, count));
  const nIn = layout.sizes[0];
  const nOut = layout.sizes[layout.sizes.length - 1];
  const ws = new Workspace(layout, choose, batch, job.dropout);
  const random = job.dropout === null ? null : Random.over(job.randomState);
  const X = new Float64Array(batch * nIn);
  const T = new Float64Array(batch * nOut);
  const W = weights === null ? null : new Float64Array(batch);
  const grads = new Float64Array(params.length);
  const output = layout.activations[layout.activations.length - 1];
  const result = { lossSum: job.lossSumStart, correct: 0, floored: 0, minibatches: 0, rows: 0, weightSum: 0, steps: 0 };
  let t = optimizer.stepsTaken;
  const plainSgd = optimizer.code === OptimizerCode.sgd && optimizer.state.length === 0;
  for (let start = 0; start < count; start += batch) {
    if (job.abort?.aborted) break;
    const n = Math.min(batch, count - start);
    for (let r = 0; r < n; r++) {
      const src = order[start + r];
      for (let j = 0; j < nIn; j++) {
        const x = inputs[src * nIn + j];
        X[r * nIn + j] = scaling === null ? x : (x - scaling.shift[j]) / scaling.spread[j];
      }
      // A loop rather than T.set(targets.subarray(…)): a view per row costs more than a tiny row's copy.
      for (let k = 0; k < nOut; k++) T[r * nOut + k] = targets[src * nOut + k];
      if (W !== null) W[r] = weights![src];
    }
    const normaliser = batchNormaliser(n, W);
    // Weighted, a minibatch of total weight 0 takes no step; it still runs
    // forward (drawing its dropout masks, as the native engine does) for the counts.
    const takesStep = W === null || normaliser > 0;
    let loss = 0;
    if (takesStep) loss = dataLossAndGradients(ws, objective, params, X, T, n, grads, random, W);
    else trainingForward(ws, params, X, n, random);
    // The output activations are the minibatch's, from before its update.
    result.correct += countCorrect(output, n, nOut, ws.activations[ws.activations.length - 1], T);
    result.floored += countFloored(objective.loss, n * nOut, ws.activations[ws.activations.length - 1], T);
    result.minibatches++;
    result.rows += n;
    result.weightSum += normaliser;
    if (!takesStep) continue;
    result.lossSum += objective.reduction === ReductionCode.mean ? loss * normaliser : loss;
    result.steps++;
    if (job.clipNorm > 0) clipGradientNorm(grads, job.clipNorm);
    t++;
    if (plainSgd) descend(params, grads, job.learningRate);
    else stepParameters(ws.offsets, optimizer, t, job.learningRate, grads, params);
  }
  return result;
}

export const jsBackend: Backend = {
  name: 'js',
  gemm,
  forwardLayer,
  backpropDelta,
  outputDelta: (rows, cols, loss, reduction, activation, F, T, delta, weights) => outputDeltaAndLoss(rows, cols, loss, reduction, activation, F, T, delta, weights ?? null),
  optimizerStep: (layout, optimizer, learningRate, grads, params) => stepParameters(layerOffsets(layout), optimizer, optimizer.stepsTaken + 1, learningRate, grads, params),
  forward: (layout, params, inputs, rows, outputs, scaling) => forward(layout, params, scaling === null ? inputs : scaledCopy(inputs, rows, scaling), rows, outputs),
  gradients: (layout, objective, params, inputs, targets, rows, grads, scaling, weights) => {
    const X = scaling === null ? inputs : scaledCopy(inputs, rows, scaling);
    const w = weights ?? null;
    return (
      dataLossAndGradients(new Workspace(layout, productsFor, rows), objective, params, X, targets, rows, grads, null, w) + l2Penalty(layerOffsets(layout), params, objective, batchNormaliser(rows, w))
    );
  },
  borrowTrainingData: (inputs, targets, rows, weights): JsTrainingData => ({ inputs, targets, rows, weights: weights ?? null }),
  createTrainingData,
  asyncNeedsOwnedData: true,
  // Shared, so that the worker thread sees the flag raised.
  createAbortFlag: () => {
    const cell = new Int32Array(new SharedArrayBuffer(4));
    return {
      cell,
      get aborted() {
        return Atomics.load(cell, 0) !== 0;
      },
      abort() {
        Atomics.store(cell, 0, 1);
      },
    };
  },
  trainEpoch,
  trainEpochAsync: trainEpochOnWorker,
  trainEpochsAsync: trainEpochsOnWorker,
};
