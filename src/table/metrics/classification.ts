// Metrics of predicted labels against true ones, as scikit-learn 1.2 defines
// them: accuracy_score, balanced_accuracy_score and confusion_matrix.
import { DeltapropError } from '../../errors.js';
import type { Label } from '../label-order.js';
import { sortedLabels } from '../label-order.js';
import type { LabelArray, WeightOptions } from './inputs.js';
import { encode, readLabelList, readPredictions } from './inputs.js';
import { labelCounts } from './label-counts.js';
import { mean, Sums } from './sums.js';

export interface ConfusionMatrixOptions extends WeightOptions {
  /** The labels to count, in the order of the rows and columns (default: those of yTrue and yPred, sorted). */
  labels?: readonly Label[];
}

export interface ConfusionMatrix {
  labels: Label[];
  /** counts[actual][predicted]: the weight of the rows of true label labels[actual] predicted as labels[predicted]. */
  counts: number[][];
}

/** The weighted share of rows predicted right. */
export function accuracy(yTrue: LabelArray, yPred: LabelArray, options?: WeightOptions): number {
  const { actual, predicted, weights } = readPredictions(yTrue, yPred, options, ['sampleWeight']);
  const sums = new Sums(2);
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] === predicted[i]) sums.add(0, weights[i]);
    sums.add(1, weights[i]);
  }
  return sums.get(0) / sums.get(1);
}

/**
 * The mean over labels of their recall. A label that only yPred holds (or
 * whose true rows all weigh 0) has no recall and is left out of the mean, as
 * scikit-learn leaves out its NaN.
 */
export function balancedAccuracy(yTrue: LabelArray, yPred: LabelArray, options?: WeightOptions): number {
  const { actual, predicted, weights } = readPredictions(yTrue, yPred, options, ['sampleWeight']);
  const labels = sortedLabels([...actual, ...predicted]);
  const counts = labelCounts(encode(actual, labels), encode(predicted, labels), weights, labels.length);
  const recalls = counts.actual.flatMap((n, i) => (n > 0 ? [counts.truePositive[i] / n] : []));
  return mean(recalls);
}

/**
 * Rows of a true label × columns of a predicted one. Rows whose true or
 * predicted label is not among options.labels are left out.
 */
export function confusionMatrix(yTrue: LabelArray, yPred: LabelArray, options?: ConfusionMatrixOptions): ConfusionMatrix {
  const { actual, predicted, weights, options: o } = readPredictions(yTrue, yPred, options, ['labels', 'sampleWeight']);
  const given = readLabelList(o.labels);
  const labels = given ?? sortedLabels([...actual, ...predicted]);
  const a = encode(actual, labels);
  // scikit-learn refuses labels none of which is true: the matrix would be all zeros by mistake.
  if (given !== undefined && a.every((code) => code < 0)) {
    throw new DeltapropError('options.labels', 'expected at least one label that occurs in yTrue, got none');
  }
  const p = encode(predicted, labels);
  const k = labels.length;
  const sums = new Sums(k * k);
  for (let i = 0; i < a.length; i++) if (a[i] >= 0 && p[i] >= 0) sums.add(a[i] * k + p[i], weights[i]);
  const flat = sums.all();
  return { labels, counts: labels.map((_, r) => flat.slice(r * k, (r + 1) * k)) };
}
