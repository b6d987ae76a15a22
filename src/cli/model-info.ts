// What the CLI keeps in a model it trains (options.metadata.cli): the task,
// the target and feature columns, and the class names, so that evaluate and
// predict read a CSV by column name and answer with class names.
import type { Network } from '../network.js';
import { CliInputError } from './errors.js';
import type { Task } from './task.js';
import { TASKS } from './task.js';

export interface CliModel {
  task: Task;
  target: string;
  features: string[];
  /** For classification: the class of each output, in order. */
  classes?: string[];
}

const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

/**
 * The CLI's record of `net`; for a model built with the API (no record), one
 * inferred from its shape: features named by position, classes by index.
 */
export function cliModel(file: string, net: Network): CliModel {
  const raw = (net.metadata as { cli?: unknown } | null)?.cli as Partial<CliModel> | undefined;
  if (raw === undefined) {
    const softmax = net.layers[net.layers.length - 1].activation === 'softmax';
    return {
      task: softmax ? 'classification' : 'regression',
      target: 'target',
      features: Array.from({ length: net.inputs }, (_, i) => `x${i + 1}`),
      ...(softmax ? { classes: Array.from({ length: net.outputs }, (_, i) => String(i)) } : {}),
    };
  }
  const ok = TASKS.includes(raw.task as Task) && typeof raw.target === 'string' && isStrings(raw.features) && raw.features.length === net.inputs &&
    (raw.task === 'regression' || (isStrings(raw.classes) && raw.classes.length === net.outputs));
  if (!ok) throw new CliInputError(file, 'its metadata.cli record does not match the network (features, classes or task)');
  return raw as CliModel;
}
