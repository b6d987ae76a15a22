'use strict';
// How responsive a server stays while a network trains in the background on
// the js engine (no native addon): the event loop's delay, sampled by
// perf_hooks, during `await net.fit(...)` of 784-128-10 at batch 128.
// Target: the largest delay under 50 ms.
//
//   node bench/responsiveness.js [--rows 8192] [--epochs 2]
const { monitorEventLoopDelay } = require('node:perf_hooks');
const dp = require('deltaprop');
const { dataset } = require('./lib/data');

const args = process.argv.slice(2);
const option = (name, fallback) => Number(args[args.indexOf(`--${name}`) + 1] ?? fallback) || fallback;
const rows = option('rows', 8192);
const epochs = option('epochs', 2);

(async () => {
  const d = dataset(rows, 784, 10);
  const labels = Int32Array.from({ length: rows }, (_, r) => r % 10);
  const net = new dp.Network({ inputs: 784, layers: [{ units: 128, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'cross-entropy', seed: 1, backend: 'js' });
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const start = process.hrtime.bigint();
  await net.fit({ rows, cols: 784, data: d.X }, labels, { epochs, batchSize: 128, optimizer: 'adam', learningRate: 1e-3 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  delay.disable();
  const ms = (ns) => (ns / 1e6).toFixed(1);
  const max = delay.max / 1e6;
  console.log(`js engine, await fit of 784-128-10 (${rows} rows, ${epochs} epochs, batch 128) in ${seconds.toFixed(1)} s: event-loop delay p50 ${ms(delay.percentile(50))} ms, p99 ${ms(delay.percentile(99))} ms, max ${max.toFixed(1)} ms (target max < 50 ms: ${max < 50 ? 'met' : 'not met'})`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
