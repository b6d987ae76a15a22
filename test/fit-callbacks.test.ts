// fit()'s callbacks, checkpoints and abort signal, from the spec: onEpoch may
// read the network (and only read it), may return a Promise; an async fit
// refuses every call naming the method; checkpoints are atomic saves of the
// state at their epoch; an abort keeps the parameters of the last minibatch.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AbortError, DeltapropError, Network } from '../src/index.js';
import type { Matrix } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { randomRows, seededUniform } from './helpers/data.js';
import { errorOf } from './helpers/errors.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const next = seededUniform(99);
const X = randomRows(24, 3, next);
const T = randomRows(24, 2, next, 0, 1);
const VX = randomRows(8, 3, next);
const VT = VX.map((r) => [r[0] > 0 ? 0.9 : 0.1, r[1] > 0 ? 0.8 : 0.2]);

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'deltaprop-fitcb-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function rejection(p: unknown): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

/** The error of a call that may throw or return a rejecting promise. */
async function failureOf(f: () => unknown): Promise<Error> {
  let result: unknown;
  try {
    result = f();
  } catch (e) {
    return e as Error;
  }
  return rejection(result);
}

const bits = (a: ArrayLike<number>) => Array.from(a);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(BACKENDS)('fit callbacks on %s', (backend) => {
  const options = {
    inputs: 3,
    layers: [
      { units: 5, activation: 'tanh' as const },
      { units: 2, activation: 'sigmoid' as const },
    ],
    seed: 11,
    backend,
  };
  const fitOpts = { batchSize: 5, learningRate: 0.4, shuffle: true, momentum: 0.5 };

  describe('onEpoch reads the network', () => {
    for (const mode of ['fitSync', 'fit'] as const) {
      it(`${mode}: predict, forward, evaluate, gradients, toJSON and save inside onEpoch see the epoch's parameters`, async () => {
        const net = new Network(options);
        const dir = tempDir();
        const seen: Any[] = [];
        const onEpoch = ({ epoch }: { epoch: number }) => {
          const file = path.join(dir, `e${epoch}.json`);
          net.save(file);
          seen.push({
            params: bits(net.params),
            predict: bits(net.predict(VX).data),
            forward: net.forward(VX).map((m) => bits(m.data)),
            evaluate: net.evaluate(VX, VT),
            gradients: bits(net.gradients(X, T).grads),
            json: JSON.stringify(net.toJSON()),
            file,
          });
        };
        if (mode === 'fit') await net.fit(X, T, { ...fitOpts, epochs: 3, onEpoch });
        else net.fitSync(X, T, { ...fitOpts, epochs: 3, onEpoch });
        expect(seen).toHaveLength(3);
        // Each epoch's reads equal a reference trained for that many epochs.
        for (let e = 0; e < 3; e++) {
          const ref = new Network(options);
          ref.fitSync(X, T, { ...fitOpts, epochs: e + 1 });
          expect(seen[e].params).toEqual(bits(ref.params));
          expect(seen[e].predict).toEqual(bits(ref.predict(VX).data));
          expect(seen[e].forward).toEqual(ref.forward(VX).map((m) => bits(m.data)));
          expect(seen[e].evaluate).toEqual(ref.evaluate(VX, VT));
          expect(seen[e].gradients).toEqual(bits(ref.gradients(X, T).grads));
          expect(seen[e].json).toBe(JSON.stringify(ref.toJSON()));
          expect(bits(Network.load(seen[e].file, { backend }).params)).toEqual(bits(ref.params));
        }
        // The last epoch's view is the final network.
        expect(seen[2].params).toEqual(bits(net.params));
        expect(seen[2].json).toBe(JSON.stringify(net.toJSON()));
      });

      it(`${mode}: another fit/fitSync and the writes are refused inside onEpoch, naming the method`, async () => {
        const net = new Network(options);
        const errors: Record<string, Error | undefined> = {};
        const pending: Promise<void>[] = [];
        const attempt = (name: string, f: () => unknown) => {
          try {
            const r = f();
            if (r && typeof (r as Promise<unknown>).then === 'function') {
              pending.push(
                (r as Promise<unknown>).then(
                  () => {
                    errors[name] = undefined;
                  },
                  (e) => {
                    errors[name] = e as Error;
                  },
                ),
              );
            } else errors[name] = undefined;
          } catch (e) {
            errors[name] = e as Error;
          }
        };
        let paramsInside: number[] = [];
        const onEpoch = ({ epoch }: { epoch: number }) => {
          if (epoch !== 0) return;
          paramsInside = bits(net.params);
          attempt('fitSync', () => net.fitSync(X, T, { epochs: 1 }));
          attempt('fit', () => net.fit(X, T, { epochs: 1 }));
          attempt('setWeights', () => net.setWeights(0, { rows: 3, cols: 5, data: new Float64Array(15) }));
          attempt('setBiases', () => net.setBiases(0, new Float64Array(5)));
          attempt('resetOptimizer', () => net.resetOptimizer());
          attempt('adapt', () => (net as Any).adapt(X));
        };
        if (mode === 'fit') await net.fit(X, T, { ...fitOpts, epochs: 2, onEpoch });
        else net.fitSync(X, T, { ...fitOpts, epochs: 2, onEpoch });
        await Promise.all(pending);
        for (const name of ['fitSync', 'fit', 'setWeights', 'setBiases', 'resetOptimizer', 'adapt']) {
          const e = errors[name];
          expect(e, name).toBeInstanceOf(DeltapropError);
          expect(e!.message, name).toMatch(new RegExp(`\\b${name}\\b`));
        }
        // Nothing was written: training went on as if nothing had been tried.
        const ref = new Network(options);
        ref.fitSync(X, T, { ...fitOpts, epochs: 1 });
        expect(paramsInside).toEqual(bits(ref.params));
        ref.fitSync(X, T, { ...fitOpts, epochs: 1 });
        expect(bits(net.params)).toEqual(bits(ref.params));
      });
    }

    it('adapt is refused inside onEpoch on a network with inputScaling too', () => {
      const net = new Network({ ...options, inputScaling: 'standard' } as Any);
      let error: Error | undefined;
      net.fitSync(X, T, {
        epochs: 1,
        onEpoch: () => {
          error = errorOf(() => (net as Any).adapt(X));
        },
      });
      expect(error).toBeInstanceOf(DeltapropError);
      expect(error!.message).toMatch(/\badapt\b/);
    });
  });

  describe('onEpoch as a plain function', () => {
    for (const mode of ['fit', 'fitSync'] as const) {
      it(`${mode}: it is called without a \`this\` (nothing of the library's own reaches it)`, async () => {
        const seen: unknown[] = [];
        const onEpoch = function (this: unknown) {
          'use strict';
          seen.push(this);
        };
        const net = new Network(options);
        if (mode === 'fit') await net.fit(X, T, { ...fitOpts, epochs: 2, onEpoch });
        else net.fitSync(X, T, { ...fitOpts, epochs: 2, onEpoch });
        expect(seen).toEqual([undefined, undefined]);
      });

      it(`${mode}: changing the info it was given changes nothing the fit records (stoppedEpoch is the loop's own epoch)`, async () => {
        const onEpoch = (info: { epoch: number; loss: number }) => {
          const stop = info.epoch === 1;
          info.epoch = 42;
          info.loss = -1;
          return stop ? false : undefined;
        };
        const opts = { ...fitOpts, epochs: 5, onEpoch, earlyStopping: { monitor: 'loss' as const, patience: 100 } };
        const net = new Network(options);
        const h = mode === 'fit' ? await net.fit(X, T, opts) : net.fitSync(X, T, opts);
        expect([h.epochs, h.stoppedEpoch]).toEqual([2, 1]);
        expect(h.loss.every((l) => l > 0)).toBe(true);
      });
    }
  });

  describe('onEpoch returning a Promise', () => {
    it('fit awaits it before the next epoch', async () => {
      const net = new Network(options);
      const log: string[] = [];
      await net.fit(X, T, {
        ...fitOpts,
        epochs: 3,
        onEpoch: async ({ epoch }: { epoch: number }) => {
          log.push(`start ${epoch}`);
          await sleep(5);
          log.push(`end ${epoch}`);
        },
      } as Any);
      expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
    });

    it('a Promise resolving to false stops training; anything else goes on', async () => {
      const net = new Network(options);
      const h = await net.fit(X, T, {
        ...fitOpts,
        epochs: 10,
        onEpoch: async ({ epoch }: { epoch: number }) => {
          await sleep(1);
          return epoch === 3 ? false : undefined;
        },
      } as Any);
      expect(h.epochs).toBe(4);
      expect(h.loss).toHaveLength(4);
      const ref = new Network(options);
      ref.fitSync(X, T, { ...fitOpts, epochs: 4 });
      expect(bits(net.params)).toEqual(bits(ref.params));
      const h2 = await new Network(options).fit(X, T, { ...fitOpts, epochs: 3, onEpoch: () => Promise.resolve(true) } as Any);
      expect(h2.epochs).toBe(3);
    });

    it('a Promise returned to fitSync is a DeltapropError that says to use fit', () => {
      const net = new Network(options);
      const e = errorOf(() => net.fitSync(X, T, { ...fitOpts, epochs: 3, onEpoch: () => Promise.resolve() } as Any));
      expect(e).toBeInstanceOf(DeltapropError);
      expect(e.message).toMatch(/\bfit\b/);
      expect(e.message).toMatch(/Promise/i);
    });
  });

  describe('during an async fit', () => {
    it('every call is refused, and the message names the method called', async () => {
      const net = new Network(options);
      const bigX = randomRows(2000, 3, seededUniform(5));
      const bigT = randomRows(2000, 2, seededUniform(6), 0, 1);
      const running = net.fit(bigX, bigT, { epochs: 5, batchSize: 4, learningRate: 0.1 });
      const dir = tempDir();
      const calls: Array<[string, () => unknown]> = [
        ['predict', () => net.predict(X)],
        ['forward', () => net.forward(X)],
        ['evaluate', () => net.evaluate(X, T)],
        ['gradients', () => net.gradients(X, T)],
        ['toJSON', () => net.toJSON()],
        ['save', () => net.save(path.join(dir, 'x.json'))],
        ['fitSync', () => net.fitSync(X, T, { epochs: 1 })],
        ['fit', () => net.fit(X, T, { epochs: 1 })],
        ['setWeights', () => net.setWeights(0, { rows: 3, cols: 5, data: new Float64Array(15) })],
        ['setBiases', () => net.setBiases(0, new Float64Array(5))],
        ['resetOptimizer', () => net.resetOptimizer()],
        ['adapt', () => (net as Any).adapt(X)],
      ];
      const results: Array<[string, Error]> = [];
      for (const [name, f] of calls) results.push([name, await failureOf(f)]);
      await running;
      for (const [name, e] of results) {
        expect(e, name).toBeInstanceOf(DeltapropError);
        expect(e.message, name).toMatch(new RegExp(`\\b${name}\\b`));
      }
      const predictMessage = results[0][1].message;
      expect(predictMessage).not.toMatch(/forward/);
      expect(results[2][1].message).not.toMatch(/\b(forward|predict)\b/);
      expect(readdirSync(dir)).toEqual([]);
      // After fit, everything works again.
      expect(net.predict(X).rows).toBe(24);
    });
  });

  describe('checkpoints', () => {
    const record = (net: Network, states: string[]) => () => {
      states.push(JSON.stringify(net.toJSON()));
    };
    const loadedState = (file: string) => JSON.stringify(Network.load(file, { backend }).toJSON());
    const canonical = (json: string) => JSON.stringify(Network.fromJSON(json, { backend }).toJSON());

    for (const mode of ['fitSync', 'fit'] as const) {
      it(`${mode}: every epoch (default): the file is the last epoch's state and the folder holds only it`, async () => {
        const dir = tempDir();
        const file = path.join(dir, 'model.json');
        const net = new Network(options);
        const states: string[] = [];
        const opts = { ...fitOpts, epochs: 4, checkpoint: { path: file }, onEpoch: record(net, states) } as Any;
        if (mode === 'fit') await net.fit(X, T, opts);
        else net.fitSync(X, T, opts);
        expect(readdirSync(dir)).toEqual(['model.json']);
        expect(loadedState(file)).toBe(canonical(states[3]));
      });
    }

    it('a checkpoint is written during training, each epoch overwriting the last', () => {
      const dir = tempDir();
      const file = path.join(dir, 'model.json');
      const net = new Network(options);
      const states: string[] = [];
      const onDisk: Array<string | null> = [];
      net.fitSync(X, T, {
        ...fitOpts,
        epochs: 4,
        checkpoint: { path: file },
        onEpoch: () => {
          states.push(JSON.stringify(net.toJSON()));
          onDisk.push(readdirSync(dir).includes('model.json') ? loadedState(file) : null);
        },
      } as Any);
      // At the epoch e callback the file holds epoch e's state, or (if saved after onEpoch) epoch e − 1's.
      const savedBefore = onDisk[0] !== null;
      for (let e = 1; e < 4; e++) expect(onDisk[e]).toBe(canonical(states[savedBefore ? e : e - 1]));
    });

    it("every: 2 over 5 epochs saves after epochs 2 and 4 (the file holds the 4th epoch's state)", () => {
      const dir = tempDir();
      const file = path.join(dir, 'ck.json');
      const net = new Network(options);
      const states: string[] = [];
      net.fitSync(X, T, { ...fitOpts, epochs: 5, checkpoint: { path: file, every: 2 }, onEpoch: record(net, states) } as Any);
      expect(readdirSync(dir)).toEqual(['ck.json']);
      expect(loadedState(file)).toBe(canonical(states[3]));
      expect(loadedState(file)).not.toBe(canonical(states[4]));
    });

    it('with monitor: saved only when the figure improves (the file holds the best epoch)', async () => {
      const antiVT = T.slice(0, 8).map((r) => r.map((t) => 1 - t));
      const validation = { inputs: X.slice(0, 8), targets: antiVT };
      for (const monitor of ['validationLoss', 'loss'] as const) {
        const dir = tempDir();
        const file = path.join(dir, 'best.json');
        const net = new Network(options);
        const states: string[] = [];
        const opts = { batchSize: 3, learningRate: 2, momentum: 0.9, epochs: 12, validation };
        const h = await net.fit(X, T, { ...opts, checkpoint: { path: file, monitor }, onEpoch: record(net, states) } as Any);
        const series = monitor === 'loss' ? h.loss : h.validationLoss!;
        let best = 0;
        series.forEach((v, e) => {
          if (v < series[best]) best = e;
        });
        if (monitor === 'validationLoss') expect(best).toBeLessThan(11); // the fixture: the best is not the last epoch
        expect(readdirSync(dir)).toEqual(['best.json']);
        expect(loadedState(file)).toBe(canonical(states[best]));
      }
    });

    it('monitor validationAccuracy: the file holds the first epoch of the highest accuracy', () => {
      const dir = tempDir();
      const file = path.join(dir, 'acc.json');
      const net = new Network(options);
      const states: string[] = [];
      const h = net.fitSync(X, T, {
        batchSize: 4,
        learningRate: 1,
        epochs: 10,
        validation: { inputs: VX, targets: VT },
        checkpoint: { path: file, monitor: 'validationAccuracy' },
        onEpoch: record(net, states),
      } as Any) as Any;
      let best = 0;
      h.validationAccuracy.forEach((v: number, e: number) => {
        if (v > h.validationAccuracy[best]) best = e;
      });
      expect(loadedState(file)).toBe(canonical(states[best]));
    });
  });

  describe('abort', () => {
    it('an already-aborted signal rejects before any training', async () => {
      const net = new Network(options);
      const before = bits(net.params);
      const controller = new AbortController();
      controller.abort();
      const e = (await rejection(net.fit(X, T, { ...fitOpts, epochs: 3, signal: controller.signal } as Any))) as AbortError;
      expect(e.name).toBe('AbortError');
      expect(e).toBeInstanceOf(AbortError);
      expect(e.history.epochs).toBe(0);
      expect(e.history.loss).toEqual([]);
      expect(e.minibatches).toBe(0);
      expect(bits(net.params)).toEqual(before);
      // Still usable, and untouched: it trains exactly like a fresh network.
      net.fitSync(X, T, { ...fitOpts, epochs: 1 });
      const ref = new Network(options);
      ref.fitSync(X, T, { ...fitOpts, epochs: 1 });
      expect(bits(net.params)).toEqual(bits(ref.params));
    });

    it('aborting inside onEpoch stops after that epoch; the network trains on like an unaborted one', async () => {
      const net = new Network(options);
      const controller = new AbortController();
      const opts = { batchSize: 5, learningRate: 0.05, shuffle: true, optimizer: 'adam' as const };
      const e = (await rejection(
        net.fit(X, T, {
          ...opts,
          epochs: 6,
          signal: controller.signal,
          onEpoch: ({ epoch }: { epoch: number }) => {
            if (epoch === 1) controller.abort();
          },
        } as Any),
      )) as AbortError;
      expect(e).toBeInstanceOf(AbortError);
      expect(e.name).toBe('AbortError');
      expect(e.history.epochs).toBe(2);
      expect(e.history.loss).toHaveLength(2);
      expect(e.minibatches).toBe(0);
      const ref = new Network(options);
      const hr = ref.fitSync(X, T, { ...opts, epochs: 2 });
      expect(e.history.loss).toEqual(hr.loss);
      expect(bits(net.params)).toEqual(bits(ref.params));
      net.fitSync(X, T, { ...opts, epochs: 1 });
      ref.fitSync(X, T, { ...opts, epochs: 1 });
      expect(bits(net.params)).toEqual(bits(ref.params));
    });

    it('fitSync: aborting inside onEpoch throws the AbortError too', () => {
      const net = new Network(options);
      const controller = new AbortController();
      const e = errorOf(() =>
        net.fitSync(X, T, {
          ...fitOpts,
          epochs: 5,
          signal: controller.signal,
          onEpoch: ({ epoch }: { epoch: number }) => {
            if (epoch === 2) controller.abort();
          },
        } as Any),
      ) as AbortError;
      expect(e.name).toBe('AbortError');
      expect(e.history.epochs).toBe(3);
      const ref = new Network(options);
      ref.fitSync(X, T, { ...fitOpts, epochs: 3 });
      expect(bits(net.params)).toEqual(bits(ref.params));
    });

    it('an abort from a timer while the epoch runs off the JS thread keeps the parameters of the last finished minibatch (equal to a re-run to the bit)', async () => {
      // 1,250 minibatches of 16 rows: with onProgress the epoch runs as about
      // 100 engine calls of 13 minibatches each, long enough (tens of ms) for
      // a timer to fire inside one.
      const rows = 20000;
      const cols = backend === 'native' ? 784 : 256;
      const hidden = backend === 'native' ? 256 : 128;
      const gen = seededUniform(17);
      const Xm: Matrix = { rows, cols, data: Float64Array.from({ length: rows * cols }, () => gen()) };
      const Tm: Matrix = { rows, cols: 10, data: new Float64Array(rows * 10) };
      for (let n = 0; n < rows; n++) Tm.data[n * 10 + Math.floor(gen() * 10)] = 1;
      const netOptions = {
        inputs: cols,
        layers: [
          { units: hidden, activation: 'sigmoid' as const },
          { units: 10, activation: 'sigmoid' as const },
        ],
        seed: 3,
        backend,
      };
      const opts = { batchSize: 16, learningRate: 1e-3, optimizer: 'adam' as const, shuffle: false };
      const few = { rows: 64, cols, data: Xm.data.subarray(0, 64 * cols) };
      const fewT = { rows: 64, cols: 10, data: Tm.data.subarray(0, 640) };

      // The abort waits for onProgress, which proves the epoch under way, not
      // for a time: the second report arms a timer for about half an engine
      // call (the gap between the first two reports), which fires while the
      // next call runs off the JS thread; if it has not fired by the third
      // report (a loaded machine), that report aborts, between two calls.
      // Either way the abort lands in the first epoch, within one engine call
      // of the second report, and the parameters must be those of the last
      // finished minibatch. Where it landed is logged, not tested.
      const net = new Network(netOptions);
      const controller = new AbortController();
      const reports: Array<{ epoch: number; minibatches: number; at: number }> = [];
      let abortedBy: string | null = null;
      let timer: NodeJS.Timeout | undefined;
      const abort = (by: string) => {
        if (abortedBy !== null) return;
        abortedBy = by;
        controller.abort();
      };
      const onProgress = ({ epoch, minibatches }: { epoch: number; minibatches: number }) => {
        reports.push({ epoch, minibatches, at: performance.now() });
        if (reports.length === 2) timer = setTimeout(() => abort('timer'), (reports[1].at - reports[0].at) / 2);
        if (reports.length === 3) abort('third report');
      };
      const e = (await rejection(net.fit(Xm, Tm, { ...opts, epochs: 50, signal: controller.signal, onProgress } as Any))) as AbortError;
      clearTimeout(timer);
      expect(e).toBeInstanceOf(AbortError);
      expect(e.name).toBe('AbortError');
      expect(reports.length).toBeGreaterThanOrEqual(2);
      expect(reports.length).toBeLessThanOrEqual(3);
      expect(reports.every((r) => r.epoch === 0)).toBe(true);
      const slice = reports[0].minibatches; // minibatches per engine call
      expect(slice).toBeGreaterThan(0);
      const m = e.minibatches;
      expect(e.history.epochs).toBe(0);
      expect(e.history.loss).toEqual([]);
      expect(m).toBeGreaterThanOrEqual(reports[1].minibatches);
      expect(m).toBeLessThanOrEqual(reports[1].minibatches + slice);
      const inside = m > reports[1].minibatches && m < reports[1].minibatches + slice;
      console.log(
        `${backend}: aborted by the ${abortedBy} after ${m} of ${Math.ceil(rows / 16)} minibatches, ${inside ? 'inside an engine call' : 'at the edge of an engine call'} (${slice} minibatches each)`,
      );

      const ref = new Network(netOptions);
      const k = m * 16;
      ref.fitSync({ rows: k, cols, data: Xm.data.subarray(0, k * cols) }, { rows: k, cols: 10, data: Tm.data.subarray(0, k * 10) }, { ...opts, epochs: 1 });
      expect(bits(net.params)).toEqual(bits(ref.params));
      // Usable afterwards, and its optimizer state carries on like the reference's.
      net.fitSync(few, fewT, { ...opts, epochs: 1 });
      ref.fitSync(few, fewT, { ...opts, epochs: 1 });
      expect(bits(net.params)).toEqual(bits(ref.params));
      expect(bits(net.predict(few).data)).toEqual(bits(ref.predict(few).data));
    });
  });
});
