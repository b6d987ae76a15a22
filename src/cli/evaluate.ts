// deltaprop evaluate model.dpm data.csv: the model's metrics on a CSV with
// the target column, and the confusion matrix for classification.
import { matrix } from '../matrix.js';
import type { Network } from '../network.js';
import type { Output } from './train.js';
import type { Measured } from './measure.js';
import { measure } from './measure.js';
import { cliModel } from './model-info.js';
import { readTable } from './table.js';
import { labelsOf, valuesOf } from './task.js';

export async function evaluate(net: Network, modelFile: string, file: string, json: boolean, io: Output): Promise<number> {
  const model = cliModel(modelFile, net);
  const table = await readTable(file, { target: model.target, features: model.features });
  const where = { file, name: model.target, column: table.targetColumn!, lines: table.lines };
  const inputs = matrix(table.rows, table.features.length, table.inputs);
  const targets = model.task === 'classification' ? labelsOf(where, table.targets!, model.classes!) : valuesOf(where, table.targets!);
  const measured = measure(net, model, inputs, targets);
  io.stdout.write(json ? `${JSON.stringify(measured)}\n` : describeMetrics(measured));
  return 0;
}

function describeMetrics(m: Measured): string {
  const lines = [`rows ${m.rows}`, `loss ${m.loss.toPrecision(6)}`];
  if (m.task === 'regression') {
    lines.push(`RMSE ${m.rmse.toPrecision(6)}`, `MAE ${m.mae.toPrecision(6)}`, `R² ${m.r2.toFixed(4)}`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(`accuracy ${m.accuracy.toFixed(4)}`, '', 'confusion matrix (rows: actual, columns: predicted)');
  const { labels, counts } = m.confusion;
  const width = Math.max(6, ...labels.map((l) => l.length), ...counts.flat().map((c) => String(c).length));
  const pad = (text: string) => text.padStart(width);
  lines.push([pad(''), ...labels.map(pad)].join(' '));
  counts.forEach((row, i) => lines.push([pad(labels[i]), ...row.map((c) => pad(String(c)))].join(' ')));
  return `${lines.join('\n')}\n`;
}
