// What train and every fold of cv share: the validation rows split off
// (seeded; stratified for classification when every class has two rows),
// then the fit with early stopping on the validation loss, keeping the best
// epoch.
import type { FitOptions, History } from '../training/fit-options.js';
import type { Targets } from '../labels.js';
import type { FitTask, Inputs, Network } from '../network.js';
import type { Label } from '../table/label-order.js';
import { trainTestSplit } from '../table/splits.js';
import type { Cells } from './table.js';
import type { ModelFlags } from './model-settings.js';
import { fitOptionsOf } from './model-settings.js';

/** Rows with their targets, and which rows of the data they are. */
export interface Part {
  inputs: Cells[];
  targets: Label[] | Float64Array;
  indices: Int32Array;
}

export interface RunSettings extends ModelFlags {
  /** The share of rows held out to validate on; 0 for none. */
  validationSplit: number;
  /** Patience in epochs; 0: no early stopping. */
  earlyStopping: number;
}

/** Stratifying needs two rows of every class (one for each side). */
function canStratify(targets: Label[] | Float64Array): boolean {
  if (targets instanceof Float64Array) return false;
  const counts = new Map<Label, number>();
  for (const l of targets) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts.values()].every((n) => n >= 2);
}

/** The rows trained on and those validated on (null without validationSplit, or with fewer than 2 rows). */
export function splitOffValidation(part: Part, s: RunSettings): { training: Part; validation: Part | null } {
  if (s.validationSplit === 0 || part.inputs.length < 2) return { training: part, validation: null };
  const split = trainTestSplit(part.inputs, part.targets as Targets, { testFraction: s.validationSplit, seed: s.seed, stratify: canStratify(part.targets) });
  const of = (side: typeof split.train): Part => ({
    inputs: Array.isArray(side.inputs) ? side.inputs : Array.from(side.indices, (i) => part.inputs[i]),
    targets: side.targets as Label[] | Float64Array,
    indices: Int32Array.from(side.indices, (i) => part.indices[i]),
  });
  return { training: of(split.train), validation: of(split.test) };
}

/** The fit train and cv run, as a task of Network.fitMany: the flags' options, validation and early stopping, and the caller's callbacks. */
export function fitTask(net: Network, training: Part, validation: Part | null, s: RunSettings, extra: FitOptions = {}): FitTask {
  return {
    network: net,
    inputs: training.inputs as Inputs,
    targets: training.targets as Targets,
    options: {
      ...fitOptionsOf(s, validation !== null),
      ...(validation ? { validation: { inputs: validation.inputs as Inputs, targets: validation.targets as Targets } } : {}),
      ...(validation && s.earlyStopping > 0 ? { earlyStopping: { patience: s.earlyStopping, monitor: 'validationLoss' as const, restoreBest: true } } : {}),
      ...extra,
    },
  };
}

/** The fit train runs: fitTask's, alone. */
export function fitRun(net: Network, training: Part, validation: Part | null, s: RunSettings, extra: FitOptions = {}): Promise<History> {
  const task = fitTask(net, training, validation, s, extra);
  return net.fit(task.inputs as Inputs, task.targets, task.options);
}
