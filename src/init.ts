// Seeded weight initialisation. Biases start at zero.
//   Xavier/Glorot (sigmoid, tanh, identity, softmax): U(−√(6/(fanIn+fanOut)), +√(6/(fanIn+fanOut)))
//   He (relu): N(0, 2/fanIn)
import type { Activation } from './activations.js';
import type { LayerOffsets } from './backend/layout.js';
import type { Init } from './options.js';
import { Random, RandomStream } from './random.js';

function schemeFor(init: Init, activation: Activation): 'xavier' | 'he' {
  if (init !== 'auto') return init;
  return activation === 'relu' ? 'he' : 'xavier';
}

export function initialiseParams(params: Float64Array, offsets: readonly LayerOffsets[], activations: readonly Activation[], init: Init, seed: number): void {
  const random = Random.fromSeed(seed, RandomStream.initialisation);
  offsets.forEach((o, l) => {
    const count = o.fanIn * o.fanOut;
    if (schemeFor(init, activations[l]) === 'he') {
      const sd = Math.sqrt(2 / o.fanIn);
      for (let i = 0; i < count; i++) params[o.weights + i] = sd * random.nextNormal();
    } else {
      const limit = Math.sqrt(6 / (o.fanIn + o.fanOut));
      for (let i = 0; i < count; i++) params[o.weights + i] = limit * (2 * random.nextDouble() - 1);
    }
    if (o.biases >= 0) params.fill(0, o.biases, o.biases + o.fanOut);
  });
}
