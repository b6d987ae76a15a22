// The epoch loop shared by fit() and fitSync(): written once as a generator
// that yields each epoch's job and receives its loss, so the synchronous and
// the asynchronous drivers differ only in how they run a job.
import type { Backend, EpochJob, Layout, Objective } from './backend/types.js';
import { DeltapropError } from './errors.js';
import type { Matrix, MatrixLike } from './matrix.js';
import type { OptimizerState } from './optimizer-state.js';
import { continueOrStart, optimizerJob } from './optimizer-state.js';
import type { OptimizerOptions, ResolvedOptimizer } from './optimizers.js';
import { resolveOptimizer } from './optimizers.js';
import type { Random } from './random.js';
import type { LearningRate, ResolvedSchedule } from './schedules.js';
import { advance, rateAt, resolveLearningRate } from './schedules.js';
import { checkBoolean, checkInteger, checkKnownKeys, checkNumber, checkObject } from './validate.js';

export interface EpochInfo {
  /** 0 for the first epoch of this fit call. */
  epoch: number;
  loss: number;
  validationLoss?: number;
  /** The learning rate this epoch used. */
  learningRate: number;
}

export interface FitOptions {
  /** Default 1. */
  epochs?: number;
  /** Rows per minibatch; default 32 (a larger value means the whole set). */
  batchSize?: number;
  /** η > 0, or a schedule evaluated once per epoch; default 0.01. */
  learningRate?: LearningRate;
  /** A name ('sgd', 'adam', 'adamw', 'rmsprop') or an object with `type` and its settings; default 'sgd'. */
  optimizer?: OptimizerOptions;
  /** Shorthand for SGD's momentum μ in [0, 1); default 0. Not allowed with another optimizer. */
  momentum?: number;
  /** Rescale each minibatch's whole gradient to at most this L2 norm (> 0); default none. */
  clipNorm?: number;
  /** Reshuffle the rows (seeded) before every epoch; default true. */
  shuffle?: boolean;
  /** Evaluated after every epoch into history.validationLoss. */
  validation?: { inputs: MatrixLike; targets: MatrixLike };
  /** Called after every epoch; returning false stops training. */
  onEpoch?: (info: EpochInfo) => void | boolean;
}

export interface History {
  /** Epochs run (fewer than asked when onEpoch returned false). */
  epochs: number;
  /**
   * Training loss of each epoch, on evaluate()'s scale: the minibatches' data
   * losses (each before its update), averaged over samples for 'mean' or summed
   * for 'sum', plus the L2 term of the weights at the end of the epoch.
   */
  loss: number[];
  /** Loss on options.validation after each epoch, when given. */
  validationLoss?: number[];
  /** The learning rate each epoch used. */
  learningRate: number[];
}

export interface ResolvedFit {
  epochs: number;
  batchSize: number;
  learningRate: ResolvedSchedule;
  optimizer: ResolvedOptimizer;
  /** 0: no clipping. */
  clipNorm: number;
  shuffle: boolean;
  validation: { inputs: Matrix; targets: Matrix } | null;
  onEpoch: ((info: EpochInfo) => void | boolean) | null;
}

const KNOWN = ['epochs', 'batchSize', 'learningRate', 'optimizer', 'momentum', 'clipNorm', 'shuffle', 'validation', 'onEpoch'] as const;

