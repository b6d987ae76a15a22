// The epoch loop shared by fit() and fitSync(): written once as a generator
// that yields each epoch's job and receives its loss, so the synchronous and
// the asynchronous drivers differ only in how they run a job.
import type { Backend, EpochJob, Layout, Objective } from './backend/types.js';
import { DeltapropError } from './errors.js';
import type { Matrix, MatrixLike } from './matrix.js';
import type { Random } from './random.js';
import { checkBoolean, checkInteger, checkKnownKeys, checkNumber, checkObject } from './validate.js';

export interface EpochInfo {
  /** 0 for the first epoch of this fit call. */
  epoch: number;
  loss: number;
  validationLoss?: number;
}

export interface FitOptions {
  /** Default 1. */
  epochs?: number;
  /** Rows per minibatch; default 32 (a larger value means the whole set). */
  batchSize?: number;
  /** η > 0; default 0.01. */
  learningRate?: number;
  /** μ in [0, 1); default 0. */
  momentum?: number;
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
}

export interface ResolvedFit {
  epochs: number;
  batchSize: number;
  learningRate: number;
  momentum: number;
  shuffle: boolean;
  validation: { inputs: Matrix; targets: Matrix } | null;
  onEpoch: ((info: EpochInfo) => void | boolean) | null;
}

const KNOWN = ['epochs', 'batchSize', 'learningRate', 'momentum', 'shuffle', 'validation', 'onEpoch'] as const;

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
  return {
    epochs: o.epochs === undefined ? 1 : checkInteger('options.epochs', o.epochs, 1),
    batchSize: o.batchSize === undefined ? 32 : checkInteger('options.batchSize', o.batchSize, 1),
    learningRate: o.learningRate === undefined ? 0.01 : checkNumber('options.learningRate', o.learningRate, { min: 0, minExclusive: true }),
    momentum: o.momentum === undefined ? 0 : checkNumber('options.momentum', o.momentum, { min: 0, max: 1, maxExclusive: true }),
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
  lossOn(inputs: Matrix, targets: Matrix): number;
}

export function* epochLoop(
  ctx: TrainingContext, inputs: Matrix, targets: Matrix, fit: ResolvedFit,
): Generator<EpochJob, History, number> {
  const order = Int32Array.from({ length: inputs.rows }, (_, i) => i);
  const velocity = fit.momentum > 0 ? new Float64Array(ctx.params.length) : null;
  const data = ctx.engine.prepareTrainingData(inputs.data, targets.data, inputs.rows, inputs.cols, targets.cols);
  const history: History = { epochs: 0, loss: [] };
  if (fit.validation) history.validationLoss = [];

  for (let epoch = 0; epoch < fit.epochs; epoch++) {
    if (fit.shuffle) ctx.shuffler.shuffle(order);
    const loss = yield {
      layout: ctx.layout, objective: ctx.objective, params: ctx.params, velocity,
      data, order,
      // A batch larger than the data set is the whole set (and keeps the engines' sizes in range).
      batchSize: Math.min(fit.batchSize, inputs.rows), learningRate: fit.learningRate, momentum: fit.momentum,
    };
    if (!Number.isFinite(loss)) {
      throw new DeltapropError(
        'options.learningRate',
        `training diverged in epoch ${epoch} (loss ${loss}) with learning rate ${fit.learningRate}; the parameters are no longer usable: start again with a smaller learning rate`,
      );
    }
    history.epochs++;
    history.loss.push(loss);
    const info: EpochInfo = { epoch, loss };
    if (fit.validation) {
      info.validationLoss = ctx.lossOn(fit.validation.inputs, fit.validation.targets);
      history.validationLoss!.push(info.validationLoss);
    }
    if (fit.onEpoch?.(info) === false) break;
  }
  return history;
}
