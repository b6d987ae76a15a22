// Says which engine and binary loaded, and trains the small seeded network.
import { engineFacts, T, trainXor, X } from './xor.mjs';

const { net, history } = trainXor();

console.log(
  JSON.stringify({
    ...engineFacts(),
    loss: history.loss.at(-1),
    accuracy: net.evaluate(X, T).accuracy,
    params: Array.from(net.params),
  }),
);
