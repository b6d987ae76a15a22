// Learning-rate schedules (step, exponential, cosine with warmup, plateau):
// history.learningRate against the formulas written out here, the rates really
// used by the update (checked by training by hand with gradients()), plateau's
// best/patience/factor/min logic, and every out-of-range or unknown setting.
import { describe, expect, it } from 'vitest';
import { DeltapropError, Network } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { normwiseDifference } from './helpers/compare.js';
import { randomRows, seededUniform } from './helpers/data.js';
import { errorOf } from './helpers/errors.js';

type Schedule = Record<string, unknown>;

function expectedRate(s: Schedule, e: number): number {
  const initial = s.initial as number;
  switch (s.type) {
    case 'step':
      return initial * (s.gamma as number) ** Math.floor(e / (s.every as number));
    case 'exponential':
      return initial * (s.gamma as number) ** e;
    case 'cosine': {
      const min = (s.min as number | undefined) ?? 0;
      const warmup = (s.warmup as number | undefined) ?? 0;
      if (e < warmup) return (initial * (e + 1)) / warmup;
      const c = e - warmup;
      const T = (s.epochs as number) - warmup;
      if (c >= T) return min;
      return min + ((initial - min) * (1 + Math.cos((Math.PI * c) / T))) / 2;
    }
    default:
      throw new Error(`no closed form for ${String(s.type)}`);
  }
}

/** Plateau rates from the monitored figures, as docs/api.md describes the rule. */
function plateauRates(s: Schedule, figures: number[]): number[] {
  const factor = (s.factor as number | undefined) ?? 0.1;
  const patience = (s.patience as number | undefined) ?? 10;
  const min = (s.min as number | undefined) ?? 0;
  let rate = s.initial as number;
  let best = Infinity;
  let bad = 0;
  const rates: number[] = [];
  for (const f of figures) {
    rates.push(rate);
    if (f < best) {
      best = f;
      bad = 0;
    } else {
      bad++;
      if (bad > patience) {
        rate = Math.max(rate * factor, min);
        bad = 0;
      }
    }
  }
  return rates;
}

