// Metrics of predictions against the truth, each equal to scikit-learn 1.2's
// (to 1e-12, test/metrics.test.ts), computed over the whole set at once.
// One file per family under metrics/; this module is their public face.
export type { LabelArray, SampleWeight, Values, WeightOptions } from './metrics/inputs.js';
export type { ConfusionMatrix, ConfusionMatrixOptions } from './metrics/classification.js';
export { accuracy, balancedAccuracy, confusionMatrix } from './metrics/classification.js';
export type { Average, ClassificationReport, LabelMetric, PrecisionRecallOptions, ReportOptions, Scores } from './metrics/precision-recall.js';
export { classificationReport, f1, precision, recall } from './metrics/precision-recall.js';
export type { RocAucOptions } from './metrics/roc-auc.js';
export { rocAuc } from './metrics/roc-auc.js';
export type { LogLossOptions } from './metrics/log-loss.js';
export { logLoss } from './metrics/log-loss.js';
export { mae, mape, mse, r2, rmse } from './metrics/regression.js';
export type { MetricDirection, MetricKind, MetricName } from './metrics/names.js';
export { METRIC_NAMES, metricDirection, metricKind } from './metrics/names.js';
