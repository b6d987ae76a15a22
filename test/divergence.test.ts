// Divergence is caught whatever the loss, names the epoch, the minibatch and
// the likely cause, and leaves the network as it was at the start of that
// epoch (parameters and optimizer state), usable and savable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FitOptions, NetworkOptions } from '../src/index.js';
import { DeltapropError, Network } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { randomRows, seededUniform } from './helpers/data.js';
import { errorOf } from './helpers/errors.js';

const bits = (a: Float64Array) => Array.from(new Uint32Array(Float64Array.from(a).buffer));

describe.each(BACKENDS)('divergence on %s', (backend) => {
  const next = seededUniform(12);
  const X = randomRows(24, 3, next);
  const T01 = X.map(([a]) => [a > 0 ? 1 : 0]);
  const dir = mkdtempSync(path.join(tmpdir(), 'deltaprop-diverge-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases: [string, Omit<NetworkOptions, 'backend'>, number[][]][] = [
    [
      'binary cross-entropy (its logs are floored: the loss stays finite)',
      {
        inputs: 3,
        layers: [
          { units: 5, activation: 'tanh' },
          { units: 1, activation: 'sigmoid' },
        ],
        loss: 'binary-cross-entropy',
        seed: 1,
      },
      T01,
    ],
    [
      'mse on a sigmoid output (it saturates)',
      {
        inputs: 3,
        layers: [
          { units: 5, activation: 'relu' },
          { units: 1, activation: 'sigmoid' },
        ],
        seed: 2,
      },
      T01,
    ],
    [
      'mse on a tanh output',
      {
        inputs: 3,
        layers: [
          { units: 5, activation: 'sigmoid' },
          { units: 1, activation: 'tanh' },
        ],
        seed: 3,
      },
      T01,
    ],
    [
      'mse on a relu output',
      {
        inputs: 3,
        layers: [
          { units: 5, activation: 'tanh' },
          { units: 1, activation: 'relu' },
        ],
        seed: 4,
      },
      T01,
    ],
    [
      'mse on an identity output',
      {
        inputs: 3,
        layers: [
          { units: 5, activation: 'tanh' },
          { units: 1, activation: 'identity' },
        ],
        seed: 5,
      },
      T01,
    ],
  ];

  it.each(cases)('%s: a learning rate of 1e6 is caught, and the network is rolled back to the start of that epoch', (_name, options, T) => {
    const fit: FitOptions = { epochs: 40, batchSize: 4, learningRate: 1e6, momentum: 0.9, shuffle: false };
    const net = new Network({ ...options, backend });
    let seen = -1;
    const error = errorOf(() =>
      net.fitSync(X, T, {
        ...fit,
        onEpoch: ({ epoch }) => {
          seen = epoch;
        },
      }),
    ) as DeltapropError;
    expect(error).toBeInstanceOf(DeltapropError);
    expect(error.argument).toBe('options.learningRate');
    const epoch = seen + 1;
    expect(error.message).toMatch(new RegExp(`training diverged in epoch ${epoch}, minibatch \\d+ `));
    expect(error.message).toMatch(/smaller one/);
    // The epochs before it, trained again from scratch, give the same parameters.
    const reference = new Network({ ...options, backend });
    if (epoch > 0) reference.fitSync(X, T, { ...fit, epochs: epoch });
    expect(bits(net.params)).toEqual(bits(reference.params));
    // Usable and savable, and its optimizer state continues like the reference's.
    const file = path.join(dir, `${backend}-${options.seed}.model`);
    net.save(file);
    const again = { ...fit, epochs: 1, learningRate: 1e-3 };
    net.fitSync(X, T, again);
    reference.fitSync(X, T, again);
    expect(bits(net.params)).toEqual(bits(reference.params));
    expect(Network.load(file, { backend }).params.every(Number.isFinite)).toBe(true);
    expect(net.predict(X).data.every(Number.isFinite)).toBe(true);
  });

  it('names inputs far from unit scale as the cause, with inputScaling as the fix', async () => {
    const huge = X.map((row) => row.map((x) => x * 1e200));
    const net = new Network({
      inputs: 3,
      layers: [
        { units: 4, activation: 'relu' },
        { units: 1, activation: 'identity' },
      ],
      seed: 6,
      backend,
    });
    const start = Float64Array.from(net.params);
    const error = (await net.fit(huge, T01, { epochs: 3, learningRate: 0.01 }).catch((e: unknown) => e)) as DeltapropError;
    expect(error).toBeInstanceOf(DeltapropError);
    expect(error.argument).toBe('inputs');
    expect(error.message).toMatch(/training diverged in epoch 0, minibatch 0 .*far from unit scale.*inputScaling: 'standard'/);
    expect(bits(net.params)).toEqual(bits(start));
    // The fix it names works.
    const scaled = new Network({
      inputs: 3,
      layers: [
        { units: 4, activation: 'relu' },
        { units: 1, activation: 'identity' },
      ],
      seed: 6,
      inputScaling: 'standard',
      backend,
    });
    const history = await scaled.fit(huge, T01, { epochs: 3, learningRate: 0.01 });
    expect(history.loss.every(Number.isFinite)).toBe(true);
  });

  it('a run that stays below the bound trains on (no false alarm on large but sane weights)', () => {
    const net = new Network({ inputs: 1, layers: [{ units: 1, activation: 'identity' }], seed: 7, backend });
    net.params.set([1e50, 0]);
    const history = net.fitSync([[1], [2]], [[0], [0]], { epochs: 2, learningRate: 1e-60, batchSize: 2 });
    expect(history.epochs).toBe(2);
  });
});
