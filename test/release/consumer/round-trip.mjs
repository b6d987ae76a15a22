// For node-versions.test.ts, on the Node under test: which Node, engine and
// binary this is, then the small seeded network trained, saved to `argv[2]`,
// loaded back, and the predictions of both. The test compares them.
import { Network } from 'deltaprop';
import { engineFacts, T, trainXor, X } from './xor.mjs';

const file = process.argv[2];
const { net } = trainXor();
net.save(file);
const loaded = Network.load(file);

console.log(
  JSON.stringify({
    node: process.version,
    ...engineFacts(),
    accuracy: net.evaluate(X, T).accuracy,
    params: Array.from(net.params),
    loadedParams: Array.from(loaded.params),
    predictions: Array.from(net.predict(X).data),
    loadedPredictions: Array.from(loaded.predict(X).data),
  }),
);
