// deltaprop train data.csv --target COLUMN …: reads the CSV, says which
// columns it uses and how (before training), builds a table network for the
// task (or, with --resume, continues a saved one with its optimizer state),
// trains it with progress, saves it (and, when asked, a report). Ctrl-C stops
// at the next minibatch and saves what was trained so far. A stdout closed
// by its reader (`| head`), or a terminal closed (a hangup), stops the
// output only: training goes on, and the model and report are saved.
import { performance } from 'node:perf_hooks';
import fs from 'node:fs';
import path from 'node:path';
import { DivergenceError } from '../errors.js';
import { AbortError } from '../training/abort-error.js';
import type { BatchProgress, History } from '../training/fit-options.js';
import type { Inputs } from '../network.js';
import { Network } from '../network.js';
import { trainingReport } from '../report/report.js';
import type { Label } from '../table/label-order.js';
import { describeColumns } from './columns.js';
import { CliInputError, CliWriteError, EXIT_INTERRUPTED } from './errors.js';
import type { LabelledData } from './labelled.js';
import { droppedNote, readLabelled, respelledNote } from './labelled.js';
import type { Figures } from './metrics.js';
import { classIndices, classificationFigures, regressionFigures } from './metrics.js';
import type { CliModel, CliRecord } from './model-info.js';
import { cliModel } from './model-info.js';
import { buildNetwork, defaultRate } from './model-settings.js';
import type { RunSettings } from './fit-run.js';
import { fitRun, splitOffValidation } from './fit-run.js';
import type { Output } from './output.js';
import { watchOf, writeErr, writeOut } from './output.js';
import { writeOrSay } from './paths.js';
import { progressFor } from './progress.js';
import { reportEvaluation, writeReport } from './report-figures.js';
import { placeError } from './table.js';
import type { Task } from './task.js';
import type { TargetScaling } from './target-scaling.js';
import { foldIntoOutput, scaleTargets, targetScalingOf, unfoldFromOutput } from './target-scaling.js';
import { cut, printable } from './text.js';

export type { Output } from './output.js';

export interface TrainSettings extends RunSettings {
  target: string;
  task?: Task;
  out: string;
  report?: string;
  json: boolean;
  features?: string[];
  ignore?: string[];
  categorical?: string[];
  delimiter?: string;
  /** A model file to continue training. */
  resume?: string;
  /** The settings given on the command line (not defaults): --resume keeps the model's for the others. */
  given: ReadonlySet<string>;
}

/** What training starts from: a new network, or the model --resume names. */
interface Start {
  net: Network;
  targetScaling: TargetScaling | null;
  resumed: boolean;
}

/** A note on stderr, one line (the data it quotes escaped). */
function say(io: Output, text: string | null): void {
  if (text !== null) writeErr(io, `deltaprop: ${printable(text)}\n`);
}

/** --resume's model, checked against the command: same target, a model of this CLI's kind. */
function resumedModel(file: string, s: TrainSettings): { net: Network; model: CliModel } {
  if (!fs.existsSync(file)) throw new CliInputError(file, 'no such file');
  const net = Network.load(file);
  const model = cliModel(file, net);
  if (!model.table) throw new CliInputError(file, 'was trained by deltaprop 0.2, whose models cannot go on training: train a new one');
  if (model.target !== s.target) throw new CliInputError(file, `predicts '${model.target}', not --target '${s.target}'`);
  if (s.task !== undefined && s.task !== model.task) throw new CliInputError(file, `is a ${model.task} model, not --task ${s.task}`);
  for (const flag of ['features', 'ignore', 'categorical', 'layers', 'activation', 'l2', 'dropout'] as const) {
    if (s.given.has(flag)) throw new CliInputError(file, `--${flag} shapes a new network; --resume continues this one as it is`);
  }
  return { net, model };
}

/** The flags a resumed run trains with: the model's own settings for whatever the command did not give. */
function resumedFlags(s: TrainSettings, model: CliModel): TrainSettings {
  const saved = model.settings;
  if (saved === null) return s;
  const pick = <K extends keyof TrainSettings>(key: K, value: TrainSettings[K]) => (s.given.has(key) ? s[key] : value);
  return {
    ...s,
    optimizer: pick('optimizer', saved.optimizer as TrainSettings['optimizer']),
    learningRate: pick('learningRate', saved.learningRate),
    batchSize: pick('batchSize', saved.batchSize),
    schedule: pick('schedule', saved.schedule),
  };
}

function startOf(data: LabelledData, s: TrainSettings, resumed: { net: Network; model: CliModel } | null): Start {
  if (resumed !== null) return { net: resumed.net, targetScaling: resumed.model.targetScaling, resumed: true };
  const targetScaling = data.task === 'regression' ? targetScalingOf(data.values!) : null;
  const record: CliRecord = {
    task: data.task,
    target: s.target,
    ...(s.categorical?.length ? { textColumns: s.categorical } : {}),
    ...(targetScaling ? { targetScaling } : {}),
    settings: { optimizer: s.optimizer, learningRate: s.learningRate ?? defaultRate(s.optimizer), batchSize: s.batchSize, ...(s.schedule ? { schedule: s.schedule } : {}) },
  };
  if (data.task === 'classification' && data.classes!.length < 2) {
    throw new CliInputError(data.shape.file, `the target column '${s.target}' holds one class only ('${data.classes![0]}'): nothing to classify`);
  }
  return { net: buildNetwork(s, data.task, data.plan!.inputs, data.classes, record), targetScaling, resumed: false };
}

