// Optimizer state across fit calls (deltaprop 0.2): velocities / moments, the
// step count and the schedule's position carry over, so fits of 3 + 3 epochs
// are one fit of 6, to the bit; changing the optimizer or its settings, or
// resetOptimizer(), starts afresh; changing only the learning rate keeps the
// moments and restarts the schedule; toJSON / fromJSON / save / load keep all
// of it (and the generators); a version-1 document still loads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NetworkJSON } from '../src/index.js';
import { DeltapropError, Network } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { normwiseDifference } from './helpers/compare.js';
import { randomRows, seededUniform } from './helpers/data.js';

type Fit = Record<string, unknown>;

/** A deep copy of the plain-data parts (functions kept): the second fit gets equal, not identical, settings. */
function clone(fit: Fit): Fit {
  const out: Fit = {};
  for (const [k, v] of Object.entries(fit)) out[k] = typeof v === 'function' ? v : (JSON.parse(JSON.stringify(v)) as unknown);
  return out;
}

const bits = (a: Float64Array) => Array.from(new Uint32Array(Float64Array.from(a).buffer));

const OPTIMIZERS: [string, unknown][] = [
  ['sgd', 'sgd'],
  ['sgd momentum', { type: 'sgd', momentum: 0.9 }],
  ['sgd nesterov', { type: 'sgd', momentum: 0.8, nesterov: true }],
  ['adam', 'adam'],
  ['adamw', { type: 'adamw', weightDecay: 0.05 }],
  ['rmsprop', 'rmsprop'],
];

const SCHEDULES: [string, unknown][] = [
  ['constant', 0.02],
  ['step', { type: 'step', initial: 0.03, gamma: 0.5, every: 2 }],
  ['exponential', { type: 'exponential', initial: 0.03, gamma: 0.8 }],
  ['cosine', { type: 'cosine', initial: 0.03, min: 0.001, epochs: 6, warmup: 2 }],
  ['plateau', { type: 'plateau', initial: 0.03, factor: 0.5, patience: 0 }],
];

/** Adam by hand (the formula in docs/api.md), for the "keeps the moments" checks. */
function adamStep(n: number, b1 = 0.9, b2 = 0.999, eps = 1e-8) {
  const m = new Float64Array(n);
  const v = new Float64Array(n);
  let t = 0;
  return (p: Float64Array, g: Float64Array, lr: number) => {
    t++;
    for (let i = 0; i < n; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      p[i] -= ((lr / (1 - b1 ** t)) * m[i]) / (Math.sqrt(v[i]) / Math.sqrt(1 - b2 ** t) + eps);
    }
  };
}

