'use strict';
// brain.js: online SGD, one sample at a time (it has no minibatches), float32 weights.
const { dataset } = require('../lib/data');
const { timeEachEpoch } = require('../lib/throughput');

let brain = null;
try {
  brain = require('brain.js');
} catch {
  brain = null;
}

function trainer(sizes) {
  return async (rows) => {
    const d = dataset(rows, sizes[0], sizes[sizes.length - 1]);
    const samples = [];
    for (let r = 0; r < rows; r++) {
      samples.push({
        input: Array.from(d.X.subarray(r * d.inputs, (r + 1) * d.inputs)),
        output: Array.from(d.T.subarray(r * d.outputs, (r + 1) * d.outputs)),
      });
    }
    const net = new brain.NeuralNetwork({ hiddenLayers: sizes.slice(1, -1), activation: 'sigmoid', learningRate: 0.01 });
    // One iteration of train() is one pass over the samples.
    const options = { iterations: 1, errorThresh: 1e-12, log: false };
    net.train(samples.slice(0, 1), options); // builds the network
    return timeEachEpoch(() => net.train(samples, options));
  };
}

module.exports = { available: () => brain !== null, trainer };
