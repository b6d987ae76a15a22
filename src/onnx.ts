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
// The bytes are encoded with protobufjs from the descriptor in
// onnx-schema.ts; protobufjs is required here, inside the export, so that
// loading deltaprop never loads it.
import type { Activation } from './activations.js';
import type { InputScaling } from './backend/types.js';
import { DeltapropError, describeValue } from './errors.js';
import type { LayerView } from './network.js';
import { AttributeType, DataType, ONNX_SCHEMA } from './onnx-schema.js';
import type { SavedNetwork } from './saved-network.js';
import { checkSavable } from './saved-network.js';
import { checkKnownKeys, checkObject, checkOneOf } from './validate.js';
import { packageVersion } from './version.js';

export const ONNX_OPSET = 13;
/** The IR version that opset 13 came with (ONNX 1.8). */
export const ONNX_IR_VERSION = 7;

export const ONNX_DTYPES = ['float64', 'float32'] as const;

/** Options of Network.toONNX(). */
export interface OnnxOptions {
  /**
   * The element type of the model's input, output and parameters:
   * 'float64' (default) computes in double precision as predict() does;
   * 'float32' rounds every parameter to float32 (smaller, and runs on
   * runtimes without double kernels).
   */
  dtype?: 'float64' | 'float32';
  /** The graph input's name (default 'input'): a C90 identifier, as ONNX requires. */
  inputName?: string;
  /** The graph output's name (default 'output'): a C90 identifier, as ONNX requires. */
  outputName?: string;
}

interface ResolvedOnnxOptions {
  dtype: 'float64' | 'float32';
  inputName: string;
  outputName: string;
}

/** What the exporters (toONNX, toFunction) read of a network: its layers and input scaling, checked. */
export interface ExportedNetwork {
  inputs: number;
  outputs: number;
  layers: readonly LayerView[];
  scaling: InputScaling | null;
  /** The network's options, for the exporters' descriptions. */
  inputScaling: string | null;
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
  return {
    inputs: saved.config.inputs,
    outputs: layers[layers.length - 1].fanOut,
    layers,
    scaling: saved.inputScaling,
    inputScaling: saved.config.inputScaling ?? null,
  };
}

const C90_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks toONNX()'s options against the names the graph uses inside. */
export function resolveOnnxOptions(options: unknown, layers: number): ResolvedOnnxOptions {
  const opts = options === undefined ? {} : checkObject('options', options);
  checkKnownKeys('options', opts, ['dtype', 'inputName', 'outputName']);
  const dtype = opts.dtype === undefined ? 'float64' : checkOneOf('options.dtype', opts.dtype, ONNX_DTYPES);
  const internal = new Set(internalNames(layers));
  const name = (key: 'inputName' | 'outputName', fallback: string): string => {
    const value = opts[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !C90_IDENTIFIER.test(value)) {
      throw new DeltapropError(`options.${key}`, `expected a name of letters, digits and underscores not starting with a digit (ONNX names are C90 identifiers), got ${describeValue(value)}`);
    }
    if (internal.has(value)) throw new DeltapropError(`options.${key}`, `${JSON.stringify(value)} is a name the graph uses for one of its own values; choose another`);
    return value;
  };
  const inputName = name('inputName', 'input');
  const outputName = name('outputName', 'output');
  if (inputName === outputName) throw new DeltapropError('options.outputName', `must differ from options.inputName, both are ${JSON.stringify(inputName)}`);
  return { dtype, inputName, outputName };
}

/** Every value and node name the graph gives itself (the user's names must avoid them). */
function internalNames(layers: number): string[] {
  const names = ['scaling_shift', 'scaling_spread', 'scaling_sub', 'scaling_div', 'shifted', 'scaled'];
  for (let l = 0; l < layers; l++) {
    names.push(...['weights', 'biases', 'linear', 'activation', 'gemm', 'matmul', ...ONNX_OPS.map((op) => op.toLowerCase())].map((s) => `layer${l}_${s}`));
  }
  return names;
}

const ONNX_OPS = ['Sigmoid', 'Tanh', 'Relu', 'Softmax'];

const OP_OF: Record<Activation, string | null> = {
  identity: null,
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  relu: 'Relu',
  softmax: 'Softmax',
};

/** Little-endian IEEE 754 bytes of `values` in the dtype (float32 rounds to nearest). */
function rawData(values: ArrayLike<number>, dtype: 'float64' | 'float32'): Uint8Array {
  const size = dtype === 'float64' ? 8 : 4;
  const bytes = new Uint8Array(values.length * size);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) {
    if (size === 8) view.setFloat64(8 * i, values[i], true);
    else view.setFloat32(4 * i, values[i], true);
  }
  return bytes;
}

