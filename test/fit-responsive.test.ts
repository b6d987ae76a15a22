// An async fit leaves the event loop free: its set-up (checks, the input
// scaling, the copy of the rows into the engine) pauses between blocks of
// rows, an abort ends it there, and an abort does not wait for a streamed
// source's pending chunk. The tests observe order, never time: a callback
// queued on the event loop runs during the set-up, before any epoch does.
// bench/responsiveness.js measures the gaps.
import { describe, expect, it } from 'vitest';
import { AbortError, Network } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';

const ROWS = 16_384;
const WIDTH = 784;

function bigData() {
  const data = new Float64Array(ROWS * WIDTH);
  for (let i = 0; i < data.length; i += 97) data[i] = (i % 13) / 13;
  return { X: { rows: ROWS, cols: WIDTH, data }, labels: Int32Array.from({ length: ROWS }, (_, r) => r % 10) };
}

const network = (backend: 'js' | 'native') =>
  new Network({
    inputs: WIDTH,
    layers: [
      { units: 16, activation: 'relu' },
      { units: 10, activation: 'softmax' },
    ],
    loss: 'cross-entropy',
    inputScaling: 'standard',
    seed: 1,
    backend,
  });

describe.each(BACKENDS)('an async fit of 100 MB of rows on %s', (backend) => {
  const { X, labels } = bigData();

  it('lets the event loop turn during its set-up, before the first minibatch', async () => {
    let turns = 0;
    let counting = true;
    const count = () => {
      if (!counting) return;
      turns++;
      setImmediate(count);
    };
    setImmediate(count);
    const controller = new AbortController();
    let turnsBeforeTraining = -1;
    const training = network(backend).fit(X, labels, {
      epochs: 1,
      batchSize: 4096,
      signal: controller.signal,
      // The first progress comes after the first minibatches: stop there, the set-up is what this test is about.
      onProgress: () => {
        if (turnsBeforeTraining < 0) turnsBeforeTraining = turns;
        counting = false;
        controller.abort();
      },
    });
    await training.then(
      () => undefined,
      (e: unknown) => {
        if (!(e instanceof AbortError)) throw e;
      },
    );
    // The set-up reads 100 MB three times (scaling) and copies it once, in blocks: many pauses, whatever the machine.
    expect(turnsBeforeTraining).toBeGreaterThan(1);
  });

  it('an abort during the set-up ends it there: an AbortError, no epoch, the parameters untouched', async () => {
    const net = network(backend);
    const before = Float64Array.from(net.params);
    const controller = new AbortController();
    let progressed = false;
    const training = net.fit(X, labels, {
      epochs: 3,
      batchSize: 4096,
      signal: controller.signal,
      onProgress: () => {
        progressed = true;
      },
    });
    setImmediate(() => controller.abort());
    const error = await training.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).history.epochs).toBe(0);
    expect((error as AbortError).minibatches).toBe(0);
    expect(progressed).toBe(false);
    expect(net.params).toEqual(before);
    // Still usable.
    expect(net.predict({ rows: 1, cols: WIDTH, data: X.data.subarray(0, WIDTH) }).cols).toBe(10);
  });
});

describe.each(BACKENDS)('an async fit with 50 MB of validation rows on %s', (backend) => {
  const { X, labels } = bigData();

  it("lets timers run between an epoch's end and its onEpoch (its checks and validation figures pause)", async () => {
    let timerFired = false;
    let firedBeforeOnEpoch: boolean | null = null;
    await network(backend).fit(X, labels, {
      epochs: 1,
      batchSize: 4096,
      validationSplit: 0.5,
      // The epoch's last minibatch is done: what runs from here to onEpoch is fit's own work on this thread.
      onProgress: ({ minibatches, totalMinibatches }) => {
        if (minibatches === totalMinibatches)
          setTimeout(() => {
            timerFired = true;
          }, 0);
      },
      onEpoch: () => {
        firedBeforeOnEpoch = timerFired;
      },
    });
    // Forwarding 8,192 rows of 784 inputs takes many pauses' worth of time on any machine.
    expect(firedBeforeOnEpoch).toBe(true);
  });
});

describe.each(BACKENDS)('a streamed fit on %s', (backend) => {
  it('an abort does not wait for a stalled source: AbortError at once, and the source is closed', async () => {
    const net = new Network({ inputs: 2, layers: [{ units: 2, activation: 'softmax' }], loss: 'cross-entropy', seed: 1, backend });
    const controller = new AbortController();
    let closed = false;
    let asked!: () => void;
    const askedForSecond = new Promise<void>((resolve) => {
      asked = resolve;
    });
    const source = () => {
      let served = 0;
      return {
        [Symbol.asyncIterator]() {
          return {
            next: () => {
              served++;
              if (served === 1)
                return Promise.resolve({
                  done: false,
                  value: {
                    inputs: [
                      [0, 1],
                      [1, 0],
                    ],
                    targets: [0, 1],
                  },
                });
              asked();
              return new Promise<never>(() => undefined); // stalls forever
            },
            return: () => {
              closed = true;
              return Promise.resolve({ done: true as const, value: undefined });
            },
          };
        },
      };
    };
    const training = net.fit(source, { epochs: 1, signal: controller.signal });
    await askedForSecond;
    controller.abort();
    const error = await training.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(closed).toBe(true);
  });
});
