// The `label` output of an exported classifier: each row's class as
// predictClasses gives it (src/table/classes.ts, predictedIndices):
//   softmax         ArgMax over the row (the first of equal outputs, as predictClasses)
//   one sigmoid     the second class where the output is ≥ 0.5, else the first
// then Gather from the labels. A model has no null: where an output is not
// a finite number (predictClasses' null) the label is whatever ArgMax or the
// comparison makes of it; with finite parameters, only inputs far outside
// the float range lead there.
//
// The labels' element type: int64 when every label is an integer number
// (int64 holds it exactly), else double when every one is a number, else
// string, each label as String(label) ('true', '1.5', 'Lyon').
import { DataType } from './onnx-schema.js';
import type { Label } from '../table/label-order.js';
import type { OnnxGraph } from './onnx-graph.js';
import { attribute, valueInfo } from './onnx-graph.js';

/** Which of the classifiers predictClasses knows the network is. */
export type Classifier = 'softmax' | 'sigmoid';

/** Every value and node name the label part gives itself (a user's names must avoid them). */
export const LABEL_INTERNAL_NAMES = ['label_index', 'label_classes', 'label_threshold', 'label_positive', 'label_column', 'label_axes', 'label_gather'];

const INT64_LIMIT = 2 ** 63;

/** The label output's element type for these labels. */
export function labelType(labels: readonly Label[]): 'int64' | 'double' | 'string' {
  if (labels.every((l) => typeof l === 'number' && Number.isInteger(l) && l >= -INT64_LIMIT && l < INT64_LIMIT)) return 'int64';
  if (labels.every((l) => typeof l === 'number')) return 'double';
  return 'string';
}

/**
 * Adds the nodes that compute `labelName` [batch] from the classifier's
 * output `output`; returns the output's ValueInfo.
 */
export function addLabelOutput(graph: OnnxGraph, output: string, labelName: string, classifier: Classifier, labels: readonly Label[]): object {
  let index: string;
  if (classifier === 'softmax') {
    // keepdims 0: one index per row, [batch]; select_last_index stays 0 (the first of equals).
    index = graph.add('label_index', 'ArgMax', [output], 'label_index', [attribute.int('axis', 1), attribute.int('keepdims', 0)]);
  } else {
    const threshold = graph.reals('label_threshold', [], [0.5]);
    const positive = graph.add('label_positive', 'GreaterOrEqual', [output, threshold], 'label_positive');
    const column = graph.add('label_column', 'Cast', [positive], 'label_column', [attribute.int('to', DataType.INT64)]);
    // Opset 13's Squeeze takes its axes as an input: [batch, 1] → [batch].
    index = graph.add('label_index', 'Squeeze', [column, graph.int64s('label_axes', [1], [1])], 'label_index');
  }
  const type = labelType(labels);
  const dims = [labels.length];
  if (type === 'int64') graph.int64s('label_classes', dims, labels as number[]);
  else if (type === 'double') graph.doubles('label_classes', dims, labels as number[]);
  else graph.strings('label_classes', dims, labels.map(String));
  graph.add('label_gather', 'Gather', ['label_classes', index], labelName, [attribute.int('axis', 0)]);
  const elemType = type === 'int64' ? DataType.INT64 : type === 'double' ? DataType.DOUBLE : DataType.STRING;
  return valueInfo(labelName, elemType, ['batch']);
}
