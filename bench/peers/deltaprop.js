'use strict';
// deltaprop itself, native and js engines.
const deltaprop = require('deltaprop');
const { dataset } = require('../lib/data');
const { median } = require('../lib/measure');

function available(engine) {
  return engine === 'js' || deltaprop.backend.nativeError === null;
}

/** C := A·B for an m × k and a k × n matrix: returns a function doing it once. */
function gemmRunner(engine, m, n, k) {
  const { X: A } = dataset(m, k, 0, 1);
  const { X: B } = dataset(k, n, 0, 2);
  const C = new Float64Array(m * n);
  return () => deltaprop.gemm(false, false, m, n, k, 1, A, k, B, n, 0, C, n, { backend: engine });
}

/**
 * Epochs of minibatch training with `optimizer` ('sgd' or 'adam'), sigmoid layers, mse, over `rows` samples: one fit
 * call per run, timed epoch by epoch with onEpoch. The first epoch of a fit
 * also copies the data set into the engine, so it is run and not counted.
 * Rows are visited in order (shuffle: false), as in every peer's loop here.
 */
function trainer(engine, sizes, batchSize, optimizer = 'sgd') {
  return async (rows) => {
    const d = dataset(rows, sizes[0], sizes[sizes.length - 1]);
    const net = sigmoidNetwork(sizes, engine);
    const X = { rows, cols: d.inputs, data: d.X };
    const T = { rows, cols: d.outputs, data: d.T };
    return (epochs) => epochSeconds(net, X, T, { epochs: epochs + 1, batchSize, learningRate: 0.01, optimizer, shuffle: false });
  };
}

/** A network of sigmoid layers of these sizes, seed 1, on `engine` (the default engine when not given). */
function sigmoidNetwork(sizes, engine) {
  return new deltaprop.Network({ inputs: sizes[0], layers: sizes.slice(1).map((units) => ({ units, activation: 'sigmoid' })), seed: 1, backend: engine });
}

/** The seconds of every epoch of one fit but its first, which also copies the rows into the engine. */
async function epochSeconds(net, X, T, options) {
  const stamps = [];
  await net.fit(X, T, {
    ...options,
    onEpoch: () => {
      stamps.push(process.hrtime.bigint());
    },
  });
  return stamps.slice(1).map((t, i) => Number(t - stamps[i]) / 1e9);
}

/** predict as a server calls it: one-row latency (median, p99 over many calls) and rows/s of 1,024-row calls. */
function inference(engine, sizes) {
  const net = sigmoidNetwork(sizes, engine);
  const latencies = (rows, calls) => {
    const x = deltaprop.matrix(rows, sizes[0], dataset(rows, sizes[0], 1).X);
    for (let i = 0; i < calls / 10; i++) net.predict(x);
    const times = [];
    for (let i = 0; i < calls; i++) {
      const start = process.hrtime.bigint();
      net.predict(x);
      times.push(Number(process.hrtime.bigint() - start) / 1e9);
    }
    return times.sort((a, b) => a - b);
  };
  const one = latencies(1, 3000);
  const block = latencies(1024, 60);
  return { median: one[one.length >> 1], p99: one[Math.floor(one.length * 0.99)], rowsPerSecond: 1024 / block[block.length >> 1] };
}

/**
 * What a fit call costs beyond its epochs: a 1-epoch fit (its whole call)
 * against the median epoch of a long fit, on the same rows.
 */
async function fitOverhead(engine, sizes, rows, batchSize) {
  const d = dataset(rows, sizes[0], sizes[sizes.length - 1]);
  const X = { rows, cols: d.inputs, data: d.X };
  const T = { rows, cols: d.outputs, data: d.T };
  const options = { batchSize, learningRate: 0.01, shuffle: false };
  await sigmoidNetwork(sizes, engine).fit(X, T, { ...options, epochs: 1 }); // warm-up
  const single = [];
  for (let i = 0; i < 5; i++) {
    const net = sigmoidNetwork(sizes, engine);
    const start = process.hrtime.bigint();
    await net.fit(X, T, { ...options, epochs: 1 });
    single.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  const epochs = await epochSeconds(sigmoidNetwork(sizes, engine), X, T, { ...options, epochs: 11 });
  return { oneEpochFit: median(single), epochOfLongFit: median(epochs) };
}

module.exports = { available, gemmRunner, trainer, inference, fitOverhead, sigmoidNetwork, epochSeconds, setThreads: deltaprop.setThreads, backend: deltaprop.backend };
