// net.toONNX(): the bytes are an ONNX model that onnxruntime (an independent
// implementation) runs, and what it computes is what net.predict computes:
// every activation as a hidden and as an output layer, with and without
// biases, without input scaling and with each kind, in float64 (to 1e-12)
// and float32 (to 1e-5), on both backends. Also the model's declared opset,
// IR version, names, shapes and element types, option validation, the
// refusals (non-finite parameters, a fit in progress), and that requiring
// deltaprop does not load protobufjs.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltapropError, Network } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { randomRows, seededUniform } from './helpers/data.js';
import { activationCases, columnRows, deepNetworks, makeNetwork } from './helpers/export-networks.js';
import { errorOf } from './helpers/errors.js';
import { runNode } from './helpers/node.js';

const require = createRequire(__filename);
const ort = require('onnxruntime-node') as typeof import('onnxruntime-node');
const root = path.resolve(__dirname, '..');

type Dtype = 'float64' | 'float32';
const TOLERANCE: Record<Dtype, number> = { float64: 1e-12, float32: 1e-5 };

/** The largest |a − b| / max(1, |a|) seen, per dtype and backend: printed at the end, for the record. */
const worst: Record<string, { diff: number; where: string }> = {};

async function session(bytes: Uint8Array) {
  return ort.InferenceSession.create(bytes);
}

/** ORT's outputs for `rows` (number[][]) fed as the dtype. */
async function runOrt(s: Awaited<ReturnType<typeof session>>, rows: number[][], cols: number, dtype: Dtype, inputName = 'input', outputName = 'output') {
  const flat = rows.flat();
  const data = dtype === 'float64' ? Float64Array.from(flat) : Float32Array.from(flat);
  const result = await s.run({ [inputName]: new ort.Tensor(dtype, data, [rows.length, cols]) });
  const out = result[outputName];
  return { data: out.data as Float64Array | Float32Array, dims: out.dims, type: out.type };
}

/** Checks ORT's run of the exported model against predict on each set of rows; records the largest difference. */
async function expectSameAsPredict(net: Network, rowSets: number[][][], dtype: Dtype, label: string) {
  const s = await session(net.toONNX({ dtype }));
  for (const rows of rowSets) {
    const expected = net.predict(rows);
    const got = await runOrt(s, rows, net.inputs, dtype);
    expect(got.type).toBe(dtype);
    expect(got.dims).toEqual([rows.length, net.outputs]);
    let diff = 0;
    let at = -1;
    for (let i = 0; i < expected.data.length; i++) {
      const d = Math.abs(got.data[i] - expected.data[i]) / Math.max(1, Math.abs(expected.data[i]));
      if (!(d <= diff)) {
        diff = d;
        at = i;
      }
    }
    const key = `${dtype} ${net.backend}`;
    if (!(diff <= (worst[key]?.diff ?? 0))) worst[key] = { diff, where: `${label}, ${rows.length} rows` };
    expect(diff, `${label}, ${rows.length} rows: element ${at}: ORT ${got.data[at]} vs predict ${expected.data[at]}`).toBeLessThanOrEqual(TOLERANCE[dtype]);
  }
  await s.release();
}

afterAll(() => {
  // The measured agreement, for the record (the assertions above hold it to the tolerances).
  console.log('toONNX vs predict, largest |ORT − predict| / max(1, |predict|):', worst);
});

