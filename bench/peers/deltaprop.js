'use strict';
// deltaprop itself, native and js engines.
const deltaprop = require('deltaprop');
const { dataset } = require('../lib/data');

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
    const net = new deltaprop.Network({
      inputs: sizes[0],
      layers: sizes.slice(1).map((units) => ({ units, activation: 'sigmoid' })),
      seed: 1,
      backend: engine,
    });
    const X = { rows, cols: d.inputs, data: d.X };
    const T = { rows, cols: d.outputs, data: d.T };
    return async (epochs) => {
      const stamps = [];
      await net.fit(X, T, { epochs: epochs + 1, batchSize, learningRate: 0.01, optimizer, shuffle: false, onEpoch: () => { stamps.push(process.hrtime.bigint()); } });
      return stamps.slice(1).map((t, i) => Number(t - stamps[i]) / 1e9);
    };
  };
}

module.exports = { available, gemmRunner, trainer, setThreads: deltaprop.setThreads, backend: deltaprop.backend };
