// deltaprop cv data.csv --target COLUMN --folds 5: k-fold cross-validation of
// the network train would build, with train's flags. Each fold trains a new
// network on the other folds' rows exactly as train does (its own columns'
// statistics, target scaling, validation split and early stopping) and is
// measured on its own rows; then each figure's mean ± standard deviation.
// The folds train at once (Network.fitMany), then print in order. A stdout
// closed by its reader stops the folds (even within a fit).
import { Network } from '../network.js';
import type { Label } from '../table/label-order.js';
import { summariseFolds } from '../table/cross-validate.js';
import { kFold } from '../table/splits.js';
import { CliInputError } from './errors.js';
import type { Part, RunSettings } from './fit-run.js';
import { fitTask, splitOffValidation } from './fit-run.js';
import type { LabelledData } from './labelled.js';
import { droppedNote, readLabelled, respelledNote } from './labelled.js';
import type { Figures } from './metrics.js';
import { buildNetwork, defaultRate } from './model-settings.js';
import { placeError } from './table.js';
import type { Task } from './task.js';
import type { TargetScaling } from './target-scaling.js';
import { foldIntoOutput, scaleTargets, targetScalingOf } from './target-scaling.js';
import type { Output } from './output.js';
import { watchOf, writeErr, writeOut } from './output.js';
import { printable } from './text.js';
import { measureRows } from './train.js';

export interface CvSettings extends RunSettings {
  target: string;
  task?: Task;
  folds: number;
  json: boolean;
  features?: string[];
  ignore?: string[];
  categorical?: string[];
  delimiter?: string;
}

/** The figures cv summarises, by task: those a person compares models by. */
function headline(f: Figures): Record<string, number> {
  if (f.task === 'regression') return { r2: f.r2, rmse: f.rmse, mae: f.mae };
  return { accuracy: f.accuracy, balancedAccuracy: f.balancedAccuracy, f1: f.macro.f1, ...(Number.isNaN(f.auc) ? {} : { auc: f.auc }), logLoss: f.logLoss };
}

/** One fold's network and fit, ready to train: train's network on the other folds' rows, as train builds it. */
interface Fold {
  net: Network;
  training: Part;
  validation: Part | null;
  scaling: TargetScaling | null;
}

function prepareFold(data: LabelledData, s: CvSettings, train: Int32Array): Fold {
  const rows = Array.from(train, (r) => data.rows[r]);
  const classification = data.task === 'classification';
  const scaling = classification ? null : targetScalingOf(Float64Array.from(train, (r) => data.values![r]));
  const targets = classification
    ? Array.from(train, (r) => data.labels![r])
    : scaleTargets(
        Float64Array.from(train, (r) => data.values![r]),
        scaling!,
      );
  const record = {
    task: data.task,
    target: s.target,
    ...(scaling ? { targetScaling: scaling } : {}),
    settings: { optimizer: s.optimizer, learningRate: s.learningRate ?? defaultRate(s.optimizer), batchSize: s.batchSize },
  };
  const net = buildNetwork(s, data.task, data.plan!.inputs, data.classes as Label[] | null, record);
  const { training, validation } = splitOffValidation({ inputs: rows, targets, indices: train }, s);
  try {
    net.adapt(training.inputs);
  } catch (e) {
    throw placeError(e, data.shape, linesOf(data, training.indices));
  }
  return { net, training, validation, scaling };
}

const linesOf = (data: LabelledData, indices: Int32Array): number[] => Array.from(indices, (r) => data.lines[r]);

export async function cv(file: string, s: CvSettings, io: Output): Promise<number> {
  const data = await readLabelled(file, { target: s.target, task: s.task, delimiter: s.delimiter, flags: { features: s.features, ignore: s.ignore, categorical: s.categorical } });
  for (const note of [droppedNote(file, s.target, data.dropped), respelledNote(data.respelled)]) if (note !== null) writeErr(io, `deltaprop: ${printable(note)}\n`);
  if (s.folds > data.rows.length) throw new CliInputError(file, `has ${data.rows.length} rows, fewer than --folds ${s.folds}`);
  const classification = data.task === 'classification';
  if (classification && data.classes!.length < 2) throw new CliInputError(file, `the target column '${s.target}' holds one class only: nothing to classify`);
  const folds = kFold(data.rows.length, s.folds, { seed: s.seed, ...(classification ? { stratify: data.labels! } : {}) });
  const results: { metrics: Record<string, number> }[] = [];
  const watch = watchOf(io);
  // Every fold trains at once (Network.fitMany: a fold to a thread), each as train would alone.
  const prepared = folds.map(({ train }) => prepareFold(data, s, train));
  const outcomes = await Network.fitMany(prepared.map((f) => fitTask(f.net, f.training, f.validation, s, { signal: watch.stdoutSignal })));
  for (const [fold, { test }] of folds.entries()) {
    const outcome = outcomes[fold];
    // Nobody reads the figures any more: run() makes the exit status 141 (or 1 for a failed write).
    if (watch.stdoutGone) return 0;
    if (outcome.status === 'rejected') throw placeError(outcome.reason, data.shape, linesOf(data, prepared[fold].training.indices));
    const { net, scaling } = prepared[fold];
    if (scaling) foldIntoOutput(net, scaling);
    const figures = measureRows(net, data, test, data.classes);
    results.push({ metrics: { loss: figures.loss, ...headline(figures) } });
    if (s.json) writeOut(io, `${JSON.stringify({ fold: fold + 1, trainRows: folds[fold].train.length, testRows: test.length, figures })}\n`);
    else
      writeOut(
        io,
        `fold ${fold + 1}/${s.folds}: ${Object.entries(headline(figures))
          .map(([k, v]) => `${k} ${v.toFixed(4)}`)
          .join(', ')} (${test.length} rows)\n`,
      );
  }
  const { mean, std } = summariseFolds(results);
  if (s.json) writeOut(io, `${JSON.stringify({ summary: { task: data.task, folds: s.folds, rows: data.rows.length, mean, std } })}\n`);
  else
    writeOut(
      io,
      `${data.task}, ${s.folds} folds of ${data.rows.length} rows: ${Object.keys(mean)
        .filter((k) => k !== 'loss')
        .map((k) => `${k} ${mean[k].toFixed(4)} ± ${std[k].toFixed(4)}`)
        .join(', ')}\n`,
    );
  return 0;
}