function relClose(a: number[], b: number[], tol = 1e-14): void {
  expect(a).toHaveLength(b.length);
  for (let i = 0; i < a.length; i++) {
    const scale = Math.max(Math.abs(b[i]), 1e-300);
    expect(Math.abs(a[i] - b[i]) / scale, `index ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol);
  }
}

describe.each(BACKENDS)('learning-rate schedules on %s', (backend) => {
  const next = seededUniform(99);
  const X = randomRows(6, 2, next);
  const T = randomRows(6, 1, next);
  const netOptions = (extra: Record<string, unknown> = {}) => ({
    inputs: 2,
    layers: [
      { units: 3, activation: 'tanh' as const },
      { units: 1, activation: 'identity' as const },
    ],
    seed: 5,
    l2: 0.01,
    backend,
    ...extra,
  });

  const closedForm: [string, Schedule, number][] = [
    ['step', { type: 'step', initial: 0.2, gamma: 0.5, every: 3 }, 10],
    ['step every 1, gamma > 1', { type: 'step', initial: 0.01, gamma: 1.5, every: 1 }, 5],
    ['exponential', { type: 'exponential', initial: 0.1, gamma: 0.9 }, 8],
    ['cosine', { type: 'cosine', initial: 0.1, epochs: 5 }, 5],
    ['cosine past its epochs stays at min (0)', { type: 'cosine', initial: 0.1, epochs: 4 }, 7],
    ['cosine with min and warmup, past its epochs', { type: 'cosine', initial: 0.3, min: 0.01, epochs: 6, warmup: 2 }, 9],
    ['cosine warmup of 1', { type: 'cosine', initial: 0.05, min: 0.05, epochs: 3, warmup: 1 }, 4],
  ];
  for (const [name, schedule, epochs] of closedForm) {
    it(`${name}: history.learningRate[e] is the formula's rate for e = 0…${epochs - 1}`, () => {
      const net = new Network(netOptions());
      const h = net.fitSync(X, T, { epochs, batchSize: 4, learningRate: schedule } as never);
      const want = Array.from({ length: epochs }, (_, e) => expectedRate(schedule, e));
      relClose(h.learningRate, want);
      // exact where the formula is exact
      expect(h.learningRate[0]).toBe(want[0]);
    });
  }

  it('cosine: warmup climbs initial/warmup, 2·initial/warmup, …; the first post-warmup epoch is initial', () => {
    const s = { type: 'cosine', initial: 0.4, epochs: 8, warmup: 4 };
    const h = new Network(netOptions()).fitSync(X, T, { epochs: 8, learningRate: s } as never);
    relClose(h.learningRate.slice(0, 5), [0.1, 0.2, 0.3, 0.4, 0.4]);
    relClose([h.learningRate[6]], [0.2]); // c = 2, T = 4: (1 + cos(π/2))/2 = ½
  });

  for (const [name, schedule] of [
    ['step', { type: 'step', initial: 0.3, gamma: 0.5, every: 2 }],
    ['exponential', { type: 'exponential', initial: 0.3, gamma: 0.7 }],
    ['cosine', { type: 'cosine', initial: 0.3, min: 0.02, epochs: 4, warmup: 1 }],
  ] as [string, Schedule][]) {
    it(`${name}: each epoch's updates use that epoch's rate (sgd, checked by hand through gradients())`, () => {
      const net = new Network(netOptions());
      const reference = new Network(netOptions());
      const h = net.fitSync(X, T, { epochs: 5, batchSize: 3, learningRate: schedule, shuffle: false } as never);
      for (let e = 0; e < 5; e++) {
        const lr = expectedRate(schedule, e);
        for (const rows of [
          [0, 1, 2],
          [3, 4, 5],
        ]) {
          const g = reference.gradients(
            rows.map((r) => X[r]),
            rows.map((r) => T[r]),
          ).grads;
          reference.params.forEach((p, i) => (reference.params[i] = p - lr * g[i]));
        }
      }
      expect(h.learningRate).toHaveLength(5);
      expect(normwiseDifference(reference.params, net.params)).toBeLessThan(1e-14);
    });
  }

  describe('plateau', () => {
    /** A network whose every parameter is nonzero, so a 1e-30 step is below one ulp of each. */
    const frozenNet = () => {
      const net = new Network(netOptions());
      net.params.forEach((p, i) => (net.params[i] = p === 0 ? 0.1 : p));
      return net;
    };
    it('a flat loss (learning rate far too small to move a parameter): patience 1, factor 0.5 → drops after epochs 2, 4, …', () => {
      // lr 1e-30 changes no parameter by even one ulp, so every epoch's loss is identical:
      // epoch 0 sets the best; epochs 1, 2 are bad; the count 2 > 1 drops the rate for epoch 3.
      const net = frozenNet();
      const before = Array.from(net.params);
      const h = net.fitSync(X, T, { epochs: 8, batchSize: 6, shuffle: false, learningRate: { type: 'plateau', initial: 1e-30, factor: 0.5, patience: 1 } } as never);
      expect(Array.from(net.params)).toEqual(before);
      expect(new Set(h.loss).size).toBe(1);
      relClose(
        h.learningRate,
        [1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.125].map((x) => x * 1e-30),
      );
    });

    it('patience 0 drops after every non-improving epoch; min clamps', () => {
      const net = frozenNet();
      const h = net.fitSync(X, T, { epochs: 6, batchSize: 6, shuffle: false, learningRate: { type: 'plateau', initial: 1e-30, factor: 0.1, patience: 0, min: 5e-33 } } as never);
      relClose(h.learningRate, [1e-30, 1e-30, 1e-31, 1e-32, 5e-33, 5e-33]);
    });

    it('defaults: factor 0.1, patience 10, min 0', () => {
      const net = frozenNet();
      const h = net.fitSync(X, T, { epochs: 14, batchSize: 6, shuffle: false, learningRate: { type: 'plateau', initial: 1e-30 } } as never);
      // epoch 0 best; epochs 1…11 bad, the 11th (> 10) drops: epoch 12 runs at 1e-31.
      relClose(h.learningRate, [...new Array(12).fill(1e-30), 1e-31, 1e-31]);
    });

    it('an improving loss keeps the initial rate', () => {
      const net = new Network(netOptions());
      const h = net.fitSync(X, T, { epochs: 10, batchSize: 6, shuffle: false, learningRate: { type: 'plateau', initial: 0.05, patience: 0 } } as never);
      for (let e = 1; e < 10; e++) expect(h.loss[e]).toBeLessThan(h.loss[e - 1]);
      expect(h.learningRate).toEqual(new Array(10).fill(0.05));
    });

    it("monitor 'validationLoss': follows the rule on history.validationLoss (a noisy one, so the rule fires)", () => {
      // Validation data unrelated to the training data, and a jumpy optimizer:
      // the validation loss wanders up and down.
      const other = seededUniform(1234);
      const validation = { inputs: randomRows(8, 2, other), targets: randomRows(8, 1, other) };
      const s = { type: 'plateau', initial: 0.5, factor: 0.7, patience: 0, monitor: 'validationLoss' };
      const net = new Network(netOptions());
      const h = net.fitSync(X, T, { epochs: 25, batchSize: 1, learningRate: s, validation, optimizer: { type: 'sgd', momentum: 0.9 } } as never);
      const want = plateauRates(s, h.validationLoss!);
      relClose(h.learningRate, want);
      expect(Math.min(...h.learningRate)).toBeLessThan(0.5); // the rule did fire
      expect(plateauRates(s, h.loss)).not.toEqual(want); // and it followed the validation loss, not the loss
    });

    it("monitor 'loss' (the default) follows the rule on history.loss, also with a noisy, shuffled loss", () => {
      const s = { type: 'plateau', initial: 0.8, factor: 0.5, patience: 1 };
      const net = new Network(netOptions({ l2: 0 }));
      const h = net.fitSync(X, T, { epochs: 30, batchSize: 1, learningRate: s, optimizer: { type: 'sgd', momentum: 0.9 } } as never);
      relClose(h.learningRate, plateauRates(s, h.loss));
    });

    it("monitor 'validationLoss' without validation is a DeltapropError", () => {
      const net = new Network(netOptions());
      const e = errorOf(() => net.fitSync(X, T, { epochs: 2, learningRate: { type: 'plateau', initial: 0.1, monitor: 'validationLoss' } } as never));
      expect(e).toBeInstanceOf(DeltapropError);
      expect(e.message).toMatch(/^options\.(learningRate\.monitor|validation)/);
    });
  });

  describe('bad schedules are DeltapropErrors naming the setting', () => {
    const bad: [Schedule, RegExp][] = [
      [{ type: 'linear', initial: 0.1 }, /^options\.learningRate\.type/],
      [{ initial: 0.1, gamma: 0.5, every: 1 }, /^options\.learningRate\.type/],
      [{ type: 'step', initial: 0, gamma: 0.5, every: 1 }, /^options\.learningRate\.initial: expected/],
      [{ type: 'step', initial: -1, gamma: 0.5, every: 1 }, /^options\.learningRate\.initial: expected/],
      [{ type: 'step', gamma: 0.5, every: 1 }, /^options\.learningRate\.initial/],
      [{ type: 'step', initial: 0.1, gamma: 0, every: 1 }, /^options\.learningRate\.gamma: expected/],
      [{ type: 'step', initial: 0.1, every: 1 }, /^options\.learningRate\.gamma/],
      [{ type: 'step', initial: 0.1, gamma: 0.5, every: 0 }, /^options\.learningRate\.every: expected/],
      [{ type: 'step', initial: 0.1, gamma: 0.5, every: 1.5 }, /^options\.learningRate\.every: expected/],
      [{ type: 'step', initial: 0.1, gamma: 0.5 }, /^options\.learningRate\.every/],
      [{ type: 'exponential', initial: 0.1, gamma: -0.5 }, /^options\.learningRate\.gamma: expected/],
      [{ type: 'exponential', initial: 0.1, gamma: NaN }, /^options\.learningRate\.gamma: expected/],
      [{ type: 'cosine', initial: 0.1, epochs: 0 }, /^options\.learningRate\.epochs: expected/],
      [{ type: 'cosine', initial: 0.1, epochs: 2.5 }, /^options\.learningRate\.epochs: expected/],
      [{ type: 'cosine', initial: 0.1 }, /^options\.learningRate\.epochs/],
      [{ type: 'cosine', initial: 0.1, epochs: 5, warmup: 5 }, /^options\.learningRate\.warmup: expected/],
      [{ type: 'cosine', initial: 0.1, epochs: 5, warmup: -1 }, /^options\.learningRate\.warmup: expected/],
      [{ type: 'cosine', initial: 0.1, epochs: 5, warmup: 1.5 }, /^options\.learningRate\.warmup: expected/],
      [{ type: 'cosine', initial: 0.1, epochs: 5, min: 0.2 }, /^options\.learningRate\.min: expected/],
      [{ type: 'cosine', initial: 0.1, epochs: 5, min: -0.01 }, /^options\.learningRate\.min: expected/],
      [{ type: 'plateau', initial: 0.1, factor: 0 }, /^options\.learningRate\.factor: expected/],
      [{ type: 'plateau', initial: 0.1, factor: 1 }, /^options\.learningRate\.factor: expected/],
      [{ type: 'plateau', initial: 0.1, patience: -1 }, /^options\.learningRate\.patience: expected/],
      [{ type: 'plateau', initial: 0.1, patience: 0.5 }, /^options\.learningRate\.patience: expected/],
      [{ type: 'plateau', initial: 0.1, min: 0.5 }, /^options\.learningRate\.min: expected/],
      [{ type: 'plateau', initial: 0.1, monitor: 'accuracy' }, /^options\.learningRate\.monitor: expected/],
      [{ type: 'step', initial: 0.1, gamma: 0.5, every: 1, gama: 0.5 }, /^options\.learningRate\.gama/],
      [{ type: 'exponential', initial: 0.1, gamma: 0.5, every: 2 }, /^options\.learningRate\.every/],
      [{ type: 'cosine', initial: 0.1, epochs: 5, patience: 2 }, /^options\.learningRate\.patience/],
      [{ type: 'plateau', initial: 0.1, warmup: 1 }, /^options\.learningRate\.warmup/],
    ];
    for (const [schedule, message] of bad) {
      it(`${JSON.stringify(schedule)} → ${message.source}`, () => {
        const net = new Network(netOptions());
        const e = errorOf(() => net.fitSync(X, T, { epochs: 2, learningRate: schedule } as never));
        expect(e).toBeInstanceOf(DeltapropError);
        expect(e.message).toMatch(message);
      });
    }

    it('edge settings in range are accepted: min = initial, warmup 0, warmup = epochs − 1, patience 0, min 0, gamma > 1', () => {
      const good: Schedule[] = [
        { type: 'cosine', initial: 0.1, epochs: 3, min: 0.1 },
        { type: 'cosine', initial: 0.1, epochs: 3, warmup: 0 },
        { type: 'cosine', initial: 0.1, epochs: 3, warmup: 2 },
        { type: 'plateau', initial: 0.1, patience: 0, min: 0 },
        { type: 'plateau', initial: 0.1, min: 0.1, factor: 0.999 },
        { type: 'exponential', initial: 0.1, gamma: 1.01 },
        { type: 'step', initial: 0.1, gamma: 2, every: 1 },
      ];
      for (const schedule of good) {
        expect(() => new Network(netOptions()).fitSync(X, T, { epochs: 2, learningRate: schedule } as never)).not.toThrow();
      }
    });
  });
});
