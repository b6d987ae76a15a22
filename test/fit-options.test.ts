// fit's options (deltaprop 0.2): the optimizers' update rules checked step by
// step against a reimplementation in this file driven by gradients(); the
// `momentum` shorthand; clipNorm; defaults; Adam learning 3-bit XOR; and the
// DeltapropErrors for bad or unknown optimizer / fit settings.
import { describe, expect, it } from 'vitest';
import { DeltapropError, Network } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { normwiseDifference } from './helpers/compare.js';
import { randomRows, seededUniform } from './helpers/data.js';
import { errorOf } from './helpers/errors.js';

type AnyOptions = Record<string, unknown>;
type Step = (params: Float64Array, grads: Float64Array, lr: number) => void;

/** true for each weight entry of the params layout (per layer W fanIn×fanOut, then b). */
function weightMask(inputs: number, units: number[], bias = true): boolean[] {
  const mask: boolean[] = [];
  let fanIn = inputs;
  for (const u of units) {
    for (let i = 0; i < fanIn * u; i++) mask.push(true);
    if (bias) for (let i = 0; i < u; i++) mask.push(false);
    fanIn = u;
  }
  return mask;
}

function sgdStep(n: number, mu = 0, nesterov = false): Step {
  const v = new Float64Array(n);
  return (p, g, lr) => {
    for (let i = 0; i < n; i++) {
      v[i] = mu * v[i] + g[i];
      p[i] -= nesterov ? lr * (g[i] + mu * v[i]) : lr * v[i];
    }
  };
}

function adamStep(n: number, b1 = 0.9, b2 = 0.999, eps = 1e-8, decay = 0, isWeight: boolean[] = []): Step {
  const m = new Float64Array(n);
  const v = new Float64Array(n);
  let t = 0;
  return (p, g, lr) => {
    t++;
    const c1 = 1 - b1 ** t;
    const c2 = Math.sqrt(1 - b2 ** t);
    for (let i = 0; i < n; i++) {
      if (decay !== 0 && isWeight[i]) p[i] *= 1 - lr * decay;
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      p[i] -= ((lr / c1) * m[i]) / (Math.sqrt(v[i]) / c2 + eps);
    }
  };
}

function rmspropStep(n: number, alpha = 0.99, eps = 1e-8): Step {
  const v = new Float64Array(n);
  return (p, g, lr) => {
    for (let i = 0; i < n; i++) {
      v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i];
      p[i] -= (lr * g[i]) / (Math.sqrt(v[i]) + eps);
    }
  };
}

/** Rescales g by c/(‖g‖+1e-6) when that is below 1. Returns whether it clipped. */
function clip(g: Float64Array, c: number): boolean {
  let s = 0;
  for (const x of g) s += x * x;
  const factor = c / (Math.sqrt(s) + 1e-6);
  if (factor >= 1) return false;
  for (let i = 0; i < g.length; i++) g[i] *= factor;
  return true;
}

function sub<T>(rows: T[], indices: number[]): T[] {
  return indices.map((i) => rows[i]);
}

/** Minibatches in order (no shuffling). */
function batchesOf(rows: number, size: number): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < rows; s += size) out.push(Array.from({ length: Math.min(size, rows - s) }, (_, k) => s + k));
  return out;
}

/** Trains `net` by hand: per epoch, per in-order minibatch, grads from gradients(), then `step`. */
function trainByHand(net: Network, X: number[][], T: number[][], epochs: number, batchSize: number, lr: (e: number) => number, step: Step, clipNorm?: number): number {
  let clipped = 0;
  for (let e = 0; e < epochs; e++) {
    for (const batch of batchesOf(X.length, batchSize)) {
      const g = Float64Array.from(net.gradients(sub(X, batch), sub(T, batch)).grads);
      if (clipNorm !== undefined && clip(g, clipNorm)) clipped++;
      step(net.params, g, lr(e));
    }
  }
  return clipped;
}

