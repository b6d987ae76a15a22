// Regression metrics as scikit-learn 1.2 defines them: r2_score,
// mean_absolute_error, mean_squared_error (squared or not) and
// mean_absolute_percentage_error, each computed per output and then averaged
// over the outputs with equal weights (multioutput='uniform_average').
import { DeltapropError } from '../../errors.js';
import type { Matrix } from '../../matrix.js';
import type { Values, WeightOptions } from './inputs.js';
import { checkRows, readOptions, readSampleWeight, readValues } from './inputs.js';
import { mean, Sums } from './sums.js';

const EPS = 2 ** -52;

function readRegression(yTrue: unknown, yPred: unknown, options: unknown): { T: Matrix; P: Matrix; weights: Float64Array } {
  const T = readValues('yTrue', yTrue);
  const P = readValues('yPred', yPred);
  checkRows('yPred', P.rows, T.rows, 'rows');
  if (P.cols !== T.cols) throw new DeltapropError('yPred', `expected ${T.cols} outputs per row (as yTrue), got ${P.cols}`);
  const o = readOptions(options, ['sampleWeight']);
  return { T, P, weights: readSampleWeight(o.sampleWeight, T.rows) };
}

/** Per output, the weighted mean over rows of loss(true, predicted). */
function meanLosses(T: Matrix, P: Matrix, weights: Float64Array, loss: (t: number, p: number) => number): number[] {
  const { rows, cols } = T;
  const sums = new Sums(cols + 1);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) sums.add(c, weights[r] * loss(T.data[r * cols + c], P.data[r * cols + c]));
    sums.add(cols, weights[r]);
  }
  const total = sums.get(cols);
  return Array.from({ length: cols }, (_, c) => sums.get(c) / total);
}

function averageLoss(loss: (t: number, p: number) => number, perOutput: (x: number) => number = (x) => x) {
  return (yTrue: Values, yPred: Values, options?: WeightOptions): number => {
    const { T, P, weights } = readRegression(yTrue, yPred, options);
    return mean(meanLosses(T, P, weights, loss).map(perOutput));
  };
}

const squared = (t: number, p: number) => (t - p) ** 2;

/** The mean absolute error. */
export const mae = averageLoss((t, p) => Math.abs(p - t));

/** The mean squared error. */
export const mse = averageLoss(squared);

/** The root of each output's mean squared error, averaged over the outputs (not the root of their average). */
export const rmse = averageLoss(squared, Math.sqrt);

/** The mean absolute percentage error, as a fraction; a true 0 divides by ε instead, as in scikit-learn. */
export const mape = averageLoss((t, p) => Math.abs(p - t) / Math.max(Math.abs(t), EPS));

/**
 * Per output, 1 − (squared error) / (squared deviation of yTrue from its
 * weighted mean). An output whose true values (of rows of positive weight)
 * are all equal scores 1 when predicted exactly and 0 otherwise
 * (scikit-learn's force_finite). That is decided on the values themselves:
 * their computed mean can miss them by an ulp.
 */
function r2Output(T: Matrix, P: Matrix, weights: Float64Array, c: number): number {
  const { rows, cols } = T;
  const sums = new Sums(3);
  let constant = true;
  let first: number | undefined;
  for (let r = 0; r < rows; r++) {
    const t = T.data[r * cols + c];
    sums.add(0, weights[r] * squared(t, P.data[r * cols + c]));
    sums.add(1, weights[r] * t);
    sums.add(2, weights[r]);
    if (weights[r] > 0) {
      first ??= t;
      constant &&= t === first;
    }
  }
  const residual = sums.get(0);
  if (residual === 0) return 1;
  if (constant) return 0;
  const center = sums.get(1) / sums.get(2);
  const deviation = new Sums();
  for (let r = 0; r < rows; r++) deviation.add(0, weights[r] * squared(T.data[r * cols + c], center));
  // Values a few ulps apart can square their deviations to 0: as constant, then.
  return deviation.get(0) === 0 ? 0 : 1 - residual / deviation.get(0);
}

/** The coefficient of determination, averaged over outputs. */
export function r2(yTrue: Values, yPred: Values, options?: WeightOptions): number {
  const { T, P, weights } = readRegression(yTrue, yPred, options);
  if (T.rows < 2) throw new DeltapropError('yTrue', 'expected at least 2 rows (r2 is undefined for one), got 1');
  return mean(Array.from({ length: T.cols }, (_, c) => r2Output(T, P, weights, c)));
}
