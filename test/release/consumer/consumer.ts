// A TypeScript user's code, compiled under strict against the installed
// package's types (once as an ES module, once as CommonJS).
import { backend, DeltapropError, Network } from 'deltaprop';
import type { FitOptions, History, Matrix, NetworkOptions } from 'deltaprop';

const options: NetworkOptions = {
  inputs: 2,
  layers: [
    { units: 3, activation: 'relu' },
    { units: 2, activation: 'softmax' },
  ],
  loss: 'cross-entropy',
  seed: 1,
};
const net = new Network(options);
const fit: FitOptions = { epochs: 2, batchSize: 2, learningRate: 0.1 };
const history: History = net.fitSync(
  [
    [0, 1],
    [1, 0],
  ],
  [
    [1, 0],
    [0, 1],
  ],
  fit,
);
const out: Matrix = net.predict([[0.5, 0.5]]);
const first: number = out.data[0];
const name: 'native' | 'js' = backend.name;

// @ts-expect-error: 'swish' is not an activation
new Network({ inputs: 2, layers: [{ units: 1, activation: 'swish' }] });

try {
  net.predict([[1, 2, 3]]);
} catch (error) {
  if (error instanceof DeltapropError) console.log(error.message, history.loss.length, first, name);
}
