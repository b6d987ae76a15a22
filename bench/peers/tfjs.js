'use strict';
// TensorFlow.js in Node without native bindings: the pure-JS 'cpu' backend
// and the WebAssembly backend. float32 (tfjs has no float64).
const { dataset } = require('../lib/data');
const { timeEachEpoch } = require('../lib/throughput');

let tf = null;
try {
  tf = require('@tensorflow/tfjs');
  require('@tensorflow/tfjs-backend-wasm');
} catch {
  tf = null;
}

async function use(backendName) {
  await tf.setBackend(backendName);
  await tf.ready();
}

async function available(backendName) {
  if (tf === null) return false;
  try {
    await use(backendName);
    return true;
  } catch {
    return false;
  }
}

function trainer(backendName, sizes, batchSize) {
  return async (rows) => {
    await use(backendName);
    const d = dataset(rows, sizes[0], sizes[sizes.length - 1]);
    const model = tf.sequential();
    sizes.slice(1).forEach((units, i) => {
      model.add(tf.layers.dense({ units, activation: 'sigmoid', ...(i === 0 ? { inputShape: [sizes[0]] } : {}) }));
    });
    model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
    const X = tf.tensor2d(Float32Array.from(d.X), [rows, d.inputs]);
    const T = tf.tensor2d(Float32Array.from(d.T), [rows, d.outputs]);
    return timeEachEpoch(() => model.fit(X, T, { epochs: 1, batchSize, shuffle: false, verbose: 0 }));
  };
}

module.exports = { available, trainer };
