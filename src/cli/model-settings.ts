// The network and the fit options train and cv build from their flags: the
// hidden layers (with --dropout), the output and loss of the task, input
// scaling, --l2, the optimizer and its learning rate or --schedule.
import type { Activation } from '../activations.js';
import type { FitOptions } from '../training/fit-options.js';
import type { LayerOptions } from '../options.js';
import type { OptimizerName } from '../optimizers.js';
import type { LearningRate } from '../training/schedules.js';
import type { ColumnOptions } from '../table/columns.js';
import type { Label } from '../table/label-order.js';
import type { MetricName } from '../table/metrics.js';
import { InvalidArgumentError } from 'commander';
import { Network } from '../network.js';
import type { CliRecord } from './model-info.js';
import type { Task } from './task.js';

/** The flags that shape the network and its training, shared by train and cv. */
export interface ModelFlags {
  layers: number[];
  activation: Activation;
  optimizer: OptimizerName;
  learningRate?: number;
  epochs: number;
  batchSize: number;
  seed: number;
  l2?: number;
  dropout?: number;
  schedule?: string;
  classWeight?: 'balanced';
  metrics?: MetricName[];
}

/** Adam-like optimizers want a smaller step than SGD's default. */
export const defaultRate = (optimizer: OptimizerName): number => (optimizer === 'sgd' ? 0.01 : 0.001);

/**
 * --schedule: 'cosine' (down to 0 over --epochs), 'exponential:GAMMA',
 * 'step:GAMMA:EVERY' or 'plateau' (a tenth after 10 epochs without a better
 * validation loss, or training loss without validation), starting from the
 * learning rate.
 */
export function parseSchedule(text: string): string {
  if (!/^(cosine|plateau|exponential:[0-9.eE+-]+|step:[0-9.eE+-]+:\d+)$/.test(text.trim())) {
    throw new InvalidArgumentError("expected 'cosine', 'plateau', 'exponential:GAMMA' or 'step:GAMMA:EVERY' (e.g. step:0.5:10)");
  }
  return text.trim();
}

/** The learning rate of fit: constant, or the schedule from `initial`. */
export function learningRateOf(schedule: string | undefined, initial: number, epochs: number, validation: boolean): LearningRate {
  if (schedule === undefined) return initial;
  const [type, a, b] = schedule.split(':');
  if (type === 'cosine') return { type: 'cosine', initial, epochs };
  if (type === 'plateau') return { type: 'plateau', initial, monitor: validation ? 'validationLoss' : 'loss' };
  if (type === 'exponential') return { type: 'exponential', initial, gamma: Number(a) };
  return { type: 'step', initial, gamma: Number(a), every: Number(b) };
}

/** The network train (or a fold of cv) trains: a table network over `columns`, its output and loss by the task. */
export function buildNetwork(flags: ModelFlags, task: Task, columns: ColumnOptions[], classes: Label[] | null, record: CliRecord): Network {
  const hidden: LayerOptions[] = flags.layers.map((units) => ({ units, activation: flags.activation, ...(flags.dropout ? { dropout: flags.dropout } : {}) }));
  const output: LayerOptions = task === 'classification' ? { units: classes!.length, activation: 'softmax' } : { units: 1, activation: 'identity' };
  return new Network({
    columns,
    layers: [...hidden, output],
    loss: task === 'classification' ? 'cross-entropy' : 'mse',
    inputScaling: 'standard',
    seed: flags.seed,
    ...(flags.l2 ? { l2: flags.l2 } : {}),
    ...(classes !== null ? { classes } : {}),
    metadata: { cli: { ...record } as never },
  });
}

/** fit's options from the flags (early stopping, validation and callbacks are the caller's). */
export function fitOptionsOf(flags: ModelFlags, validation: boolean): FitOptions {
  const rate = flags.learningRate ?? defaultRate(flags.optimizer);
  return {
    epochs: flags.epochs,
    batchSize: flags.batchSize,
    optimizer: flags.optimizer,
    learningRate: learningRateOf(flags.schedule, rate, flags.epochs, validation),
    ...(flags.classWeight ? { classWeight: flags.classWeight } : {}),
    ...(flags.metrics && flags.metrics.length > 0 ? { metrics: flags.metrics } : {}),
  };
}
