// k-fold cross-validation: each fold trains a fresh network (from the
// caller's factory) on the other folds' rows, all folds at once
// (Network.fitMany), and is measured on its own,
// then the metrics are summarised over the folds as mean and standard
// deviation. The folds come from the seed alone, so a run is reproducible
// whenever the factory seeds its networks.
import { DeltapropError, describeValue } from '../errors.js';
import type { FitOptions, History } from '../training/fit-options.js';
import type { Targets } from '../labels.js';
import { isLabels } from '../labels.js';
import type { Inputs } from '../network.js';
import { Network } from '../network.js';
import { checkBoolean, checkInteger, checkKnownKeys, checkObject, copyOnce } from '../validate.js';
import { classCount } from './classes.js';
import type { MetricName } from './metrics.js';
import { checkMetricNames } from './network-metrics.js';
import { kFold, pickRows, pickTargets, rowCount } from './splits.js';
import { checkSampleWeight } from './weights.js';

export interface CrossValidateOptions {
  /** How many folds (≥ 2); default 5. */
  folds?: number;
  /** Seed of the folds' assignment; default 0. */
  seed?: number;
  /** Keep each class's share of the rows in every fold; default true for a classifier, false otherwise. */
  stratify?: boolean;
  /** Shuffle the rows before dealing them into folds; default true. */
  shuffle?: boolean;
  /** Metrics measured on each fold's held-out rows; default ['accuracy'] for a classifier, ['r2'] otherwise. The loss is always measured. */
  metrics?: MetricName[];
  /** One weight ≥ 0 per row: the training rows' weigh each fold's fit, the held-out rows' its metrics. */
  sampleWeight?: readonly number[] | Float64Array;
  /** Options of every fold's fit (epochs, batchSize, optimizer, …; not sampleWeight: give it above). */
  fit?: FitOptions;
}

/** One fold's result: its sizes, its fit's history, and the metrics of its held-out rows (with `loss`). */
export interface FoldResult {
  fold: number;
  trainRows: number;
  testRows: number;
  history: History;
  metrics: Record<string, number>;
}

export interface CrossValidation {
  folds: FoldResult[];
  /** Each metric's mean over the folds. */
  mean: Record<string, number>;
  /** Each metric's standard deviation over the folds (population, as numpy's std: divided by the number of folds). */
  std: Record<string, number>;
}

/** Each figure's mean and (population) standard deviation over the folds. */
export function summariseFolds(results: readonly { metrics: Record<string, number> }[]): { mean: Record<string, number>; std: Record<string, number> } {
  const mean: Record<string, number> = {};
  const std: Record<string, number> = {};
  for (const name of Object.keys(results[0].metrics)) {
    const values = results.map((r) => r.metrics[name]);
    mean[name] = values.reduce((a, b) => a + b, 0) / values.length;
    std[name] = Math.sqrt(values.reduce((a, v) => a + (v - mean[name]) ** 2, 0) / values.length);
  }
  return { mean, std };
}

/**
 * Cross-validates the networks `makeNetwork(fold)` builds (a new one for
 * each fold) on the rows: k-fold, stratified for a classifier by default.
 */
export async function crossValidate(makeNetwork: (fold: number) => Network, inputs: Inputs, targets: Targets, options: CrossValidateOptions = {}): Promise<CrossValidation> {
  if (typeof makeNetwork !== 'function') throw new DeltapropError('makeNetwork', `expected a function (fold) => Network, got ${describeValue(makeNetwork)}`);
  const o = checkObject('options', options);
  checkKnownKeys('options', o, ['folds', 'seed', 'stratify', 'shuffle', 'metrics', 'sampleWeight', 'fit']);
  // Copied whole, once: every fold's fit reads them, and each must see what the first saw.
  const fitOptions = o.fit === undefined ? {} : (copyOnce('options.fit', checkObject('options.fit', o.fit)) as Record<string, unknown>);
  if (fitOptions.sampleWeight !== undefined) throw new DeltapropError('options.fit.sampleWeight', 'give options.sampleWeight instead: it is split with the rows of each fold');
  const rows = rowCount('inputs', inputs);
  const folds = o.folds === undefined ? 5 : checkInteger('options.folds', o.folds, 2, rows);
  const weights = o.sampleWeight === undefined ? null : checkSampleWeight('options.sampleWeight', o.sampleWeight, rows);
  const networkOf = (fold: number): Network => {
    const net = makeNetwork(fold);
    if (!(net instanceof Network)) throw new DeltapropError('makeNetwork', `expected it to return a Network, got ${describeValue(net)} for fold ${fold}`);
    return net;
  };
  const first = networkOf(0);
  const classifier = classCount(first.loss, first.outputs) !== null;
  const metrics = o.metrics === undefined ? ([classifier ? 'accuracy' : 'r2'] as MetricName[]) : checkMetricNames('options.metrics', o.metrics, classifier ? 'classification' : 'regression');
  const stratify = o.stratify === undefined ? classifier && isLabels(targets) : checkBoolean('options.stratify', o.stratify);
  const split = kFold(rows, folds, {
    ...(o.seed === undefined ? {} : { seed: o.seed as number }),
    ...(o.shuffle === undefined ? {} : { shuffle: o.shuffle as boolean }),
    ...(stratify ? { stratify: targets as never } : {}),
  });
  // The folds train at once (Network.fitMany: a fold to a thread), each as its own fit would.
  const networks = split.map((_fold, fold) => (fold === 0 ? first : networkOf(fold)));
  const weightsOf = (rows: Int32Array | readonly number[]) => (weights === null ? {} : { sampleWeight: Float64Array.from(rows, (r) => weights[r]) });
  const outcomes = await Network.fitMany(
    split.map(({ train }, fold) => ({
      network: networks[fold],
      inputs: pickRows(inputs, train) as Inputs,
      targets: pickTargets(targets, train) as Targets,
      options: { ...(fitOptions as FitOptions), ...weightsOf(train) },
    })),
  );
  const results: FoldResult[] = outcomes.map((outcome, fold) => {
    // The first fold that failed fails the whole, as it would have alone.
    if (outcome.status === 'rejected') throw outcome.reason;
    const { train, test } = split[fold];
    const measured = networks[fold].evaluate(pickRows(inputs, test) as Inputs, pickTargets(targets, test) as Targets, { metrics, ...weightsOf(test) });
    return { fold, trainRows: train.length, testRows: test.length, history: outcome.value, metrics: { loss: measured.loss, ...measured.metrics } as Record<string, number> };
  });
  return { folds: results, ...summariseFolds(results) };
}
