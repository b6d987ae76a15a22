// The metrics of a CLI model on rows whose targets it has.
import type { Matrix } from '../matrix.js';
import type { Network } from '../network.js';
import type { Metrics } from './metrics.js';
import { classificationMetrics, regressionMetrics } from './metrics.js';
import type { CliModel } from './model-info.js';

export function measure(net: Network, model: CliModel, inputs: Matrix, targets: Int32Array | Matrix): Metrics {
  const outputs = net.predict(inputs);
  if (model.task === 'classification') return classificationMetrics(outputs, targets as Int32Array, model.classes!);
  return regressionMetrics(outputs, targets as Matrix);
}
