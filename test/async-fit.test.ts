// On the native backend an epoch runs on a worker thread, so timers keep
// firing while fit() is pending. A blocking engine could only run them after
// the epoch ends, when the promise has settled.
import { expect, it } from 'vitest';
import { Network } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { randomRows, seededUniform } from './helpers/data.js';

it.runIf(BACKENDS.includes('native'))('timers fire while a long native epoch runs', async () => {
  const next = seededUniform(3);
  const X = randomRows(4096, 256, next);
  const T = randomRows(4096, 10, next, 0, 1);
  const net = new Network({ inputs: 256, layers: [{ units: 512, activation: 'sigmoid' }, { units: 10, activation: 'sigmoid' }], seed: 1, backend: 'native' });

  let settled = false;
  let ticksWhilePending = 0;
  const timer = setInterval(() => { if (!settled) ticksWhilePending++; }, 1);
  // One epoch: one native call, so every tick counted happened during it.
  await net.fit(X, T, { epochs: 1, batchSize: 64, learningRate: 0.1 }).finally(() => { settled = true; });
  clearInterval(timer);
  expect(ticksWhilePending).toBeGreaterThan(0);
});
