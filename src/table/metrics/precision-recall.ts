// Precision, recall and F1, per label or averaged, and the report of all
// three: scikit-learn 1.2's precision_recall_fscore_support (beta = 1) and
// classification_report, down to what a label without predicted or true rows
// scores (zeroDivision) and how the weighted average treats labels none of
// which is true.
import { DeltapropError, describeValue } from '../../errors.js';
import type { Label } from '../label-order.js';
import { sortedLabels } from '../label-order.js';
import { checkOneOf } from '../../validate.js';
import type { LabelArray, WeightOptions } from './inputs.js';
import { encode, listLabels, readLabelList, readPredictions } from './inputs.js';
import type { LabelCounts } from './label-counts.js';
import { labelCounts } from './label-counts.js';
import { accuracy } from './classification.js';
import { mean, sum } from './sums.js';

export type Average = 'macro' | 'micro' | 'weighted' | 'binary' | 'none';
const AVERAGES: readonly Average[] = ['macro', 'micro', 'weighted', 'binary', 'none'];

export interface PrecisionRecallOptions extends WeightOptions {
  /** How per-label scores become one (default 'macro'); 'none' returns them per label, in `labels` order. */
  average?: Average;
  /** The labels to score, in order (default: those of yTrue and yPred, sorted). */
  labels?: readonly Label[];
  /** The label scored with average 'binary' (and only then). */
  positiveLabel?: Label;
  /** The score of a label without predicted rows (precision) or true rows (recall). Default 0. */
  zeroDivision?: 0 | 1;
}

export interface ReportOptions extends WeightOptions {
  labels?: readonly Label[];
  zeroDivision?: 0 | 1;
}

export interface Scores {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassificationReport {
  labels: Label[];
  precision: number[];
  recall: number[];
  f1: number[];
  /** The weight of each label's true rows (their count when unweighted). */
  support: number[];
  /** Over every row, whether its labels are listed or not. */
  accuracy: number;
  macro: Scores;
  micro: Scores;
  weighted: Scores;
}

/** precision, recall or f1: a number[] per label for average 'none', else one number. */
export interface LabelMetric {
  (yTrue: LabelArray, yPred: LabelArray, options: PrecisionRecallOptions & { average: 'none' }): number[];
  (yTrue: LabelArray, yPred: LabelArray, options?: PrecisionRecallOptions & { average?: Exclude<Average, 'none'> }): number;
  (yTrue: LabelArray, yPred: LabelArray, options?: PrecisionRecallOptions): number | number[];
}

type PerLabel = { precision: number[]; recall: number[]; f1: number[] };

const divide = (numerator: number, denominator: number, zeroDivision: number): number => (denominator === 0 ? zeroDivision : numerator / denominator);

/** Written as scikit-learn evaluates it, so the rounding is the same. */
const fScore = (precision: number, recall: number): number => (precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall));

function scoresOf(tp: number, predicted: number, actual: number, zeroDivision: number): Scores {
  const precision = divide(tp, predicted, zeroDivision);
  const recall = divide(tp, actual, zeroDivision);
  return { precision, recall, f1: fScore(precision, recall) };
}

function perLabel(c: LabelCounts, zeroDivision: number): PerLabel {
  const scores = c.truePositive.map((tp, i) => scoresOf(tp, c.predicted[i], c.actual[i], zeroDivision));
  return { precision: scores.map((s) => s.precision), recall: scores.map((s) => s.recall), f1: scores.map((s) => s.f1) };
}

function micro(c: LabelCounts, zeroDivision: number): Scores {
  return scoresOf(sum(c.truePositive), sum(c.predicted), sum(c.actual), zeroDivision);
}

function macro(s: PerLabel): Scores {
  return { precision: mean(s.precision), recall: mean(s.recall), f1: mean(s.f1) };
}