describe.each(BACKENDS)('fit options on %s', (backend) => {
  const next = seededUniform(314);
  const X = randomRows(5, 3, next);
  const T = randomRows(5, 2, next, 0, 1);
  const netOptions = (extra: AnyOptions = {}) => ({
    inputs: 3,
    layers: [
      { units: 4, activation: 'tanh' as const },
      { units: 2, activation: 'sigmoid' as const },
    ],
    seed: 11,
    backend,
    ...extra,
  });
  const N = 3 * 4 + 4 + 4 * 2 + 2;
  const MASK = weightMask(3, [4, 2]);

  describe('each optimizer follows its update rule (in-order minibatches, grads from gradients())', () => {
    const cases: { name: string; optimizer: unknown; step: () => Step; l2: number; batchSize: number; lr: number }[] = [
      { name: 'sgd (plain)', optimizer: 'sgd', step: () => sgdStep(N), l2: 0.05, batchSize: 2, lr: 0.3 },
      { name: 'sgd momentum 0.8', optimizer: { type: 'sgd', momentum: 0.8 }, step: () => sgdStep(N, 0.8), l2: 0.05, batchSize: 2, lr: 0.2 },
      { name: 'sgd nesterov', optimizer: { type: 'sgd', momentum: 0.7, nesterov: true }, step: () => sgdStep(N, 0.7, true), l2: 0.05, batchSize: 2, lr: 0.2 },
      { name: 'adam defaults', optimizer: 'adam', step: () => adamStep(N), l2: 0.05, batchSize: 2, lr: 0.01 },
      { name: 'adam custom', optimizer: { type: 'adam', beta1: 0.8, beta2: 0.95, epsilon: 1e-4 }, step: () => adamStep(N, 0.8, 0.95, 1e-4), l2: 0, batchSize: 2, lr: 0.05 },
      { name: 'adamw defaults (l2 0)', optimizer: 'adamw', step: () => adamStep(N, 0.9, 0.999, 1e-8, 0.01, MASK), l2: 0, batchSize: 5, lr: 0.1 },
      { name: 'adamw custom (l2 0)', optimizer: { type: 'adamw', weightDecay: 0.3, beta1: 0.5 }, step: () => adamStep(N, 0.5, 0.999, 1e-8, 0.3, MASK), l2: 0, batchSize: 5, lr: 0.1 },
      { name: 'adamw with l2 and minibatches', optimizer: { type: 'adamw', weightDecay: 0.2 }, step: () => adamStep(N, 0.9, 0.999, 1e-8, 0.2, MASK), l2: 0.1, batchSize: 2, lr: 0.05 },
      { name: 'rmsprop defaults', optimizer: 'rmsprop', step: () => rmspropStep(N), l2: 0.05, batchSize: 2, lr: 0.01 },
      { name: 'rmsprop custom', optimizer: { type: 'rmsprop', alpha: 0.9, epsilon: 1e-3 }, step: () => rmspropStep(N, 0.9, 1e-3), l2: 0, batchSize: 3, lr: 0.02 },
    ];
    for (const c of cases) {
      it(`${c.name}: 3 epochs`, () => {
        const net = new Network(netOptions({ l2: c.l2 }));
        const reference = new Network(netOptions({ l2: c.l2 }));
        expect(Array.from(net.params)).toEqual(Array.from(reference.params));
        const start = Array.from(net.params);
        net.fitSync(X, T, { epochs: 3, batchSize: c.batchSize, learningRate: c.lr, shuffle: false, optimizer: c.optimizer } as never);
        trainByHand(reference, X, T, 3, c.batchSize, () => c.lr, c.step());
        expect(Array.from(net.params)).not.toEqual(start);
        expect(normwiseDifference(reference.params, net.params)).toBeLessThan(1e-14);
      });
    }

    it('AdamW decays weights but never biases (bias: true, l2: 0, batchSize = rows, 3 steps)', () => {
      // With a zero gradient for the biases the Adam step leaves them alone, so
      // only decay could move them; compare against Adam with the decay applied to everything.
      const net = new Network(netOptions({ l2: 0 }));
      const everything = new Network(netOptions({ l2: 0 }));
      const biasesToo = adamStep(
        N,
        0.9,
        0.999,
        1e-8,
        0.5,
        MASK.map(() => true),
      );
      const weightsOnly = new Network(netOptions({ l2: 0 }));
      net.fitSync(X, T, { epochs: 3, batchSize: 5, learningRate: 0.1, shuffle: false, optimizer: { type: 'adamw', weightDecay: 0.5 } } as never);
      trainByHand(everything, X, T, 3, 5, () => 0.1, biasesToo);
      trainByHand(weightsOnly, X, T, 3, 5, () => 0.1, adamStep(N, 0.9, 0.999, 1e-8, 0.5, MASK));
      expect(normwiseDifference(weightsOnly.params, net.params)).toBeLessThan(1e-14);
      expect(normwiseDifference(everything.params, net.params)).toBeGreaterThan(1e-6);
    });

    it('AdamW with weightDecay 0 is Adam, bitwise', () => {
      const a = new Network(netOptions());
      const b = new Network(netOptions());
      a.fitSync(X, T, { epochs: 3, batchSize: 2, learningRate: 0.05, optimizer: { type: 'adamw', weightDecay: 0 } } as never);
      b.fitSync(X, T, { epochs: 3, batchSize: 2, learningRate: 0.05, optimizer: 'adam' } as never);
      expect(Array.from(a.params)).toEqual(Array.from(b.params));
    });

    it('a network without biases: AdamW decays every parameter', () => {
      const opts = netOptions({ bias: false, l2: 0 });
      const n = 3 * 4 + 4 * 2;
      const net = new Network(opts);
      const reference = new Network(opts);
      net.fitSync(X, T, { epochs: 3, batchSize: 5, learningRate: 0.1, shuffle: false, optimizer: { type: 'adamw', weightDecay: 0.1 } } as never);
      trainByHand(reference, X, T, 3, 5, () => 0.1, adamStep(n, 0.9, 0.999, 1e-8, 0.1, weightMask(3, [4, 2], false)));
      expect(normwiseDifference(reference.params, net.params)).toBeLessThan(1e-14);
    });
  });

  describe('momentum shorthand', () => {
    it('momentum: μ is { type: "sgd", momentum: μ }, bitwise, also with optimizer: "sgd"', () => {
      const run = (fit: AnyOptions) => {
        const net = new Network(netOptions({ l2: 0.01 }));
        net.fitSync(X, T, { epochs: 4, batchSize: 2, learningRate: 0.1, ...fit } as never);
        return Array.from(net.params);
      };
      const object = run({ optimizer: { type: 'sgd', momentum: 0.9 } });
      expect(run({ momentum: 0.9 })).toEqual(object);
      expect(run({ momentum: 0.9, optimizer: 'sgd' })).toEqual(object);
      expect(run({ momentum: 0.9, optimizer: { type: 'sgd' } })).toEqual(object);
      expect(run({})).not.toEqual(object);
    });

    it('momentum with a non-SGD optimizer, or beside optimizer.momentum, names options.momentum', () => {
      for (const optimizer of ['adam', 'adamw', 'rmsprop', { type: 'adam' }, { type: 'sgd', momentum: 0.5 }]) {
        const net = new Network(netOptions());
        const e = errorOf(() => net.fitSync(X, T, { momentum: 0.5, optimizer } as never));
        expect(e).toBeInstanceOf(DeltapropError);
        expect(e.message).toMatch(/^options\.momentum/);
      }
    });
  });

  describe('clipNorm', () => {
    for (const [name, optimizer, make] of [
      ['sgd', 'sgd', () => sgdStep(N)],
      ['adam', 'adam', () => adamStep(N)],
      ['nesterov', { type: 'sgd', momentum: 0.9, nesterov: true }, () => sgdStep(N, 0.9, true)],
    ] as [string, unknown, () => Step][]) {
      it(`${name}: the whole minibatch gradient (L2 term included) is rescaled by c/(‖g‖+1e-6) when below 1`, () => {
        const opts = netOptions({ l2: 0.2 });
        const net = new Network(opts);
        const reference = new Network(opts);
        const unclipped = new Network(opts);
        // ‖g‖ is of order 0.1 here: 0.05 clips (most steps), 1e6 never does.
        const clipNorm = 0.05;
        net.fitSync(X, T, { epochs: 3, batchSize: 2, learningRate: 0.5, shuffle: false, optimizer, clipNorm } as never);
        const clipped = trainByHand(reference, X, T, 3, 2, () => 0.5, make(), clipNorm);
        expect(clipped).toBeGreaterThan(0);
        expect(normwiseDifference(reference.params, net.params)).toBeLessThan(1e-14);
        unclipped.fitSync(X, T, { epochs: 3, batchSize: 2, learningRate: 0.5, shuffle: false, optimizer } as never);
        expect(normwiseDifference(unclipped.params, net.params)).toBeGreaterThan(1e-6);
      });
    }

    it('a clipNorm no gradient reaches changes nothing, bitwise', () => {
      const a = new Network(netOptions({ l2: 0.2 }));
      const b = new Network(netOptions({ l2: 0.2 }));
      a.fitSync(X, T, { epochs: 3, batchSize: 2, learningRate: 0.5, optimizer: 'adam', clipNorm: 1e6 } as never);
      b.fitSync(X, T, { epochs: 3, batchSize: 2, learningRate: 0.5, optimizer: 'adam' } as never);
      expect(Array.from(a.params)).toEqual(Array.from(b.params));
    });
  });

  describe('defaults', () => {
    it('no options = 1 epoch, batchSize 32, learningRate 0.01, shuffle on, plain sgd', () => {
      const next2 = seededUniform(5);
      const X2 = randomRows(70, 3, next2); // 70 rows: batches of 32, 32, 6
      const T2 = randomRows(70, 2, next2, 0, 1);
      const a = new Network(netOptions());
      const b = new Network(netOptions());
      const h = a.fitSync(X2, T2);
      b.fitSync(X2, T2, { epochs: 1, batchSize: 32, learningRate: 0.01, shuffle: true, optimizer: { type: 'sgd', momentum: 0, nesterov: false } } as never);
      expect(h.epochs).toBe(1);
      expect(h.learningRate).toEqual([0.01]);
      expect(Array.from(a.params)).toEqual(Array.from(b.params));
    });

    it('optimizer defaults equal the documented settings, bitwise', () => {
      const pairs: [unknown, unknown][] = [
        ['adam', { type: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }],
        ['adamw', { type: 'adamw', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 }],
        ['rmsprop', { type: 'rmsprop', alpha: 0.99, epsilon: 1e-8 }],
        ['sgd', { type: 'sgd', momentum: 0, nesterov: false }],
      ];
      for (const [short, long] of pairs) {
        const a = new Network(netOptions());
        const b = new Network(netOptions());
        a.fitSync(X, T, { epochs: 2, batchSize: 2, learningRate: 0.05, optimizer: short } as never);
        b.fitSync(X, T, { epochs: 2, batchSize: 2, learningRate: 0.05, optimizer: long } as never);
        expect(Array.from(a.params)).toEqual(Array.from(b.params));
      }
    });

    it('async fit equals fitSync with Adam and a schedule, bitwise', async () => {
      const fit = { epochs: 4, batchSize: 2, optimizer: 'adamw', learningRate: { type: 'cosine', initial: 0.05, epochs: 4, warmup: 1 } };
      const a = new Network(netOptions());
      const b = new Network(netOptions());
      const ha = await a.fit(X, T, fit as never);
      const hb = b.fitSync(X, T, fit as never);
      expect(ha).toEqual(hb);
      expect(Array.from(a.params)).toEqual(Array.from(b.params));
    });

    for (const optimizer of ['sgd', { type: 'sgd', momentum: 0.9, nesterov: true }, 'adam', 'adamw', 'rmsprop']) {
      for (const clipNorm of [undefined, 0.05]) {
        it(`async fit equals fitSync: ${JSON.stringify(optimizer)}, clipNorm ${clipNorm}`, async () => {
          const fit = { epochs: 3, batchSize: 2, optimizer, learningRate: 0.05, ...(clipNorm === undefined ? {} : { clipNorm }) };
          const a = new Network(netOptions({ l2: 0.1 }));
          const b = new Network(netOptions({ l2: 0.1 }));
          await a.fit(X, T, fit as never);
          b.fitSync(X, T, fit as never);
          expect(Array.from(a.params)).toEqual(Array.from(b.params));
        });
      }
    }

    it("onEpoch sees the epoch's learning rate", () => {
      const net = new Network(netOptions());
      const seen: number[] = [];
      const h = net.fitSync(X, T, {
        epochs: 3,
        optimizer: 'adam',
        learningRate: { type: 'exponential', initial: 0.1, gamma: 0.5 },
        onEpoch: (info: { learningRate: number }) => {
          seen.push(info.learningRate);
        },
      } as never);
      expect(seen).toEqual(h.learningRate);
      expect(seen[0]).toBe(0.1);
      expect(seen[1]).toBeCloseTo(0.05, 15);
    });
  });

  describe('Adam learns', () => {
    it('3-bit XOR (parity), 3-4-1 tanh/sigmoid, binary cross-entropy', () => {
      const X3: number[][] = [];
      for (let i = 0; i < 8; i++) X3.push([(i >> 2) & 1, (i >> 1) & 1, i & 1]);
      const T3 = X3.map(([a, b, c]) => [a ^ b ^ c]);
      const net = new Network({
        inputs: 3,
        layers: [
          { units: 4, activation: 'tanh' },
          { units: 1, activation: 'sigmoid' },
        ],
        loss: 'binary-cross-entropy',
        seed: 3,
        backend,
      });
      const h = net.fitSync(X3, T3, { epochs: 3000, batchSize: 8, learningRate: 0.05, optimizer: 'adam' } as never);
      expect(h.loss.at(-1)!).toBeLessThan(0.05);
      expect(Array.from(net.predict(X3).data).map((y) => (y >= 0.5 ? 1 : 0))).toEqual(T3.map(([t]) => t));
    });

    it('2-input XOR, 2-4-1 tanh/sigmoid, binary cross-entropy', () => {
      const X2 = [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ];
      const T2 = [[0], [1], [1], [0]];
      const net = new Network({
        inputs: 2,
        layers: [
          { units: 4, activation: 'tanh' },
          { units: 1, activation: 'sigmoid' },
        ],
        loss: 'binary-cross-entropy',
        seed: 7,
        backend,
      });
      const h = net.fitSync(X2, T2, { epochs: 1000, batchSize: 4, learningRate: 0.05, optimizer: 'adam' } as never);
      expect(h.loss.at(-1)!).toBeLessThan(0.05);
      expect(net.evaluate(X2, T2).accuracy).toBe(1);
    });
  });

  describe('bad settings are DeltapropErrors naming the argument', () => {
    const bad: [AnyOptions, RegExp][] = [
      [{ optimizer: 'lbfgs' }, /^options\.optimizer/],
      [{ optimizer: { type: 'lbfgs' } }, /^options\.optimizer\.type/],
      [{ optimizer: {} }, /^options\.optimizer\.type/],
      [{ optimizer: 42 }, /^options\.optimizer/],
      [{ optimizer: { type: 'adam', betaOne: 0.9 } }, /^options\.optimizer\.betaOne/],
      [{ optimizer: { type: 'adam', weightDecay: 0.1 } }, /^options\.optimizer\.weightDecay/],
      [{ optimizer: { type: 'adam', momentum: 0.1 } }, /^options\.optimizer\.momentum/],
      [{ optimizer: { type: 'rmsprop', beta1: 0.9 } }, /^options\.optimizer\.beta1/],
      [{ optimizer: { type: 'sgd', alpha: 0.9 } }, /^options\.optimizer\.alpha/],
      [{ optimizer: { type: 'adam', beta1: 1 } }, /^options\.optimizer\.beta1: expected/],
      [{ optimizer: { type: 'adam', beta1: -0.1 } }, /^options\.optimizer\.beta1: expected/],
      [{ optimizer: { type: 'adamw', beta2: 1 } }, /^options\.optimizer\.beta2: expected/],
      [{ optimizer: { type: 'adam', beta2: NaN } }, /^options\.optimizer\.beta2: expected/],
      [{ optimizer: { type: 'adam', epsilon: 0 } }, /^options\.optimizer\.epsilon: expected/],
      [{ optimizer: { type: 'rmsprop', epsilon: -1e-8 } }, /^options\.optimizer\.epsilon: expected/],
      [{ optimizer: { type: 'adamw', weightDecay: -0.01 } }, /^options\.optimizer\.weightDecay: expected/],
      [{ optimizer: { type: 'adamw', weightDecay: Infinity } }, /^options\.optimizer\.weightDecay: expected/],
      [{ optimizer: { type: 'rmsprop', alpha: 1 } }, /^options\.optimizer\.alpha: expected/],
      [{ optimizer: { type: 'rmsprop', alpha: -0.5 } }, /^options\.optimizer\.alpha: expected/],
      [{ optimizer: { type: 'sgd', momentum: 1 } }, /^options\.optimizer\.momentum: expected/],
      [{ optimizer: { type: 'sgd', momentum: -0.1 } }, /^options\.optimizer\.momentum: expected/],
      [{ optimizer: { type: 'sgd', momentum: 0.5, nesterov: 'yes' } }, /^options\.optimizer\.nesterov: expected/],
      [{ optimizer: { type: 'sgd', nesterov: true } }, /^options\.optimizer\.nesterov/],
      [{ optimizer: { type: 'sgd', momentum: 0, nesterov: true } }, /^options\.optimizer\.nesterov/],
      [{ momentum: 1 }, /^options\.momentum/],
      [{ momentum: -0.5 }, /^options\.momentum/],
      [{ clipNorm: 0 }, /^options\.clipNorm: expected/],
      [{ clipNorm: -1 }, /^options\.clipNorm: expected/],
      [{ clipNorm: NaN }, /^options\.clipNorm: expected/],
      [{ epochs: 0 }, /^options\.epochs: expected/],
      [{ epochs: 1.5 }, /^options\.epochs: expected/],
      [{ batchSize: 0 }, /^options\.batchSize: expected/],
      [{ learningRate: 0 }, /^options\.learningRate/],
      [{ learningRate: -0.1 }, /^options\.learningRate/],
      [{ epoch: 3 }, /^options\.epoch\b/],
      [{ clipnorm: 1 }, /^options\.clipnorm/],
    ];
    for (const [fit, message] of bad) {
      it(`${JSON.stringify(fit)} → ${message.source}`, () => {
        const net = new Network(netOptions());
        const before = Array.from(net.params);
        const e = errorOf(() => net.fitSync(X, T, fit as never));
        expect(e).toBeInstanceOf(DeltapropError);
        expect(e.message).toMatch(message);
        expect(Array.from(net.params)).toEqual(before);
      });
    }

    it('an unknown layer key names the layer', () => {
      const e = errorOf(
        () =>
          new Network({
            inputs: 2,
            layers: [
              { units: 2, activation: 'tanh', dropOut: 0.5 },
              { units: 1, activation: 'identity' },
            ],
            backend,
          } as never),
      );
      expect(e).toBeInstanceOf(DeltapropError);
      expect(e.message).toMatch(/^options\.layers\[0\]\.dropOut/);
    });

    it('good edge settings are accepted: beta1 = 0, momentum just below 1 with nesterov, alpha 0, weightDecay 0', () => {
      for (const optimizer of [
        { type: 'adam', beta1: 0, beta2: 0 },
        { type: 'sgd', momentum: 0.999, nesterov: true },
        { type: 'rmsprop', alpha: 0 },
        { type: 'adamw', weightDecay: 0 },
        { type: 'sgd', nesterov: false },
      ]) {
        const net = new Network(netOptions());
        expect(() => net.fitSync(X, T, { epochs: 1, learningRate: 1e-3, optimizer } as never)).not.toThrow();
      }
    });
  });
});

