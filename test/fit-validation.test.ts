// fit()'s validationSplit, early stopping and per-epoch accuracy, checked
// against the spec: the split against an explicit validation set, early
// stopping against a re-implementation run over a full (unstopped) history,
// and the accuracies against evaluate() and a step-by-step reference.
import { describe, expect, it } from 'vitest';
import { DeltapropError, Network } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { oneHotRows, randomRows, seededUniform } from './helpers/data.js';
import { errorOf } from './helpers/errors.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const next = seededUniform(2024);
const X = randomRows(20, 3, next);
const T = randomRows(20, 2, next, 0, 1);
const Tc = oneHotRows(20, 3, next);

function improved(kind: 'loss' | 'accuracy', value: number, best: number, minDelta: number): boolean {
  return kind === 'loss' ? value < best - minDelta : value > best + minDelta;
}

/** Early stopping re-implemented over a full run's per-epoch figures. */
function simulate(values: number[], kind: 'loss' | 'accuracy', patience: number, minDelta: number) {
  let best = values[0];
  let bestEpoch = 0;
  let wait = 0;
  for (let e = 1; e < values.length; e++) {
    if (improved(kind, values[e], best, minDelta)) {
      best = values[e];
      bestEpoch = e;
      wait = 0;
    } else if (++wait >= patience) {
      return { bestEpoch, stoppedEpoch: e as number | null, epochs: e + 1 };
    }
  }
  return { bestEpoch, stoppedEpoch: null as number | null, epochs: values.length };
}

