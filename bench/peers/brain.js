'use strict';
// brain.js: online SGD, one sample at a time (it has no minibatches), float32
// weights. Run as its users run it: one train() call of many iterations.
// (Timing one call per epoch understates it about 3.5×: every call formats
// the whole data set again.)
const { dataset } = require('../lib/data');

let brain = null;
try {
  brain = require('brain.js');
} catch {
  brain = null;
}

const version = () => require('brain.js/package.json').version;
const configuration = () => `brain.js ${version()}, one train() call of all the epochs (iterations), online SGD, float32`;

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
    net.train(samples.slice(0, 1), { iterations: 1, log: false }); // builds the network
    // One iteration is one pass over the samples; errorThresh so small it never stops training early.
    return async (epochs) => {
      const start = process.hrtime.bigint();
      const result = net.train(samples, { iterations: epochs, errorThresh: 1e-30, log: false });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (result.iterations !== epochs) throw new Error(`brain.js ran ${result.iterations} iterations, not ${epochs}`);
      return Array(epochs).fill(seconds / epochs);
    };
  };
}

module.exports = { available: () => brain !== null, trainer, configuration };
