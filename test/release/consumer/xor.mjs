// What the consumer scripts share, run inside a project that installed
// deltaprop: the package imported both ways, which engine and binary loaded,
// and the small seeded network they train.
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

/** The engine facts the tests compare, as the ES module sees them (and whether require() gives the same objects). */
export function engineFacts() {
  return {
    backend: esm.backend.name,
    nativeError: esm.backend.nativeError,
    isa: esm.backend.isa,
    sameModule: esm.Network === cjs.Network && esm.backend === cjs.backend,
    binary: loadedBinary(),
  };
}

export const X = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
export const T = [[0], [1], [1], [0]];

/** A 2-4-1 network trained on XOR from a fixed seed, on the default engine. */
export function trainXor() {
  const net = new esm.Network({
    inputs: 2,
    layers: [
      { units: 4, activation: 'tanh' },
      { units: 1, activation: 'sigmoid' },
    ],
    loss: 'binary-cross-entropy',
    seed: 7,
  });
  const history = net.fitSync(X, T, { epochs: 300, batchSize: 2, learningRate: 0.5, momentum: 0.9 });
  return { net, history };
}
