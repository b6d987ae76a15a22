// The figures evaluate prints, train reports and cv summarises, from the
// library's metrics over the whole set: for classification the accuracy,
// precision, recall and F1 of each class with their macro, micro and
// weighted averages, the confusion matrix, the ROC AUC and the log loss; for
// regression R², RMSE, MAE, MSE and MAPE in the target's unit.
import type { Matrix } from '../matrix.js';
import { matrix } from '../matrix.js';
import type { Inputs, Network } from '../network.js';
import { predictedIndices } from '../table/classes.js';
import type { Label } from '../table/label-order.js';
import { balancedAccuracy, classificationReport, confusionMatrix, mae, mape, mse, r2, rmse } from '../table/metrics.js';
import { measureOutputs } from '../table/network-metrics.js';
import { CliInputError } from './errors.js';
import { nameList, quoteName } from './text.js';

export interface Averages {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassificationFigures {
  task: 'classification';
  rows: number;
  loss: number;
  accuracy: number;
  balancedAccuracy: number;
  /** Each class's figures, in the model's order; support: its rows. */
  classes: ({ label: string; support: number } & Averages)[];
  macro: Averages;
  micro: Averages;
  weighted: Averages;
  /** NaN when the rows hold one class only. */
  auc: number;
  logLoss: number;
  /** counts[actual][predicted]. */
  confusion: { labels: string[]; counts: number[][] };
}

export interface RegressionFigures {
  task: 'regression';
  rows: number;
  loss: number;
  r2: number;
  rmse: number;
  mae: number;
  mse: number;
  mape: number;
}

export type Figures = ClassificationFigures | RegressionFigures;

/** Where a row's label is, for the error about a class the model does not know. */
export interface LabelPlace {
  file: string;
  target: string;
  lines: readonly number[];
  column: number;
}

/** Each label's class index among the model's classes; an unknown label is an error naming where. */
export function classIndices(labels: readonly Label[], classes: readonly Label[], place: LabelPlace): Int32Array {
  const index = new Map(classes.map((c, k) => [c, k]));
  // A model of deltaprop 0.2 names its classes as text.
  const text = classes.every((c) => typeof c === 'string');
  return Int32Array.from(labels, (label, r) => {
    const k = index.get(text ? String(label) : label);
    if (k === undefined)
      throw new CliInputError(
        place.file,
        `the target ${quoteName(place.target)} is ${quoteName(String(label))}, not one of the model's classes (${nameList(classes.map(String), 20, false)})`,
        place.lines[r],
        place.column,
      );
    return k;
  });
}

function oneHotRows(indices: Int32Array, classes: number, binary: boolean): Matrix {
  const T = matrix(indices.length, binary ? 1 : classes);
  indices.forEach((k, r) => {
    T.data[binary ? r : r * classes + k] = binary ? k : 1;
  });
  return T;
}

/** The figures of a classifier on rows whose classes (indices into `classes`) are known. */
export function classificationFigures(net: Network, inputs: Inputs, actual: Int32Array, classes: readonly Label[]): ClassificationFigures {
  const binary = net.loss === 'binary-cross-entropy';
  const outputs = net.predict(inputs);
  const predicted = Int32Array.from(predictedIndices(outputs, binary), (k) => k ?? -1);
  const indices = classes.map((_, k) => k);
  const report = classificationReport(actual, predicted, { labels: indices });
  const T = oneHotRows(actual, classes.length, binary);
  const scores = measureOutputs(['auc', 'logLoss'], outputs, T, binary, null);
  const confusion = confusionMatrix(actual, predicted, { labels: indices });
  const names = classes.map(String);
  const pick = (a: { precision: number; recall: number; f1: number }): Averages => ({ precision: a.precision, recall: a.recall, f1: a.f1 });
  return {
    task: 'classification',
    rows: actual.length,
    loss: net.evaluate(inputs, T).loss,
    accuracy: report.accuracy,
    balancedAccuracy: balancedAccuracy(actual, predicted),
    classes: names.map((label, k) => ({ label, precision: report.precision[k], recall: report.recall[k], f1: report.f1[k], support: report.support[k] })),
    macro: pick(report.macro),
    micro: pick(report.micro),
    weighted: pick(report.weighted),
    auc: scores.auc!,
    logLoss: scores.logLoss!,
    confusion: { labels: names, counts: confusion.counts },
  };
}

/** The figures of a regression on rows whose values are known (the model predicts in their unit). */
export function regressionFigures(net: Network, inputs: Inputs, values: Float64Array): RegressionFigures {
  const predicted = net.predict(inputs).data;
  return {
    task: 'regression',
    rows: values.length,
    loss: net.evaluate(inputs, values).loss,
    r2: r2(values, predicted),
    rmse: rmse(values, predicted),
    mae: mae(values, predicted),
    mse: mse(values, predicted),
    mape: mape(values, predicted),
  };
}
