// The loss and metrics of a CLI model on rows whose targets it has.
import type { Matrix } from '../matrix.js';
import type { Network } from '../network.js';
import type { Metrics } from './metrics.js';
import { classificationMetrics, regressionMetrics } from './metrics.js';
import type { CliModel } from './model-info.js';

export type Measured = { loss: number } & Metrics;

export function measure(net: Network, model: CliModel, inputs: Matrix, targets: Int32Array | Matrix): Measured {
  const outputs = net.predict(inputs);
  const metrics = model.task === 'classification' ? classificationMetrics(outputs, targets as Int32Array, model.classes!) : regressionMetrics(outputs, targets as Matrix);
  return { loss: net.evaluate(inputs, targets).loss, ...metrics };
}