describe.each(BACKENDS)('fit validation on %s', (backend) => {
  const sig = {
    inputs: 3,
    layers: [
      { units: 4, activation: 'tanh' as const },
      { units: 2, activation: 'sigmoid' as const },
    ],
    seed: 5,
    backend,
  };
  const soft = {
    inputs: 3,
    layers: [
      { units: 5, activation: 'tanh' as const },
      { units: 3, activation: 'softmax' as const },
    ],
    loss: 'cross-entropy' as const,
    seed: 6,
    backend,
  };

  describe('validationSplit', () => {
    it.each([
      [0.25, 15],
      [0.33, 13],
      [0.5, 10],
      [0.12, 17],
    ])('validationSplit %s: the first %i rows train, the rest validate (before shuffling)', (f, nTrain) => {
      expect(nTrain).toBe(Math.floor(20 * (1 - f)));
      const a = new Network(sig);
      const b = new Network(sig);
      const common = { epochs: 4, batchSize: 3, learningRate: 0.5, shuffle: true };
      const ha = a.fitSync(X, T, { ...common, validationSplit: f } as Any);
      const hb = b.fitSync(X.slice(0, nTrain), T.slice(0, nTrain), { ...common, validation: { inputs: X.slice(nTrain), targets: T.slice(nTrain) } });
      expect(Array.from(a.params)).toEqual(Array.from(b.params));
      expect(ha.loss).toEqual(hb.loss);
      expect(ha.validationLoss).toEqual(hb.validationLoss);
      expect(ha.validationLoss![3]).toBe(a.evaluate(X.slice(nTrain), T.slice(nTrain)).loss);
    });

    it('giving both validation and validationSplit is a DeltapropError', () => {
      const net = new Network(sig);
      const before = Array.from(net.params);
      const e = errorOf(() => net.fitSync(X, T, { epochs: 1, validationSplit: 0.2, validation: { inputs: X.slice(0, 2), targets: T.slice(0, 2) } } as Any));
      expect(e).toBeInstanceOf(DeltapropError);
      expect(e.message).toMatch(/validationSplit/);
      expect(Array.from(net.params)).toEqual(before);
    });

    it.each([0, 1, -0.1, 1.5, NaN])('validationSplit %s is a DeltapropError', (f) => {
      const net = new Network(sig);
      expect(errorOf(() => net.fitSync(X, T, { epochs: 1, validationSplit: f } as Any))).toBeInstanceOf(DeltapropError);
    });

    it('async fit with validationSplit equals fitSync', async () => {
      const a = new Network(sig);
      const b = new Network(sig);
      const options = { epochs: 3, batchSize: 4, learningRate: 0.3, validationSplit: 0.3 } as Any;
      const ha = await a.fit(X, T, options);
      const hb = b.fitSync(X, T, options);
      expect(Array.from(a.params)).toEqual(Array.from(b.params));
      expect(ha.validationLoss).toEqual(hb.validationLoss);
    });
  });

  describe('early stopping', () => {
    // Trained towards T while validated against 1 − T: the validation loss
    // soon rises, so early stopping has something to stop.
    const antiT = T.map((r) => r.map((t) => 1 - t));
    const base = { batchSize: 4, learningRate: 0.5, shuffle: true };

    function fullRun(options: Any, epochs: number) {
      const net = new Network(sig);
      const states: string[] = [];
      const h = net.fitSync(X, T, {
        ...base,
        ...options,
        epochs,
        onEpoch: () => {
          states.push(JSON.stringify(net.toJSON()));
        },
      });
      return { h, states };
    }

    const cases: Array<[string, Any, 'loss' | 'accuracy', number, number]> = [
      ['the defaults (validationLoss, patience 10, minDelta 0)', {}, 'loss', 10, 0],
      ['validationLoss, patience 3', { patience: 3 }, 'loss', 3, 0],
      ['validationLoss, patience 1', { patience: 1 }, 'loss', 1, 0],
      ['loss with a large minDelta', { monitor: 'loss', minDelta: 0.01, patience: 2 }, 'loss', 2, 0.01],
      ['validationAccuracy, patience 2', { monitor: 'validationAccuracy', patience: 2 }, 'accuracy', 2, 0],
      ['validationAccuracy, minDelta 0.05', { monitor: 'validationAccuracy', patience: 3, minDelta: 0.05 }, 'accuracy', 3, 0.05],
    ];

    it.each(cases)('%s stops where a re-implementation says', (_name, es, kind, patience, minDelta) => {
      const validation = { inputs: X.slice(0, 10), targets: antiT.slice(0, 10) };
      const full = fullRun({ validation }, 40);
      const monitor = es.monitor ?? 'validationLoss';
      const series: number[] = monitor === 'loss' ? full.h.loss : monitor === 'validationLoss' ? full.h.validationLoss! : (full.h as Any).validationAccuracy;
      expect(series).toHaveLength(40);
      const want = simulate(series, kind, patience, minDelta);

      const net = new Network(sig);
      const seen: number[] = [];
      const h = net.fitSync(X, T, {
        ...base,
        validation,
        epochs: 40,
        earlyStopping: { ...es, restoreBest: false },
        onEpoch: ({ epoch }: { epoch: number }) => {
          seen.push(epoch);
        },
      } as Any) as Any;
      expect(h.epochs).toBe(want.epochs);
      expect(h.loss).toEqual(full.h.loss.slice(0, want.epochs));
      expect(h.bestEpoch).toBe(want.bestEpoch);
      expect(h.stoppedEpoch).toBe(want.stoppedEpoch);
      if (want.stoppedEpoch !== null) expect(seen.at(-1)).toBe(want.stoppedEpoch);
      // restoreBest: false keeps the parameters of the last epoch run.
      expect(JSON.stringify(net.toJSON())).toBe(full.states[want.epochs - 1]);
    });

    it('the scenario really stops early (sanity of the fixture)', () => {
      const validation = { inputs: X.slice(0, 10), targets: antiT.slice(0, 10) };
      const full = fullRun({ validation }, 40);
      expect(simulate(full.h.validationLoss!, 'loss', 3, 0).stoppedEpoch).not.toBeNull();
    });

    it('stoppedEpoch is null when every epoch ran, bestEpoch is still recorded', () => {
      const net = new Network(sig);
      // Validation = training data, small lr: the loss falls every epoch.
      const h = net.fitSync(X, T, { epochs: 6, batchSize: 20, learningRate: 0.05, validation: { inputs: X, targets: T }, earlyStopping: { patience: 2 } } as Any) as Any;
      expect(h.epochs).toBe(6);
      expect(h.stoppedEpoch).toBeNull();
      expect(h.bestEpoch).toBe(5);
    });

    it('restoreBest (default) restores the parameters and the optimizer state of the best epoch', () => {
      const validation = { inputs: X.slice(0, 10), targets: antiT.slice(0, 10) };
      const opts = { batchSize: 4, learningRate: 0.05, shuffle: false, optimizer: 'adam' as const, validation };
      const fullNet = new Network(sig);
      const states: string[] = [];
      const full = fullNet.fitSync(X, T, {
        ...opts,
        epochs: 40,
        onEpoch: () => {
          states.push(JSON.stringify(fullNet.toJSON()));
        },
      });
      const want = simulate(full.validationLoss!, 'loss', 3, 0);
      expect(want.stoppedEpoch).not.toBeNull();
      expect(want.bestEpoch).toBeLessThan(want.stoppedEpoch!);

      const net = new Network(sig);
      const h = net.fitSync(X, T, { ...opts, epochs: 40, earlyStopping: { patience: 3 } } as Any) as Any;
      expect(h.bestEpoch).toBe(want.bestEpoch);
      expect(h.stoppedEpoch).toBe(want.stoppedEpoch);
      const best = Network.fromJSON(states[want.bestEpoch], { backend });
      expect(Array.from(net.params)).toEqual(Array.from(best.params));
      // The optimizer state: training on from here equals training on from the best epoch's saved state.
      net.fitSync(X, T, { ...opts, epochs: 2 });
      best.fitSync(X, T, { ...opts, epochs: 2 });
      expect(Array.from(net.params)).toEqual(Array.from(best.params));
      // And it is not what continuing from the last epoch's state would give.
      const last = Network.fromJSON(states[want.stoppedEpoch!], { backend });
      last.fitSync(X, T, { ...opts, epochs: 2 });
      expect(Array.from(net.params)).not.toEqual(Array.from(last.params));
    });

    it('restoreBest with monitor loss on async fit', async () => {
      const opts = { batchSize: 2, learningRate: 3, shuffle: true, optimizer: 'sgd' as const, momentum: 0.9 };
      const fullNet = new Network(sig);
      const states: string[] = [];
      const full = fullNet.fitSync(X, T, {
        ...opts,
        epochs: 40,
        onEpoch: () => {
          states.push(JSON.stringify(fullNet.toJSON()));
        },
      });
      const want = simulate(full.loss, 'loss', 2, 0);
      const net = new Network(sig);
      const h = (await net.fit(X, T, { ...opts, epochs: 40, earlyStopping: { monitor: 'loss', patience: 2 } } as Any)) as Any;
      expect(h.bestEpoch).toBe(want.bestEpoch);
      expect(h.stoppedEpoch).toBe(want.stoppedEpoch);
      expect(h.epochs).toBe(want.epochs);
      expect(Array.from(net.params)).toEqual(Array.from(Network.fromJSON(states[want.bestEpoch], { backend }).params));
    });

    it.each(['validationLoss', 'validationAccuracy', undefined])('monitor %s without validation data is a DeltapropError before training', (monitor) => {
      const net = new Network(sig);
      const before = Array.from(net.params);
      const es = monitor === undefined ? {} : { monitor };
      const e = errorOf(() => net.fitSync(X, T, { epochs: 3, earlyStopping: es } as Any));
      expect(e).toBeInstanceOf(DeltapropError);
      expect(Array.from(net.params)).toEqual(before);
    });

    it('monitor loss needs no validation data', () => {
      const net = new Network(sig);
      const h = net.fitSync(X, T, { epochs: 3, earlyStopping: { monitor: 'loss' } } as Any);
      expect(h.epochs).toBe(3);
    });
  });

  describe('metrics per epoch', () => {
    it('softmax: with one batch of all rows and a tiny rate, history.accuracy equals evaluate() on the starting parameters', () => {
      const net = new Network(soft);
      const start = net.evaluate(X, Tc);
      expect(start.accuracy).toBeDefined();
      const h = net.fitSync(X, Tc, { epochs: 1, batchSize: 20, learningRate: 1e-14 }) as Any;
      expect(h.accuracy).toEqual([start.accuracy]);
      expect(h.loss[0]).toBeCloseTo(start.loss, 12);
    });

    it('sigmoid: the same, accuracy averaged over every output', () => {
      const net = new Network(sig);
      const start = net.evaluate(X, T);
      // Re-implemented: each output ≥ 0.5 vs its target ≥ 0.5, over all N·K outputs.
      const out = net.predict(X).data;
      let correct = 0;
      T.forEach((row, n) =>
        row.forEach((t, k) => {
          if (out[n * 2 + k] >= 0.5 === t >= 0.5) correct++;
        }),
      );
      expect(start.accuracy).toBe(correct / 40);
      const h = net.fitSync(X, T, { epochs: 1, batchSize: 64, learningRate: 1e-14 }) as Any;
      expect(h.accuracy).toEqual([correct / 40]);
    });

    it.each([
      ['sigmoid', 'mse'],
      ['sigmoid', 'binary-cross-entropy'],
      ['softmax', 'cross-entropy'],
    ])('%s/%s: history.accuracy counts each minibatch before its update', (act, loss) => {
      const K = act === 'softmax' ? 3 : 2;
      const targets = act === 'softmax' ? Tc : T;
      const options = {
        inputs: 3,
        layers: [
          { units: 4, activation: 'tanh' as const },
          { units: K, activation: act as 'sigmoid' },
        ],
        loss: loss as 'mse',
        seed: 8,
        backend,
      };
      const net = new Network(options);
      const ref = new Network(options);
      const fit = { batchSize: 6, learningRate: 0.8, shuffle: false };
      const h = net.fitSync(X, targets, { ...fit, epochs: 1 }) as Any;
      // Minibatches of 6, 6, 6, 2 rows, each counted before its own step.
      let correct = 0;
      for (let s = 0; s < 20; s += 6) {
        const bx = X.slice(s, s + 6);
        const bt = targets.slice(s, s + 6);
        const acc = ref.evaluate(bx, bt).accuracy!;
        correct += acc * bt.length * (act === 'softmax' ? 1 : K);
        ref.fitSync(bx, bt, { ...fit, epochs: 1 });
      }
      expect(Array.from(net.params)).toEqual(Array.from(ref.params));
      expect(h.accuracy).toHaveLength(1);
      expect(h.accuracy[0]).toBeCloseTo(correct / (20 * (act === 'softmax' ? 1 : K)), 12);
    });

    it('history.validationAccuracy is evaluate() on the validation set after each epoch; onEpoch sees both', () => {
      const net = new Network(soft);
      const vx = X.slice(10);
      const vt = Tc.slice(10);
      const afterEach: number[] = [];
      const infos: Any[] = [];
      const h = net.fitSync(X.slice(0, 10), Tc.slice(0, 10), {
        epochs: 5,
        batchSize: 3,
        learningRate: 1,
        validation: { inputs: vx, targets: vt },
        onEpoch: (info) => {
          infos.push(info);
          afterEach.push(net.evaluate(vx, vt).accuracy!);
        },
      }) as Any;
      expect(h.validationAccuracy).toEqual(afterEach);
      expect(h.accuracy).toHaveLength(5);
      expect(infos.map((i) => i.validationAccuracy)).toEqual(h.validationAccuracy);
      expect(infos.map((i) => i.accuracy)).toEqual(h.accuracy);
      expect(h.validationAccuracy[4]).toBe(net.evaluate(vx, vt).accuracy);
    });

    it('validationAccuracy after a single epoch equals evaluate() after fit (no onEpoch)', async () => {
      const net = new Network(sig);
      const h = (await net.fit(X, T, { epochs: 1, batchSize: 5, learningRate: 2, validationSplit: 0.4 } as Any)) as Any;
      expect(h.validationAccuracy).toEqual([net.evaluate(X.slice(12), T.slice(12)).accuracy]);
    });

    it('no accuracy where evaluate() defines none (identity output)', () => {
      const net = new Network({ inputs: 3, layers: [{ units: 2, activation: 'identity' }], seed: 1, backend });
      expect(net.evaluate(X, T).accuracy).toBeUndefined();
      const h = net.fitSync(X, T, { epochs: 2, validation: { inputs: X, targets: T } }) as Any;
      expect(h.accuracy).toBeUndefined();
      expect(h.validationAccuracy).toBeUndefined();
    });
  });
});
