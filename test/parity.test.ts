// Native vs js on random networks: forward, gradients, a few epochs of
// training (sync and async), and each kernel of the Backend contract. The two
// engines sum in different orders, so they agree to rounding, not to the bit:
// the tolerance is 1e-10 relative to the size of each result (normwise).
import { describe, expect, it } from 'vitest';
import { ActivationCode, LossCode, ReductionCode } from '../src/backend/types.js';
import type { ResolvedOptimizer } from '../src/optimizers.js';
import { optimizerCode, optimizerSettings, stateSlots } from '../src/optimizers.js';
import { getBackend } from '../src/backend/index.js';
import type { NetworkOptions } from '../src/index.js';
import { Network } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { oneHotRows, randomArray, randomRows, seededUniform } from './helpers/data.js';
import { normwiseDifference } from './helpers/compare.js';

const TOLERANCE = 1e-10;

type Case = { name: string; options: Omit<NetworkOptions, 'backend'>; targets: (rows: number, cols: number, next: () => number) => number[][] };

const uniformTargets = (rows: number, cols: number, next: () => number) => randomRows(rows, cols, next, 0, 1);

const CASES: Case[] = [
  {
    name: 'sigmoid-tanh-identity, mse mean, bias, l2',
    options: {
      inputs: 5,
      layers: [
        { units: 7, activation: 'sigmoid' },
        { units: 6, activation: 'tanh' },
        { units: 3, activation: 'identity' },
      ],
      l2: 0.05,
      seed: 11,
    },
    targets: uniformTargets,
  },
  {
    name: 'relu-relu-sigmoid, binary cross-entropy sum, no bias',
    options: {
      inputs: 4,
      layers: [
        { units: 9, activation: 'relu' },
        { units: 5, activation: 'relu' },
        { units: 2, activation: 'sigmoid' },
      ],
      loss: 'binary-cross-entropy',
      reduction: 'sum',
      bias: false,
      seed: 12,
    },
    targets: uniformTargets,
  },
  {
    name: 'tanh-softmax, cross-entropy mean, l2',
    options: {
      inputs: 6,
      layers: [
        { units: 8, activation: 'tanh' },
        { units: 4, activation: 'softmax' },
      ],
      loss: 'cross-entropy',
      l2: 0.01,
      seed: 13,
    },
    targets: oneHotRows,
  },
  {
    name: 'wide sigmoid layer (blocked gemm paths), mse sum',
    options: {
      inputs: 300,
      layers: [
        { units: 260, activation: 'sigmoid' },
        { units: 10, activation: 'sigmoid' },
      ],
      reduction: 'sum',
      seed: 14,
    },
    targets: uniformTargets,
  },
];

const bothBackends = BACKENDS.includes('native') && BACKENDS.includes('js');

