'use strict';
// The input checks of the native test subset: bad inputs to networks, and XOR.

const assert = require('node:assert/strict');
const dp = require('./package-under-test');
const { mulberry32, assertBitEqual, expectDeltapropError, expectDeltapropErrorAsync, dataMatrix, oneHotTargets } = require('./support');

// ---------------------------------------------------------------------------
// bad inputs to Network

function badNetworkInputs() {
  const net = new dp.Network({
    inputs: 4,
    layers: [
      { units: 3, activation: 'tanh' },
      { units: 3, activation: 'softmax' },
    ],
    loss: 'cross-entropy',
    seed: 5001,
    backend: 'native',
  });
  const rng = mulberry32(5002);
  const X = dataMatrix(rng, 6, 4);
  const T = oneHotTargets(rng, 6, 3);
  const before = Float64Array.from(net.params);
  const withNaN = dp.matrix(6, 4, Float64Array.from(X.data));
  withNaN.data[9] = NaN;
  const withInfinity = dp.matrix(6, 4, Float64Array.from(X.data));
  withInfinity.data[0] = -Infinity;
  const targetWithNaN = dp.matrix(6, 3, Float64Array.from(T.data));
  targetWithNaN.data[4] = NaN;

  const cases = {
    'predict: a row of 3 values': () => net.predict([[1, 2, 3]]),
    'predict: ragged rows': () =>
      net.predict([
        [1, 2, 3, 4],
        [1, 2, 3],
      ]),
    'predict: NaN': () => net.predict(withNaN),
    'predict: -Infinity': () => net.predict(withInfinity),
    'predict: NaN in number[][]': () => net.predict([[0, NaN, 0, 0]]),
    'predict: Matrix of 5 columns': () => net.predict({ rows: 2, cols: 5, data: new Float64Array(10) }),
    'predict: Matrix data shorter than rows × cols': () => net.predict({ rows: 100, cols: 4, data: new Float64Array(8) }),
    'predict: Matrix over a Float32Array': () => net.predict({ rows: 1, cols: 4, data: new Float32Array(4) }),
    'predict: Matrix with negative rows': () => net.predict({ rows: -1, cols: 4, data: new Float64Array(0) }),
    'predict: a string': () => net.predict('1,2,3,4'),
    'predict: null': () => net.predict(null),
    'forward: NaN': () => net.forward(withNaN),
    'gradients: 5 target rows for 6 inputs': () => net.gradients(X, dp.matrix(5, 3, T.data.slice(0, 15))),
    'gradients: targets of 2 columns': () => net.gradients(X, dp.matrix(6, 2)),
    'gradients: NaN target': () => net.gradients(X, targetWithNaN),
    'gradients: target row not summing to 1': () => net.gradients([[1, 2, 3, 4]], [[0.5, 0.2, 0.1]]),
    'gradients: target outside [0, 1] summing to 1': () => net.gradients([[1, 2, 3, 4]], [[-0.5, 1.5, 0]]),
    'evaluate: targets of 4 columns': () => net.evaluate(X, dp.matrix(6, 4)),
    'fitSync: 7 target rows': () => net.fitSync(X, dp.matrix(7, 3)),
    'fitSync: batchSize 0': () => net.fitSync(X, T, { batchSize: 0 }),
    'fitSync: learningRate -0.1': () => net.fitSync(X, T, { learningRate: -0.1 }),
    'fitSync: momentum 1': () => net.fitSync(X, T, { momentum: 1 }),
    'fitSync: epochs 2.5': () => net.fitSync(X, T, { epochs: 2.5 }),
    'fitSync: validation targets of 2 columns': () => net.fitSync(X, T, { validation: { inputs: X, targets: dp.matrix(6, 2) } }),
    'setWeights: 3 × 4 for a 4 × 3 layer': () => net.setWeights(0, dp.matrix(3, 4)),
    'setWeights: NaN': () =>
      net.setWeights(1, [
        [0, 0, 0],
        [0, NaN, 0],
        [0, 0, 0],
      ]),
    'setWeights: layer 2 of 2': () => net.setWeights(2, dp.matrix(3, 3)),
    'setBiases: 2 values for 3 units': () => net.setBiases(0, [0, 0]),
  };
  for (const [label, call] of Object.entries(cases)) expectDeltapropError(label, call);

  const constructors = {
    'softmax on a hidden layer': {
      inputs: 2,
      layers: [
        { units: 2, activation: 'softmax' },
        { units: 2, activation: 'softmax' },
      ],
      loss: 'cross-entropy',
    },
    'softmax with mse': { inputs: 2, layers: [{ units: 2, activation: 'softmax' }], loss: 'mse' },
    'binary-cross-entropy with tanh output': { inputs: 2, layers: [{ units: 1, activation: 'tanh' }], loss: 'binary-cross-entropy' },
    'inputs 0': { inputs: 0, layers: [{ units: 1, activation: 'identity' }] },
    'unknown activation': { inputs: 2, layers: [{ units: 1, activation: 'gelu' }] },
    'units 0': { inputs: 2, layers: [{ units: 0, activation: 'identity' }] },
  };
  for (const [label, options] of Object.entries(constructors)) {
    expectDeltapropError(`new Network: ${label}`, () => new dp.Network({ ...options, backend: 'native' }));
  }
  const bce = new dp.Network({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'binary-cross-entropy', backend: 'native', seed: 1 });
  expectDeltapropError('binary-cross-entropy target 1.5', () => bce.gradients([[0, 1]], [[1.5]]));

  assertBitEqual('params after rejected calls', net.params, before);
  const out = net.predict(X);
  assert.equal(out.rows, 6, 'predict still works: rows');
  assert.ok(out.data.every(Number.isFinite), 'predict still works: finite outputs');
}

async function badAsyncFitInputs() {
  const net = new dp.Network({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse', backend: 'native', seed: 5101 });
  await expectDeltapropErrorAsync('fit: NaN input', () => net.fit([[0, NaN]], [[1]]));
  await expectDeltapropErrorAsync('fit: targets of 2 columns', () => net.fit([[0, 1]], [[1, 0]]));
  await expectDeltapropErrorAsync('fit: batchSize -1', () => net.fit([[0, 1]], [[1]], { batchSize: -1 }));
  const history = await net.fit([[0, 1]], [[1]], { epochs: 2 });
  assert.equal(history.epochs, 2, 'fit still works after rejected calls');
}

// ---------------------------------------------------------------------------
// XOR

function xorLearns() {
  const net = new dp.Network({
    inputs: 2,
    layers: [
      { units: 4, activation: 'sigmoid' },
      { units: 1, activation: 'sigmoid' },
    ],
    loss: 'mse',
    seed: 6001,
    backend: 'native',
  });
  const X = [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ];
  const T = [[0], [1], [1], [0]];
  const history = net.fitSync(X, T, { epochs: 1000, batchSize: 4, learningRate: 2, momentum: 0.9 });
  const out = net.predict(X).data;
  const wrong = T.filter(([t], i) => out[i] > 0.5 !== t > 0.5);
  if (wrong.length > 0) {
    throw new Error(
      `outputs ${Array.from(out)
        .map((v) => v.toFixed(3))
        .join(', ')} after loss ${history.loss.at(-1)}`,
    );
  }
  assert.equal(net.evaluate(X, T).accuracy, 1, 'evaluate().accuracy');
}

module.exports = { badNetworkInputs, badAsyncFitInputs, xorLearns };
