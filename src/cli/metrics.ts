// The figures evaluate prints and the report shows: for classification,
// accuracy, loss and the confusion matrix; for regression, RMSE, MAE, R² and
// the loss. Computed from predict, in blocks, so memory stays bounded.
import type { Matrix } from '../matrix.js';

export interface ClassificationMetrics {
  task: 'classification';
  rows: number;
  accuracy: number;
  /** counts[actual][predicted]. */
  confusion: { labels: string[]; counts: number[][] };
}

export interface RegressionMetrics {
  task: 'regression';
  rows: number;
  rmse: number;
  mae: number;
  r2: number;
}

export type Metrics = ClassificationMetrics | RegressionMetrics;

/** The index of each row's largest output (the first of equals); a row with a non-finite output counts as none (-1). */
export function predictedClasses(outputs: Matrix): Int32Array {
  const classes = new Int32Array(outputs.rows);
  for (let r = 0; r < outputs.rows; r++) {
    let best = -1;
    for (let j = 0; j < outputs.cols; j++) {
      const y = outputs.data[r * outputs.cols + j];
      if (!Number.isFinite(y)) {
        best = -1;
        break;
      }
      if (best < 0 || y > outputs.data[r * outputs.cols + best]) best = j;
    }
    classes[r] = best;
  }
  return classes;
}

export function classificationMetrics(outputs: Matrix, labels: Int32Array, names: string[]): ClassificationMetrics {
  const counts = names.map(() => names.map(() => 0));
  const predicted = predictedClasses(outputs);
  let correct = 0;
  labels.forEach((actual, r) => {
    if (predicted[r] === actual) correct++;
    if (predicted[r] >= 0) counts[actual][predicted[r]]++;
  });
  return { task: 'classification', rows: labels.length, accuracy: correct / labels.length, confusion: { labels: names, counts } };
}

export function regressionMetrics(outputs: Matrix, targets: Matrix): RegressionMetrics {
  const n = targets.rows;
  let mean = 0;
  for (let r = 0; r < n; r++) mean += targets.data[r] / n;
  let squares = 0;
  let absolute = 0;
  let spread = 0;
  for (let r = 0; r < n; r++) {
    const error = outputs.data[r] - targets.data[r];
    squares += error * error;
    absolute += Math.abs(error);
    spread += (targets.data[r] - mean) ** 2;
  }
  return { task: 'regression', rows: n, rmse: Math.sqrt(squares / n), mae: absolute / n, r2: spread > 0 ? 1 - squares / spread : NaN };
}
