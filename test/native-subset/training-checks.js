'use strict';
// The training checks of the native test subset: native against js, async fit
// against fitSync, gradients against finite differences, and independence
// from the thread count.

const assert = require('node:assert/strict');
const dp = require('./package-under-test');
const {
  mulberry32,
  uniformArray,
  assertNormClose,
  assertScalarClose,
  assertBitEqual,
  expectDeltapropError,
  expectDeltapropErrorAsync,
  dataMatrix,
  targetsFor,
  oneHotTargets,
  assertLayout,
} = require('./support');

// ---------------------------------------------------------------------------
// native vs js in one process

// Together: every activation, every loss, both reductions, bias on and off, l2 on and off.
const PARITY_CONFIGS = [
  {
    inputs: 4,
    layers: [
      ['tanh', 5],
      ['sigmoid', 3],
    ],
    loss: 'binary-cross-entropy',
    reduction: 'mean',
    bias: true,
    l2: 0,
  },
  {
    inputs: 3,
    layers: [
      ['relu', 6],
      ['identity', 2],
    ],
    loss: 'mse',
    reduction: 'sum',
    bias: false,
    l2: 0.01,
  },
  {
    inputs: 5,
    layers: [
      ['sigmoid', 4],
      ['tanh', 3],
      ['softmax', 4],
    ],
    loss: 'cross-entropy',
    reduction: 'mean',
    bias: true,
    l2: 0.05,
  },
  {
    inputs: 2,
    layers: [
      ['identity', 3],
      ['relu', 2],
    ],
    loss: 'mse',
    reduction: 'mean',
    bias: true,
    l2: 0,
  },
  {
    inputs: 3,
    layers: [
      ['relu', 4],
      ['tanh', 2],
    ],
    loss: 'mse',
    reduction: 'sum',
    bias: true,
    l2: 0.1,
  },
  {
    inputs: 3,
    layers: [
      ['tanh', 3],
      ['sigmoid', 2],
    ],
    loss: 'mse',
    reduction: 'mean',
    bias: false,
    l2: 0,
  },
  {
    inputs: 4,
    layers: [
      ['relu', 5],
      ['softmax', 3],
    ],
    loss: 'cross-entropy',
    reduction: 'sum',
    bias: false,
    l2: 0,
  },
];

// Run in sequence on the same networks: the shuffling state carries over, so it is compared too.
const PARITY_FITS = [
  { epochs: 3, batchSize: 4, learningRate: 0.05, momentum: 0, shuffle: true },
  { epochs: 3, batchSize: 3, learningRate: 0.05, momentum: 0.9, shuffle: true },
  { epochs: 2, batchSize: 100, learningRate: 0.05, momentum: 0.5, shuffle: false },
];

function networkOptions(config, seed, backendName) {
  const { layers, ...rest } = config;
  return { ...rest, layers: layers.map(([activation, units]) => ({ units, activation })), seed, backend: backendName };
}

