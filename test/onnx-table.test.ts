// net.toONNX() of table networks and of classifiers with class labels: the
// model takes the rows predict takes (one input per column: numbers, NaN for
// a missing value; strings, "" for a missing value, String() of a category
// that is a number or a boolean), and onnxruntime's outputs are predict's
// (to 1e-12 in float64, 1e-5 in float32) and its `label` output is
// predictClasses' (exactly in float64; in float32 wherever the outputs are
// not within float32's rounding of a tie or of 0.5), on both backends. Rows
// hold missing values of every form, unknown categories (with and without
// 'other'), categories that are numbers and booleans. Also: the inputs'
// names (sanitised where a column's is not a C90 identifier), types and
// shapes, the metadata, the options, and the refusals.
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import type { Label, Network, SchemaColumn } from '../src/index.js';
import { DeltapropError, Network as NetworkClass } from '../src/index.js';
import { ONNX_SCHEMA } from '../src/export/onnx-schema.js';
import { BACKENDS } from './helpers/backends.js';
import { seededUniform } from './helpers/data.js';
import { errorOf } from './helpers/errors.js';
import { UNKNOWN, makeNetwork, makeTableNetwork, tableCases, tableRows } from './helpers/export-networks.js';

const require = createRequire(__filename);
const ort = require('onnxruntime-node') as typeof import('onnxruntime-node');

type Dtype = 'float64' | 'float32';
type Session = Awaited<ReturnType<typeof ort.InferenceSession.create>>;
type Row = Record<string, unknown>;
const TOLERANCE: Record<Dtype, number> = { float64: 1e-12, float32: 1e-5 };

/** Per dtype and backend: the largest |ORT − predict| / max(1, |predict|), for the record. */
const worst: Record<string, number> = {};
afterAll(() => {
  console.log('table toONNX vs predict, largest |ORT − predict| / max(1, |predict|):', worst);
});

const isMissing = (v: unknown) => v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));

/** The columns that have a graph input, in input order. */
const inputColumns = (net: Network) => net.schema!.columns.filter((c) => c.kind !== 'ignore');

/** ORT's feeds for rows keyed by column name: numeric columns as numbers (NaN where missing), categorical ones as String() ("" where missing). */
function feeds(net: Network, names: readonly string[], rows: readonly Row[], dtype: Dtype) {
  return Object.fromEntries(
    inputColumns(net).map((c, i) => {
      const values = rows.map((r) => r[c.name]);
      const tensor =
        c.kind === 'numeric'
          ? new ort.Tensor(dtype, (dtype === 'float64' ? Float64Array : Float32Array).from(values.map((v) => (isMissing(v) ? NaN : (v as number)))), [rows.length, 1])
          : new ort.Tensor(
              'string',
              values.map((v) => (isMissing(v) ? '' : String(v))),
              [rows.length, 1],
            );
      return [names[i], tensor];
    }),
  );
}

/** The label tensor's values as labels of the network's type (int64 comes back as bigint). */
function labelsOf(tensor: { type: string; data: unknown }): (string | number)[] {
  return Array.from(tensor.data as ArrayLike<unknown>, (x) => (typeof x === 'bigint' ? Number(x) : (x as string | number)));
}

/** What the label output holds for predictClasses' label: the label, or its String() in a string output. */
const asLabelOutput = (label: Label | null, type: string) => (type === 'string' ? String(label) : label);

/**
 * Runs the model on `rows` and checks output against predict(expectRows)
 * and label against predictClasses(expectRows) (expectRows: the same rows
 * as predict must read them, by default `rows`).
 */