/** `checkData` converts and checks a data set the way the network checks its training data. */
export function resolveFitOptions(
  value: unknown,
  checkData: (inputs: MatrixLike, targets: MatrixLike, names: [string, string]) => { inputs: Matrix; targets: Matrix },
): ResolvedFit {
  const o = checkObject('options', value ?? {});
  checkKnownKeys('options', o, KNOWN);
  let validation: ResolvedFit['validation'] = null;
  if (o.validation !== undefined) {
    const v = checkObject('options.validation', o.validation);
    checkKnownKeys('options.validation', v, ['inputs', 'targets']);
    validation = checkData(v.inputs as MatrixLike, v.targets as MatrixLike, ['options.validation.inputs', 'options.validation.targets']);
  }
  if (o.onEpoch !== undefined && typeof o.onEpoch !== 'function') {
    throw new DeltapropError('options.onEpoch', `expected a function, got ${typeof o.onEpoch}`);
  }
  const learningRate = resolveLearningRate(o.learningRate);
  if (learningRate.type === 'plateau' && learningRate.monitor === 'validationLoss' && validation === null) {
    throw new DeltapropError('options.learningRate.monitor', "'validationLoss' needs options.validation");
  }
  return {
    epochs: o.epochs === undefined ? 1 : checkInteger('options.epochs', o.epochs, 1),
    batchSize: o.batchSize === undefined ? 32 : checkInteger('options.batchSize', o.batchSize, 1),
    learningRate,
    optimizer: resolveOptimizer(o.optimizer, o.momentum),
    clipNorm: o.clipNorm === undefined ? 0 : checkNumber('options.clipNorm', o.clipNorm, { min: 0, minExclusive: true }),
    shuffle: o.shuffle === undefined ? true : checkBoolean('options.shuffle', o.shuffle),
    validation,
    onEpoch: (o.onEpoch as ResolvedFit['onEpoch']) ?? null,
  };
}

/** What the loop needs of a network. */
export interface TrainingContext {
  engine: Backend;
  layout: Layout;
  objective: Objective;
  params: Float64Array;
  shuffler: Random;
  /** Each layer's dropout rate, or null when no layer has one. */
  dropout: Float64Array | null;
  /** The generator of the dropout masks, advanced by the engines. */
  dropoutRandom: Random;
  /** The network's optimizer state (null: none yet), and where the loop puts the one it trains on. */
  optimizerState: OptimizerState | null;
  setOptimizerState(state: OptimizerState | null): void;
  lossOn(inputs: Matrix, targets: Matrix): number;
}

export function* epochLoop(
  ctx: TrainingContext, inputs: Matrix, targets: Matrix, fit: ResolvedFit,
): Generator<EpochJob, History, number> {
  const order = new Int32Array(inputs.rows);
  const state = continueOrStart(ctx.optimizerState, fit.optimizer, fit.learningRate, ctx.params.length);
  ctx.setOptimizerState(state);
  const data = ctx.engine.prepareTrainingData(inputs.data, targets.data, inputs.rows, inputs.cols, targets.cols);
  // A batch larger than the data set is the whole set (and keeps the engines' sizes in range).
  const batchSize = Math.min(fit.batchSize, inputs.rows);
  const history: History = { epochs: 0, loss: [], learningRate: [] };
  if (fit.validation) history.validationLoss = [];

  for (let epoch = 0; epoch < fit.epochs; epoch++) {
    // Every epoch shuffles the rows afresh from their own order, so that the
    // order depends only on the generator's state: chained fits equal one long fit.
    for (let i = 0; i < order.length; i++) order[i] = i;
    if (fit.shuffle) ctx.shuffler.shuffle(order);
    const learningRate = rateAt(fit.learningRate, state.position);
    const loss = yield {
      layout: ctx.layout, objective: ctx.objective, params: ctx.params, optimizer: optimizerJob(state),
      data, order, batchSize, learningRate, clipNorm: fit.clipNorm,
      dropout: ctx.dropout, randomState: ctx.dropoutRandom.words,
    };
    state.steps += Math.ceil(inputs.rows / batchSize);
    if (!Number.isFinite(loss)) {
      // Its moments are as broken as the parameters: a retry must not continue them.
      ctx.setOptimizerState(null);
      throw new DeltapropError(
        'options.learningRate',
        `training diverged in epoch ${epoch} (loss ${loss}) with learning rate ${learningRate}; the parameters are no longer usable: start again with a smaller learning rate`,
      );
    }
    history.epochs++;
    history.loss.push(loss);
    history.learningRate.push(learningRate);
    const info: EpochInfo = { epoch, loss, learningRate };
    if (fit.validation) {
      info.validationLoss = ctx.lossOn(fit.validation.inputs, fit.validation.targets);
      history.validationLoss!.push(info.validationLoss);
    }
    advance(fit.learningRate, state.position, info);
    if (fit.onEpoch?.(info) === false) break;
  }
  return history;
}
