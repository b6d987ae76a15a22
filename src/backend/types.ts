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

export const OptimizerCode = { sgd: 0, adam: 1, adamw: 2, rmsprop: 3 } as const;
export type OptimizerCode = (typeof OptimizerCode)[keyof typeof OptimizerCode];

/** The order of an optimizer's settings in OptimizerJob.settings (the addon reads the same order). */
export const OPTIMIZER_SETTINGS = ['momentum', 'nesterov', 'beta1', 'beta2', 'epsilon', 'weightDecay', 'alpha'] as const;

/** The optimizer's settings by name (nesterov as 0 or 1). */
export type OptimizerSettings = Record<(typeof OPTIMIZER_SETTINGS)[number], number>;

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

/**
 * What is minimised: the loss, its reduction over the batch, and the L2 weight penalty λ.
 *
 * Rows may carry weights w_i (finite, ≥ 0; PyTorch's `weight` convention, for
 * every loss): the data loss of a batch is Σ_i w_i·l_i, divided for 'mean'
 * by the batch's normaliser W = Σ_i w_i (summed in row order) instead of its
 * row count N, and so is the L2 term, (λ/2W)‖W‖² with gradient (λ/W)·W; for
 * 'sum' nothing is divided. δ(L) of row i is multiplied by w_i (and 1/W for
 * 'mean'). Without weights every row weighs 1 and W = N exactly, so weights
 * all 1 give the unweighted results to the bit. A batch whose weights sum to
 * 0 has loss and gradient 0 for 'mean' (its scale is 0, not 1/0).
 * losses.ts batchNormaliser and reductionScale hold that rule (native: loss.h).
 */
export interface Objective {
  readonly loss: LossCode;
  readonly reduction: ReductionCode;
  readonly l2: number;
}

/**
 * A training set as an engine trains on it: borrowed arrays (borrowTrainingData,
 * valid while the caller keeps them unchanged), or a buffer the engine owns
 * (createTrainingData), which async native epochs need so that nothing
 * JavaScript does while an epoch runs on another thread can reach it. Either
 * may hold one weight per row (see Objective); an owned set's are copied in
 * with its rows, never borrowed.
 */
export interface TrainingData {
  readonly rows: number;
}

/** A buffer of rows the engine owns, filled (and refilled) a few rows at a time. */
export interface OwnedTrainingData extends TrainingData {
  /**
   * Rows [start, start + count) := the first count rows of inputs and targets,
   * and their weights := the first count of `weights`: given exactly when the
   * set was made weighted (refused otherwise; the native engine also refuses
   * weights that are not finite and ≥ 0). A weighted row never set weighs 0.
   */
  setRows(start: number, inputs: Float64Array, targets: Float64Array, count: number, weights?: Float64Array): void;
  /** Rows [target, target + count) := rows [start, start + count), as memmove, their weights too. */
  copyRows(target: number, start: number, count: number): void;
  /**
   * Maps the set's fresh pages off the JavaScript thread (the engine's
   * worker): their first touch costs more than the copy into them, which
   * then runs at memory speed. Rows are not set until it settles.
   */
  touchPages(): Promise<void>;
  /**
   * Done with the rows: memory the garbage collector cannot see (the native
   * engine's) is freed now, or when an epoch still running on it ends. The
   * set is not used afterwards.
   */
  release(): void;
}

/** A network's input scaling: input column j is read as (x − shift[j]) / spread[j], spread > 0. */
export interface InputScaling {
  readonly shift: Float64Array;
  readonly spread: Float64Array;
}

/** Raised by JavaScript, read by a running epoch before each minibatch: once raised, no further minibatch starts. */
export interface AbortFlag {
  readonly aborted: boolean;
  abort(): void;
}

/** What an epoch (or the part of one that ran) did. */
export interface EpochResult {
  /**
   * lossSumStart + Σ over its minibatches b of their data loss L_b before
   * their update, times their normaliser W_b for 'mean' (Σ_b W_b·L_b; W_b is
   * the row count when unweighted), as is for 'sum'. A minibatch of total
   * weight 0 adds 0.
   */
  readonly lossSum: number;
  /** Correct outputs of its minibatches before their updates, as evaluate() counts them (metrics.ts): a count, whatever the weights. */
  readonly correct: number;
  /** Log terms its cross-entropy losses floored (losses.ts countFloored): outputs that gave a target probability 0. A count, whatever the weights. */
  readonly floored: number;
  /** Minibatches that ran: fewer than planned when the abort flag was raised. */
  readonly minibatches: number;
  /** Rows those minibatches held. */
  readonly rows: number;
  /** Σ of the weights of those rows (Σ_b W_b); equals `rows` when unweighted. */
  readonly weightSum: number;
  /**
   * Optimizer steps taken: `minibatches` but those of total weight 0, which
   * take none (parameters, optimizer state and the step count t stay as they
   * were; their forward pass still runs, for the counts, and draws their
   * dropout masks, so the masks of later minibatches do not depend on it).
   */
  readonly steps: number;
}

/** An optimizer and its state, as the engines take them (src/optimizers.ts says what each does). */
export interface OptimizerJob {
  readonly code: OptimizerCode;
  /** The settings named by OPTIMIZER_SETTINGS, in that order (nesterov as 0 or 1). */
  readonly settings: Float64Array;
  /** stateSlots() buffers of the parameters' layout, one after another; updated in place. */
  readonly state: Float64Array;
  /** Steps taken before this call: its first step is number stepsTaken + 1 (Adam's t). */
  readonly stepsTaken: number;
}

