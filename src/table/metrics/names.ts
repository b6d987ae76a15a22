// The metrics fit can watch, by name: which way is better, and what each
// needs from the network (predicted labels, probabilities, or values).
import { checkOneOf } from '../../validate.js';

export const METRIC_NAMES = [
  'accuracy',
  'balancedAccuracy',
  'precision',
  'recall',
  'f1',
  'precisionMicro',
  'recallMicro',
  'f1Micro',
  'precisionWeighted',
  'recallWeighted',
  'f1Weighted',
  'auc',
  'logLoss',
  'r2',
  'mae',
  'mse',
  'rmse',
  'mape',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

/** 'labels': computed from predicted labels; 'scores': from probabilities; 'regression': from predicted values. */
export type MetricKind = 'labels' | 'scores' | 'regression';

/** 'max' when a larger value is better, 'min' when a smaller one is. */
export type MetricDirection = 'max' | 'min';

const LOSSES: readonly MetricName[] = ['logLoss', 'mae', 'mse', 'rmse', 'mape'];
const SCORES: readonly MetricName[] = ['auc', 'logLoss'];
const REGRESSION: readonly MetricName[] = ['r2', 'mae', 'mse', 'rmse', 'mape'];

export function metricDirection(name: MetricName): MetricDirection {
  return LOSSES.includes(checkOneOf('name', name, METRIC_NAMES)) ? 'min' : 'max';
}

export function metricKind(name: MetricName): MetricKind {
  const metric = checkOneOf('name', name, METRIC_NAMES);
  if (SCORES.includes(metric)) return 'scores';
  return REGRESSION.includes(metric) ? 'regression' : 'labels';
}
