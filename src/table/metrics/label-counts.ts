import { Sums } from './sums.js';

/**
 * Weighted counts per label of a list (the label's index in it): rows truly
 * of it (`actual`), rows predicted as it (`predicted`) and rows both
 * (`truePositive`). A row's true and predicted labels count separately, so a
 * row whose true label is not listed still counts against the listed label
 * it was predicted as, as with scikit-learn's `labels`.
 */
export interface LabelCounts {
  truePositive: number[];
  predicted: number[];
  actual: number[];
}

/** The counts for `labels` labels, from yTrue and yPred encoded as indices (−1: not listed). */
export function labelCounts(actual: Int32Array, predicted: Int32Array, weights: Float64Array, labels: number): LabelCounts {
  const tp = new Sums(labels);
  const pred = new Sums(labels);
  const act = new Sums(labels);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const p = predicted[i];
    if (a >= 0) act.add(a, weights[i]);
    if (p >= 0) pred.add(p, weights[i]);
    if (a >= 0 && a === p) tp.add(a, weights[i]);
  }
  return { truePositive: tp.all(), predicted: pred.all(), actual: act.all() };
}
