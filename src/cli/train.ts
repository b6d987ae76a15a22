// deltaprop train data.csv --target COLUMN …: reads the CSV, builds a network
// for the task, trains it with progress, saves it (and, when asked, a report).
// Ctrl-C stops at the next minibatch and saves what was trained so far.
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { Activation } from '../activations.js';
import { AbortError } from '../errors.js';
import type { History } from '../fit-options.js';
import { trainTestSplit } from '../table/splits.js';
import { matrix } from '../matrix.js';
import type { Matrix } from '../matrix.js';
import { Network } from '../network.js';
import type { OptimizerName } from '../optimizers.js';
import { trainingReport } from '../report.js';
import { RowData } from '../rows.js';
import { computeScaling } from '../scaling.js';
import { CliInputError, EXIT_INTERRUPTED } from './errors.js';
import type { CliModel } from './model-info.js';
import type { Measured } from './measure.js';
import { measure } from './measure.js';
import { progressFor } from './progress.js';
import { readTable } from './table.js';
import type { Task } from './task.js';
import { classNames, detectTask, labelsOf, valuesOf } from './task.js';

export interface TrainSettings {
  target: string;
  task?: Task;
  layers: number[];
  activation: Activation;
  optimizer: OptimizerName;
  learningRate?: number;
  epochs: number;
  batchSize: number;
  validationSplit: number;
  /** Patience in epochs; 0: no early stopping. */
  earlyStopping: number;
  seed: number;
  out: string;
  report?: string;
  json: boolean;
}

export interface Output {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
}

/** Adam-like optimizers want a smaller step than SGD's default. */
const defaultRate = (optimizer: OptimizerName) => (optimizer === 'sgd' ? 0.01 : 0.001);

interface Prepared {
  net: Network;
  model: CliModel;
  inputs: Matrix;
  targets: Int32Array | Matrix;
  /** Regression: the target's mean and deviation, trained on as (t − shift) / spread. */
  targetScaling: { shift: number; spread: number } | null;
  rows: number;
  ignored: string[];
}

async function prepare(file: string, s: TrainSettings): Promise<Prepared> {
  const table = await readTable(file, { target: s.target });
  const cells = table.targets!;
  const task = s.task ?? detectTask(cells);
  const where = { file, name: s.target, column: table.targetColumn!, lines: table.lines };
  const inputs = matrix(table.rows, table.features.length, table.inputs);
  const hidden = s.layers.map((units) => ({ units, activation: s.activation }));
  const base = { inputs: table.features.length, seed: s.seed, inputScaling: 'standard' as const };
  if (task === 'classification') {
    const classes = classNames(cells);
    if (classes.length < 2) throw new CliInputError(file, `the target column '${s.target}' holds one class only ('${classes[0]}'): nothing to classify`);
    const model: CliModel = { task, target: s.target, features: table.features, classes };
    const net = new Network({ ...base, layers: [...hidden, { units: classes.length, activation: 'softmax' }], loss: 'cross-entropy', metadata: { cli: { ...model } } });
    return { net, model, inputs, targets: labelsOf(where, cells, classes), targetScaling: null, rows: table.rows, ignored: table.ignored };
  }
  const values = valuesOf(where, cells);
  // Trained on the standardised target (a well-scaled loss for any unit), by
  // the statistics inputScaling 'standard' uses; the output layer takes the
  // scale back after training.
  const { shift: [shift], spread: [spread] } = computeScaling('standard', RowData.of(values, 'targets', 1, 'a target'));
  const scaled = matrix(values.rows, 1, values.data.map((t) => (t - shift) / spread));
  const model: CliModel = { task, target: s.target, features: table.features };
  const net = new Network({ ...base, layers: [...hidden, { units: 1, activation: 'identity' }], loss: 'mse', metadata: { cli: { ...model } } });
  return { net, model, inputs, targets: scaled, targetScaling: { shift, spread }, rows: table.rows, ignored: table.ignored };
}

/** y = spread·(W a + b) + shift, folded into the identity output layer so the model predicts in the target's unit. */
function unscaleOutput(net: Network, { shift, spread }: { shift: number; spread: number }): void {
  const last = net.layers[net.layers.length - 1];
  for (let i = 0; i < last.weights.data.length; i++) last.weights.data[i] *= spread;
  last.biases![0] = last.biases![0] * spread + shift;
}

