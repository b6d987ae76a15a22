// The networks the exporter tests (toONNX, toFunction) check against predict:
// every hidden × output activation, with and without biases, under each
// input scaling; deeper networks with every activation; and table networks
// (columns of every kind and setting) with the rows they read.
import type { Activation, Loss, NetworkOptions } from '../../src/index.js';
import { Network } from '../../src/index.js';
import { exportedNetwork } from '../../src/export/onnx.js';
import type { TableNetworkOptions } from '../../src/options.js';
import { decodeNetworkJSON } from '../../src/persistence/serialize.js';
import type { FunctionOptions } from '../../src/export/to-function.js';
import { resolveFunctionOptions, toFunctionSource } from '../../src/export/to-function.js';
import { randomRows, seededUniform } from './data.js';

export const HIDDEN: Activation[] = ['identity', 'sigmoid', 'tanh', 'relu'];
export const OUTPUT: Activation[] = ['identity', 'sigmoid', 'tanh', 'relu', 'softmax'];
export const SCALINGS = [null, 'standard', 'minmax'] as const;
export type Scaling = (typeof SCALINGS)[number];

export const lossFor = (output: Activation): Loss => (output === 'softmax' ? 'cross-entropy' : output === 'sigmoid' ? 'binary-cross-entropy' : 'mse');

/**
 * Rows whose columns have different centres and spreads (so that scaling
 * changes them), from a generator independent of the library's.
 */
export function columnRows(rows: number, cols: number, next: () => number): number[][] {
  const centre = Array.from({ length: cols }, (_, j) => ((j * 7) % 11) - 5);
  const spread = Array.from({ length: cols }, (_, j) => 0.5 + ((j * 5) % 7) / 2);
  return randomRows(rows, cols, next).map((r) => r.map((u, j) => centre[j] + spread[j] * u));
}

/** A network with random weights (its own init) and random biases (init leaves them 0), its scaling adapted. */
export function makeNetwork(backend: string, options: Omit<NetworkOptions, 'backend' | 'seed'>, seed: number): Network {
  const net = new Network({ ...options, seed, backend: backend as NetworkOptions['backend'] });
  const next = seededUniform(seed + 1000);
  net.layers.forEach((l, i) => {
    if (l.biases !== null)
      net.setBiases(
        i,
        Array.from({ length: l.fanOut }, () => 2 * next() - 1),
      );
  });
  if (options.inputScaling !== undefined) net.adapt(columnRows(200, options.inputs, next));
  return net;
}

export interface ActivationCase {
  net: Network;
  /** The case's own seed, for its rows. */
  seed: number;
  label: string;
}

/** One small network per hidden × output activation, bias or not, and scaling; sizes vary with the seed. */
export function activationCases(backend: string): ActivationCase[] {
  const cases: ActivationCase[] = [];
  let seed = 1;
  for (const hidden of HIDDEN)
    for (const output of OUTPUT)
      for (const bias of [true, false])
        for (const scaling of SCALINGS) {
          seed++;
          const net = makeNetwork(
            backend,
            {
              inputs: 2 + (seed % 5),
              layers: [
                { units: 3 + (seed % 6), activation: hidden },
                { units: output === 'sigmoid' ? 1 + (seed % 3) : 2 + (seed % 4), activation: output },
              ],
              loss: lossFor(output),
              bias,
              ...(scaling === null ? {} : { inputScaling: scaling }),
            },
            seed,
          );
          cases.push({ net, seed, label: `${hidden} → ${output}, bias ${bias}, scaling ${scaling}` });
        }
  return cases;
}

/** Four 6-layer networks, 37 inputs, every activation, biases or not, each scaling; `i` seeds their rows (600 + i). */
export function deepNetworks(backend: string): { net: Network; i: number }[] {
  return (
    [
      { bias: true, scaling: 'standard', output: 'softmax' },
      { bias: false, scaling: 'minmax', output: 'identity' },
      { bias: true, scaling: null, output: 'sigmoid' },
      { bias: false, scaling: null, output: 'tanh' },
    ] as const
  ).map(({ bias, scaling, output }, i) => ({
    i,
    net: makeNetwork(
      backend,
      {
        inputs: 37,
        layers: [
          { units: 64, activation: 'relu' },
          { units: 33, activation: 'tanh' },
          { units: 20, activation: 'sigmoid' },
          { units: 17, activation: 'identity' },
          { units: 12, activation: 'relu' },
          { units: 6, activation: output },
        ],
        loss: lossFor(output),
        bias,
        ...(scaling === null ? {} : { inputScaling: scaling }),
      },
      500 + i,
    ),
  }));
}

