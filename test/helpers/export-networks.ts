// The networks the exporter tests (toONNX, toFunction) check against predict:
// every hidden × output activation, with and without biases, under each
// input scaling; and deeper networks with every activation.
import type { Activation, Loss, NetworkOptions } from '../../src/index.js';
import { Network } from '../../src/index.js';
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
    if (l.biases !== null) net.setBiases(i, Array.from({ length: l.fanOut }, () => 2 * next() - 1));
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
  for (const hidden of HIDDEN) for (const output of OUTPUT) for (const bias of [true, false]) for (const scaling of SCALINGS) {
    seed++;
    const net = makeNetwork(backend, {
      inputs: 2 + (seed % 5),
      layers: [{ units: 3 + (seed % 6), activation: hidden }, { units: output === 'sigmoid' ? 1 + (seed % 3) : 2 + (seed % 4), activation: output }],
      loss: lossFor(output),
      bias,
      ...(scaling === null ? {} : { inputScaling: scaling }),
    }, seed);
    cases.push({ net, seed, label: `${hidden} → ${output}, bias ${bias}, scaling ${scaling}` });
  }
  return cases;
}

/** Four 6-layer networks, 37 inputs, every activation, biases or not, each scaling; `i` seeds their rows (600 + i). */
export function deepNetworks(backend: string): { net: Network; i: number }[] {
  return ([
    { bias: true, scaling: 'standard', output: 'softmax' },
    { bias: false, scaling: 'minmax', output: 'identity' },
    { bias: true, scaling: null, output: 'sigmoid' },
    { bias: false, scaling: null, output: 'tanh' },
  ] as const).map(({ bias, scaling, output }, i) => ({
    i,
    net: makeNetwork(backend, {
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
    }, 500 + i),
  }));
}