describe.each(BACKENDS)('optimizer state on %s', (backend) => {
  const next = seededUniform(2024);
  const X = randomRows(14, 3, next);
  const T = randomRows(14, 2, next, 0, 1);
  const VX = randomRows(6, 3, next);
  const VT = randomRows(6, 2, next, 0, 1);
  const netOptions = (extra: Record<string, unknown> = {}) => ({
    inputs: 3,
    layers: [
      { units: 5, activation: 'tanh' as const },
      { units: 2, activation: 'sigmoid' as const },
    ],
    l2: 0.01,
    seed: 77,
    backend,
    ...extra,
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'deltaprop-state-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('3 + 3 epochs = 6 epochs, to the bit', () => {
    for (const [oname, optimizer] of OPTIMIZERS) {
      for (const shuffle of [true, false]) {
        it(`${oname}, constant rate, shuffle ${shuffle}`, () => {
          const fit = { batchSize: 4, learningRate: 0.05, optimizer, shuffle };
          const split = new Network(netOptions());
          const whole = new Network(netOptions());
          const h1 = split.fitSync(X, T, { ...fit, epochs: 3 } as never);
          const h2 = split.fitSync(X, T, { ...clone(fit), epochs: 3 } as never);
          const h = whole.fitSync(X, T, { ...fit, epochs: 6 } as never);
          expect(bits(split.params)).toEqual(bits(whole.params));
          expect([...h1.loss, ...h2.loss]).toEqual(h.loss);
        });
      }
    }

    for (const [sname, learningRate] of SCHEDULES.slice(1)) {
      for (const [oname, optimizer] of [OPTIMIZERS[1], OPTIMIZERS[3], OPTIMIZERS[5]]) {
        for (const shuffle of [true, false]) {
          it(`${sname} schedule, ${oname}, shuffle ${shuffle}: params and learning rates`, () => {
            const fit = { batchSize: 4, learningRate, optimizer, shuffle };
            const split = new Network(netOptions());
            const whole = new Network(netOptions());
            const h1 = split.fitSync(X, T, { ...fit, epochs: 3 } as never);
            const h2 = split.fitSync(X, T, { ...clone(fit), epochs: 3 } as never);
            const h = whole.fitSync(X, T, { ...fit, epochs: 6 } as never);
            expect([...h1.learningRate, ...h2.learningRate]).toEqual(h.learningRate);
            expect(bits(split.params)).toEqual(bits(whole.params));
          });
        }
      }
    }

    it("plateau on 'validationLoss' keeps its best and bad-epoch count across fits", () => {
      const fit = {
        batchSize: 2,
        optimizer: { type: 'sgd', momentum: 0.9 },
        validation: { inputs: VX, targets: VT },
        learningRate: { type: 'plateau', initial: 0.5, factor: 0.5, patience: 1, monitor: 'validationLoss' },
      };
      const split = new Network(netOptions());
      const whole = new Network(netOptions());
      const h1 = split.fitSync(X, T, { ...fit, epochs: 5 } as never);
      const h2 = split.fitSync(X, T, { ...clone(fit), epochs: 5 } as never);
      const h = whole.fitSync(X, T, { ...fit, epochs: 10 } as never);
      expect([...h1.learningRate, ...h2.learningRate]).toEqual(h.learningRate);
      expect(bits(split.params)).toEqual(bits(whole.params));
    });

    it('plateau counts carry over: a flat loss with patience 2 drops in the second fit exactly when one fit would', () => {
      // lr 1e-30 moves no (nonzero) parameter: every epoch's loss is the same.
      const make = () => {
        const net = new Network(netOptions());
        net.params.forEach((p, i) => (net.params[i] = p === 0 ? 0.1 : p));
        return net;
      };
      const fit = { batchSize: 14, shuffle: false, learningRate: { type: 'plateau', initial: 1e-30, factor: 0.5, patience: 2 } };
      const split = make();
      const a = split.fitSync(X, T, { ...fit, epochs: 2 } as never).learningRate;
      const b = split.fitSync(X, T, { ...clone(fit), epochs: 4 } as never).learningRate;
      // epoch 0 best; 1, 2, 3 bad; 3 > 2 drops for epoch 4.
      expect([...a, ...b]).toEqual([1e-30, 1e-30, 1e-30, 1e-30, 5e-31, 5e-31]);
    });

    it('async fit then fitSync equals one fitSync (adam, step schedule, shuffled)', async () => {
      const fit = { batchSize: 4, optimizer: 'adam', learningRate: { type: 'step', initial: 0.03, gamma: 0.5, every: 2 } };
      const split = new Network(netOptions());
      const whole = new Network(netOptions());
      await split.fit(X, T, { ...fit, epochs: 3 } as never);
      split.fitSync(X, T, { ...clone(fit), epochs: 3 } as never);
      whole.fitSync(X, T, { ...fit, epochs: 6 } as never);
      expect(bits(split.params)).toEqual(bits(whole.params));
    });

    it('a fit stopped by onEpoch after 3 epochs, then 3 more, equals 6 epochs', () => {
      const fit = { batchSize: 4, optimizer: 'rmsprop', learningRate: { type: 'exponential', initial: 0.02, gamma: 0.7 } };
      const split = new Network(netOptions());
      const whole = new Network(netOptions());
      const h1 = split.fitSync(X, T, { ...fit, epochs: 10, onEpoch: ({ epoch }: { epoch: number }) => epoch < 2 } as never);
      expect(h1.epochs).toBe(3);
      const h2 = split.fitSync(X, T, { ...clone(fit), epochs: 3 } as never);
      const h = whole.fitSync(X, T, { ...fit, epochs: 6 } as never);
      expect([...h1.learningRate, ...h2.learningRate]).toEqual(h.learningRate);
      expect(bits(split.params)).toEqual(bits(whole.params));
    });

    it('a cosine schedule shorter than the two fits reaches min in the second fit, as one fit would', () => {
      const fit = { batchSize: 4, optimizer: 'adam', learningRate: { type: 'cosine', initial: 0.03, min: 0.002, epochs: 4, warmup: 1 } };
      const split = new Network(netOptions());
      const whole = new Network(netOptions());
      const h1 = split.fitSync(X, T, { ...fit, epochs: 3 } as never);
      const h2 = split.fitSync(X, T, { ...clone(fit), epochs: 3 } as never);
      const h = whole.fitSync(X, T, { ...fit, epochs: 6 } as never);
      expect([...h1.learningRate, ...h2.learningRate]).toEqual(h.learningRate);
      expect(h2.learningRate.slice(1)).toEqual([0.002, 0.002]);
      expect(bits(split.params)).toEqual(bits(whole.params));
    });

    it('a rejected fit call in between leaves the state alone', () => {
      const fit = { batchSize: 4, optimizer: 'adam', learningRate: { type: 'step', initial: 0.03, gamma: 0.5, every: 2 } };
      const split = new Network(netOptions());
      const whole = new Network(netOptions());
      split.fitSync(X, T, { ...fit, epochs: 3 } as never);
      for (const bad of [
        { optimizer: { type: 'adam', beta1: 2 } },
        { optimizer: 'rmsprop', momentum: 0.5 },
        { learningRate: { type: 'step', initial: 0.03, gamma: 0.5, every: 0 } },
        { clipNorm: -1 },
        { epochs: 0 },
        { optimizer: { type: 'adam', betaOne: 0.9 } },
      ]) {
        expect(() => split.fitSync(X, T, { ...fit, epochs: 3, ...bad } as never)).toThrow();
      }
      split.fitSync(X, T, { ...clone(fit), epochs: 3 } as never);
      whole.fitSync(X, T, { ...fit, epochs: 6 } as never);
      expect(bits(split.params)).toEqual(bits(whole.params));
    });

    it('a rejected call during an async fit (resetOptimizer included) throws and changes nothing', async () => {
      const fit = { batchSize: 4, optimizer: 'adam', learningRate: 0.02 };
      const split = new Network(netOptions());
      const whole = new Network(netOptions());
      const running = split.fit(X, T, { ...fit, epochs: 3 } as never);
      expect(() => split.resetOptimizer()).toThrow();
      await running;
      split.fitSync(X, T, { ...fit, epochs: 3 } as never);
      whole.fitSync(X, T, { ...fit, epochs: 6 } as never);
      expect(bits(split.params)).toEqual(bits(whole.params));
    });

    it('the momentum shorthand and the sgd object with the same momentum are the same settings (state kept)', () => {
      const split = new Network(netOptions());
      const whole = new Network(netOptions());
      split.fitSync(X, T, { epochs: 3, batchSize: 4, learningRate: 0.05, momentum: 0.9 } as never);
      split.fitSync(X, T, { epochs: 3, batchSize: 4, learningRate: 0.05, optimizer: { type: 'sgd', momentum: 0.9, nesterov: false } } as never);
      whole.fitSync(X, T, { epochs: 6, batchSize: 4, learningRate: 0.05, momentum: 0.9 } as never);
      expect(bits(split.params)).toEqual(bits(whole.params));
    });

    it('the same settings spelt differently ("adam" and its defaults written out) keep the state', () => {
      const split = new Network(netOptions());
      const whole = new Network(netOptions());
      split.fitSync(X, T, { epochs: 3, batchSize: 4, learningRate: 0.02, optimizer: 'adam' } as never);
      split.fitSync(X, T, { epochs: 3, batchSize: 4, learningRate: 0.02, optimizer: { type: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } } as never);
      whole.fitSync(X, T, { epochs: 6, batchSize: 4, learningRate: 0.02, optimizer: 'adam' } as never);
      expect(bits(split.params)).toEqual(bits(whole.params));
    });
  });

  describe('a change of optimizer or settings, or resetOptimizer(), starts afresh', () => {
    /** Fits A with `first` (3 epochs), then `second` (3 epochs); compares with a fresh network from A's params fitting `second`. */
    function check(first: Fit, second: Fit, between?: (net: Network) => void) {
      const net = new Network(netOptions());
      net.fitSync(X, T, { epochs: 3, batchSize: 4, shuffle: false, ...first } as never);
      const midway = Float64Array.from(net.params);
      between?.(net);
      net.fitSync(X, T, { epochs: 3, batchSize: 4, shuffle: false, ...second } as never);
      const fresh = new Network(netOptions());
      fresh.params.set(midway);
      fresh.fitSync(X, T, { epochs: 3, batchSize: 4, shuffle: false, ...second } as never);
      return { net, fresh, midway };
    }

    const changes: [string, Fit, Fit][] = [
      ['sgd momentum 0.9 → 0.8', { optimizer: { type: 'sgd', momentum: 0.9 } }, { optimizer: { type: 'sgd', momentum: 0.8 } }],
      ['sgd momentum → nesterov', { optimizer: { type: 'sgd', momentum: 0.9 } }, { optimizer: { type: 'sgd', momentum: 0.9, nesterov: true } }],
      ['momentum shorthand 0.9 → 0.5', { momentum: 0.9 }, { momentum: 0.5 }],
      ['adam → rmsprop', { optimizer: 'adam' }, { optimizer: 'rmsprop' }],
      ['adam → adamw', { optimizer: 'adam' }, { optimizer: 'adamw' }],
      ['adam beta1 0.9 → 0.8', { optimizer: 'adam' }, { optimizer: { type: 'adam', beta1: 0.8 } }],
      ['adam beta2 → 0.99', { optimizer: 'adam' }, { optimizer: { type: 'adam', beta2: 0.99 } }],
      ['adam epsilon → 1e-6', { optimizer: 'adam' }, { optimizer: { type: 'adam', epsilon: 1e-6 } }],
      ['adamw weightDecay → 0.1', { optimizer: 'adamw' }, { optimizer: { type: 'adamw', weightDecay: 0.1 } }],
      ['rmsprop alpha → 0.9', { optimizer: 'rmsprop' }, { optimizer: { type: 'rmsprop', alpha: 0.9 } }],
      ['rmsprop → sgd momentum', { optimizer: 'rmsprop' }, { optimizer: { type: 'sgd', momentum: 0.9 } }],
    ];
    for (const [name, first, second] of changes) {
      it(name, () => {
        const { net, fresh } = check({ learningRate: 0.03, ...first }, { learningRate: 0.03, ...second });
        expect(bits(net.params)).toEqual(bits(fresh.params));
      });
    }

    it('a change restarts the schedule too', () => {
      const schedule = { type: 'step', initial: 0.04, gamma: 0.5, every: 1 };
      const net = new Network(netOptions());
      net.fitSync(X, T, { epochs: 3, learningRate: schedule, optimizer: 'adam' } as never);
      const h = net.fitSync(X, T, { epochs: 2, learningRate: schedule, optimizer: 'rmsprop' } as never);
      expect(h.learningRate).toEqual([0.04, 0.02]);
    });

    it('without a change the state is kept (the comparison above can fail)', () => {
      const { net, fresh } = check({ learningRate: 0.03, optimizer: 'adam' }, { learningRate: 0.03, optimizer: 'adam' });
      expect(normwiseDifference(fresh.params, net.params)).toBeGreaterThan(1e-8);
    });

    for (const [oname, optimizer] of OPTIMIZERS) {
      it(`resetOptimizer() with ${oname}`, () => {
        const fit = { learningRate: 0.03, optimizer };
        const { net, fresh } = check(fit, fit, (n) => n.resetOptimizer());
        expect(bits(net.params)).toEqual(bits(fresh.params));
      });
    }

    it('resetOptimizer() restarts the schedule position', () => {
      const schedule = { type: 'exponential', initial: 0.04, gamma: 0.5 };
      const net = new Network(netOptions());
      net.fitSync(X, T, { epochs: 3, learningRate: schedule, optimizer: 'adam' } as never);
      net.resetOptimizer();
      const h = net.fitSync(X, T, { epochs: 2, learningRate: schedule, optimizer: 'adam' } as never);
      expect(h.learningRate).toEqual([0.04, 0.02]);
    });

    it('resetOptimizer() with a schedule ≡ a fresh network from the same params (shuffle off)', () => {
      const fit = { optimizer: { type: 'sgd', momentum: 0.9 }, learningRate: { type: 'cosine', initial: 0.05, epochs: 5, warmup: 1 } };
      const { net, fresh } = check(fit, fit, (n) => n.resetOptimizer());
      expect(bits(net.params)).toEqual(bits(fresh.params));
    });

    it('resetOptimizer() on a network never trained, and twice in a row, is harmless', () => {
      const a = new Network(netOptions());
      const b = new Network(netOptions());
      a.resetOptimizer();
      a.resetOptimizer();
      a.fitSync(X, T, { epochs: 3, batchSize: 4, optimizer: 'adam', learningRate: 0.02 } as never);
      b.fitSync(X, T, { epochs: 3, batchSize: 4, optimizer: 'adam', learningRate: 0.02 } as never);
      expect(bits(a.params)).toEqual(bits(b.params));
    });

    it('resetOptimizer() does not rewind the shuffle generator', () => {
      // Two networks at the same params and optimizer state (none), one with the
      // generator advanced by a fit: with shuffling their next fits differ.
      const trained = new Network(netOptions());
      trained.fitSync(X, T, { epochs: 3, batchSize: 4, learningRate: 0.03 } as never);
      trained.resetOptimizer();
      const fresh = new Network(netOptions());
      fresh.params.set(trained.params);
      trained.fitSync(X, T, { epochs: 1, batchSize: 4, learningRate: 0.03 } as never);
      fresh.fitSync(X, T, { epochs: 1, batchSize: 4, learningRate: 0.03 } as never);
      expect(bits(trained.params)).not.toEqual(bits(fresh.params));
    });
  });

  describe('changing only the learning rate keeps the moments and restarts the schedule', () => {
    const rows = Array.from({ length: 14 }, (_, i) => i);
    /** Adam by hand, full batch, over a list of per-step rates. */
    function byHand(rates: number[]): Float64Array {
      const net = new Network(netOptions());
      const step = adamStep(net.params.length);
      for (const lr of rates)
        step(
          net.params,
          Float64Array.from(
            net.gradients(
              rows.map((r) => X[r]),
              rows.map((r) => T[r]),
            ).grads,
          ),
          lr,
        );
      return Float64Array.from(net.params);
    }

    it('constant 0.01 → constant 0.03: moments and step count kept', () => {
      const net = new Network(netOptions());
      net.fitSync(X, T, { epochs: 3, batchSize: 14, shuffle: false, optimizer: 'adam', learningRate: 0.01 } as never);
      net.fitSync(X, T, { epochs: 3, batchSize: 14, shuffle: false, optimizer: 'adam', learningRate: 0.03 } as never);
      const want = byHand([0.01, 0.01, 0.01, 0.03, 0.03, 0.03]);
      expect(normwiseDifference(want, net.params)).toBeLessThan(1e-14);
    });

    it('constant → step schedule: the schedule starts at its epoch 0, the moments carry on', () => {
      const net = new Network(netOptions());
      net.fitSync(X, T, { epochs: 3, batchSize: 14, shuffle: false, optimizer: 'adam', learningRate: 0.01 } as never);
      const h = net.fitSync(X, T, { epochs: 3, batchSize: 14, shuffle: false, optimizer: 'adam', learningRate: { type: 'step', initial: 0.04, gamma: 0.5, every: 1 } } as never);
      expect(h.learningRate).toEqual([0.04, 0.02, 0.01]);
      const want = byHand([0.01, 0.01, 0.01, 0.04, 0.02, 0.01]);
      expect(normwiseDifference(want, net.params)).toBeLessThan(1e-14);
    });

    it('one schedule → another: the new one starts at its epoch 0', () => {
      const net = new Network(netOptions());
      net.fitSync(X, T, { epochs: 3, batchSize: 14, shuffle: false, optimizer: 'adam', learningRate: { type: 'exponential', initial: 0.02, gamma: 0.5 } } as never);
      const h = net.fitSync(X, T, { epochs: 3, batchSize: 14, shuffle: false, optimizer: 'adam', learningRate: { type: 'exponential', initial: 0.02, gamma: 0.25 } } as never);
      expect(h.learningRate).toEqual([0.02, 0.005, 0.00125]);
      const want = byHand([0.02, 0.01, 0.005, 0.02, 0.005, 0.00125]);
      expect(normwiseDifference(want, net.params)).toBeLessThan(1e-14);
    });

    it('a schedule → a constant rate, and back to the same schedule: it starts again', () => {
      const schedule = { type: 'step', initial: 0.04, gamma: 0.5, every: 1 };
      const net = new Network(netOptions());
      net.fitSync(X, T, { epochs: 2, batchSize: 14, shuffle: false, optimizer: 'adam', learningRate: schedule } as never);
      net.fitSync(X, T, { epochs: 1, batchSize: 14, shuffle: false, optimizer: 'adam', learningRate: 0.01 } as never);
      const h = net.fitSync(X, T, { epochs: 2, batchSize: 14, shuffle: false, optimizer: 'adam', learningRate: schedule } as never);
      expect(h.learningRate).toEqual([0.04, 0.02]);
      const want = byHand([0.04, 0.02, 0.01, 0.04, 0.02]);
      expect(normwiseDifference(want, net.params)).toBeLessThan(1e-14);
    });
  });

  describe('saved and restored mid-training: 3 more epochs match the original, to the bit', () => {
    const routes: [string, (net: Network) => Network][] = [
      ['toJSON object', (net) => Network.fromJSON(net.toJSON(), { backend })],
      ['JSON text through parse', (net) => Network.fromJSON(JSON.parse(JSON.stringify(net.toJSON())) as NetworkJSON, { backend })],
      ['JSON string', (net) => Network.fromJSON(JSON.stringify(net), { backend })],
      [
        'save / load',
        (net) => {
          const file = path.join(dir, `mid-${backend}-${Math.random().toString(36).slice(2)}.json`);
          net.save(file);
          return Network.load(file, { backend });
        },
      ],
    ];
    const cases: [string, Fit][] = [
      ...OPTIMIZERS.map(([n, optimizer]) => [n, { optimizer, learningRate: 0.03 }] as [string, Fit]),
      ...SCHEDULES.slice(1).map(([n, learningRate]) => [`adam + ${n}`, { optimizer: 'adam', learningRate }] as [string, Fit]),
      ['sgd nesterov + cosine', { optimizer: OPTIMIZERS[2][1], learningRate: SCHEDULES[3][1] }],
      [
        'rmsprop + plateau on validationLoss',
        {
          optimizer: 'rmsprop',
          validation: { inputs: VX, targets: VT },
          learningRate: { type: 'plateau', initial: 0.05, factor: 0.5, patience: 0, monitor: 'validationLoss' },
        },
      ],
      ['adamw + clipNorm', { optimizer: 'adamw', learningRate: 0.05, clipNorm: 0.05 }],
    ];
    for (const [name, fit] of cases) {
      for (const [route, restore] of routes) {
        it(`${name}, via ${route}`, () => {
          const original = new Network(netOptions());
          const h0 = original.fitSync(X, T, { ...fit, epochs: 3, batchSize: 4 } as never);
          const restored = restore(original);
          expect(bits(restored.params)).toEqual(bits(original.params));
          const ho = original.fitSync(X, T, { ...fit, epochs: 3, batchSize: 4 } as never);
          const hr = restored.fitSync(X, T, { ...fit, epochs: 3, batchSize: 4 } as never);
          expect(hr.learningRate).toEqual(ho.learningRate);
          expect(hr.loss).toEqual(ho.loss);
          expect(bits(restored.params)).toEqual(bits(original.params));
          // and both equal one uninterrupted run of 6
          const whole = new Network(netOptions());
          const hw = whole.fitSync(X, T, { ...fit, epochs: 6, batchSize: 4 } as never);
          expect([...h0.learningRate, ...ho.learningRate]).toEqual(hw.learningRate);
          expect(bits(whole.params)).toEqual(bits(original.params));
        });
      }
    }

    it('a restored network with dropout trains on as the original (the dropout generator is saved)', () => {
      const opts = netOptions({
        layers: [
          { units: 6, activation: 'tanh', dropout: 0.3 },
          { units: 2, activation: 'sigmoid' },
        ],
      });
      const fit = { epochs: 3, batchSize: 4, optimizer: 'adam', learningRate: 0.02 };
      const original = new Network(opts);
      original.fitSync(X, T, fit as never);
      const restored = Network.fromJSON(JSON.parse(JSON.stringify(original.toJSON())) as NetworkJSON, { backend });
      original.fitSync(X, T, fit as never);
      restored.fitSync(X, T, fit as never);
      expect(bits(restored.params)).toEqual(bits(original.params));
    });

    it('a network restored after resetOptimizer() trains as a fresh optimizer would', () => {
      const fit = { epochs: 3, batchSize: 4, optimizer: 'adam', learningRate: 0.02, shuffle: false };
      const original = new Network(netOptions());
      original.fitSync(X, T, fit as never);
      original.resetOptimizer();
      const restored = Network.fromJSON(JSON.stringify(original), { backend });
      const fresh = new Network(netOptions());
      fresh.params.set(original.params);
      restored.fitSync(X, T, fit as never);
      fresh.fitSync(X, T, fit as never);
      expect(bits(restored.params)).toEqual(bits(fresh.params));
    });

    it('restoring on the other backend continues the same training (to 1e-10)', () => {
      const other = backend === 'js' ? 'native' : 'js';
      if (!BACKENDS.includes(other)) return;
      const fit = { epochs: 3, batchSize: 4, optimizer: { type: 'sgd', momentum: 0.9 }, learningRate: { type: 'step', initial: 0.05, gamma: 0.5, every: 2 } };
      const original = new Network(netOptions());
      original.fitSync(X, T, fit as never);
      const moved = Network.fromJSON(JSON.stringify(original), { backend: other });
      const ho = original.fitSync(X, T, fit as never);
      const hm = moved.fitSync(X, T, fit as never);
      expect(hm.learningRate).toEqual(ho.learningRate);
      expect(normwiseDifference(original.params, moved.params)).toBeLessThan(1e-10);
    });
  });

  it('a restored network with dropout on the other backend continues the same training (to 1e-10)', () => {
    const other = backend === 'js' ? 'native' : 'js';
    if (!BACKENDS.includes(other)) return;
    const opts = netOptions({
      layers: [
        { units: 6, activation: 'tanh', dropout: 0.3 },
        { units: 2, activation: 'sigmoid' },
      ],
    });
    const fit = { epochs: 3, batchSize: 4, optimizer: 'adam', learningRate: 0.02 };
    const original = new Network(opts);
    original.fitSync(X, T, fit as never);
    const moved = Network.fromJSON(JSON.stringify(original), { backend: other });
    original.fitSync(X, T, fit as never);
    moved.fitSync(X, T, fit as never);
    expect(normwiseDifference(original.params, moved.params)).toBeLessThan(1e-10);
  });

  it('a document with damaged optimizer state is a DeltapropError naming json…', () => {
    const net = new Network(netOptions());
    net.fitSync(X, T, { epochs: 2, optimizer: 'adam' } as never);
    const good = JSON.parse(JSON.stringify(net.toJSON())) as Record<string, Record<string, unknown>>;
    const damaged = [
      { ...good, optimizer: { ...good.optimizer, buffers: (good.optimizer.buffers as string).slice(0, 16) } },
      { ...good, optimizer: { ...good.optimizer, steps: -1 } },
      { ...good, optimizer: { ...good.optimizer, optimizer: { type: 'lbfgs' } } },
      { ...good, optimizer: 'adam' },
    ];
    for (const doc of damaged) {
      let error: unknown;
      try {
        Network.fromJSON(doc as unknown as NetworkJSON, { backend });
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(doc.optimizer).slice(0, 80)).toBeInstanceOf(DeltapropError);
      expect((error as Error).message).toMatch(/^json\.optimizer/);
    }
  });

  describe('a version-1 (0.1) document still loads', () => {
    function v1Document(net: Network): NetworkJSON {
      const doc = JSON.parse(JSON.stringify(net.toJSON())) as Record<string, unknown>;
      doc.version = 1;
      delete doc.optimizer;
      delete doc.dropoutState;
      const config = doc.config as { layers: Record<string, unknown>[] };
      for (const layer of config.layers) delete layer.dropout;
      return doc as unknown as NetworkJSON;
    }

    it('params, predictions and the shuffling state come back; training starts a fresh optimizer', () => {
      const net = new Network(netOptions());
      net.fitSync(X, T, { epochs: 2, batchSize: 4, learningRate: 0.05 } as never);
      const doc = v1Document(net);
      expect(Object.keys(doc)).not.toContain('optimizer');
      const loaded = Network.fromJSON(doc, { backend });
      const fromText = Network.fromJSON(JSON.stringify(doc), { backend });
      expect(bits(loaded.params)).toEqual(bits(net.params));
      expect(bits(fromText.params)).toEqual(bits(net.params));
      expect(Array.from(loaded.predict(X).data)).toEqual(Array.from(net.predict(X).data));
      // plain SGD has no state: the loaded network trains on exactly as the original
      net.fitSync(X, T, { epochs: 2, batchSize: 4, learningRate: 0.05 } as never);
      loaded.fitSync(X, T, { epochs: 2, batchSize: 4, learningRate: 0.05 } as never);
      expect(bits(loaded.params)).toEqual(bits(net.params));
      // with Adam it starts from zero moments, like a fresh network at those params
      const fresh = new Network(netOptions());
      fresh.params.set(fromText.params);
      fromText.fitSync(X, T, { epochs: 2, batchSize: 4, shuffle: false, optimizer: 'adam', learningRate: 0.02 } as never);
      fresh.fitSync(X, T, { epochs: 2, batchSize: 4, shuffle: false, optimizer: 'adam', learningRate: 0.02 } as never);
      expect(bits(fromText.params)).toEqual(bits(fresh.params));
    });

    it('a version-1 document written with 0.1 keys only round-trips through the file API', () => {
      const net = new Network(netOptions());
      const file = path.join(dir, `v1-${backend}.json`);
      net.save(file);
      const doc = v1Document(Network.load(file, { backend }));
      const loaded = Network.fromJSON(doc, { backend });
      expect(bits(loaded.params)).toEqual(bits(net.params));
    });
  });
});
