// An async fit's epochs run off the JavaScript thread on both engines (the
// native engine's threads, a worker thread for the js engine), so timers
// keep firing while fit() is pending. A blocking engine could only run them
// after the epoch ends, when the promise has settled.
import { describe, expect, it } from 'vitest';
import { Network } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { seededUniform } from './helpers/data.js';

describe.each(BACKENDS)('async fit on %s', (backend) => {
  it('timers fire while a long epoch runs', async () => {
    const next = seededUniform(3);
    // The js engine is slower: a smaller epoch still takes a good while.
    const [rows, cols, units] = backend === 'native' ? [4096, 256, 512] : [1024, 128, 128];
    const X = { rows, cols, data: Float64Array.from({ length: rows * cols }, next) };
    const T = { rows, cols: 10, data: Float64Array.from({ length: rows * 10 }, next) };
    const net = new Network({ inputs: cols, layers: [{ units, activation: 'sigmoid' }, { units: 10, activation: 'sigmoid' }], seed: 1, backend });

    let settled = false;
    let ticksWhilePending = 0;
    const timer = setInterval(() => { if (!settled) ticksWhilePending++; }, 1);
    // One epoch (rows well under the block copy's 16 × 1,024): one engine call, so every tick counted happened during it.
    await net.fit(X, T, { epochs: 1, batchSize: 64, learningRate: 0.1 }).finally(() => { settled = true; });
    clearInterval(timer);
    // A blocking epoch leaves room for a tick or two (before it starts, after it ends), not ten.
    expect(ticksWhilePending).toBeGreaterThanOrEqual(10);
  });
});