export async function train(file: string, given: TrainSettings, io: Output): Promise<number> {
  // A hangup (the terminal closed, from the first note on): nothing is shown any more, and the model is still trained and saved, as under nohup.
  const hangUp = () => watchOf(io).hangUp();
  process.on('SIGHUP', hangUp);
  try {
    return await trainAndSave(file, given, io);
  } finally {
    process.removeListener('SIGHUP', hangUp);
  }
}

async function trainAndSave(file: string, given: TrainSettings, io: Output): Promise<number> {
  const resumed = given.resume === undefined ? null : resumedModel(given.resume, given);
  const s = resumed === null ? given : resumedFlags(given, resumed.model);
  const data = await readLabelled(file, {
    target: s.target,
    task: s.task ?? resumed?.model.task,
    delimiter: s.delimiter,
    flags: { features: s.features, ignore: s.ignore, categorical: s.categorical },
    ...(resumed ? { columns: resumed.model.columns, textColumns: resumed.model.textColumns } : {}),
  });
  const start = startOf(data, s, resumed);
  const { net } = start;
  const classification = data.task === 'classification';
  // The network's own labels: a resumed model's, which the file's labels must be among.
  const classes: Label[] | null = classification ? [...net.classes!] : null;
  if (classification) classIndices(data.labels!, classes!, { file, target: s.target, lines: data.lines, column: data.shape.targetColumn! });
  const targets = classification ? data.labels! : scaleTargets(data.values!, start.targetScaling!);
  const { training, validation } = splitOffValidation({ inputs: data.rows, targets, indices: Int32Array.from(data.rows, (_, i) => i) }, s);
  const lineOf = (indices: Int32Array) => Array.from(indices, (r) => data.lines[r]);

  say(io, droppedNote(file, s.target, data.dropped));
  say(io, respelledNote(data.respelled));
  try {
    if (!start.resumed) net.adapt(training.inputs as Inputs);
  } catch (e) {
    throw placeError(e, data.shape, lineOf(training.indices));
  }
  describeStart(io, data, net, s, start.resumed);
  if (s.json) writeOut(io, `${JSON.stringify({ schema: { task: data.task, target: s.target, columns: net.schema!.columns, ignored: data.plan?.ignored ?? [], classes } })}\n`);

  const trainRows = training.indices.length;
  const progress = progressFor({ epochs: s.epochs, minibatchesPerEpoch: Math.ceil(trainRows / Math.min(s.batchSize, trainRows)), io, json: s.json });
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  const started = performance.now();
  let epochStarted = started;
  let history: History;
  let interrupted: AbortError | null = null;
  if (start.resumed && start.targetScaling) unfoldFromOutput(net, start.targetScaling);
  try {
    history = await fitRun(net, training, validation, s, {
      signal: controller.signal,
      ...(progress.perBatch ? { onProgress: (b: BatchProgress) => progress.batch(b) } : {}),
      onEpoch: (info) => {
        const now = performance.now();
        progress.epoch(info, trainRows / ((now - epochStarted) / 1000));
        epochStarted = now;
        // A saturated layer (src/training/saturation.ts) stalls training without stopping it: say so, once, in the CLI's terms.
        for (const warning of info.warnings ?? [])
          writeErr(io, `deltaprop: warning after epoch ${info.epoch + 1}: ${warning.replace('start again with a smaller learning rate', 'train again with a smaller --learning-rate')}\n`);
      },
    });
  } catch (e) {
    if (e instanceof DivergenceError) throw diverged(file, e, s);
    if (!(e instanceof AbortError)) throw placeError(e, data.shape, lineOf(training.indices));
    interrupted = e;
    history = e.history;
  } finally {
    progress.stop();
    process.removeListener('SIGINT', interrupt);
    if (start.targetScaling) foldIntoOutput(net, start.targetScaling);
  }
  const seconds = (performance.now() - started) / 1000;
  writeOrSay('the model', s.out, () => net.save(s.out));

  const samplesPerSecond = (trainRows * history.epochs) / seconds;
  const held = validation?.indices ?? training.indices;
  const figures = history.epochs > 0 ? measureRows(net, data, held, classes) : null;
  let reportFailure: CliWriteError | null = null;
  if (s.report) {
    const evaluation = figures === null ? null : reportEvaluation(figures);
    const page = () =>
      trainingReport(net, history, {
        title: `${path.basename(file)}: predicting ${s.target}`,
        optimizer: s.optimizer,
        ...(evaluation !== null ? { evaluation } : {}),
        data: { rows: data.rows.length, columns: [...data.columns, s.target], inputs: net.inputs, outputs: net.outputs, validationRows: validation ? held.length : 0, source: file },
        timing: { seconds, samplesPerSecond },
      });
    try {
      writeReport('the report', s.report, page, `the model was saved in ${s.out}`);
    } catch (e) {
      if (!(e instanceof CliWriteError)) throw e;
      reportFailure = e;
    }
  }
  const summary = {
    model: s.out,
    report: s.report !== undefined && reportFailure === null ? s.report : null,
    task: data.task,
    rows: data.rows.length,
    trainRows,
    validationRows: validation ? held.length : 0,
    droppedRows: data.dropped.length,
    epochs: history.epochs,
    bestEpoch: history.bestEpoch === undefined || history.bestEpoch < 0 ? null : history.bestEpoch + 1,
    stoppedEpoch: history.stoppedEpoch == null ? null : history.stoppedEpoch + 1,
    seconds,
    samplesPerSecond: Math.round(samplesPerSecond),
    interrupted: interrupted !== null,
    metrics: figures,
    backend: net.backend,
    resumed: start.resumed,
  };
  if (s.json) writeOut(io, `${JSON.stringify({ summary })}\n`);
  else writeOut(io, describe(summary, validation !== null, interrupted));
  // The model is saved and the summary says so; the report's failure is the command's (exit status 1).
  if (reportFailure !== null) throw reportFailure;
  return interrupted ? EXIT_INTERRUPTED : 0;
}