/** One epoch of minibatch training: the rows of the data visited in `order`, `batchSize` at a time. */
export interface EpochJob {
  readonly layout: Layout;
  readonly objective: Objective;
  /** Updated in place. */
  readonly params: Float64Array;
  readonly optimizer: OptimizerJob;
  readonly data: TrainingData;
  /** The rows of data to visit, in this order (indices in [0, data.rows)). */
  readonly order: Int32Array;
  readonly inputScaling: InputScaling | null;
  readonly batchSize: number;
  readonly learningRate: number;
  /** When > 0, each minibatch's whole gradient is rescaled to at most this L2 norm before its step. */
  readonly clipNorm: number;
  /** Each layer's inverted-dropout rate (0 for none, always 0 at the output), or null for no dropout at all. */
  readonly dropout: Float64Array | null;
  /** The dropout masks' generator state (4 words of xoshiro128**, random.ts), advanced in place. */
  readonly randomState: Uint32Array;
  readonly abort: AbortFlag | null;
  /** Where the result's lossSum starts: the sum of earlier calls of the same epoch, added to in order. */
  readonly lossSumStart: number;
  /**
   * Null: this process trains alone. Otherwise `order` is the order every
   * process shares, each minibatch is ranks × batchSize rows of it, this
   * process trains on its share (batchSize rows from rank × batchSize), each
   * gradient is summed over the processes through `reducer` (the MPI addon's)
   * before the step, and the result counts this process's rows only. Native
   * engine only, with no dropout and unweighted data (it refuses both).
   */
  readonly dataParallel: { readonly reducer: unknown; readonly rank: number; readonly ranks: number } | null;
}

export interface Backend {
  readonly name: 'js' | 'native';

  /** C := alpha·op(A)·op(B) + beta·C, row-major BLAS dgemm; op(A) is m×k, op(B) k×n. */
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, A: Float64Array, lda: number, B: Float64Array, ldb: number, beta: number, C: Float64Array, ldc: number): void;

  /** output := f(input·W + 1·b), input rows × fanIn, output rows × fanOut. */
  forwardLayer(rows: number, fanIn: number, fanOut: number, input: Float64Array, W: Float64Array, b: Float64Array | null, activation: ActivationCode, output: Float64Array): void;

  /** delta := (deltaNext·Wᵀ) ⊙ f'(A), where A (rows × fanIn) is the activation of the layer W reads. */
  backpropDelta(rows: number, fanIn: number, fanOut: number, deltaNext: Float64Array, W: Float64Array, activation: ActivationCode, A: Float64Array, delta: Float64Array): void;

  /**
   * delta := dLoss/dZ at the output for outputs F and targets T (rows × cols),
   * row i's multiplied by weights[i] and scaled by the reduction (1/W for
   * 'mean'); returns the reduced weighted data loss (no L2 term). Weights:
   * one per row (finite, ≥ 0), or null (or left out) for none.
   */
  outputDelta(
    rows: number,
    cols: number,
    loss: LossCode,
    reduction: ReductionCode,
    activation: ActivationCode,
    F: Float64Array,
    T: Float64Array,
    delta: Float64Array,
    weights?: Float64Array | null,
  ): number;

  /**
   * One optimizer step (number optimizer.stepsTaken + 1) of params from grads,
   * both laid out like the layout's parameters; the optimizer's state is
   * updated in place. The gradients are taken as they are (gradients() has
   * put the L2 term in them already).
   */
  optimizerStep(layout: Layout, optimizer: OptimizerJob, learningRate: number, grads: Float64Array, params: Float64Array): void;

  /** Fills outputs[l] (rows × sizes[l+1]) with the activation of every layer. */
  forward(layout: Layout, params: Float64Array, inputs: Float64Array, rows: number, outputs: Float64Array[], scaling: InputScaling | null): void;

  /**
   * Writes dLoss/dparams into grads (params' layout) and returns the loss, L2
   * term included, both weighted by `weights` (one per row, or null or left
   * out for none), the L2 term with the batch's normaliser W (see Objective).
   */
  gradients(
    layout: Layout,
    objective: Objective,
    params: Float64Array,
    inputs: Float64Array,
    targets: Float64Array,
    rows: number,
    grads: Float64Array,
    scaling: InputScaling | null,
    weights?: Float64Array | null,
  ): number;

  /**
   * Rows of inputs and targets (whole rows each), and their weights (one per
   * row, or null or left out for none), as they are, for trainEpoch (and
   * trainEpochAsync where asyncNeedsOwnedData is false).
   */
  borrowTrainingData(inputs: Float64Array, targets: Float64Array, rows: number, weights?: Float64Array | null): TrainingData;
  /** An empty (zeroed) buffer of rows the engine owns, with a weight per row when `weighted` (default false). */
  createTrainingData(rows: number, inputWidth: number, outputWidth: number, weighted?: boolean): OwnedTrainingData;
  /** Whether trainEpochAsync needs data from createTrainingData (it runs on another thread). */
  readonly asyncNeedsOwnedData: boolean;
  createAbortFlag(): AbortFlag;

  /**
   * Runs the minibatches of one epoch (or part of one), one optimizer step
   * each (none for a minibatch of total weight 0), fused into the backward
   * pass where the engine can, weighted or not.
   */
  trainEpoch(job: EpochJob): EpochResult;
  /** trainEpoch off the JavaScript thread where the engine can; the buffers must not be touched until it settles. */
  trainEpochAsync(job: EpochJob): Promise<EpochResult>;
  /**
   * The epochs of several networks (none data-parallel) at once, as
   * trainEpochAsync would run each: one result, or the Error that epoch
   * ended with, per job, in order. The native engine spreads them over at
   * most `threads` of its threads, a network to a thread.
   */
  trainEpochsAsync(jobs: readonly EpochJob[], threads: number): Promise<(EpochResult | Error)[]>;
}
