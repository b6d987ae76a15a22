// What the CLI keeps in a model it trains (options.metadata.cli) and reads
// back: the task, the target column, the columns read as text, a
// regression's target scaling, and the settings train used (for --resume).
// The input columns and the class labels are the network's own (net.columns,
// net.classes). Models of deltaprop 0.2's CLI (numeric columns in
// metadata.cli.features, class names in metadata.cli.classes) still read.
import type { Network } from '../network.js';
import type { Label } from '../table/label-order.js';
import { CliInputError } from './errors.js';
import type { Task } from './task.js';
import { TASKS } from './task.js';

/** What train was told (or chose) beyond the network's own options: --resume starts from these. */
export interface TrainingSettings {
  optimizer: string;
  learningRate: number;
  batchSize: number;
  schedule?: string;
}

/** The record kept in metadata.cli. */
export interface CliRecord {
  task: Task;
  target: string;
  /** Columns whose cells are read as text (categorical columns --categorical named). */
  textColumns?: string[];
  /** Regression: the target was trained on as (t − shift) / spread, and the output layer folds that back. */
  targetScaling?: { shift: number; spread: number };
  settings?: TrainingSettings;
  /** 0.2's models: the numeric input columns and the class names. */
  features?: string[];
  classes?: string[];
}

/** A model as the CLI uses it. */
export interface CliModel {
  task: Task;
  target: string;
  /** The input columns the file must have, in the order the network reads them. */
  columns: string[];
  textColumns: Set<string>;
  /** A classifier's labels in output order. */
  classes: Label[] | null;
  /** Whether the network reads rows of cells (a table network) rather than numbers. */
  table: boolean;
  targetScaling: { shift: number; spread: number } | null;
  settings: TrainingSettings | null;
}

const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

/**
 * The CLI's view of `net`; for a model built with the API (no record), one
 * inferred from its shape: a table network's own columns, or x1 … xn, and
 * classes by index.
 */
export function cliModel(file: string, net: Network): CliModel {
  const raw = (net.metadata as { cli?: unknown } | null)?.cli as Partial<CliRecord> | undefined;
  const softmax = net.loss === 'cross-entropy' || (net.loss === 'binary-cross-entropy' && net.outputs === 1);
  const table = net.columns !== null;
  const columns = table ? [...net.columns!] : (raw?.features ?? Array.from({ length: net.inputs }, (_, i) => `x${i + 1}`));
  const classes = net.classes !== null ? [...net.classes] : (raw?.classes ?? (softmax ? Array.from({ length: net.loss === 'cross-entropy' ? net.outputs : 2 }, (_, i) => i) : null));
  const model: CliModel = {
    task: raw?.task ?? (softmax ? 'classification' : 'regression'),
    target: raw?.target ?? 'target',
    columns,
    textColumns: new Set(raw?.textColumns ?? []),
    classes,
    table,
    targetScaling: raw?.targetScaling ?? null,
    settings: raw?.settings ?? null,
  };
  const ok =
    TASKS.includes(model.task) &&
    typeof model.target === 'string' &&
    isStrings(model.columns) &&
    (table || model.columns.length === net.inputs) &&
    (model.task === 'regression' || (model.classes !== null && model.classes.length === (net.loss === 'cross-entropy' ? net.outputs : 2)));
  if (!ok) throw new CliInputError(file, 'its metadata.cli record does not match the network (columns, classes or task)');
  return model;
}
