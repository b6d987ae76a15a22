// What the exporters (toONNX, toFunction) read of a network, checked once:
// its layers and input scaling, and for a table network its learned columns,
// for a classifier its kind and class labels.
import type { InputScaling } from '../backend/types.js';
import { DeltapropError } from '../errors.js';
import type { LayerView } from '../layer-view.js';
import type { SavedNetwork } from '../persistence/saved-network.js';
import { checkSavable } from '../persistence/saved-network.js';
import { classCount } from '../table/classes.js';
import type { Schema } from '../table/columns.js';
import type { Label } from '../table/label-order.js';

/** The classifiers predictClasses knows: softmax outputs (the argmax), or one sigmoid output (≥ 0.5). */
export type Classifier = 'softmax' | 'sigmoid';

export interface ExportedNetwork {
  inputs: number;
  outputs: number;
  layers: readonly LayerView[];
  scaling: InputScaling | null;
  /** The network's options, for the exporters' descriptions. */
  inputScaling: string | null;
  /** A table network's learned columns (its rows are encoded by them), or null. */
  schema: Schema | null;
  /** Which classifier the network is for predictClasses, or null for one it refuses. */
  classifier: Classifier | null;
  /** A classifier's class labels in output order, or null (predictClasses then gives indices). */
  classes: readonly Label[] | null;
}

/**
 * The network as the exporters read it, after the checks save() makes on
 * parameters and input scaling (optimizer state is not exported, so not
 * checked): a non-finite parameter is refused, since the exported model
 * would compute NaN or ±Infinity where it was used.
 */
export function exportedNetwork(saved: SavedNetwork, layers: readonly LayerView[]): ExportedNetwork {
  try {
    checkSavable({ ...saved, optimizer: null });
  } catch (e) {
    if (!(e instanceof DeltapropError)) throw e;
    // checkSavable's detail opens with what it found ("params[3] is NaN"); the rest is about files.
    const found = e.detail.split(':')[0];
    throw new DeltapropError(e.argument, `${found}: the network cannot be exported (its outputs would not be finite numbers); train it again from a saved state`);
  }
  const { config } = saved;
  const outputs = layers[layers.length - 1].fanOut;
  return {
    inputs: config.inputs,
    outputs,
    layers,
    scaling: saved.inputScaling,
    inputScaling: config.inputScaling ?? null,
    schema: config.schema ?? null,
    classifier: classCount(config.loss, outputs) === null ? null : config.loss === 'binary-cross-entropy' ? 'sigmoid' : 'softmax',
    classes: config.classes ?? null,
  };
}

/** What predictClasses gives for each class: its label, or its index when the network has no labels. */
export function classLabels(net: ExportedNetwork & { classifier: Classifier }): readonly Label[] {
  return net.classes ?? Array.from({ length: net.classifier === 'sigmoid' ? 2 : net.outputs }, (_, k) => k);
}
