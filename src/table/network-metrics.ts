// The metrics a network's outputs earn against its targets, by name, as
// evaluate({ metrics }) and fit({ metrics }) report them: for a classifier
// from each row's class (the argmax of a softmax row, a sigmoid output
// against 0.5) and its probabilities; for any other network from the output
// values (several outputs: their metrics averaged, as scikit-learn's
// multioutput='uniform_average'). Always over the whole set.
import { DeltapropError, describeValue } from '../errors.js';
import { checkArray } from '../validate.js';
import type { Matrix } from '../matrix.js';
import { matrix } from '../matrix.js';
import { classProbabilities, predictedIndices } from './classes.js';
import type { MetricName } from './metrics.js';
import { METRIC_NAMES, accuracy, balancedAccuracy, f1, logLoss, mae, mape, metricKind, mse, precision, r2, recall, rmse, rocAuc } from './metrics.js';

export type MetricTask = 'classification' | 'regression';

/** A list of metric names, each once, each one the task has. */
export function checkMetricNames(name: string, value: unknown, task: MetricTask): MetricName[] {
  if (!Array.isArray(value)) throw new DeltapropError(name, `expected an array of metric names (${METRIC_NAMES.join(', ')}), got ${describeValue(value)}`);
  const seen = new Set<string>();
  // Copied once (its length and each name read once); a longer list than this must repeat a name anyway.
  return checkArray(name, value, 1024, 'metric names').map((v: unknown, i) => {
    if (typeof v !== 'string' || !(METRIC_NAMES as readonly string[]).includes(v)) {
      throw new DeltapropError(`${name}[${i}]`, `expected one of ${METRIC_NAMES.map((m) => `'${m}'`).join(', ')}, got ${describeValue(v)}`);
    }
    const metric = v as MetricName;
    if (seen.has(metric)) throw new DeltapropError(`${name}[${i}]`, `'${metric}' is listed twice`);
    seen.add(metric);
    const fits = (metricKind(metric) === 'regression') === (task === 'regression');
    if (!fits) {
      throw new DeltapropError(
        `${name}[${i}]`,
        task === 'regression'
          ? `'${metric}' measures a classifier, and this network is not one (its metrics: r2, mae, mse, rmse, mape)`
          : `'${metric}' measures a regression, and this network is a classifier`,
      );
    }
    return metric;
  });
}

/** Each row's true class: the argmax of a one-hot (or soft) row, or a binary target against 0.5. */
function trueClasses(T: Matrix, binary: boolean): Int32Array {
  return Int32Array.from(predictedIndices(T, binary), (k) => k!);
}

/** One-vs-rest AUC averaged over the classes the rows hold (scikit-learn's 'ovr' macro when all are there); NaN with fewer than two. */
function aucOf(yTrue: Int32Array, P: Matrix, binary: boolean, weights: Float64Array | null): number {
  const options = weights === null ? {} : { sampleWeight: weights };
  const column = (k: number) => Float64Array.from({ length: P.rows }, (_, r) => P.data[r * P.cols + k]);
  const present = [...new Set(yTrue)].sort((a, b) => a - b);
  if (present.length < 2) return NaN;
  if (binary || P.cols === 2) return rocAuc(yTrue, column(1), { ...options, labels: [0, 1] });
  let total = 0;
  for (const k of present)
    total += rocAuc(
      Int32Array.from(yTrue, (c) => (c === k ? 1 : 0)),
      column(k),
      { ...options, labels: [0, 1] },
    );
  return total / present.length;
}

function classificationMetric(name: MetricName, yTrue: Int32Array, yPred: Int32Array, P: Matrix, binary: boolean, weights: Float64Array | null): number {
  const options = weights === null ? {} : { sampleWeight: weights };
  switch (name) {
    case 'accuracy':
      return accuracy(yTrue, yPred, options);
    case 'balancedAccuracy':
      return balancedAccuracy(yTrue, yPred, options);
    case 'precision':
      return precision(yTrue, yPred, options) as number;
    case 'recall':
      return recall(yTrue, yPred, options) as number;
    case 'f1':
      return f1(yTrue, yPred, options) as number;
    case 'precisionMicro':
      return precision(yTrue, yPred, { ...options, average: 'micro' }) as number;
    case 'recallMicro':
      return recall(yTrue, yPred, { ...options, average: 'micro' }) as number;
    case 'f1Micro':
      return f1(yTrue, yPred, { ...options, average: 'micro' }) as number;
    case 'precisionWeighted':
      return precision(yTrue, yPred, { ...options, average: 'weighted' }) as number;
    case 'recallWeighted':
      return recall(yTrue, yPred, { ...options, average: 'weighted' }) as number;
    case 'f1Weighted':
      return f1(yTrue, yPred, { ...options, average: 'weighted' }) as number;
    case 'auc':
      return aucOf(yTrue, P, binary, weights);
    case 'logLoss':
      return logLoss(yTrue, P, { ...options, labels: Array.from({ length: P.cols }, (_, k) => k) });
    default:
      throw new Error(`deltaprop: ${name} is not a classification metric`);
  }
}

function regressionMetric(name: MetricName, T: Matrix, F: Matrix, weights: Float64Array | null): number {
  // R² compares with the spread of the targets, which one row has none of.
  if (name === 'r2' && T.rows < 2) return NaN;
  const options = weights === null ? {} : { sampleWeight: weights };
  const metric = { r2, mae, mse, rmse, mape }[name as 'r2' | 'mae' | 'mse' | 'rmse' | 'mape'];
  return metric(T, F, options);
}

/**
 * The named metrics of outputs F against targets T (both rows × outputs);
 * `binary`: a single sigmoid output telling two classes apart. A row with a
 * non-finite output is predicted as no class (wrong for every metric of
 * classes); a metric undefined on these rows (the AUC of a single class, the
 * R² of one row) is NaN.
 */
export function measureOutputs(names: readonly MetricName[], F: Matrix, T: Matrix, binary: boolean, weights: Float64Array | null): Partial<Record<MetricName, number>> {
  const result: Partial<Record<MetricName, number>> = {};
  if (names.length === 0) return result;
  if (metricKind(names[0]) === 'regression') {
    for (const name of names) result[name] = regressionMetric(name, T, F, weights);
    return result;
  }
  const yTrue = trueClasses(T, binary);
  const yPred = Int32Array.from(predictedIndices(F, binary), (k) => k ?? -1);
  const finite = F.data.every(Number.isFinite);
  const P = finite
    ? classProbabilities(F, binary)
    : matrix(
        F.rows,
        binary ? 2 : F.cols,
        classProbabilities(F, binary).data.map((p) => (Number.isFinite(p) ? p : 0)),
      );
  for (const name of names) result[name] = classificationMetric(name, yTrue, yPred, P, binary, weights);
  return result;
}
