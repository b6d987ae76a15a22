// ONNX export: the network as an ONNX ModelProto (opset 13, IR version 7)
// whose graph computes what predict() does:
//
//   input ─ Sub(shift) ─ Div(spread)                 when the network scales its inputs
//         ─ Gemm(W(0), b(0)) ─ f_0 ─ Gemm(W(1), b(1)) ─ f_1 ─ ... ─ output
//
// Gemm is MatMul when the network has no biases; f is Sigmoid, Tanh, Relu or
// Softmax(axis = -1), and no node for identity. Shapes: input [batch, inputs],
// output [batch, outputs], batch a symbolic dimension. Every tensor is
// float64 (the default) or float32; initializers hold little-endian raw_data.
//
// A table network's model takes its rows instead: one input per column, the
// encoding in the graph (src/export/onnx-table.ts), its output the `input`
// above. A classifier with class labels (and any table network's
// classifier) has a second output, `label`, each row's class as
// predictClasses gives it (src/export/onnx-labels.ts). Such models say
// what their inputs and labels are in metadata_props: deltaprop.columns,
// deltaprop.inputs (table networks), deltaprop.classes (class labels).
//
// The bytes are encoded with protobufjs from the descriptor in
// onnx-schema.ts; protobufjs is required here, inside the export, so that
// loading deltaprop never loads it.
import type { Activation } from '../activations.js';
import { DeltapropError, describeValue } from '../errors.js';
import type { ExportedNetwork } from './exported-network.js';
import { classLabels } from './exported-network.js';
import type { OnnxDtype } from './onnx-graph.js';
import { C90_IDENTIFIER, ML_DOMAIN, ML_OPSET, OnnxGraph, attribute, valueInfo } from './onnx-graph.js';
import { LABEL_INTERNAL_NAMES, addLabelOutput, labelType } from './onnx-labels.js';
import { addTableEncoding, checkCategoryStrings, inputNames, tableBytesBound, tableInputs, tableInternalNames, tableMetadata } from './onnx-table.js';
import type { EncodedColumn } from './table-encoding.js';
import { describeColumns, encodedColumns } from './table-encoding.js';
import { ONNX_SCHEMA } from './onnx-schema.js';
import type { Label } from '../table/label-order.js';
import { checkKnownKeys, checkObject, checkOneOf } from '../validate.js';
import { packageVersion } from '../persistence/version.js';

export type { ExportedNetwork } from './exported-network.js';
export { exportedNetwork } from './exported-network.js';

export const ONNX_OPSET = 13;
/** The IR version that opset 13 came with (ONNX 1.8). */
export const ONNX_IR_VERSION = 7;

export const ONNX_DTYPES = ['float64', 'float32'] as const;

/**
 * Options of Network.toONNX().
 *
 * A table network's model takes one input per column (ignored columns
 * have none), in column order, each [batch, 1]: a numeric column's values
 * in the dtype, NaN for a missing one; a categorical column's as strings,
 * String() of a category that is a number or a boolean ('1.5', 'true'), ""
 * for a missing one. A model cannot raise errors, so an unknown category
 * reads as the column's 'other' where it has one, else as all zeros, also
 * for a column with unknown: 'error' (which predict refuses); and a string
 * that spells a number or boolean category reads as that category. Its
 * metadata_props hold deltaprop.columns (the schema's columns as JSON) and
 * deltaprop.inputs (each input's name → its column's name: a column whose
 * name is not a C90 identifier gets a sanitised one). A classifier with class
 * labels, and a table network's classifier, has a second output, `label`
 * [batch], holding each row's class as predictClasses gives it (int64 when every
 * label is an integer, double when every one is a number, else the
 * String() of each), the labels in deltaprop.classes.
 */
export interface OnnxOptions {
  /**
   * The element type of the model's input, output and parameters:
   * 'float64' (default) computes in double precision as predict() does;
   * 'float32' rounds every parameter to float32 (smaller, and runs on
   * runtimes without double kernels). A table network's numeric inputs
   * have this type too (its categorical inputs are strings).
   */
  dtype?: 'float64' | 'float32';
  /**
   * The graph input's name (default 'input'): a C90 identifier, as ONNX
   * requires. Refused for a table network, whose model has one input per
   * column, named by the columns (metadata deltaprop.inputs maps each
   * input's name to its column's).
   */
  inputName?: string;
  /** The graph output's name (default 'output'): a C90 identifier, as ONNX requires. */
  outputName?: string;
  /**
   * The name of the label output (default 'label'): a C90 identifier. Only
   * models with one take it: a classifier with class labels, or a table
   * network's classifier.
   */
  labelName?: string;
}

interface ResolvedOnnxOptions {
  dtype: OnnxDtype;
  /** As given (null: left out); their defaults depend on the network. */
  inputName: string | null;
  outputName: string;
  labelName: string | null;
}

