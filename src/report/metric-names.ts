// The metrics fit can measure each epoch (options.metrics), as the report
// names and bounds them. The bounds are the metrics' own (a score in [0, 1],
// an error ≥ 0, R² ≤ 1): a value outside them is a malformed history, and
// the charts' axes may rely on them.
import type { MetricName } from '../table/metrics/names.js';
import { METRIC_NAMES, metricDirection } from '../table/metrics/names.js';

/** What a reader calls each metric; precision, recall and F1 say which average, as the names' suffixes do. */
const LABELS: Record<MetricName, string> = {
  accuracy: 'accuracy',
  balancedAccuracy: 'balanced accuracy',
  precision: 'precision (macro)',
  recall: 'recall (macro)',
  f1: 'F1 (macro)',
  precisionMicro: 'precision (micro)',
  recallMicro: 'recall (micro)',
  f1Micro: 'F1 (micro)',
  precisionWeighted: 'precision (weighted)',
  recallWeighted: 'recall (weighted)',
  f1Weighted: 'F1 (weighted)',
  auc: 'ROC AUC',
  logLoss: 'log loss',
  r2: 'R²',
  mae: 'MAE',
  mse: 'MSE',
  rmse: 'RMSE',
  mape: 'MAPE',
};

export function isMetricName(name: string): name is MetricName {
  return (METRIC_NAMES as readonly string[]).includes(name);
}

export function metricLabel(name: MetricName): string {
  return LABELS[name];
}

/** Where the metric's values can lie: errors (lower is better) from 0 up, R² up to 1, the other scores in [0, 1]. */
export function metricRange(name: MetricName): { min?: number; max?: number } {
  if (metricDirection(name) === 'min') return { min: 0 };
  return name === 'r2' ? { max: 1 } : { min: 0, max: 1 };
}

export function betterWhen(name: MetricName): string {
  return metricDirection(name) === 'max' ? 'higher is better' : 'lower is better';
}
