// The area under the ROC curve, as scikit-learn 1.2's roc_auc_score: binary,
// or one-vs-rest and macro-averaged over 3 or more labels.
import { DeltapropError, describeValue } from '../../errors.js';
import type { Matrix } from '../../matrix.js';
import type { Label } from '../label-order.js';
import type { LabelArray, Values, WeightOptions } from './inputs.js';
import { listLabels, readScored } from './inputs.js';
import { mean, Sums } from './sums.js';

export interface RocAucOptions extends WeightOptions {
  /**
   * The labels, in the order of the columns of the scores (default: those of
   * yTrue, sorted). With 2, the second is the positive one.
   */
  labels?: readonly Label[];
}

/**
 * The AUC of column `column` of `scores` for telling rows of label
 * `positive` (an index into the labels) from the rest: the trapezoidal rule
 * over the ROC curve's points, one per distinct score, so tied rows move the
 * curve together, diagonally, as scikit-learn's roc_curve does. Each
 * trapezoid is the weight of the negatives at that score times the mean of
 * the positives' weight above and at it; the sum is then divided by the
 * positives' and negatives' total weights, which normalises both axes.
 */
function oneVsRest(scores: Matrix, column: number, codes: Int32Array, positive: number, weights: Float64Array): number {
  const { rows, cols, data } = scores;
  const order = Uint32Array.from({ length: rows }, (_, i) => i).sort((a, b) => data[b * cols + column] - data[a * cols + column]);
  const TP = 0,
    FP = 1,
    AREA = 2;
  const totals = new Sums(3);
  const group = new Sums(2); // the positives' and negatives' weight at one score
  let i = 0;
  while (i < rows) {
    const score = data[order[i] * cols + column];
    group.clear();
    for (; i < rows && data[order[i] * cols + column] === score; i++) group.add(codes[order[i]] === positive ? TP : FP, weights[order[i]]);
    const tpBefore = totals.get(TP);
    totals.add(AREA, (group.get(FP) * (tpBefore + tpBefore + group.get(TP))) / 2);
    totals.add(TP, group.get(TP));
    totals.add(FP, group.get(FP));
  }
  return totals.get(AREA) / totals.get(TP) / totals.get(FP);
}

/**
 * The area under the ROC curve of `scores` for yTrue. With 2 labels, scores
 * are the positive label's, one per row (or a matrix of 1 column, or of 2
 * whose second is used); with more, a column per label, and the result is
 * the mean of each label's one-vs-rest AUC.
 */
export function rocAuc(yTrue: LabelArray, scores: Values, options?: RocAucOptions): number {
  const { values: s, weights, labels, codes } = readScored(yTrue, scores, 'scores', options);
  const binary = labels.length === 2;
  if (binary && s.cols > 2) {
    throw new DeltapropError('scores', `expected the scores of ${describeValue(labels[1])} (1 column) or of both labels (2 columns), got ${s.cols} columns`);
  }
  if (!binary && s.cols !== labels.length) {
    throw new DeltapropError('scores', `expected ${labels.length} columns (one per label: ${listLabels(labels)}), got ${s.cols}`);
  }
  // A label without weighted true rows has no ROC curve against the rest: scikit-learn raises (or returns NaN).
  const weightOf = new Sums(labels.length);
  for (let i = 0; i < codes.length; i++) weightOf.add(codes[i], weights[i]);
  const missing = weightOf.all().findIndex((w) => w === 0);
  if (missing >= 0) {
    throw new DeltapropError('yTrue', `expected rows (of positive weight) of every label, got none of ${describeValue(labels[missing])}, whose AUC against the rest is undefined`);
  }
  if (binary) return oneVsRest(s, s.cols - 1, codes, 1, weights);
  return mean(labels.map((_, c) => oneVsRest(s, c, codes, c, weights)));
}