/** Protobuf's limit on one message, which ONNX's single-file models share. */
const MAX_MODEL_BYTES = 2 ** 31 - 1;

/** The ONNX model of `net` (checked by exportedNetwork) as ModelProto bytes. */
export function toOnnxBytes(net: ExportedNetwork, options: ResolvedOnnxOptions): Uint8Array {
  const { dtype, inputName, outputName } = options;
  const size = dtype === 'float64' ? 8 : 4;
  const parameterBytes = net.layers.reduce((sum, l) => sum + size * l.fanOut * (l.fanIn + (l.biases === null ? 0 : 1)), 0) + (net.scaling === null ? 0 : 2 * size * net.inputs);
  if (parameterBytes > MAX_MODEL_BYTES - 2 ** 20) {
    throw new DeltapropError('network', `holds ${parameterBytes} bytes of ${dtype} parameters: more than the 2 GiB a single-file ONNX model (one protobuf message) can hold`);
  }
  const elemType = dtype === 'float64' ? DataType.DOUBLE : DataType.FLOAT;
  const initializer: object[] = [];
  const node: object[] = [];
  const tensor = (name: string, dims: number[], values: ArrayLike<number>) => {
    initializer.push({ name, dims, data_type: elemType, raw_data: rawData(values, dtype) });
    return name;
  };

  let value = inputName;
  const last = net.layers.length - 1;
  if (net.scaling !== null) {
    // predict reads column j as (x − shift[j]) / spread[j]: one subtraction, then one division, as here.
    const shift = tensor('scaling_shift', [net.inputs], net.scaling.shift);
    const spread = tensor('scaling_spread', [net.inputs], net.scaling.spread);
    node.push({ name: 'scaling_sub', op_type: 'Sub', input: [value, shift], output: ['shifted'] });
    node.push({ name: 'scaling_div', op_type: 'Div', input: ['shifted', spread], output: ['scaled'] });
    value = 'scaled';
  }
  net.layers.forEach((layer, l) => {
    const op = OP_OF[layer.activation];
    const linear = op === null && l === last ? outputName : `layer${l}_linear`;
    const W = tensor(`layer${l}_weights`, [layer.fanIn, layer.fanOut], layer.weights.data);
    if (layer.biases !== null) {
      const b = tensor(`layer${l}_biases`, [layer.fanOut], layer.biases);
      node.push({ name: `layer${l}_gemm`, op_type: 'Gemm', input: [value, W, b], output: [linear] });
    } else {
      node.push({ name: `layer${l}_matmul`, op_type: 'MatMul', input: [value, W], output: [linear] });
    }
    value = linear;
    if (op !== null) {
      const activated = l === last ? outputName : `layer${l}_activation`;
      // Opset 13's Softmax normalises along one axis: the last, each row's outputs.
      const attribute = op === 'Softmax' ? [{ name: 'axis', type: AttributeType.INT, i: -1 }] : [];
      node.push({ name: `layer${l}_${op.toLowerCase()}`, op_type: op, input: [value], output: [activated], attribute });
      value = activated;
    }
  });

  const valueInfo = (name: string, width: number) => ({
    name,
    type: { tensor_type: { elem_type: elemType, shape: { dim: [{ dim_param: 'batch' }, { dim_value: width }] } } },
  });
  const sizes = [net.inputs, ...net.layers.map((l) => l.fanOut)];
  const described = net.layers.map((l) => `${l.fanOut} ${l.activation}`).join(' → ');
  const model = {
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: 'deltaprop',
    producer_version: packageVersion(),
    doc_string: `A deltaprop network: ${sizes[0]} inputs${net.inputScaling === null ? '' : ` (${net.inputScaling} scaling)`} → ${described}; ${dtype}.`,
    graph: {
      name: 'deltaprop',
      node,
      initializer,
      input: [valueInfo(inputName, net.inputs)],
      output: [valueInfo(outputName, net.outputs)],
    },
  };
  const protobuf = require('protobufjs/light') as typeof import('protobufjs/light');
  const ModelProto = protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto');
  const encoded = ModelProto.encode(ModelProto.fromObject(model)).finish();
  // A copy in an ArrayBuffer of its own (protobufjs may hand back a slice of a shared pool).
  return new Uint8Array(encoded);
}
