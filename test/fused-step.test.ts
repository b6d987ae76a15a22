// The training epoch equals, to the bit, gradients() of each minibatch
// followed by the engine's optimizerStep over the whole gradient buffer: the
// native engine fuses the step into the gemm that makes dW (dW is never
// stored), and that fusion must change no bit, for every optimizer, with L2,
// biases and a short last minibatch. With dropout, the fused step must equal
// the unfused path that clipNorm takes (a clip that never triggers).
import { describe, expect, it } from 'vitest';
import { getBackend } from '../src/backend/index.js';
import { ActivationCode } from '../src/backend/types.js';
import type { OptimizerOptions } from '../src/index.js';
import { Network } from '../src/index.js';
import { optimizerCode, optimizerSettings, resolveOptimizer, stateSlots } from '../src/optimizers.js';
import { BACKENDS } from './helpers/backends.js';
import { randomRows, seededUniform } from './helpers/data.js';

const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2));

const OPTIMIZERS: [string, OptimizerOptions][] = [
  ['sgd', 'sgd'],
  ['sgd with momentum', { type: 'sgd', momentum: 0.9 }],
  ['sgd with Nesterov momentum', { type: 'sgd', momentum: 0.8, nesterov: true }],
  ['adam', 'adam'],
  ['adamw', { type: 'adamw', weightDecay: 0.05 }],
  ['rmsprop', { type: 'rmsprop', alpha: 0.9 }],
];

describe.each(BACKENDS)('the training step on %s', (backend) => {
  const next = seededUniform(31);
  const X = randomRows(5, 3, next);
  const T = randomRows(5, 2, next, 0, 1);
  const options = {
    inputs: 3,
    layers: [
      { units: 4, activation: 'tanh' as const },
      { units: 2, activation: 'sigmoid' as const },
    ],
    l2: 0.1,
    seed: 9,
    backend,
  };
  const layout = { sizes: Int32Array.of(3, 4, 2), activations: Int32Array.of(ActivationCode.tanh, ActivationCode.sigmoid), bias: true };
  const engine = getBackend(backend, 'backend');

  it.each(OPTIMIZERS)('%s: the epoch equals gradients() then optimizerStep, minibatch by minibatch, to the bit', (_name, optimizer) => {
    const lr = 0.05;
    const net = new Network(options);
    net.fitSync(X, T, { epochs: 3, batchSize: 2, learningRate: lr, optimizer, shuffle: false });

    const reference = new Network(options);
    const resolved = resolveOptimizer(optimizer, undefined);
    const state = new Float64Array(stateSlots(resolved) * reference.params.length);
    let steps = 0;
    for (let epoch = 0; epoch < 3; epoch++) {
      for (const rows of [[0, 1], [2, 3], [4]]) {
        const g = reference.gradients(
          rows.map((r) => X[r]),
          rows.map((r) => T[r]),
        ).grads;
        const job = { code: optimizerCode(resolved), settings: optimizerSettings(resolved), state, stepsTaken: steps++ };
        engine.optimizerStep(layout, job, lr, g, reference.params);
      }
    }
    expect(bits(net.params)).toEqual(bits(reference.params));
  });

  it.each(OPTIMIZERS)('%s with dropout: the fused step equals the unfused one (a clipNorm that never clips)', (_name, optimizer) => {
    const withDropout = { ...options, layers: [{ units: 4, activation: 'tanh' as const, dropout: 0.5 }, options.layers[1]] };
    const fit = { epochs: 3, batchSize: 2, learningRate: 0.05, optimizer };
    const fused = new Network(withDropout);
    fused.fitSync(X, T, fit);
    const unfused = new Network(withDropout);
    unfused.fitSync(X, T, { ...fit, clipNorm: 1e300 });
    expect(bits(fused.params)).toEqual(bits(unfused.params));
    // And dropout did act: the same fit without it ends elsewhere.
    const plain = new Network(options);
    plain.fitSync(X, T, fit);
    expect(bits(plain.params)).not.toEqual(bits(fused.params));
  });
});