describe('fit options: native and js agree', () => {
  const both = BACKENDS.includes('js') && BACKENDS.includes('native');
  const next = seededUniform(8080);
  const X = randomRows(23, 3, next);
  const T = randomRows(23, 2, next, 0, 1);
  for (const optimizer of ['sgd', { type: 'sgd', momentum: 0.9, nesterov: true }, 'adam', { type: 'adamw', weightDecay: 0.1 }, 'rmsprop']) {
    for (const clipNorm of [undefined, 0.05]) {
      it.skipIf(!both)(`${JSON.stringify(optimizer)}, clipNorm ${clipNorm}, shuffled, step schedule: params to 1e-10`, () => {
        const fit = { epochs: 5, batchSize: 4, optimizer, learningRate: { type: 'step', initial: 0.05, gamma: 0.5, every: 2 }, ...(clipNorm === undefined ? {} : { clipNorm }) };
        const make = (backend: 'js' | 'native') =>
          new Network({
            inputs: 3,
            layers: [
              { units: 6, activation: 'tanh' },
              { units: 2, activation: 'sigmoid' },
            ],
            seed: 4,
            l2: 0.05,
            backend,
          });
        const js = make('js');
        const native = make('native');
        const hj = js.fitSync(X, T, fit as never);
        const hn = native.fitSync(X, T, fit as never);
        expect(hn.learningRate).toEqual(hj.learningRate);
        expect(normwiseDifference(js.params, native.params)).toBeLessThan(1e-10);
      });
    }
  }
});