/** Weighted by each label's true rows; when no listed label has any, what scikit-learn returns then. */
function weighted(c: LabelCounts, s: PerLabel, zeroDivision: number): Scores {
  const total = sum(c.actual);
  if (total === 0) {
    const none = sum(c.predicted) === 0;
    return { precision: none ? zeroDivision : 0, recall: zeroDivision, f1: none ? zeroDivision : 0 };
  }
  const average = (x: number[]) => sum(x.map((v, i) => v * c.actual[i])) / total;
  return { precision: average(s.precision), recall: average(s.recall), f1: average(s.f1) };
}

function readZeroDivision(value: unknown): 0 | 1 {
  if (value === undefined) return 0;
  if (value !== 0 && value !== 1) throw new DeltapropError('options.zeroDivision', `expected 0 or 1, got ${describeValue(value)}`);
  return value;
}

const SCORE_KEYS = ['average', 'labels', 'positiveLabel', 'zeroDivision', 'sampleWeight'] as const;

/** Checks the arguments of precision, recall or f1, and scores the labels their options choose. */
function score(yTrue: unknown, yPred: unknown, options: unknown): Scores | PerLabel {
  const { actual, predicted, weights, options: o } = readPredictions(yTrue, yPred, options, SCORE_KEYS);
  const average = checkOneOf('options.average', o.average ?? 'macro', AVERAGES);
  const present = sortedLabels([...actual, ...predicted]);
  let labels = readLabelList(o.labels) ?? present;
  const zeroDivision = readZeroDivision(o.zeroDivision);
  if (average === 'binary') {
    if (present.length > 2) {
      throw new DeltapropError(
        'options.average',
        `expected 'macro', 'micro', 'weighted' or 'none' for yTrue and yPred of ${present.length} labels (${listLabels(present)}), got 'binary' (for 2 labels at most)`,
      );
    }
    const positive = o.positiveLabel;
    if (!labels.includes(positive as Label)) {
      throw new DeltapropError('options.positiveLabel', `expected the label average 'binary' scores, one of ${listLabels(labels)}, got ${describeValue(positive)}`);
    }
    labels = [positive as Label];
  } else if (o.positiveLabel !== undefined) {
    throw new DeltapropError('options.positiveLabel', `expected no positive label with average '${average}' (it is for 'binary'), got ${describeValue(o.positiveLabel)}`);
  }
  const counts = labelCounts(encode(actual, labels), encode(predicted, labels), weights, labels.length);
  if (average === 'micro') return micro(counts, zeroDivision);
  const each = perLabel(counts, zeroDivision);
  if (average === 'none') return each;
  if (average === 'weighted') return weighted(counts, each, zeroDivision);
  // 'binary' scores one label, so its macro average is that label's score.
  return macro(each);
}

function metric(name: keyof Scores): LabelMetric {
  return ((yTrue: LabelArray, yPred: LabelArray, options?: PrecisionRecallOptions) => score(yTrue, yPred, options)[name]) as LabelMetric;
}

/** The weighted share of rows predicted as a label that truly are of it. */
export const precision: LabelMetric = metric('precision');

/** The weighted share of rows of a label predicted as it. */
export const recall: LabelMetric = metric('recall');

/** The harmonic mean of precision and recall. */
export const f1: LabelMetric = metric('f1');

/** Precision, recall, F1 and support per label, their three averages, and the accuracy. */
export function classificationReport(yTrue: LabelArray, yPred: LabelArray, options?: ReportOptions): ClassificationReport {
  const { actual, predicted, weights, options: o } = readPredictions(yTrue, yPred, options, ['labels', 'zeroDivision', 'sampleWeight']);
  const labels = readLabelList(o.labels) ?? sortedLabels([...actual, ...predicted]);
  const zeroDivision = readZeroDivision(o.zeroDivision);
  const counts = labelCounts(encode(actual, labels), encode(predicted, labels), weights, labels.length);
  const each = perLabel(counts, zeroDivision);
  return {
    labels,
    ...each,
    support: counts.actual,
    accuracy: accuracy(actual, predicted, { sampleWeight: weights }),
    macro: macro(each),
    micro: micro(counts, zeroDivision),
    weighted: weighted(counts, each, zeroDivision),
  };
}