function checkParityConfig(config, seed) {
  const label = config.layers.map(([a, u]) => `${a}${u}`).join('-') + `/${config.loss}/${config.reduction}`;
  const native = new dp.Network(networkOptions(config, seed, 'native'));
  const js = new dp.Network(networkOptions(config, seed, 'js'));
  assert.equal(native.backend, 'native', `${label}: network backend`);
  assert.equal(js.backend, 'js', `${label}: network backend`);
  assertBitEqual(`${label}: initial params`, native.params, js.params);

  const fanIns = [config.inputs, ...config.layers.slice(0, -1).map(([, units]) => units)];
  const fanOuts = config.layers.map(([, units]) => units);
  assertLayout(`${label}: net.layers`, native.params, native.layers, fanIns, fanOuts, config.bias);

  const rng = mulberry32(seed);
  const X = dataMatrix(rng, 10, config.inputs, -2, 2);
  const T = targetsFor(rng, config.loss, 10, fanOuts.at(-1));

  assertNormClose(`${label}: predict`, native.predict(X).data, js.predict(X).data);
  const nativeForward = native.forward(X);
  const jsForward = js.forward(X);
  assert.equal(nativeForward.length, config.layers.length, `${label}: forward returns one matrix per layer`);
  nativeForward.forEach((a, i) => assertNormClose(`${label}: forward layer ${i}`, a.data, jsForward[i].data));

  const nativeEval = native.evaluate(X, T);
  const jsEval = js.evaluate(X, T);
  assertScalarClose(`${label}: evaluate loss`, nativeEval.loss, jsEval.loss);
  assert.equal(nativeEval.accuracy, jsEval.accuracy, `${label}: evaluate accuracy`);

  const nativeGrad = native.gradients(X, T);
  const jsGrad = js.gradients(X, T);
  assertScalarClose(`${label}: gradients loss`, nativeGrad.loss, jsGrad.loss);
  assertNormClose(`${label}: grads`, nativeGrad.grads, jsGrad.grads);
  assertLayout(`${label}: gradients().layers`, nativeGrad.grads, nativeGrad.layers, fanIns, fanOuts, config.bias);
  nativeGrad.layers.forEach((layer, i) => {
    assertNormClose(`${label}: dW layer ${i}`, layer.weights.data, jsGrad.layers[i].weights.data);
    if (config.bias) assertNormClose(`${label}: db layer ${i}`, layer.biases, jsGrad.layers[i].biases);
  });

  PARITY_FITS.forEach((fit, f) => {
    const nativeHistory = native.fitSync(X, T, fit);
    const jsHistory = js.fitSync(X, T, fit);
    assert.equal(nativeHistory.epochs, fit.epochs, `${label}: fit ${f} epochs run`);
    assertNormClose(`${label}: fit ${f} history.loss`, nativeHistory.loss, jsHistory.loss);
    assertNormClose(`${label}: fit ${f} params`, native.params, js.params);
  });
}

function parityNativeVsJs() {
  PARITY_CONFIGS.forEach((config, i) => checkParityConfig(config, 1000 + i));
}

// ---------------------------------------------------------------------------
// async fit

const ASYNC_CONFIG = {
  inputs: 6,
  layers: [
    ['tanh', 8],
    ['sigmoid', 3],
  ],
  loss: 'binary-cross-entropy',
  reduction: 'mean',
  bias: true,
  l2: 0.01,
};

/**
 * fit and fitSync run the same native epoch code (one on a worker thread),
 * with the same thread count, so the results must agree to the bit.
 */
async function asyncFitEqualsSync() {
  const rng = mulberry32(2001);
  const X = dataMatrix(rng, 40, 6);
  const T = targetsFor(rng, 'binary-cross-entropy', 40, 3);
  const V = dataMatrix(rng, 8, 6);
  const VT = targetsFor(rng, 'binary-cross-entropy', 8, 3);
  const options = { epochs: 4, batchSize: 7, learningRate: 0.2, momentum: 0.8, shuffle: true, validation: { inputs: V, targets: VT } };
  const syncNet = new dp.Network(networkOptions(ASYNC_CONFIG, 2002, 'native'));
  const asyncNet = new dp.Network(networkOptions(ASYNC_CONFIG, 2002, 'native'));
  const syncHistory = syncNet.fitSync(X, T, options);
  const asyncHistory = await asyncNet.fit(X, T, options);
  assertBitEqual('params', asyncNet.params, syncNet.params);
  assertBitEqual('history.loss', asyncHistory.loss, syncHistory.loss);
  assertBitEqual('history.validationLoss', asyncHistory.validationLoss, syncHistory.validationLoss);
  assert.equal(asyncHistory.epochs, syncHistory.epochs, 'history.epochs');
}

/** While fit runs on a worker thread, touching the network from JS would race it: every call must be refused. */
async function callsDuringFitRejected() {
  const rng = mulberry32(2101);
  const X = dataMatrix(rng, 64, 6);
  const T = targetsFor(rng, 'binary-cross-entropy', 64, 3);
  const net = new dp.Network(networkOptions(ASYNC_CONFIG, 2102, 'native'));
  const running = net.fit(X, T, { epochs: 3, batchSize: 8 });
  expectDeltapropError('predict during fit', () => net.predict(X));
  expectDeltapropError('gradients during fit', () => net.gradients(X, T));
  expectDeltapropError('fitSync during fit', () => net.fitSync(X, T));
  expectDeltapropError('setBiases during fit', () => net.setBiases(0, new Float64Array(8)));
  await expectDeltapropErrorAsync('a second fit during fit', () => net.fit(X, T));
  const history = await running;
  assert.equal(history.epochs, 3, 'the first fit completes');
  const out = net.predict(X).data;
  assert.ok(out.every(Number.isFinite), 'predict works again after fit');
}

