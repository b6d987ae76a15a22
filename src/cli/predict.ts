// deltaprop predict model.dpm data.csv > out.csv: streams rows in and
// predictions out, a block of rows at a time: the class (with --proba each
// class's probability too) or the value, as CSV, or with --json one JSON
// object a row (JSON Lines).
import type { Network } from '../network.js';
import { classProbabilities, predictedIndices } from '../table/classes.js';
import { cliModel } from './model-info.js';
import { networkRows } from './network-rows.js';
import type { Output } from './output.js';
import { drained, watchOf, writeOut } from './output.js';
import { TableReader, placeError } from './table.js';
import { printable } from './text.js';

const BLOCK_ROWS = 4096;

export interface PredictSettings {
  json: boolean;
  proba: boolean;
  delimiter?: string;
}

/** A CSV field, quoted when it needs to be. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Predictions as CSV (or JSON Lines) on stdout, a block of rows at a time.
 * On a terminal, the CSV's text fields (the header's column and class names,
 * the labels) are shown with their control characters escaped, so a label
 * cannot colour or move the terminal; to a file or a pipe they are written
 * as they are (quoted per RFC 4180). A stdout closed by its reader stops the
 * reading of the CSV: exit status 141.
 */
export async function predict(net: Network, modelFile: string, file: string, s: PredictSettings, io: Output): Promise<number> {
  const model = cliModel(modelFile, net);
  const watch = watchOf(io);
  const field = io.stdout.isTTY === true ? (text: string) => csvField(printable(text)) : csvField;
  const reader = new TableReader(file, { columns: model.columns, textColumns: model.textColumns, delimiter: s.delimiter });
  const classes = model.task === 'classification' ? model.classes!.map(String) : null;
  const binary = net.loss === 'binary-cross-entropy';
  if (!s.json) {
    const header = [model.target, ...(classes && s.proba ? classes.map((c) => `P(${c})`) : [])];
    writeOut(io, `${header.map(field).join(',')}\n`);
  }
  for await (const block of reader.blocks(BLOCK_ROWS)) {
    // Leaving the loop stops reading the file (the reader closes it); run() makes the exit status 141 (or 1 for a failed write).
    if (watch.stdoutGone) break;
    let outputs;
    try {
      outputs = net.predict(networkRows(model, block.cells, reader.shape!, block.lines));
    } catch (e) {
      throw placeError(e, reader.shape!, block.lines);
    }
    const lines: string[] = [];
    if (classes === null) {
      for (let r = 0; r < block.rows; r++) lines.push(s.json ? JSON.stringify({ [model.target]: outputs.data[r] }) : String(outputs.data[r]));
    } else {
      const predicted = predictedIndices(outputs, binary);
      const P = classProbabilities(outputs, binary);
      for (let r = 0; r < block.rows; r++) {
        // A row whose outputs are not all finite has no class: null in JSON, an empty field in CSV.
        const label = predicted[r] === null ? null : model.classes![predicted[r]!];
        const p = Array.from(P.data.subarray(r * P.cols, (r + 1) * P.cols));
        if (s.json) lines.push(JSON.stringify({ [model.target]: label, ...(s.proba ? { probabilities: Object.fromEntries(classes.map((c, k) => [c, p[k]])) } : {}) }));
        else lines.push([label === null ? '' : field(String(label)), ...(s.proba ? p.map(String) : [])].join(','));
      }
    }
    // Backpressure: a slow reader of stdout must not make the rows pile up in memory.
    if (!watch.stdoutGone && !io.stdout.write(`${lines.join('\n')}\n`)) await drained(io);
  }
  return 0;
}
