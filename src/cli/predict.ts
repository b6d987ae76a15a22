// deltaprop predict model.dpm data.csv > out.csv: streams rows in and
// predictions out, a block of rows at a time: for classification the class
// name and each class's probability, for regression the value.
import { once } from 'node:events';
import { matrix } from '../matrix.js';
import type { Network } from '../network.js';
import type { Output } from './train.js';
import { predictedClasses } from './metrics.js';
import { cliModel } from './model-info.js';
import { TableReader } from './table.js';

const BLOCK_ROWS = 4096;

/** A CSV field, quoted when it needs to be. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function predict(net: Network, modelFile: string, file: string, io: Output): Promise<number> {
  const model = cliModel(modelFile, net);
  const reader = new TableReader(file, { features: model.features });
  const classes = model.task === 'classification' ? model.classes! : null;
  const header = classes ? [model.target, ...classes.map((c) => `P(${c})`)] : [model.target];
  io.stdout.write(`${header.map(csvField).join(',')}\n`);
  for await (const block of reader.blocks(BLOCK_ROWS)) {
    const outputs = net.predict(matrix(block.rows, model.features.length, block.inputs));
    const predicted = classes ? predictedClasses(outputs) : null;
    const lines: string[] = [];
    for (let r = 0; r < block.rows; r++) {
      const row = Array.from(outputs.data.subarray(r * outputs.cols, (r + 1) * outputs.cols), String);
      // A row whose outputs are not all finite has no class: its field is left empty.
      lines.push(predicted ? [predicted[r] < 0 ? '' : csvField(classes![predicted[r]]), ...row].join(',') : row[0]);
    }
    // Backpressure: a slow reader of stdout must not make the rows pile up in memory.
    if (!io.stdout.write(`${lines.join('\n')}\n`)) await once(io.stdout, 'drain');
  }
  return 0;
}