/**
 * Training that diverged, as the CLI tells it: epochs and minibatches
 * counted from 1, what to change in its flags, and that no file was written
 * (the library rolled the network back; the CLI saves nothing then).
 */
function diverged(file: string, e: DivergenceError, s: TrainSettings): CliInputError {
  const at = `epoch ${e.epoch + 1}${e.minibatch === null ? '' : `, minibatch ${e.minibatch + 1}`}`;
  const change =
    e.argument === 'options.learningRate'
      ? `lower --learning-rate (it was ${s.learningRate ?? defaultRate(s.optimizer)}${s.schedule ? `, with --schedule ${s.schedule}` : ''})`
      : 'the inputs stay far from unit scale even after their scaling: check the data';
  const kept = fs.existsSync(s.out) ? `; ${s.out} is as it was` : '';
  return new CliInputError(file, `training diverged in ${at} (${e.reason}): ${change} and train again; nothing was saved${kept}`);
}

/** The model's figures on some of the rows (the validation rows, or all), in the target's unit. */
export function measureRows(net: Network, data: LabelledData, indices: Int32Array, classes: Label[] | null): Figures {
  const rows = Array.from(indices, (r) => data.rows[r]) as Inputs;
  if (classes === null)
    return regressionFigures(
      net,
      rows,
      Float64Array.from(indices, (r) => data.values![r]),
    );
  const place = { file: data.shape.file, target: '', lines: data.lines, column: data.shape.targetColumn! };
  return classificationFigures(
    net,
    rows,
    classIndices(
      Array.from(indices, (r) => data.labels![r]),
      classes,
      place,
    ),
    classes,
  );
}

/** What train tells before training: the rows, the task, and each column's kind (and why some are left out). */
function describeStart(io: Output, data: LabelledData, net: Network, s: TrainSettings, resumed: boolean): void {
  const task =
    data.task === 'classification'
      ? `classification into ${net.classes!.length} classes (${net
          .classes!.slice(0, 6)
          .map((c) => cut(String(c), 40))
          .join(', ')}${net.classes!.length > 6 ? ', …' : ''})`
      : 'regression';
  say(io, `${data.shape.file}: ${data.rows.length} rows; predicting '${s.target}': ${task}${resumed ? `; continuing ${s.resume}` : ''}`);
  writeErr(io, `deltaprop: columns:\n${describeColumns(net.schema!, data.missing, data.plan?.ignored ?? []).join('\n')}\n`);
}

function describe(
  s: { model: string; report: string | null; epochs: number; seconds: number; samplesPerSecond: number; metrics: Figures | null; stoppedEpoch: number | null; bestEpoch: number | null },
  validation: boolean,
  interrupted: AbortError | null,
): string {
  const lines: string[] = [];
  const model = printable(s.model);
  if (interrupted) lines.push(`interrupted after ${s.epochs} epochs (and ${interrupted.minibatches} minibatches of the next): the model trained so far is saved in ${model}`);
  else
    lines.push(
      `trained ${s.epochs} epochs in ${s.seconds.toFixed(1)} s (${s.samplesPerSecond} samples/s)${s.stoppedEpoch !== null ? `, stopped early; kept epoch ${s.bestEpoch}` : ''}: model saved in ${model}`,
    );
  const on = validation ? 'validation' : 'training';
  const m = s.metrics;
  if (m?.task === 'classification') lines.push(`${on} accuracy ${m.accuracy.toFixed(4)}, macro F1 ${m.macro.f1.toFixed(4)} on ${m.rows} rows`);
  if (m?.task === 'regression') lines.push(`${on} R² ${m.r2.toFixed(4)}, RMSE ${m.rmse.toPrecision(5)}, MAE ${m.mae.toPrecision(5)} on ${m.rows} rows`);
  if (s.report) lines.push(`report: ${printable(s.report)}`);
  return `${lines.join('\n')}\n`;
}
