// The parts of an ONNX graph as the exporter collects them (nodes,
// initializers, the operator sets they need), in the plain-object form that
// protobufjs encodes with the descriptor of src/export/onnx-schema.ts. Every
// tensor's data goes in raw_data (little-endian), but strings, which ONNX
// keeps in string_data.
import { AttributeType, DataType } from './onnx-schema.js';

export type OnnxDtype = 'float64' | 'float32';

/** What ONNX names must be: C90 identifiers. */
export const C90_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The ONNX-ML operator set (LabelEncoder): version 2 came with ONNX 1.8, as opset 13 did. */
export const ML_DOMAIN = 'ai.onnx.ml';
export const ML_OPSET = 2;

const encoder = new TextEncoder();

/** Little-endian IEEE 754 bytes of `values` in the dtype (float32 rounds to nearest). */
export function rawData(values: ArrayLike<number>, dtype: OnnxDtype): Uint8Array {
  const size = dtype === 'float64' ? 8 : 4;
  const bytes = new Uint8Array(values.length * size);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) {
    if (size === 8) view.setFloat64(8 * i, values[i], true);
    else view.setFloat32(4 * i, values[i], true);
  }
  return bytes;
}

/** Little-endian int64 bytes of integers (exact for any integer double in the int64 range). */
function int64Data(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(8 * values.length);
  const view = new DataView(bytes.buffer);
  values.forEach((x, i) => view.setBigInt64(8 * i, BigInt(x), true));
  return bytes;
}

export const attribute = {
  int: (name: string, i: number) => ({ name, type: AttributeType.INT, i }),
  ints: (name: string, ints: readonly number[]) => ({ name, type: AttributeType.INTS, ints }),
  strings: (name: string, strings: readonly string[]) => ({ name, type: AttributeType.STRINGS, strings: strings.map((s) => encoder.encode(s)) }),
};

/** The graph under construction; `dtype` is the element type of every real-valued tensor. */
export class OnnxGraph {
  readonly node: object[] = [];
  readonly initializer: object[] = [];
  /** Operator-set domains besides the default one that the nodes use. */
  readonly domains = new Set<string>();
  readonly elemType: number;

  constructor(readonly dtype: OnnxDtype) {
    this.elemType = dtype === 'float64' ? DataType.DOUBLE : DataType.FLOAT;
  }

  /** An initializer of real values in the graph's dtype; returns its name. */
  reals(name: string, dims: number[], values: ArrayLike<number>): string {
    this.initializer.push({ name, dims, data_type: this.elemType, raw_data: rawData(values, this.dtype) });
    return name;
  }

  /** An initializer of doubles, whatever the graph's dtype (for values that are not parameters, e.g. class labels). */
  doubles(name: string, dims: number[], values: ArrayLike<number>): string {
    this.initializer.push({ name, dims, data_type: DataType.DOUBLE, raw_data: rawData(values, 'float64') });
    return name;
  }

  int64s(name: string, dims: number[], values: readonly number[]): string {
    this.initializer.push({ name, dims, data_type: DataType.INT64, raw_data: int64Data(values) });
    return name;
  }

  strings(name: string, dims: number[], values: readonly string[]): string {
    this.initializer.push({ name, dims, data_type: DataType.STRING, string_data: values.map((s) => encoder.encode(s)) });
    return name;
  }

  /** A node of one output; returns that output's name. */
  add(name: string, op_type: string, input: string[], output: string, attribute: object[] = [], domain = ''): string {
    if (domain !== '') this.domains.add(domain);
    this.node.push({ name, op_type, input, output: [output], attribute, ...(domain === '' ? {} : { domain }) });
    return output;
  }
}

/** A ValueInfoProto of a tensor: its element type and shape ('batch' for the symbolic first dimension). */
export function valueInfo(name: string, elemType: number, dims: (number | 'batch')[]) {
  return {
    name,
    type: { tensor_type: { elem_type: elemType, shape: { dim: dims.map((d) => (d === 'batch' ? { dim_param: 'batch' } : { dim_value: d })) } } },
  };
}
