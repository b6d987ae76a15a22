// fit's onProgress: reports during each epoch, between minibatches, and
// changes nothing about the training (to the bit), in memory and streamed,
// async and sync, on both engines.
import { describe, expect, it } from 'vitest';
import type { BatchProgress, Chunk } from '../src/index.js';
import { AbortError, DeltapropError, Network } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { randomRows, seededUniform } from './helpers/data.js';

const rows = 1000;
const next = seededUniform(11);
const X = randomRows(rows, 4, next);
const labels = Int32Array.from({ length: rows }, (_, r) => (X[r][0] + X[r][1] > 0 ? 1 : 0) + (X[r][2] > 0.5 ? 1 : 0));

const make = (backend: 'js' | 'native') =>
  new Network({
    inputs: 4,
    layers: [
      { units: 8, activation: 'tanh', dropout: 0.2 },
      { units: 3, activation: 'softmax' },
    ],
    loss: 'cross-entropy',
    seed: 9,
    backend,
  });
const options = { epochs: 3, batchSize: 7, optimizer: 'adam' as const, learningRate: 0.01 };

const sameBits = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

describe.each(BACKENDS)('onProgress on %s', (backend) => {
  it.each([
    ['fit', true],
    ['fitSync', false],
  ])("%s: the same parameters and history as without it; reports rise to the epoch's minibatches", async (_, async) => {
    const plain = make(backend);
    const watched = make(backend);
    const reports: BatchProgress[] = [];
    const run = (net: Network, extra: object) => (async ? net.fit(X, labels, { ...options, ...extra }) : Promise.resolve(net.fitSync(X, labels, { ...options, ...extra })));
    const h1 = await run(plain, {});
    const h2 = await run(watched, { onProgress: (p: BatchProgress) => reports.push({ ...p }) });
    expect(sameBits(watched.params, plain.params)).toBe(true);
    expect(h2).toEqual(h1);

    const minibatches = Math.ceil(rows / options.batchSize); // 143
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const mine = reports.filter((p) => p.epoch === epoch);
      expect(mine.length).toBeGreaterThan(10);
      expect(mine.length).toBeLessThanOrEqual(100);
      for (let i = 1; i < mine.length; i++) expect(mine[i].minibatches).toBeGreaterThan(mine[i - 1].minibatches);
      expect(mine.every((p) => p.totalMinibatches === minibatches)).toBe(true);
      const last = mine[mine.length - 1];
      expect(last.minibatches).toBe(minibatches);
      expect(last.rows).toBe(rows);
      // The last report's loss is the epoch's data loss (no L2 here): history's figure.
      expect(last.loss).toBeCloseTo(h1.loss[epoch], 12);
      expect(mine.every((p) => p.rows === Math.min(rows, p.minibatches * options.batchSize))).toBe(true);
    }
  });

  it('streamed: the same parameters as without it, reports without a known total', async () => {
    const source = () =>
      (function* (): Generator<Chunk> {
        for (let at = 0; at < rows; at += 100) yield { inputs: X.slice(at, at + 100), targets: labels.subarray(at, at + 100) };
      })();
    const stream = { ...options, shuffleBuffer: 250 };
    const plain = make(backend);
    await plain.fit(source, stream);
    const watched = make(backend);
    const reports: BatchProgress[] = [];
    await watched.fit(source, { ...stream, onProgress: (p) => reports.push({ ...p }) });
    expect(sameBits(watched.params, plain.params)).toBe(true);
    expect(reports.length).toBeGreaterThanOrEqual(options.epochs * 4);
    expect(reports.every((p) => p.totalMinibatches === null)).toBe(true);
    expect(reports.filter((p) => p.epoch === 0).at(-1)!.rows).toBe(rows);
  });

  it('an abort from onProgress stops the epoch at its next slice, with the minibatches run so far', async () => {
    const net = make(backend);
    const controller = new AbortController();
    let reports = 0;
    const error = await net
      .fit(X, labels, {
        ...options,
        signal: controller.signal,
        onProgress: () => {
          if (++reports === 5) controller.abort();
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(reports).toBe(5);
  });

  it('refuses a non-function', () => {
    expect(() => make(backend).fitSync(X, labels, { onProgress: 5 as never })).toThrow(DeltapropError);
    expect(() => make(backend).fitSync(X, labels, { onProgress: 5 as never })).toThrow(/onProgress.*function/);
  });
});
