// An async fit's epochs run off the JavaScript thread on both engines (the
// native engine's threads, a worker thread for the js engine), so the event
// loop is idle, free for timers and I/O, while fit() is pending. A blocking
// engine would keep it busy for the whole epoch. The event loop's
// utilisation is measured, not timer ticks: on a loaded machine a tick can
// come late, but waiting in the loop still counts as idle.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { Network } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { seededUniform } from './helpers/data.js';

describe.each(BACKENDS)('async fit on %s', (backend) => {
  it('the event loop is idle while a long epoch runs', async () => {
    const next = seededUniform(3);
    // The js engine is slower: a smaller epoch still takes a good while.
    const [rows, cols, units] = backend === 'native' ? [4096, 256, 512] : [1024, 128, 128];
    const X = { rows, cols, data: Float64Array.from({ length: rows * cols }, next) };
    const T = { rows, cols: 10, data: Float64Array.from({ length: rows * 10 }, next) };
    const net = new Network({
      inputs: cols,
      layers: [
        { units, activation: 'sigmoid' },
        { units: 10, activation: 'sigmoid' },
      ],
      seed: 1,
      backend,
    });

    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
    }, 1);
    const before = performance.eventLoopUtilization();
    await net.fit(X, T, { epochs: 3, batchSize: 64, learningRate: 0.1 });
    const { utilization } = performance.eventLoopUtilization(before);
    clearInterval(timer);
    // The set-up (a copy of 8 MB or less) and the checks between epochs are a small part of three epochs.
    expect(utilization).toBeLessThan(0.5);
    expect(ticks).toBeGreaterThan(0);
  });
});
