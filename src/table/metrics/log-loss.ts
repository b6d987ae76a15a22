// The mean negative log-likelihood of yTrue under predicted probabilities, as
// scikit-learn 1.2.1's log_loss computes it (eps='auto'): each probability
// clipped to [ε, 1 − ε] (ε the float64 machine epsilon, so a confident
// mistake costs about 36, not Infinity), then each row divided by its sum,
// so rows that do not sum to 1 are scored as the distribution they are
// proportional to.
import { DeltapropError } from '../../errors.js';
import type { Label } from '../label-order.js';
import type { LabelArray, Values, WeightOptions } from './inputs.js';
import { listLabels, readScored } from './inputs.js';
import { Sums } from './sums.js';

export interface LogLossOptions extends WeightOptions {
  /** The labels, in the order of the columns of the probabilities (default: those of yTrue, sorted). */
  labels?: readonly Label[];
}

const EPS = 2 ** -52;

const clip = (p: number): number => Math.min(Math.max(p, EPS), 1 - EPS);

/**
 * The log loss of `probabilities` for yTrue: a column per label, or with 2
 * labels the second's probability alone, one per row (1 − p is the first's).
 */
export function logLoss(yTrue: LabelArray, probabilities: Values, options?: LogLossOptions): number {
  const { values: P, weights, labels, codes } = readScored(yTrue, probabilities, 'probabilities', options);
  const k = labels.length;
  const positiveOnly = k === 2 && P.cols === 1;
  if (!positiveOnly && P.cols !== k) {
    const also = k === 2 ? `, or 1 (the probability of ${listLabels(labels.slice(1))})` : '';
    throw new DeltapropError('probabilities', `expected ${k} columns (one per label: ${listLabels(labels)})${also}, got ${P.cols}`);
  }
  const { cols, data } = P;
  const sums = new Sums(2);
  for (let r = 0; r < P.rows; r++) {
    let p: number;
    if (positiveOnly) {
      // As scikit-learn: clipped first, then 1 − p beside it, then the row renormalised.
      const positive = clip(data[r]);
      const negative = 1 - positive;
      p = (codes[r] === 1 ? positive : negative) / (negative + positive);
    } else {
      // Summed in column order like numpy's row sums of a few columns.
      let total = 0;
      for (let c = 0; c < cols; c++) total += clip(data[r * cols + c]);
      p = clip(data[r * cols + codes[r]]) / total;
    }
    sums.add(0, weights[r] * -Math.log(p));
    sums.add(1, weights[r]);
  }
  return sums.get(0) / sums.get(1);
}