// ---------------------------------------------------------------- table networks
// Rows of a table with every kind of value the encoding distinguishes:
// numeric columns with missing values (null, undefined, NaN, ''), categorical
// columns of strings, of numbers and booleans mixed, missing and unknown
// categories, and an ignored column (sometimes absent from the row).

export const CITIES = ['Lyon', 'Paris', 'Nice', 'Lille', 'Brest', 'Metz'];
/** Categories that are numbers and booleans (String() of each distinct). */
export const CODES = [1, 2.5, 10, -3, true, false];
const MISSING = [null, undefined, NaN, ''];
/** Categories no training row has. */
export const UNKNOWN: Record<string, unknown[]> = { city: ['Rome', 'Oslo'], code: [7, 'x', 'Lyon'] };

/** The columns of tableRow's rows, in order, as names; cases give each its options. */
export const TABLE_COLUMNS = ['age', 'city', 'rooms', 'code', 'income', 'id'] as const;

/**
 * One row keyed by column name. `unknown` lists the columns that may hold a
 * category the training rows never have (at rate 0.15).
 */
export function tableRow(next: () => number, unknown: readonly string[] = []): Record<string, unknown> {
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)];
  const maybe = (rate: number, value: () => unknown) => (next() < rate ? pick(MISSING) : value());
  const category = (column: string, known: readonly unknown[]) => maybe(0.1, () => (unknown.includes(column) && next() < 0.15 ? pick(UNKNOWN[column]) : pick(known)));
  const row: Record<string, unknown> = {
    age: maybe(0.1, () => 18 + 60 * next()),
    city: category('city', CITIES),
    rooms: maybe(0.1, () => 1 + Math.floor(6 * next())),
    code: category('code', CODES),
    income: maybe(0.15, () => 1000 + 4000 * next()),
  };
  if (next() < 0.8) row.id = `id-${Math.floor(1e6 * next())}`;
  return row;
}

export function tableRows(count: number, next: () => number, unknown: readonly string[] = []): Record<string, unknown>[] {
  return Array.from({ length: count }, () => tableRow(next, unknown));
}

/** A row keyed by column name as an array in column order (an absent key as undefined). */
export function asArray(row: Record<string, unknown>, columns: readonly string[]): unknown[] {
  return columns.map((c) => row[c]);
}

/**
 * A table network with random weights (its own init) and random biases,
 * its columns and scaling learned by adapt() from 300 rows of tableRow.
 */
export function makeTableNetwork(backend: string, options: Omit<TableNetworkOptions, 'backend' | 'seed'>, seed: number): Network {
  const net = new Network({ ...options, seed, backend: backend as NetworkOptions['backend'] } as TableNetworkOptions);
  const next = seededUniform(seed + 1000);
  net.adapt(tableRows(300, next));
  net.layers.forEach((l, i) => {
    if (l.biases !== null)
      net.setBiases(
        i,
        Array.from({ length: l.fanOut }, () => 2 * next() - 1),
      );
  });
  return net;
}

export interface TableCase {
  net: Network;
  seed: number;
  label: string;
  /** The columns whose unknown categories predict reads (not unknown: 'error'). */
  unknown: string[];
}

/**
 * Table networks covering each column setting (every impute strategy,
 * indicators or not, 'other' or not, unknown 'ignore' and 'error', an
 * ignored column), each input scaling, and each kind of output: softmax
 * classifiers with string, integer and no labels, single-sigmoid ones with
 * boolean and fractional labels, and a regression.
 */