/** Checks toONNX()'s options against the names a plain graph uses inside; the rest is checked with the network. */
export function resolveOnnxOptions(options: unknown, layers: number): ResolvedOnnxOptions {
  const opts = options === undefined ? {} : checkObject('options', options);
  checkKnownKeys('options', opts, ['dtype', 'inputName', 'outputName', 'labelName']);
  const dtype = opts.dtype === undefined ? 'float64' : checkOneOf('options.dtype', opts.dtype, ONNX_DTYPES);
  const internal = new Set(internalNames(layers));
  const name = (key: 'inputName' | 'outputName' | 'labelName'): string | null => {
    const value = opts[key];
    if (value === undefined) return null;
    if (typeof value !== 'string' || !C90_IDENTIFIER.test(value)) {
      throw new DeltapropError(`options.${key}`, `expected a name of letters, digits and underscores not starting with a digit (ONNX names are C90 identifiers), got ${describeValue(value)}`);
    }
    if (internal.has(value)) throw new DeltapropError(`options.${key}`, `${JSON.stringify(value)} is a name the graph uses for one of its own values; choose another`);
    return value;
  };
  return { dtype, inputName: name('inputName'), outputName: name('outputName') ?? 'output', labelName: name('labelName') };
}

/** Every value and node name the layers' part of the graph gives itself (the user's names must avoid them). */
function internalNames(layers: number): string[] {
  const names = ['scaling_shift', 'scaling_spread', 'scaling_sub', 'scaling_div', 'shifted', 'scaled'];
  for (let l = 0; l < layers; l++) {
    names.push(...['weights', 'biases', 'linear', 'activation', 'gemm', 'matmul', ...ONNX_OPS.map((op) => op.toLowerCase())].map((s) => `layer${l}_${s}`));
  }
  return names;
}

/** The graph's names: its input (a plain network's) or inputs (a table network's, one per column), output and label output. */
interface GraphNames {
  input: string;
  columnInputs: string[] | null;
  output: string;
  label: string | null;
}

/**
 * The options' names checked against what this network's graph holds (a
 * table network's encoding, a label output), and the names of a table
 * network's inputs, which avoid every other name.
 */
function graphNames(options: ResolvedOnnxOptions, columns: readonly EncodedColumn[] | null, labelled: boolean, layers: number): GraphNames {
  const internal = new Set([...internalNames(layers), ...(columns === null ? [] : tableInternalNames(columns)), ...(labelled ? LABEL_INTERNAL_NAMES : [])]);
  const own = (key: string, value: string) => {
    if (internal.has(value)) throw new DeltapropError(`options.${key}`, `${JSON.stringify(value)} is a name the graph uses for one of its own values; choose another`);
  };
  if (columns !== null && options.inputName !== null) {
    throw new DeltapropError('options.inputName', "a table network's model has one input per column, named by the columns (its metadata deltaprop.inputs maps them); leave inputName out");
  }
  const input = options.inputName ?? 'input';
  if (columns === null && input === options.outputName) throw new DeltapropError('options.outputName', `must differ from options.inputName, both are ${JSON.stringify(input)}`);
  own('outputName', options.outputName);
  if (!labelled && options.labelName !== null) {
    throw new DeltapropError('options.labelName', "names the label output, which only a classifier with class labels (or a table network's classifier) has; this network has none");
  }
  const label = labelled ? (options.labelName ?? 'label') : null;
  if (label !== null) {
    own('labelName', label);
    for (const [key, other] of [
      ['outputName', options.outputName],
      ['inputName', columns === null ? input : null],
    ] as const) {
      if (label === other)
        throw new DeltapropError('options.labelName', `must differ from options.${key}, both are ${JSON.stringify(label)}${options.labelName === null ? ' (give options.labelName)' : ''}`);
    }
  }
  const columnInputs = columns === null ? null : inputNames(columns, new Set([...internal, options.outputName, ...(label === null ? [] : [label])]));
  return { input, columnInputs, output: options.outputName, label };
}

const ONNX_OPS = ['Sigmoid', 'Tanh', 'Relu', 'Softmax'];

const OP_OF: Record<Activation, string | null> = {
  identity: null,
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  relu: 'Relu',
  softmax: 'Softmax',
};

/** Protobuf's limit on one message, which ONNX's single-file models share. */
const MAX_MODEL_BYTES = 2 ** 31 - 1;

/** Refuses, before building it, a model no protobuf message could hold. */
function checkModelSize(net: ExportedNetwork, dtype: OnnxDtype): void {
  const size = dtype === 'float64' ? 8 : 4;
  const parameterBytes = net.layers.reduce((sum, l) => sum + size * l.fanOut * (l.fanIn + (l.biases === null ? 0 : 1)), 0) + (net.scaling === null ? 0 : 2 * size * net.inputs);
  const bytes = parameterBytes + (net.schema === null ? 0 : tableBytesBound(net.schema));
  if (bytes > MAX_MODEL_BYTES - 2 ** 20) {
    throw new DeltapropError(
      'network',
      `holds ${bytes} bytes of ${dtype} parameters${net.schema === null ? '' : ' and column descriptions'}: more than the 2 GiB a single-file ONNX model (one protobuf message) can hold`,
    );
  }
}