describe.each(BACKENDS)('toONNX on the %s backend', (backend) => {
  it.each(['float64', 'float32'] as Dtype[])('every hidden × output activation, bias or not, each scaling, in %s, matches predict', async (dtype) => {
    for (const { net, seed, label } of activationCases(backend)) {
      const next = seededUniform(seed);
      const rowSets = [1, 5, 17].map((rows) => columnRows(rows, net.inputs, next));
      await expectSameAsPredict(net, rowSets, dtype, label);
    }
  });

  it.each(['float64', 'float32'] as Dtype[])('deeper networks (6 layers, every activation) match predict in %s', async (dtype) => {
    for (const { net, i } of deepNetworks(backend)) {
      const next = seededUniform(600 + i);
      await expectSameAsPredict(
        net,
        [1, 4, 129].map((rows) => columnRows(rows, 37, next)),
        dtype,
        `deep ${i}`,
      );
    }
  });

  it('wide layers, inputs ten times the adapted range, agree too (float64)', async () => {
    const net = makeNetwork(
      backend,
      {
        inputs: 300,
        layers: [
          { units: 150, activation: 'tanh' },
          { units: 40, activation: 'identity' },
        ],
        inputScaling: 'standard',
      },
      77,
    );
    const next = seededUniform(78);
    const rows = columnRows(33, 300, next).map((r) => r.map((x) => 10 * x));
    await expectSameAsPredict(net, [rows], 'float64', 'wide');
  });

  it('the model declares opset 13 (IR 7), the names, shapes and element types ORT reports', async () => {
    const net = makeNetwork(
      backend,
      {
        inputs: 5,
        layers: [
          { units: 4, activation: 'tanh' },
          { units: 3, activation: 'softmax' },
        ],
        loss: 'cross-entropy',
      },
      3,
    );
    for (const dtype of ['float64', 'float32'] as const) {
      const bytes = net.toONNX(dtype === 'float64' ? undefined : { dtype });
      expect(bytes).toBeInstanceOf(Uint8Array);
      const model = readModel(bytes);
      expect(model.irVersion).toBe(7);
      expect(model.opsets).toEqual([{ domain: '', version: 13 }]);
      expect(model.producerName).toBe('deltaprop');
      expect(model.producerVersion).toBe(require('../package.json').version);
      const s = await session(bytes);
      expect(s.inputNames).toEqual(['input']);
      expect(s.outputNames).toEqual(['output']);
      expect(s.inputMetadata).toEqual([{ name: 'input', isTensor: true, type: dtype, shape: ['batch', 5] }]);
      expect(s.outputMetadata).toEqual([{ name: 'output', isTensor: true, type: dtype, shape: ['batch', 3] }]);
      await s.release();
    }
  });

  it('inputName and outputName name the graph input and output', async () => {
    const net = makeNetwork(backend, { inputs: 2, layers: [{ units: 2, activation: 'identity' }] }, 4);
    const s = await session(net.toONNX({ inputName: 'features', outputName: 'scores' }));
    expect(s.inputNames).toEqual(['features']);
    expect(s.outputNames).toEqual(['scores']);
    const rows = [
      [0.5, -2],
      [3, 1],
    ];
    const got = await runOrt(s, rows, 2, 'float64', 'features', 'scores');
    const expected = net.predict(rows).data;
    for (let i = 0; i < expected.length; i++) expect(Math.abs(got.data[i] - expected[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected[i])));
    await s.release();
  });

  it('float32 stores every parameter rounded to float32; float64 stores them exactly; the bytes differ', () => {
    const net = makeNetwork(
      backend,
      {
        inputs: 3,
        layers: [
          { units: 4, activation: 'relu' },
          { units: 2, activation: 'identity' },
        ],
        inputScaling: 'standard',
      },
      5,
    );
    const f64 = net.toONNX({ dtype: 'float64' });
    const f32 = net.toONNX({ dtype: 'float32' });
    expect(Buffer.from(f64).equals(Buffer.from(f32))).toBe(false);
    // The default is float64, and the export is deterministic.
    expect(Buffer.from(net.toONNX()).equals(Buffer.from(f64))).toBe(true);
    const scaling = net.scaling!;
    const expected: [string, number, Float64Array][] = [
      ['scaling_shift', 3, scaling.shift],
      ['scaling_spread', 3, scaling.spread],
      ...net.layers.flatMap((l, i): [string, number, Float64Array][] => [
        [`layer${i}_weights`, l.fanIn * l.fanOut, l.weights.data],
        [`layer${i}_biases`, l.fanOut, l.biases!],
      ]),
    ];
    for (const [bytes, type, width] of [
      [f64, 11, 8],
      [f32, 1, 4],
    ] as const) {
      const tensors = readModel(bytes).initializers;
      expect(tensors.map((t) => t.name).sort()).toEqual(expected.map(([name]) => name).sort());
      for (const [name, count, values] of expected) {
        const t = tensors.find((x) => x.name === name)!;
        expect(t.dataType, name).toBe(type);
        expect(t.raw.length, name).toBe(count * width);
        const view = new DataView(t.raw.buffer, t.raw.byteOffset, t.raw.length);
        for (let i = 0; i < count; i++) {
          const stored = width === 8 ? view.getFloat64(8 * i, true) : view.getFloat32(4 * i, true);
          expect(stored, `${name}[${i}]`).toBe(width === 8 ? values[i] : Math.fround(values[i]));
        }
      }
    }
  });

  it('rejects bad options with a DeltapropError naming the option', () => {
    const net = makeNetwork(
      backend,
      {
        inputs: 2,
        layers: [
          { units: 3, activation: 'sigmoid' },
          { units: 1, activation: 'identity' },
        ],
      },
      6,
    );
    const cases: [unknown, RegExp][] = [
      [{ dtype: 'float16' }, /^options\.dtype: expected one of 'float64', 'float32', got "float16"/],
      [{ dtype: 64 }, /^options\.dtype: expected one of/],
      [{ precision: 'float32' }, /^options\.precision: unknown option/],
      [{ inputName: '' }, /^options\.inputName: expected a name/],
      [{ inputName: 'x y' }, /^options\.inputName: expected a name/],
      [{ outputName: '1st' }, /^options\.outputName: expected a name/],
      [{ outputName: 7 }, /^options\.outputName: expected a name/],
      [{ inputName: 'same', outputName: 'same' }, /^options\.outputName: must differ from options\.inputName/],
      [{ inputName: 'output' }, /^options\.outputName: must differ/],
      [{ outputName: 'layer0_weights' }, /^options\.outputName: "layer0_weights" is a name the graph uses/],
      [{ inputName: 'layer1_linear' }, /^options\.inputName: "layer1_linear" is a name the graph uses/],
      ['float32', /^options: expected an options object/],
      [null, /^options: expected an options object/],
    ];
    for (const [options, message] of cases) {
      const e = errorOf(() => net.toONNX(options as never));
      expect(e, JSON.stringify(options)).toBeInstanceOf(DeltapropError);
      expect(e.message, JSON.stringify(options)).toMatch(message);
    }
    // The same names, valid, are accepted.
    expect(() => net.toONNX({ inputName: 'x_1', outputName: '_y' })).not.toThrow();
  });

  it('refuses a network with a non-finite parameter, naming it', () => {
    const net = makeNetwork(
      backend,
      {
        inputs: 2,
        layers: [
          { units: 3, activation: 'tanh' },
          { units: 1, activation: 'identity' },
        ],
      },
      7,
    );
    expect(() => net.toONNX()).not.toThrow();
    for (const bad of [NaN, Infinity, -Infinity]) {
      const i = 4;
      const saved = net.params[i];
      net.params[i] = bad;
      const e = errorOf(() => net.toONNX());
      expect(e).toBeInstanceOf(DeltapropError);
      expect(e.message).toBe(`params: params[${i}] is ${bad}: the network cannot be exported (its outputs would not be finite numbers); train it again from a saved state`);
      net.params[i] = saved;
    }
    expect(() => net.toONNX({ dtype: 'float32' })).not.toThrow();
  });

  it('is refused while an epoch trains, and allowed between epochs', async () => {
    const net = makeNetwork(
      backend,
      {
        inputs: 2,
        layers: [
          { units: 3, activation: 'tanh' },
          { units: 1, activation: 'identity' },
        ],
      },
      8,
    );
    const next = seededUniform(9);
    const X = randomRows(64, 2, next);
    const T = X.map((r) => [r[0] - r[1]]);
    let between: Uint8Array | null = null;
    const fit = net.fit(X, T, {
      epochs: 2,
      onEpoch: () => {
        between = net.toONNX();
      },
    });
    const e = errorOf(() => net.toONNX());
    expect(e).toBeInstanceOf(DeltapropError);
    expect(e.message).toMatch(/^network: cannot call toONNX\(\) while fit\(\) is training/);
    await fit;
    expect(between).toBeInstanceOf(Uint8Array);
  });
});