async function expectSameAsPredict(net: Network, s: Session, rows: Row[], dtype: Dtype, label: string, expectRows = rows) {
  const result = await s.run(feeds(net, s.inputNames, rows, dtype));
  const out = result[s.outputNames[0]];
  expect(out.type).toBe(dtype);
  expect(out.dims).toEqual([rows.length, net.outputs]);
  const expected = net.predict(expectRows).data;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs((out.data as Float64Array)[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    expect(d, `${label}: output ${i}: ORT ${(out.data as Float64Array)[i]} vs predict ${expected[i]}`).toBeLessThanOrEqual(TOLERANCE[dtype]);
    diff = Math.max(diff, d);
  }
  const key = `${dtype} ${net.backend}`;
  worst[key] = Math.max(worst[key] ?? 0, diff);
  if (s.outputNames.length === 1) return;
  const got = labelsOf(result[s.outputNames[1]]);
  expect(result[s.outputNames[1]].dims).toEqual([rows.length]);
  const want = net.predictClasses(expectRows);
  const outputs = net.outputs;
  want.forEach((w, r) => {
    const row = Array.from(expected.subarray(r * outputs, (r + 1) * outputs));
    // float32 may pick the other class where predict's outputs are within its rounding of a tie (or of 0.5).
    const sorted = [...row].sort((a, b) => b - a);
    const margin = outputs === 1 ? Math.abs(row[0] - 0.5) : sorted[0] - sorted[1];
    if (dtype === 'float32' && margin < 1e-5) return;
    expect(got[r], `${label}: row ${r}'s label`).toBe(asLabelOutput(w, result[s.outputNames[1]].type));
  });
}

describe.each(BACKENDS)('toONNX of table networks on the %s backend', (backend) => {
  const cases = tableCases(backend);

  it.each(['float64', 'float32'] as Dtype[])('every column setting, scaling and output kind matches predict and predictClasses in %s', async (dtype) => {
    for (const { net, seed, label, unknown } of cases) {
      const s = await ort.InferenceSession.create(net.toONNX({ dtype }));
      const next = seededUniform(seed);
      for (const count of [1, 7, 64]) await expectSameAsPredict(net, s, tableRows(count, next, unknown), dtype, `${label}, ${count} rows`);
      await s.release();
    }
  });

  it("an unknown category of a column with unknown: 'error' and no 'other' reads as all zeros (as a missing one does), where predict refuses it", async () => {
    const { net, seed } = cases[1];
    const city = net.schema!.columns.find((c) => c.name === 'city')!;
    expect(city).toMatchObject({ kind: 'categorical', other: false, unknown: 'error' });
    const rows = tableRows(20, seededUniform(seed)).map((r, i) => (i % 2 === 0 ? { ...r, city: UNKNOWN.city[i % 4 === 0 ? 0 : 1] } : r));
    expect(() => net.predict(rows)).toThrow(/is not a category the network learned for column "city"/);
    const s = await ort.InferenceSession.create(net.toONNX());
    await expectSameAsPredict(
      net,
      s,
      rows,
      'float64',
      "unknown: 'error'",
      rows.map((r) => (UNKNOWN.city.includes(r.city) ? { ...r, city: null } : r)),
    );
    await s.release();
  });

  it('declares one input per column (ignored ones left out), the outputs, their types and shapes, and the ONNX-ML opset', async () => {
    for (const { net, label } of cases) {
      for (const dtype of ['float64', 'float32'] as const) {
        const bytes = net.toONNX({ dtype });
        const s = await ort.InferenceSession.create(bytes);
        const columns = inputColumns(net);
        expect(s.inputNames, label).toEqual(columns.map((c) => c.name));
        expect(s.inputMetadata, label).toEqual(columns.map((c) => ({ name: c.name, isTensor: true, type: c.kind === 'numeric' ? dtype : 'string', shape: ['batch', 1] })));
        const classifier = net.loss !== 'mse';
        expect(s.outputNames, label).toEqual(classifier ? ['output', 'label'] : ['output']);
        expect(s.outputMetadata[0], label).toEqual({ name: 'output', isTensor: true, type: dtype, shape: ['batch', net.outputs] });
        if (classifier) {
          const classes = net.classes ?? [0];
          const type = classes.every((k) => Number.isInteger(k)) ? 'int64' : classes.every((k) => typeof k === 'number') ? 'float64' : 'string';
          expect(s.outputMetadata[1], label).toEqual({ name: 'label', isTensor: true, type, shape: ['batch'] });
        }
        const model = decodeModel(bytes);
        expect(model.opsetImport, label).toEqual([
          { domain: '', version: 13 },
          { domain: 'ai.onnx.ml', version: 2 },
        ]);
        await s.release();
      }
    }
  });

  it('records the columns (with kinds and what was learned), the input names and the classes in metadata_props', () => {
    for (const { net, label } of cases) {
      const metadata = decodeModel(net.toONNX()).metadata;
      expect(JSON.parse(metadata['deltaprop.columns']), label).toEqual(net.schema!.columns);
      expect(JSON.parse(metadata['deltaprop.inputs']), label).toEqual(Object.fromEntries(inputColumns(net).map((c) => [c.name, c.name])));
      if (net.classes === null) expect(metadata['deltaprop.classes'], label).toBeUndefined();
      else expect(JSON.parse(metadata['deltaprop.classes']), label).toEqual(net.classes);
      expect(Object.keys(metadata).sort(), label).toEqual(['deltaprop.columns', 'deltaprop.inputs', ...(net.classes === null ? [] : ['deltaprop.classes'])].sort());
    }
  });

  it('names inputs whose column names are not C90 identifiers (or are names the graph uses) by sanitised names, distinct, and maps them in the metadata', async () => {
    const columns = ['unit price', 'a.b', 'a_b', 'a b', '1st', 'encoded', 'output', 'label', 'prix €', 'x', 'column3_isnan'];
    const net = new NetworkClass({
      columns: columns.map((name, i) => ({ name, kind: i === 1 || i === 8 ? 'categorical' : 'numeric' })),
      layers: [
        { units: 3, activation: 'tanh' },
        { units: 2, activation: 'softmax' },
      ],
      loss: 'cross-entropy',
      inputScaling: 'standard',
      classes: ['no', 'yes'],
      seed: 5,
      backend,
    } as never);
    const next = seededUniform(6);
    const rowOf = () =>
      Object.fromEntries(columns.map((name, i) => [name, i === 1 ? ['p', 'q', 'r'][Math.floor(3 * next())] : i === 8 ? ['€', '$'][Math.floor(2 * next())] : next() < 0.1 ? null : 10 * next()]));
    net.adapt(Array.from({ length: 50 }, rowOf));
    const bytes = net.toONNX();
    const s = await ort.InferenceSession.create(bytes);
    const expected = ['unit_price', 'a_b_2', 'a_b', 'a_b_3', '_1st', 'encoded_2', 'output_2', 'label_2', 'prix__', 'x', 'column3_isnan_2'];
    expect(s.inputNames).toEqual(expected);
    expect(JSON.parse(decodeModel(bytes).metadata['deltaprop.inputs'])).toEqual(Object.fromEntries(expected.map((n, i) => [n, columns[i]])));
    await expectSameAsPredict(net, s, Array.from({ length: 9 }, rowOf), 'float64', 'sanitised names');
    await s.release();
  });

  it('options: dtype, outputName and labelName apply; inputName is refused; the names must not clash', async () => {
    const { net } = cases[0];
    const s = await ort.InferenceSession.create(net.toONNX({ outputName: 'probabilities', labelName: 'grade' }));
    expect(s.outputNames).toEqual(['probabilities', 'grade']);
    await expectSameAsPredict(net, s, tableRows(5, seededUniform(3), ['city']), 'float64', 'renamed outputs');
    await s.release();
    const cases_: [unknown, RegExp][] = [
      [{ inputName: 'x' }, /^options\.inputName: a table network's model has one input per column, named by the columns/],
      [{ outputName: 'label' }, /^options\.labelName: must differ from options\.outputName, both are "label" \(give options\.labelName\)$/],
      [{ labelName: 'output' }, /^options\.labelName: must differ from options\.outputName, both are "output"$/],
      [{ outputName: 'encoded' }, /^options\.outputName: "encoded" is a name the graph uses/],
      [{ outputName: 'column1_onehot' }, /^options\.outputName: "column1_onehot" is a name the graph uses/],
      [{ labelName: 'label_index' }, /^options\.labelName: "label_index" is a name the graph uses/],
      [{ labelName: 'scaled' }, /^options\.labelName: "scaled" is a name the graph uses/],
      [{ labelName: '2nd' }, /^options\.labelName: expected a name of letters, digits and underscores/],
    ];
    for (const [options, message] of cases_) {
      const e = errorOf(() => net.toONNX(options as never));
      expect(e, JSON.stringify(options)).toBeInstanceOf(DeltapropError);
      expect(e.message, JSON.stringify(options)).toMatch(message);
    }
    // outputName 'input' is only a plain network's clash.
    expect(() => net.toONNX({ outputName: 'input' })).not.toThrow();
    // A regression has no label output to name.
    expect(errorOf(() => cases[2].net.toONNX({ labelName: 'y' })).message).toMatch(/^options\.labelName: names the label output, which only a classifier with class labels/);
  });

  it('a table of numeric columns needs no ONNX-ML operator', async () => {
    const net = makeTableNetwork(
      backend,
      {
        columns: [
          'age',
          { name: 'rooms', missingIndicator: true },
          { name: 'city', kind: 'ignore' },
          { name: 'code', kind: 'ignore' },
          { name: 'income', impute: 'median' },
          { name: 'id', kind: 'ignore' },
        ],
        layers: [
          { units: 3, activation: 'tanh' },
          { units: 1, activation: 'identity' },
        ],
        inputScaling: 'standard',
      },
      17,
    );
    const bytes = net.toONNX();
    expect(decodeModel(bytes).opsetImport).toEqual([{ domain: '', version: 13 }]);
    const s = await ort.InferenceSession.create(bytes);
    expect(s.inputNames).toEqual(['age', 'rooms', 'income']);
    await expectSameAsPredict(net, s, tableRows(30, seededUniform(18)), 'float64', 'numeric columns');
    await s.release();
  });

  it('refuses a column two of whose categories have the same String(), naming it', () => {
    for (const categories of [
      [1, '1'],
      ['true', true],
      [2.5, '2.5', 'a'],
    ] as Label[][]) {
      const columns: SchemaColumn[] = [
        { name: 'n', kind: 'numeric', impute: 'mean', fill: 0, missingIndicator: false },
        { name: 'kind of thing', kind: 'categorical', categories, other: false, unknown: 'ignore' },
      ];
      const net = new NetworkClass({ schema: { columns }, layers: [{ units: 1, activation: 'identity' }], seed: 1, backend } as never);
      const e = errorOf(() => net.toONNX());
      expect(e).toBeInstanceOf(DeltapropError);
      expect(e.message).toMatch(
        /^network: column "kind of thing" has the categories .+ and .+, which the model's string input cannot tell apart \(both are "(1|true|2\.5)"\); the network cannot be exported to ONNX$/,
      );
    }
  });
});

describe.each(BACKENDS)('toONNX of classifiers of numeric inputs with class labels on the %s backend', (backend) => {
  it('adds the label output and deltaprop.classes; without labels the model has no label output and no metadata', async () => {
    const variants: [string, Partial<Parameters<typeof makeNetwork>[1]>, Label[] | undefined][] = [
      [
        'softmax, strings',
        {
          layers: [
            { units: 5, activation: 'tanh' },
            { units: 3, activation: 'softmax' },
          ],
          loss: 'cross-entropy',
        },
        ['a', 'b', 'c'],
      ],
      [
        'softmax, integers',
        {
          layers: [
            { units: 5, activation: 'relu' },
            { units: 3, activation: 'softmax' },
          ],
          loss: 'cross-entropy',
          inputScaling: 'minmax',
        },
        [10, 20, 30],
      ],
      [
        'sigmoid, mixed',
        {
          layers: [
            { units: 5, activation: 'sigmoid' },
            { units: 1, activation: 'sigmoid' },
          ],
          loss: 'binary-cross-entropy',
          inputScaling: 'standard',
        },
        [0, 'one'],
      ],
      [
        'softmax, none',
        {
          layers: [
            { units: 5, activation: 'tanh' },
            { units: 3, activation: 'softmax' },
          ],
          loss: 'cross-entropy',
        },
        undefined,
      ],
    ];
    for (const [label, options, classes] of variants) {
      const net = makeNetwork(backend, { inputs: 4, ...options, ...(classes === undefined ? {} : { classes }) } as never, 21);
      for (const dtype of ['float64', 'float32'] as const) {
        const bytes = net.toONNX({ dtype });
        const s = await ort.InferenceSession.create(bytes);
        expect(s.inputNames).toEqual(['input']);
        expect(s.outputNames, label).toEqual(classes === undefined ? ['output'] : ['output', 'label']);
        const metadata = decodeModel(bytes).metadata;
        expect(metadata, label).toEqual(classes === undefined ? {} : { 'deltaprop.classes': JSON.stringify(classes) });
        const rows = Array.from({ length: 40 }, (_, r) => Array.from({ length: 4 }, (_, j) => Math.sin(7 * r + 3 * j) * 3));
        const data = (dtype === 'float64' ? Float64Array : Float32Array).from(rows.flat());
        const result = await s.run({ input: new ort.Tensor(dtype, data, [rows.length, 4]) });
        const expected = net.predict(rows).data;
        (result.output.data as Float64Array).forEach((x, i) => expect(Math.abs(x - expected[i]), label).toBeLessThanOrEqual(TOLERANCE[dtype] * Math.max(1, Math.abs(expected[i]))));
        if (classes !== undefined) {
          const type = result.label.type;
          const want = net.predictClasses(rows).map((k) => asLabelOutput(k, type));
          const got = labelsOf(result.label);
          if (dtype === 'float64') expect(got, label).toEqual(want);
          else expect(got.filter((g, r) => g !== want[r]).length, label).toBeLessThanOrEqual(1);
        }
        await s.release();
      }
    }
  });
});

it('a table network built from a file (load) exports as the one saved', async () => {
  const [{ net }] = tableCases('js');
  const copy = NetworkClass.fromJSON(net.toJSON());
  expect(Buffer.from(copy.toONNX()).equals(Buffer.from(net.toONNX()))).toBe(true);
  // And a table network that has not learned its columns yet has nothing to export.
  const fresh = new NetworkClass({ columns: ['a'], layers: [{ units: 1, activation: 'identity' }], seed: 1, backend: 'js' } as never);
  expect(errorOf(() => fresh.toONNX()).message).toMatch(/^network: has not learned its input columns yet/);
});

/** The model's opset imports and metadata_props, decoded by protobufjs from src/export/onnx-schema.ts (field numbers as onnx.proto declares them). */
function decodeModel(bytes: Uint8Array): { opsetImport: { domain: string; version: number }[]; metadata: Record<string, string> } {
  const protobuf = require('protobufjs/light') as typeof import('protobufjs/light');
  const ModelProto = protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto');
  const model = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, defaults: true }) as {
    opset_import: { domain: string; version: number }[];
    metadata_props: { key: string; value: string }[];
  };
  return {
    opsetImport: model.opset_import.map(({ domain, version }) => ({ domain, version })),
    metadata: Object.fromEntries(model.metadata_props.map(({ key, value }) => [key, value])),
  };
}
