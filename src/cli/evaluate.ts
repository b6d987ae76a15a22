// deltaprop evaluate model.dpm data.csv: the model's figures on a CSV with the
// target column (rows whose target is missing left out): for classification
// the accuracy, each class's precision, recall and F1 with their macro and
// weighted averages, and the confusion matrix; for regression R², RMSE and
// MAE in the target's unit. --json gives every figure; --report writes them
// as an HTML page, a test-set section beside the model.
import path from 'node:path';
import type { Network } from '../network.js';
import { trainingReport } from '../report/report.js';
import { droppedNote, readLabelled } from './labelled.js';
import type { Figures } from './metrics.js';
import { classIndices, classificationFigures, regressionFigures } from './metrics.js';
import { cliModel } from './model-info.js';
import { networkRows } from './network-rows.js';
import { CliWriteError } from './errors.js';
import type { Output } from './output.js';
import { writeErr, writeOut } from './output.js';
import { reportEvaluation, writeReport } from './report-figures.js';
import { placeError } from './table.js';
import { printable } from './text.js';

export interface EvaluateSettings {
  json: boolean;
  report?: string;
  delimiter?: string;
}

export async function evaluate(net: Network, modelFile: string, file: string, s: EvaluateSettings, io: Output): Promise<number> {
  const model = cliModel(modelFile, net);
  const data = await readLabelled(file, { target: model.target, task: model.task, delimiter: s.delimiter, columns: model.columns, textColumns: model.textColumns });
  const note = droppedNote(file, model.target, data.dropped);
  if (note !== null) writeErr(io, `deltaprop: ${printable(note)}\n`);
  let figures: Figures;
  try {
    const inputs = networkRows(model, data.rows, data.shape, data.lines);
    const place = { file, target: model.target, lines: data.lines, column: data.shape.targetColumn! };
    figures = model.task === 'classification' ? classificationFigures(net, inputs, classIndices(data.labels!, model.classes!, place), model.classes!) : regressionFigures(net, inputs, data.values!);
  } catch (e) {
    throw placeError(e, data.shape, data.lines);
  }
  writeOut(io, s.json ? `${JSON.stringify(figures)}\n` : describeFigures(figures));
  if (s.report !== undefined) {
    const evaluation = reportEvaluation(figures);
    if (evaluation === null) {
      throw new CliWriteError(`${s.report}: not written: the model's loss on ${file} is not finite (a prediction overflows, from a huge value in a row?), and a report shows finite figures only`);
    }
    writeReport('the report', s.report, () =>
      trainingReport(net, null, {
        title: `${path.basename(modelFile)} on ${path.basename(file)}`,
        test: { ...evaluation, rows: figures.rows, source: file, ...(figures.task === 'classification' && figures.classes.every(finiteScores) ? { classes: figures.classes } : {}) },
      }),
    );
  }
  return 0;
}

const finiteScores = (c: { precision: number; recall: number; f1: number }) => [c.precision, c.recall, c.f1].every(Number.isFinite);

const f4 = (x: number) => (Number.isNaN(x) ? '-' : x.toFixed(4));

/** The figures as a person reads them. */
export function describeFigures(m: Figures): string {
  const lines = [`rows ${m.rows}`, `loss ${m.loss.toPrecision(6)}`];
  if (m.task === 'regression') {
    lines.push(`R² ${m.r2.toFixed(4)}`, `RMSE ${m.rmse.toPrecision(6)}`, `MAE ${m.mae.toPrecision(6)}`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(`accuracy ${f4(m.accuracy)}`, `balanced accuracy ${f4(m.balancedAccuracy)}`);
  if (!Number.isNaN(m.auc)) lines.push(`ROC AUC ${f4(m.auc)}`);
  // Labels as a person reads them: control characters escaped, so a label cannot move the cursor or colour the terminal.
  const shown = (label: string) => printable(label);
  const width = Math.max(12, ...m.classes.map((c) => shown(c.label).length));
  const row = (name: string, cells: string[]) => [name.padEnd(width), ...cells.map((c) => c.padStart(9))].join(' ');
  lines.push('', row('class', ['precision', 'recall', 'F1', 'support']));
  for (const c of m.classes) lines.push(row(shown(c.label), [f4(c.precision), f4(c.recall), f4(c.f1), String(Number(c.support.toPrecision(12)))]));
  lines.push(row('macro avg', [f4(m.macro.precision), f4(m.macro.recall), f4(m.macro.f1), String(m.rows)]));
  lines.push(row('weighted avg', [f4(m.weighted.precision), f4(m.weighted.recall), f4(m.weighted.f1), String(m.rows)]));
  lines.push('', 'confusion matrix (rows: actual, columns: predicted)');
  const { labels, counts } = m.confusion;
  const names = labels.map(shown);
  const cell = Math.max(6, ...names.map((l) => l.length), ...counts.flat().map((c) => String(c).length));
  const pad = (text: string) => text.padStart(cell);
  lines.push([pad(''), ...names.map(pad)].join(' '));
  counts.forEach((r, i) => lines.push([pad(names[i]), ...r.map((c) => pad(String(c)))].join(' ')));
  return `${lines.join('\n')}\n`;
}
