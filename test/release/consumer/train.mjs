// Run inside a project that installed deltaprop: imports it both ways, says
// which engine and binary loaded, and trains a small seeded network.
import path from 'node:path';
import { createRequire } from 'node:module';
import * as esm from 'deltaprop';

const require = createRequire(import.meta.url);
const cjs = require('deltaprop');

function loadedBinary() {
  try {
    return require('node-gyp-build').path(path.dirname(require.resolve('deltaprop/package.json')));
  } catch {
    return null;
  }
}

const net = new esm.Network({
  inputs: 2,
  layers: [
    { units: 4, activation: 'tanh' },
    { units: 1, activation: 'sigmoid' },
  ],
  loss: 'binary-cross-entropy',
  seed: 7,
});
const X = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const T = [[0], [1], [1], [0]];
const history = net.fitSync(X, T, { epochs: 300, batchSize: 2, learningRate: 0.5, momentum: 0.9 });

console.log(
  JSON.stringify({
    backend: esm.backend.name,
    nativeError: esm.backend.nativeError,
    isa: esm.backend.isa,
    sameModule: esm.Network === cjs.Network && esm.backend === cjs.backend,
    binary: loadedBinary(),
    loss: history.loss.at(-1),
    accuracy: net.evaluate(X, T).accuracy,
    params: Array.from(net.params),
  }),
);
