// The Backend contract between the TypeScript layer and the engines (js.ts and
// the native addon). Only Float64Arrays, Int32Arrays and small integer codes
// cross it. The numeric codes below are shared with native/kernels/codes.h;
// change both together.

export const ActivationCode = { identity: 0, sigmoid: 1, tanh: 2, relu: 3, softmax: 4 } as const;
export type ActivationCode = (typeof ActivationCode)[keyof typeof ActivationCode];

export const LossCode = { mse: 0, binaryCrossEntropy: 1, crossEntropy: 2 } as const;
export type LossCode = (typeof LossCode)[keyof typeof LossCode];

export const ReductionCode = { mean: 0, sum: 1 } as const;
export type ReductionCode = (typeof ReductionCode)[keyof typeof ReductionCode];

/**
 * The shape of a network. Its parameters are one Float64Array: for each layer
 * l, W(l) (sizes[l] × sizes[l+1], row-major) then, when `bias`, b(l)
 * (sizes[l+1]). See layout.ts for the offsets.
 */
export interface Layout {
  /** [inputs, units of layer 0, ..., units of the output layer] */
  readonly sizes: Int32Array;
  /** One ActivationCode per layer. */
  readonly activations: Int32Array;
  readonly bias: boolean;
}

/** What is minimised: the loss, its reduction over the batch, and the L2 weight penalty λ. */
export interface Objective {
  readonly loss: LossCode;
  readonly reduction: ReductionCode;
  readonly l2: number;
}

/**
 * A training set as an engine holds it for the length of a fit: the js engine
 * keeps the arrays, the native one its own copy (so that nothing JavaScript
 * does to the arrays while an epoch runs on another thread can reach it).
 */
export interface TrainingData {
  readonly rows: number;
}

/** One epoch of minibatch SGD: the rows of the data visited in `order`, `batchSize` at a time. */
export interface EpochJob {
  readonly layout: Layout;
  readonly objective: Objective;
  /** Updated in place. */
  readonly params: Float64Array;
  /** Momentum velocity, same layout as params, updated in place; null when momentum is 0. */
  readonly velocity: Float64Array | null;
  readonly data: TrainingData;
  /** A permutation of 0..data.rows-1. */
  readonly order: Int32Array;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly momentum: number;
}

export interface Backend {
  readonly name: 'js' | 'native';

  /** C := alpha·op(A)·op(B) + beta·C, row-major BLAS dgemm; op(A) is m×k, op(B) k×n. */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, A: Float64Array, lda: number, B: Float64Array, ldb: number,
    beta: number, C: Float64Array, ldc: number,
  ): void;

  /** output := f(input·W + 1·b), input rows × fanIn, output rows × fanOut. */
  forwardLayer(
    rows: number, fanIn: number, fanOut: number, input: Float64Array,
    W: Float64Array, b: Float64Array | null, activation: ActivationCode, output: Float64Array,
  ): void;

  /** delta := (deltaNext·Wᵀ) ⊙ f'(A), where A (rows × fanIn) is the activation of the layer W reads. */
  backpropDelta(
    rows: number, fanIn: number, fanOut: number, deltaNext: Float64Array,
    W: Float64Array, activation: ActivationCode, A: Float64Array, delta: Float64Array,
  ): void;

  /**
   * delta := dLoss/dZ at the output for outputs F and targets T (rows × cols),
   * already scaled by the reduction; returns the reduced loss (no L2 term).
   */
  outputDelta(
    rows: number, cols: number, loss: LossCode, reduction: ReductionCode,
    activation: ActivationCode, F: Float64Array, T: Float64Array, delta: Float64Array,
  ): number;

  /** params -= lr·grads, or with momentum: velocity := μ·velocity + grads, params -= lr·velocity. */
  sgdUpdate(params: Float64Array, grads: Float64Array, velocity: Float64Array | null, learningRate: number, momentum: number): void;

  /** Fills outputs[l] (rows × sizes[l+1]) with the activation of every layer. */
  forward(layout: Layout, params: Float64Array, inputs: Float64Array, rows: number, outputs: Float64Array[]): void;

  /** Writes dLoss/dparams into grads (params' layout) and returns the loss, L2 term included. */
  gradients(
    layout: Layout, objective: Objective, params: Float64Array,
    inputs: Float64Array, targets: Float64Array, rows: number, grads: Float64Array,
  ): number;

  /** inputs (rows × inputWidth) and targets (rows × outputWidth) as this engine trains on them. */
  prepareTrainingData(inputs: Float64Array, targets: Float64Array, rows: number, inputWidth: number, outputWidth: number): TrainingData;

  /**
   * Runs one epoch and returns its loss, on the scale of gradients() over the
   * whole set: each minibatch's data loss (before its update) averaged over
   * samples for 'mean' (Σ_b N_b·L_b / N) or summed for 'sum', plus the L2 term
   * of the weights at the end of the epoch, counted once with N = rows.
   */
  trainEpoch(job: EpochJob): number;
  /** trainEpoch off the JavaScript thread where the engine can; the buffers must not be touched until it settles. */
  trainEpochAsync(job: EpochJob): Promise<number>;
}