export function tableCases(backend: string): TableCase[] {
  const cases: { label: string; unknown: string[]; options: Omit<TableNetworkOptions, 'backend' | 'seed'> }[] = [
    {
      label: 'softmax, string classes, standard scaling, other',
      unknown: ['city', 'code'],
      options: {
        columns: [
          { name: 'age', missingIndicator: true },
          { name: 'city', maxCategories: 4 },
          { name: 'rooms', impute: 'median' },
          { name: 'code', kind: 'categorical' },
          { name: 'income', impute: 'constant', fillValue: -1, missingIndicator: true },
          { name: 'id', kind: 'ignore' },
        ],
        layers: [
          { units: 6, activation: 'tanh' },
          { units: 3, activation: 'softmax' },
        ],
        loss: 'cross-entropy',
        inputScaling: 'standard',
        classes: ['high', 'low', 'mid'],
      },
    },
    {
      label: "sigmoid, boolean classes, minmax scaling, unknown: 'error'",
      unknown: ['code'],
      options: {
        columns: [
          { name: 'age', impute: 'median' },
          { name: 'city', unknown: 'error' },
          { name: 'rooms', missingIndicator: true },
          { name: 'code', kind: 'categorical', maxCategories: 3 },
          { name: 'income', missingIndicator: true },
          { name: 'id', kind: 'ignore' },
        ],
        layers: [
          { units: 5, activation: 'relu' },
          { units: 1, activation: 'sigmoid' },
        ],
        loss: 'binary-cross-entropy',
        inputScaling: 'minmax',
        classes: [false, true],
      },
    },
    {
      label: 'regression, 2 outputs, no scaling',
      unknown: ['city', 'code'],
      options: {
        columns: [
          { name: 'age', impute: 'constant' },
          'city',
          { name: 'rooms', impute: 'mean', missingIndicator: true },
          { name: 'code', kind: 'categorical' },
          { name: 'income', impute: 'median' },
          { name: 'id', kind: 'ignore' },
        ],
        layers: [
          { units: 4, activation: 'sigmoid' },
          { units: 2, activation: 'identity' },
        ],
        loss: 'mse',
      },
    },
    {
      label: 'softmax, integer classes, no scaling',
      unknown: ['city', 'code'],
      options: {
        columns: [
          'age',
          { name: 'city', maxCategories: 3, unknown: 'error' },
          'rooms',
          { name: 'code', kind: 'categorical', unknown: 'error', maxCategories: 5 },
          { name: 'income', kind: 'ignore' },
          { name: 'id', kind: 'ignore' },
        ],
        layers: [
          { units: 7, activation: 'relu' },
          { units: 3, activation: 'softmax' },
        ],
        loss: 'cross-entropy',
        classes: [3, 7, -12],
      },
    },
    {
      label: 'sigmoid, fractional classes, standard scaling',
      unknown: ['city', 'code'],
      options: {
        columns: [{ name: 'age', missingIndicator: true, impute: 'constant', fillValue: 40 }, 'city', 'rooms', { name: 'code', kind: 'categorical' }, 'income', { name: 'id', kind: 'ignore' }],
        layers: [
          { units: 3, activation: 'tanh' },
          { units: 1, activation: 'sigmoid' },
        ],
        loss: 'binary-cross-entropy',
        inputScaling: 'standard',
        classes: [0.5, 2.25],
      },
    },
    {
      label: 'softmax without labels (indices), minmax scaling',
      unknown: ['city', 'code'],
      options: {
        columns: [
          { name: 'age', kind: 'ignore' },
          'city',
          { name: 'rooms', missingIndicator: true },
          { name: 'code', kind: 'categorical' },
          { name: 'income', missingIndicator: true, impute: 'median' },
          { name: 'id', kind: 'ignore' },
        ],
        layers: [
          { units: 4, activation: 'identity' },
          { units: 4, activation: 'softmax' },
        ],
        loss: 'cross-entropy',
        inputScaling: 'minmax',
      },
    },
  ];
  return cases.map(({ label, unknown, options }, i) => ({ net: makeTableNetwork(backend, options, 900 + i), seed: 950 + i, label, unknown }));
}

/**
 * net.toFunction(options). Network.toFunction takes no options yet (it is
 * declared toFunction(), and src/network.ts is not the exporter's to change):
 * until it passes them on, the source is made as it would make it. Once it
 * takes them (toFunction.length 1), they go through it.
 */
export function functionSource(net: Network, options?: FunctionOptions): string {
  const toFunction = net.toFunction as (options?: FunctionOptions) => string;
  if (options === undefined || toFunction.length > 0) return toFunction.call(net, options);
  return toFunctionSource(exportedNetwork(decodeNetworkJSON(net.toJSON()), net.layers), resolveFunctionOptions(options));
}