it('require("deltaprop") does not load protobufjs; toONNX loads it', () => {
  // The sources compiled to CommonJS as the package ships them (each file on
  // its own, as tsc would emit it), in a scratch folder that sees this
  // package's node_modules and package.json.
  const dir = mkdtempSync(path.join(tmpdir(), 'deltaprop-onnx-'));
  try {
    const compile = (from: string, to: string) => {
      mkdirSync(to, { recursive: true });
      for (const name of readdirSync(from)) {
        const file = path.join(from, name);
        if (statSync(file).isDirectory()) compile(file, path.join(to, name));
        else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) {
          const out = ts.transpileModule(require('node:fs').readFileSync(file, 'utf8'), {
            compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
          });
          writeFileSync(path.join(to, name.replace(/\.ts$/, '.js')), out.outputText);
        }
      }
    };
    compile(path.join(root, 'src'), path.join(dir, 'src'));
    copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    const script = `
      const loaded = () => Object.keys(require.cache).some((f) => f.includes('/node_modules/protobufjs/'));
      const { Network } = require('./src/index.js');
      const before = loaded();
      const net = new Network({ inputs: 2, layers: [{ units: 1, activation: 'identity' }], seed: 1 });
      const bytes = net.toONNX();
      console.log(JSON.stringify({ before, after: loaded(), bytes: bytes.length }));
    `;
    const result = runNode(['-e', script], { cwd: dir, env: { DELTAPROP_BACKEND: 'js' } });
    expect(result.status, result.stderr).toBe(0);
    const { before, after, bytes } = JSON.parse(result.stdout);
    expect(before).toBe(false);
    expect(after).toBe(true);
    expect(bytes).toBeGreaterThan(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------- a protobuf reader of its own
// A minimal wire-format reader (varints and length-delimited fields), so that
// the model's fields are read back by numbers taken from onnx.proto, not by
// the schema under test.

type Field = { number: number; wire: number; value: bigint | Uint8Array };

function fields(bytes: Uint8Array): Field[] {
  const out: Field[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = bytes[pos++];
      if (b === undefined) throw new Error('truncated varint');
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
    }
  };
  while (pos < bytes.length) {
    const key = Number(varint());
    const number = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ number, wire, value: varint() });
    else if (wire === 2) {
      const length = Number(varint());
      out.push({ number, wire, value: bytes.subarray(pos, pos + length) });
      pos += length;
    } else if (wire === 1) {
      out.push({ number, wire, value: bytes.subarray(pos, pos + 8) });
      pos += 8;
    } else if (wire === 5) {
      out.push({ number, wire, value: bytes.subarray(pos, pos + 4) });
      pos += 4;
    } else throw new Error(`wire type ${wire}`);
  }
  return out;
}

const text = (v: bigint | Uint8Array) => Buffer.from(v as Uint8Array).toString('utf8');
const one = (fs: Field[], n: number) => fs.filter((f) => f.number === n);

/** ModelProto: ir_version 1, producer_name 2, producer_version 3, graph 7 (initializer 5), opset_import 8 (domain 1, version 2). */
function readModel(bytes: Uint8Array) {
  const model = fields(bytes);
  const graph = fields(one(model, 7)[0].value as Uint8Array);
  return {
    irVersion: Number(one(model, 1)[0].value),
    producerName: text(one(model, 2)[0].value),
    producerVersion: text(one(model, 3)[0].value),
    opsets: one(model, 8).map((f) => {
      const o = fields(f.value as Uint8Array);
      return { domain: one(o, 1).length ? text(one(o, 1)[0].value) : '', version: Number(one(o, 2)[0].value) };
    }),
    // TensorProto: data_type 2, name 8, raw_data 9.
    initializers: one(graph, 5).map((f) => {
      const t = fields(f.value as Uint8Array);
      return { name: text(one(t, 8)[0].value), dataType: Number(one(t, 2)[0].value), raw: one(t, 9)[0].value as Uint8Array };
    }),
  };
}