describe.runIf(bothBackends)('native and js agree', () => {
  describe.each(CASES)('$name', ({ options, targets }) => {
    const next = seededUniform(options.seed! * 31);
    const rows = 23;
    const X = randomRows(rows, options.inputs, next, -2, 2);
    const T = targets(rows, options.layers[options.layers.length - 1].units, next);
    const make = (backend: 'js' | 'native') => new Network({ ...options, backend });

    it('start from the same weights', () => {
      expect(Array.from(make('native').params)).toEqual(Array.from(make('js').params));
    });

    it('on the forward pass of every layer', () => {
      const js = make('js').forward(X);
      const native = make('native').forward(X);
      js.forEach((m, l) => expect(normwiseDifference(m.data, native[l].data)).toBeLessThan(TOLERANCE));
    });

    it('on the loss and every gradient', () => {
      const js = make('js').gradients(X, T);
      const native = make('native').gradients(X, T);
      expect(Math.abs(js.loss - native.loss) / Math.abs(js.loss)).toBeLessThan(TOLERANCE);
      js.layers.forEach((layer, l) => {
        expect(normwiseDifference(layer.weights.data, native.layers[l].weights.data)).toBeLessThan(TOLERANCE);
        if (layer.biases) expect(normwiseDifference(layer.biases, native.layers[l].biases!)).toBeLessThan(TOLERANCE);
      });
    });

    it('after three epochs of shuffled minibatch SGD with momentum, sync and async', async () => {
      const fit = { epochs: 3, batchSize: 7, learningRate: 0.05, momentum: 0.8 };
      const js = make('js');
      const native = make('native');
      const nativeAsync = make('native');
      const hJs = js.fitSync(X, T, fit);
      const hNative = native.fitSync(X, T, fit);
      const hAsync = await nativeAsync.fit(X, T, fit);
      expect(normwiseDifference(hJs.loss, hNative.loss)).toBeLessThan(TOLERANCE);
      expect(normwiseDifference(js.params, native.params)).toBeLessThan(TOLERANCE);
      // The same engine, sync or async, is the same computation: identical bits.
      expect(Array.from(nativeAsync.params)).toEqual(Array.from(native.params));
      expect(hAsync.loss).toEqual(hNative.loss);
    });
  });

  describe('kernel by kernel', () => {
    const js = getBackend('js', 'test');
    const native = getBackend('native', 'test');
    const next = seededUniform(99);
    const [rows, fanIn, fanOut] = [13, 11, 6];

    it.each([ActivationCode.identity, ActivationCode.sigmoid, ActivationCode.tanh, ActivationCode.relu, ActivationCode.softmax])('forwardLayer with activation code %i', (activation) => {
      const input = randomArray(rows * fanIn, next);
      const W = randomArray(fanIn * fanOut, next);
      const b = randomArray(fanOut, next);
      const [outJs, outNative] = [new Float64Array(rows * fanOut), new Float64Array(rows * fanOut)];
      js.forwardLayer(rows, fanIn, fanOut, input, W, b, activation, outJs);
      native.forwardLayer(rows, fanIn, fanOut, input, W, b, activation, outNative);
      expect(normwiseDifference(outJs, outNative)).toBeLessThan(TOLERANCE);
    });

    it.each([ActivationCode.identity, ActivationCode.sigmoid, ActivationCode.tanh, ActivationCode.relu])('backpropDelta with activation code %i', (activation) => {
      const deltaNext = randomArray(rows * fanOut, next);
      const W = randomArray(fanIn * fanOut, next);
      const A = randomArray(rows * fanIn, next, 0.01, 0.99);
      const [dJs, dNative] = [new Float64Array(rows * fanIn), new Float64Array(rows * fanIn)];
      js.backpropDelta(rows, fanIn, fanOut, deltaNext, W, activation, A, dJs);
      native.backpropDelta(rows, fanIn, fanOut, deltaNext, W, activation, A, dNative);
      expect(normwiseDifference(dJs, dNative)).toBeLessThan(TOLERANCE);
    });

    it.each([
      [LossCode.mse, ActivationCode.tanh],
      [LossCode.binaryCrossEntropy, ActivationCode.sigmoid],
      [LossCode.crossEntropy, ActivationCode.softmax],
    ])('outputDelta for loss %i (output activation %i), both reductions', (loss, activation) => {
      const F = randomArray(rows * fanOut, next, 0.01, 0.99);
      const T = randomArray(rows * fanOut, next, 0, 1);
      for (const reduction of [ReductionCode.mean, ReductionCode.sum]) {
        const [dJs, dNative] = [new Float64Array(F.length), new Float64Array(F.length)];
        const lJs = js.outputDelta(rows, fanOut, loss, reduction, activation, F, T, dJs);
        const lNative = native.outputDelta(rows, fanOut, loss, reduction, activation, F, T, dNative);
        expect(Math.abs(lJs - lNative) / Math.abs(lJs)).toBeLessThan(TOLERANCE);
        expect(normwiseDifference(dJs, dNative)).toBeLessThan(TOLERANCE);
      }
    });

    it.each([
      ['sgd', { type: 'sgd', momentum: 0, nesterov: false }],
      ['sgd with momentum', { type: 'sgd', momentum: 0.9, nesterov: false }],
      ['sgd with Nesterov momentum', { type: 'sgd', momentum: 0.8, nesterov: true }],
      ['adam', { type: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }],
      ['adamw', { type: 'adamw', beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.1 }],
      ['rmsprop', { type: 'rmsprop', alpha: 0.9, epsilon: 1e-7 }],
    ] as [string, ResolvedOptimizer][])('optimizerStep: %s, over a few steps with state', (_name, optimizer) => {
      // A 7-5-3 layout: 7·5 + 5 + 5·3 + 3 = 58 parameters, weights and biases both.
      const layout = { sizes: Int32Array.of(7, 5, 3), activations: Int32Array.of(ActivationCode.tanh, ActivationCode.identity), bias: true };
      const params = randomArray(58, next);
      const slots = stateSlots(optimizer);
      const run = (engine: typeof js) => {
        const p = params.slice();
        const state = new Float64Array(slots * 58);
        for (let t = 0; t < 4; t++) {
          const job = { code: optimizerCode(optimizer), settings: optimizerSettings(optimizer), state, stepsTaken: t };
          engine.optimizerStep(layout, job, 0.05, randomArray(58, seededUniform(100 + t)), p);
        }
        return [p, state];
      };
      const [pJs, sJs] = run(js);
      const [pNative, sNative] = run(native);
      expect(normwiseDifference(pJs, pNative)).toBeLessThan(TOLERANCE);
      if (slots > 0) expect(normwiseDifference(sJs, sNative)).toBeLessThan(TOLERANCE);
      expect(normwiseDifference(pJs, params)).toBeGreaterThan(1e-3); // the steps did move the parameters
    });
  });
});