// ---------------------------------------------------------------------------
// finite differences

function finiteDifferenceGradients() {
  const config = {
    inputs: 3,
    layers: [
      ['sigmoid', 4],
      ['tanh', 3],
      ['identity', 2],
    ],
    loss: 'mse',
    reduction: 'mean',
    bias: true,
    l2: 0.1,
  };
  const net = new dp.Network(networkOptions(config, 3001, 'native'));
  const rng = mulberry32(3002);
  const X = dataMatrix(rng, 5, 3, -2, 2);
  const T = dataMatrix(rng, 5, 2, -2, 2);
  const analytic = net.gradients(X, T);
  assertScalarClose('gradients().loss vs evaluate().loss', analytic.loss, net.evaluate(X, T).loss, 1e-12);

  const h = 1e-5;
  const lossAt = (i, value) => {
    net.params[i] = value;
    return net.evaluate(X, T).loss;
  };
  for (let i = 0; i < net.params.length; i++) {
    const original = net.params[i];
    const fd = (lossAt(i, original + h) - lossAt(i, original - h)) / (2 * h);
    net.params[i] = original;
    const an = analytic.grads[i];
    const relative = Math.abs(fd - an) / Math.max(Math.abs(fd), Math.abs(an), 1e-8);
    if (!(relative < 1e-6)) {
      throw new Error(`param ${i}: analytic ${an}, central difference ${fd}, relative error ${relative}`);
    }
  }
}

// ---------------------------------------------------------------------------
// thread count

/**
 * Work big enough to be split over two threads (the gemm at 256³, and the
 * network's products at 128 × 96 × 192 and more), all of it from fixed seeds.
 */
function threadWorkload() {
  const rng = mulberry32(4001);
  const size = 256;
  const A = uniformArray(rng, size * size);
  const B = uniformArray(rng, size * size);
  const C = new Float64Array(size * size);
  dp.gemm(false, true, size, size, size, 1, A, size, B, size, 0, C, size);

  const net = new dp.Network({
    inputs: 96,
    layers: [
      { units: 192, activation: 'sigmoid' },
      { units: 10, activation: 'softmax' },
    ],
    loss: 'cross-entropy',
    l2: 0.001,
    seed: 4002,
    backend: 'native',
  });
  const X = dataMatrix(rng, 256, 96);
  const T = oneHotTargets(rng, 256, 10);
  const { loss, grads } = net.gradients(X, T);
  const history = net.fitSync(X, T, { epochs: 2, batchSize: 128, learningRate: 0.1, momentum: 0.9 });
  return { C, loss: [loss], grads, params: net.params, history: history.loss };
}

function threadCountIndependence() {
  assert.equal(typeof dp.setThreads, 'function', 'setThreads is exported (docs/api.md)');
  const original = dp.backend.threads;
  try {
    dp.setThreads(1);
    assert.equal(dp.backend.threads, 1, 'backend.threads after setThreads(1)');
    const one = threadWorkload();
    dp.setThreads(2);
    assert.equal(dp.backend.threads, 2, 'backend.threads after setThreads(2)');
    const two = threadWorkload();
    for (const key of Object.keys(one)) assertBitEqual(`${key}, 1 vs 2 threads`, two[key], one[key]);
    for (const bad of [0, 1.5, 257, NaN, '2']) expectDeltapropError(`setThreads(${String(bad)})`, () => dp.setThreads(bad));
  } finally {
    dp.setThreads(original);
  }
  assert.equal(dp.backend.threads, original, 'thread count restored');
}

module.exports = { parityNativeVsJs, asyncFitEqualsSync, callsDuringFitRejected, finiteDifferenceGradients, threadCountIndependence };