export async function train(file: string, s: TrainSettings, io: Output): Promise<number> {
  const p = await prepare(file, s);
  const { net } = p;
  for (const name of p.ignored) io.stderr.write(`deltaprop: ignoring column '${name}' of ${file} (its first value is not a number)\n`);
  const split = s.validationSplit > 0 && p.rows >= 2 ? trainTestSplit(p.inputs, p.targets, { testFraction: s.validationSplit, seed: s.seed }) : null;
  const training = split ? split.train : { inputs: p.inputs, targets: p.targets };
  const trainRows = training.inputs.rows;
  const progress = progressFor({ epochs: s.epochs, minibatchesPerEpoch: Math.ceil(trainRows / Math.min(s.batchSize, trainRows)), out: io.stdout, json: s.json });

  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  const started = performance.now();
  let epochStarted = started;
  let history: History;
  let interrupted: AbortError | null = null;
  const optimizer = s.optimizer;
  try {
    history = await net.fit(training.inputs, training.targets, {
      epochs: s.epochs, batchSize: s.batchSize, optimizer, learningRate: s.learningRate ?? defaultRate(optimizer),
      ...(split ? { validation: split.test } : {}),
      ...(split && s.earlyStopping > 0 ? { earlyStopping: { patience: s.earlyStopping, monitor: 'validationLoss' as const, restoreBest: true } } : {}),
      signal: controller.signal,
      onProgress: (b) => progress.batch(b),
      onEpoch: (info) => {
        const now = performance.now();
        progress.epoch(info, trainRows / ((now - epochStarted) / 1000));
        epochStarted = now;
      },
    });
  } catch (e) {
    if (!(e instanceof AbortError)) throw e;
    interrupted = e;
    history = e.history;
  } finally {
    progress.stop();
    process.removeListener('SIGINT', interrupt);
  }
  const seconds = (performance.now() - started) / 1000;
  if (p.targetScaling) unscaleOutput(net, p.targetScaling);
  net.save(s.out);

  const samplesPerSecond = (trainRows * history.epochs) / seconds;
  const held = heldOut(split ? split.test : { inputs: p.inputs, targets: p.targets }, p.targetScaling);
  const metrics = history.epochs > 0 ? measure(net, p.model, held.inputs, held.targets) : null;
  if (s.report) {
    fs.writeFileSync(s.report, trainingReport(net, history, {
      title: `${path.basename(file)}: predicting ${p.model.target}`,
      optimizer,
      ...(metrics ? { evaluation: reportEvaluation(metrics) } : {}),
      data: { rows: p.rows, columns: [...p.model.features, p.model.target], inputs: net.inputs, outputs: net.outputs, validationRows: split ? split.test.inputs.rows : 0, source: file },
      timing: { seconds, samplesPerSecond },
    }));
  }
  const summary = {
    model: s.out, report: s.report ?? null, task: p.model.task, rows: p.rows, trainRows, validationRows: split ? split.test.inputs.rows : 0,
    epochs: history.epochs, bestEpoch: history.bestEpoch ?? null, stoppedEpoch: history.stoppedEpoch ?? null,
    seconds, samplesPerSecond: Math.round(samplesPerSecond), interrupted: interrupted !== null, metrics, backend: net.backend,
  };
  if (s.json) io.stdout.write(`${JSON.stringify({ summary })}\n`);
  else io.stdout.write(describe(summary, split !== null, interrupted));
  return interrupted ? EXIT_INTERRUPTED : 0;
}

/** The rows the metrics are measured on, with a regression's targets back in their unit (as the model now predicts). */
function heldOut(rows: { inputs: Matrix; targets: Int32Array | Matrix }, scaling: { shift: number; spread: number } | null) {
  if (scaling === null) return rows;
  const t = rows.targets as Matrix;
  return { inputs: rows.inputs, targets: matrix(t.rows, 1, t.data.map((x) => x * scaling.spread + scaling.shift)) };
}

function reportEvaluation(m: Measured) {
  if (m.task === 'classification') return { loss: m.loss, accuracy: m.accuracy, confusion: m.confusion };
  return { loss: m.loss, metrics: { rmse: m.rmse, mae: m.mae, r2: m.r2 } };
}

function describe(s: { model: string; report: string | null; epochs: number; seconds: number; samplesPerSecond: number; metrics: Measured | null; stoppedEpoch: number | null }, validation: boolean, interrupted: AbortError | null): string {
  const lines: string[] = [];
  if (interrupted) lines.push(`interrupted after ${s.epochs} epochs (and ${interrupted.minibatches} minibatches of the next): the model trained so far is saved in ${s.model}`);
  else lines.push(`trained ${s.epochs} epochs in ${s.seconds.toFixed(1)} s (${s.samplesPerSecond} samples/s)${s.stoppedEpoch !== null ? ', stopped early' : ''}: model saved in ${s.model}`);
  const on = validation ? 'validation' : 'training';
  if (s.metrics?.task === 'classification') lines.push(`${on} accuracy ${s.metrics.accuracy.toFixed(4)} on ${s.metrics.rows} rows`);
  if (s.metrics?.task === 'regression') lines.push(`${on} RMSE ${s.metrics.rmse.toPrecision(5)}, MAE ${s.metrics.mae.toPrecision(5)}, R² ${s.metrics.r2.toFixed(4)} on ${s.metrics.rows} rows`);
  if (s.report) lines.push(`report: ${s.report}`);
  return `${lines.join('\n')}\n`;
}
