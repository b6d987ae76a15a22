'use strict';
// The tiny-network case on its own (issue 14): 2-3-1, sigmoid, mse, SGD,
// batch 4, rows in order, a 5-epoch fitSync over 65,536 rows after a 1-epoch
// warm-up; samples/s and the cost of one minibatch, on each engine. At this
// size a step is about a hundred floating-point operations, so what it
// measures is everything around them.
//
//   node bench/tiny.js
const dp = require('deltaprop');

const rows = 1 << 16;
const X = dp.matrix(rows, 2, Float64Array.from({ length: rows * 2 }, (_, i) => Math.sin(i)));
const T = dp.matrix(rows, 1, Float64Array.from({ length: rows }, (_, i) => (Math.sin(2 * i) > 0 ? 1 : 0)));
const options = { batchSize: 4, shuffle: false, learningRate: 0.1 };

for (const backend of dp.backend.nativeError === null ? ['native', 'js'] : ['js']) {
  const net = new dp.Network({ inputs: 2, layers: [{ units: 3, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], seed: 1, backend });
  net.fitSync(X, T, { ...options, epochs: 1 });
  const start = process.hrtime.bigint();
  net.fitSync(X, T, { ...options, epochs: 5 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${backend.padEnd(6)} ${(5 * rows / seconds / 1e6).toFixed(2)}M samples/s, ${((seconds / (5 * rows / 4)) * 1e6).toFixed(2)} µs per minibatch of 4`);
}
