'use strict';
// What a thread count far beyond the cores costs, and that it stops costing
// once lowered again: a small fit timed at the default threads, after
// setThreads(256), and after setThreads back to the cores.
//
//   node bench/threads.js
const os = require('node:os');
const dp = require('deltaprop');
const { median } = require('./lib/measure');

const cores = Math.min(256, os.availableParallelism());
const rows = 4096;
const X = { rows, cols: 64, data: Float64Array.from({ length: rows * 64 }, (_, i) => Math.sin(i)) };
const T = Int32Array.from({ length: rows }, (_, r) => r % 10);

function time() {
  const net = new dp.Network({
    inputs: 64,
    layers: [
      { units: 128, activation: 'relu' },
      { units: 10, activation: 'softmax' },
    ],
    loss: 'cross-entropy',
    seed: 1,
  });
  const runs = [];
  for (let i = 0; i < 5; i++) {
    const start = process.hrtime.bigint();
    net.fitSync(X, T, { epochs: 1, batchSize: 128 });
    runs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(runs);
}

dp.setThreads(cores);
const before = time();
dp.setThreads(256);
const many = time();
dp.setThreads(cores);
const after = time();
console.log(
  `1-epoch fit of ${rows} × 64 rows, 64-128-10: ${before.toFixed(1)} ms on ${cores} threads, ${many.toFixed(1)} ms after setThreads(256), ${after.toFixed(1)} ms after setThreads(${cores}) again (${(after / before).toFixed(2)}× the first)`,
);