/** Adds the input scaling and the layers, reading `input`; the last layer's value is `outputName`. */
function addLayers(graph: OnnxGraph, net: ExportedNetwork, input: string, outputName: string): void {
  let value = input;
  const last = net.layers.length - 1;
  if (net.scaling !== null) {
    // predict reads column j as (x − shift[j]) / spread[j]: one subtraction, then one division, as here.
    const shift = graph.reals('scaling_shift', [net.inputs], net.scaling.shift);
    const spread = graph.reals('scaling_spread', [net.inputs], net.scaling.spread);
    graph.add('scaling_sub', 'Sub', [value, shift], 'shifted');
    graph.add('scaling_div', 'Div', ['shifted', spread], 'scaled');
    value = 'scaled';
  }
  net.layers.forEach((layer, l) => {
    const op = OP_OF[layer.activation];
    const linear = op === null && l === last ? outputName : `layer${l}_linear`;
    const W = graph.reals(`layer${l}_weights`, [layer.fanIn, layer.fanOut], layer.weights.data);
    if (layer.biases !== null) {
      const b = graph.reals(`layer${l}_biases`, [layer.fanOut], layer.biases);
      graph.add(`layer${l}_gemm`, 'Gemm', [value, W, b], linear);
    } else {
      graph.add(`layer${l}_matmul`, 'MatMul', [value, W], linear);
    }
    value = linear;
    if (op !== null) {
      const activated = l === last ? outputName : `layer${l}_activation`;
      // Opset 13's Softmax normalises along one axis: the last, each row's outputs.
      graph.add(`layer${l}_${op.toLowerCase()}`, op, [value], activated, op === 'Softmax' ? [attribute.int('axis', -1)] : []);
      value = activated;
    }
  });
}

/** The labels of the label output: a classifier's with class labels, or a table network classifier's (indices without labels); else none. */
function outputLabels(net: ExportedNetwork): readonly Label[] | null {
  if (net.classifier === null || (net.classes === null && net.schema === null)) return null;
  return classLabels({ ...net, classifier: net.classifier });
}

/** The model's doc_string: what it computes, in a line. */
function describeModel(net: ExportedNetwork, dtype: OnnxDtype, names: GraphNames, labels: readonly Label[] | null): string {
  const described = net.layers.map((l) => `${l.fanOut} ${l.activation}`).join(' → ');
  const scaling = net.inputScaling === null ? '' : ` (${net.inputScaling} scaling)`;
  const front = net.schema === null ? `A deltaprop network: ${net.inputs} inputs${scaling}` : `A deltaprop table network: ${describeColumns(net.schema, net.inputs)}${scaling}`;
  const label = labels === null ? '' : `; each row's class in ${JSON.stringify(names.label)} (${labelType(labels)})`;
  return `${front} → ${described}; ${dtype}${label}.`;
}

/** The ONNX model of `net` (checked by exportedNetwork) as ModelProto bytes. */
export function toOnnxBytes(net: ExportedNetwork, options: ResolvedOnnxOptions): Uint8Array {
  const { dtype } = options;
  const columns = net.schema === null ? null : encodedColumns(net.schema);
  if (columns !== null) checkCategoryStrings(columns);
  const labels = outputLabels(net);
  const names = graphNames(options, columns, labels !== null, net.layers.length);
  checkModelSize(net, dtype);

  const graph = new OnnxGraph(dtype);
  const metadata: { key: string; value: string }[] = [];
  let input: object[];
  // What the scaling and layers read: the graph input, or a table network's encoded row.
  let rows: string;
  if (columns === null) {
    input = [valueInfo(names.input, graph.elemType, ['batch', net.inputs])];
    rows = names.input;
  } else {
    input = tableInputs(graph, columns, names.columnInputs!);
    rows = addTableEncoding(graph, columns, names.columnInputs!);
    metadata.push(...tableMetadata(net.schema!, columns, names.columnInputs!));
  }
  addLayers(graph, net, rows, names.output);
  const output: object[] = [valueInfo(names.output, graph.elemType, ['batch', net.outputs])];
  if (labels !== null) {
    output.push(addLabelOutput(graph, names.output, names.label!, net.classifier!, labels));
    if (net.classes !== null) metadata.push({ key: 'deltaprop.classes', value: JSON.stringify(net.classes) });
  }

  const model = {
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }, ...(graph.domains.has(ML_DOMAIN) ? [{ domain: ML_DOMAIN, version: ML_OPSET }] : [])],
    producer_name: 'deltaprop',
    producer_version: packageVersion(),
    doc_string: describeModel(net, dtype, names, labels),
    graph: { name: 'deltaprop', node: graph.node, initializer: graph.initializer, input, output },
    metadata_props: metadata,
  };
  const protobuf = require('protobufjs/light') as typeof import('protobufjs/light');
  const ModelProto = protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto');
  const bytes = ModelProto.encode(ModelProto.fromObject(model)).finish();
  // A copy in an ArrayBuffer of its own (protobufjs may hand back a slice of a shared pool).
  return new Uint8Array(bytes);
}
