// Dropout (deltaprop 0.2): where it is allowed, that predict / forward /
// evaluate / gradients never drop, determinism by seed, p = 0 ≡ no dropout,
// js and native agreeing, and the masks themselves — read off the parameters
// after one SGD step of a 1 → 1000 → 1 identity network, where a unit's weights
// move exactly when it was kept — kept with probability 1 − p and scaled by 1/(1 − p).
import { describe, expect, it } from 'vitest';
import { DeltapropError, Network } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { normwiseDifference } from './helpers/compare.js';
import { randomRows, seededUniform } from './helpers/data.js';
import { errorOf } from './helpers/errors.js';

const bits = (a: Float64Array) => Array.from(new Uint32Array(Float64Array.from(a).buffer));

const next = seededUniform(4242);
const X = randomRows(16, 3, next);
const T = randomRows(16, 2, next, 0, 1);

const layersWith = (p?: number, q?: number) => [
  { units: 6, activation: 'tanh' as const, ...(p === undefined ? {} : { dropout: p }) },
  { units: 5, activation: 'relu' as const, ...(q === undefined ? {} : { dropout: q }) },
  { units: 2, activation: 'sigmoid' as const },
];

describe.each(BACKENDS)('dropout on %s', (backend) => {
  const netOptions = (p?: number, q?: number, extra: Record<string, unknown> = {}) => ({
    inputs: 3,
    layers: layersWith(p, q),
    seed: 31,
    l2: 0.01,
    backend,
    ...extra,
  });
  const FIT = { epochs: 4, batchSize: 4, learningRate: 0.1, optimizer: { type: 'sgd', momentum: 0.9 } };

  describe('options', () => {
    it('dropout on the output layer names options.layers[i].dropout', () => {
      for (const [layers, index] of [
        [[{ units: 2, activation: 'sigmoid', dropout: 0.5 }], 0],
        [
          [
            { units: 3, activation: 'tanh' },
            { units: 2, activation: 'sigmoid', dropout: 0.2 },
          ],
          1,
        ],
        [
          [
            { units: 3, activation: 'tanh', dropout: 0.1 },
            { units: 3, activation: 'tanh' },
            { units: 1, activation: 'identity', dropout: 0.1 },
          ],
          2,
        ],
      ] as [unknown[], number][]) {
        const e = errorOf(() => new Network({ inputs: 2, layers, backend } as never));
        expect(e).toBeInstanceOf(DeltapropError);
        expect(e.message.startsWith(`options.layers[${index}].dropout`)).toBe(true);
      }
    });

    it('dropout 0 on the output layer: allowed or rejected, never a non-DeltapropError', () => {
      // docs/api.md only says "on the output layer → error"; p = 0 is a no-op either way.
      let error: unknown;
      try {
        new Network({ inputs: 2, layers: [{ units: 1, activation: 'identity', dropout: 0 }], backend } as never);
      } catch (e) {
        error = e;
      }
      if (error !== undefined) expect(error).toBeInstanceOf(DeltapropError);
    });

    for (const p of [1, 1.5, -0.1, NaN, Infinity, '0.5', null]) {
      it(`dropout ${String(p)} on a hidden layer names options.layers[0].dropout`, () => {
        const e = errorOf(
          () =>
            new Network({
              inputs: 2,
              layers: [
                { units: 3, activation: 'tanh', dropout: p },
                { units: 1, activation: 'identity' },
              ],
              backend,
            } as never),
        );
        expect(e).toBeInstanceOf(DeltapropError);
        expect(e.message).toMatch(/^options\.layers\[0\]\.dropout: expected/);
      });
    }

    it('0 ≤ p < 1 is accepted, 0.999999 included; the config reports it', () => {
      for (const p of [0, 0.5, 0.999999]) {
        const net = new Network(netOptions(p));
        // p = 0 may be written out or left out (it is the default)
        expect((net.toJSON().config.layers[0] as { dropout?: number }).dropout ?? 0).toBe(p);
      }
    });
  });

  describe('evaluation never drops', () => {
    it('predict, forward, evaluate and gradients equal a dropout-free network at the same params, exactly — before and after training', () => {
      const dropped = new Network(netOptions(0.5, 0.3));
      const plain = new Network(netOptions());
      for (const stage of ['fresh', 'trained']) {
        if (stage === 'trained') dropped.fitSync(X, T, FIT as never);
        plain.params.set(dropped.params);
        expect(Array.from(dropped.predict(X).data), stage).toEqual(Array.from(plain.predict(X).data));
        expect(Array.from(dropped.predict(X).data), 'repeatable').toEqual(Array.from(dropped.predict(X).data));
        const fd = dropped.forward(X) as unknown;
        const fp = plain.forward(X) as unknown;
        expect(JSON.parse(JSON.stringify(fd))).toEqual(JSON.parse(JSON.stringify(fp)));
        expect(dropped.evaluate(X, T)).toEqual(plain.evaluate(X, T));
        const gd = dropped.gradients(X, T);
        const gp = plain.gradients(X, T);
        expect(gd.loss).toBe(gp.loss);
        expect(Array.from(gd.grads)).toEqual(Array.from(gp.grads));
        expect(Array.from(dropped.gradients(X, T).grads)).toEqual(Array.from(gd.grads));
      }
    });

    it('the validation loss during fit is evaluate() without dropout', () => {
      const net = new Network(netOptions(0.6, 0.6));
      const h = net.fitSync(X, T, { ...FIT, validation: { inputs: X, targets: T } } as never);
      expect(h.validationLoss!.at(-1)).toBe(net.evaluate(X, T).loss);
    });

    it('evaluating does not advance the dropout generator', () => {
      const a = new Network(netOptions(0.5));
      const b = new Network(netOptions(0.5));
      a.predict(X);
      a.evaluate(X, T);
      a.gradients(X, T);
      a.forward(X);
      a.fitSync(X, T, FIT as never);
      b.fitSync(X, T, FIT as never);
      expect(bits(a.params)).toEqual(bits(b.params));
    });
  });

  describe('training', () => {
    const train = (p?: number, q?: number, seed = 31, fit: Record<string, unknown> = FIT) => {
      const net = new Network(netOptions(p, q, { seed }));
      net.fitSync(X, T, fit as never);
      return net;
    };

    it('the same seed gives the same trained params, twice', () => {
      expect(bits(train(0.4, 0.2).params)).toEqual(bits(train(0.4, 0.2).params));
    });

    it('dropout changes training; a different rate gives different params', () => {
      const none = train().params;
      const a = train(0.4).params;
      const b = train(0.3).params;
      expect(normwiseDifference(none, a)).toBeGreaterThan(1e-6);
      expect(normwiseDifference(a, b)).toBeGreaterThan(1e-6);
      expect(normwiseDifference(train(undefined, 0.4).params, a)).toBeGreaterThan(1e-6);
    });

    it('async fit drops exactly as fitSync', async () => {
      const a = new Network(netOptions(0.4, 0.2));
      const b = new Network(netOptions(0.4, 0.2));
      const ha = await a.fit(X, T, FIT as never);
      const hb = b.fitSync(X, T, FIT as never);
      expect(ha.loss).toEqual(hb.loss);
      expect(bits(a.params)).toEqual(bits(b.params));
    });

    it('p = 0 behaves exactly like no dropout (shuffled, momentum, several epochs)', () => {
      expect(bits(train(0, 0).params)).toEqual(bits(train().params));
      const fit = { epochs: 3, batchSize: 5, optimizer: 'adam', learningRate: 0.02 };
      expect(bits(train(0, undefined, 31, fit).params)).toEqual(bits(train(undefined, undefined, 31, fit).params));
    });

    it('p = 0 on one layer does not change how the other layer drops', () => {
      expect(bits(train(0, 0.5).params)).toEqual(bits(train(undefined, 0.5).params));
    });

    it('another seed, from the same starting params and no shuffling, drops differently', () => {
      const make = (seed: number) => {
        const net = new Network(netOptions(0.5, undefined, { seed }));
        net.params.set(new Network(netOptions(0.5)).params);
        net.fitSync(X, T, { ...FIT, shuffle: false } as never);
        return net.params;
      };
      expect(bits(make(31))).toEqual(bits(make(31)));
      expect(normwiseDifference(make(31), make(32))).toBeGreaterThan(1e-6);
    });

    it('masks change from step to step (full-batch SGD, shuffle off: epochs differ only by their masks)', () => {
      // Two one-epoch fits versus one two-epoch fit must agree (state carries on),
      // and training twice from the same params and generator state must repeat.
      const a = new Network(netOptions(0.5));
      const b = new Network(netOptions(0.5));
      const fit = { batchSize: 16, shuffle: false, learningRate: 0.1 };
      a.fitSync(X, T, { ...fit, epochs: 1 } as never);
      a.fitSync(X, T, { ...fit, epochs: 1 } as never);
      b.fitSync(X, T, { ...fit, epochs: 2 } as never);
      expect(bits(a.params)).toEqual(bits(b.params));
    });
  });

  describe('the masks', () => {
    const H = 1000;
    /**
     * 1 → H identity (dropout p) → 1 identity, W1 = 1, b1 = 0, W2 = 1/H, b2 = 0,
     * input 1, target t, mse, one SGD step of rate η on the single row. Hidden
     * h_j = m_j/(1−p) (m_j ∈ {0, 1}), output y = Σ h_j / H, and
     *   ∂/∂W2_j = (y − t)·h_j,   ∂/∂W1_j = ∂/∂b1_j = (y − t)·W2_j·m_j/(1−p)·x.
     * So unit j was kept iff its W1 moved, and every change is known exactly.
     */
    function oneStep(p: number, t: number, lr: number, seed: number) {
      const net = new Network({
        inputs: 1,
        layers: [
          { units: H, activation: 'identity', dropout: p },
          { units: 1, activation: 'identity' },
        ],
        loss: 'mse',
        seed,
        backend,
      });
      const P = net.params;
      P.fill(0);
      for (let j = 0; j < H; j++) {
        P[j] = 1; // W1 (1×H)
        P[2 * H + j] = 1 / H; // W2 (H×1), after b1
      }
      // the mse gradient scale, measured without dropout (gradients never drop): at y = 1, ∂L/∂b2 = c·(1 − t)
      const scale = net.gradients([[1]], [[t]]).grads[3 * H] / (1 - t);
      net.fitSync([[1]], [[t]], { epochs: 1, batchSize: 1, learningRate: lr, shuffle: false });
      const kept: boolean[] = [];
      for (let j = 0; j < H; j++) kept.push(P[j] !== 1);
      return { P, kept, scale };
    }

    for (const p of [0.1, 0.5, 0.8]) {
      it(`p = ${p}: the kept fraction is about ${1 - p}, and kept units are scaled by exactly 1/(1 − p)`, () => {
        const lr = 0.1;
        const t = -1;
        const { P, kept, scale } = oneStep(p, t, lr, 5);
        const K = kept.filter(Boolean).length;
        // Binomial(1000, 1 − p): 5 standard deviations.
        const sd = Math.sqrt(H * p * (1 - p));
        expect(Math.abs(K - H * (1 - p))).toBeLessThan(5 * sd);
        // the output the step saw, from the kept count alone
        const y = K / H / (1 - p);
        const r = scale * (y - t); // ∂L/∂y
        // b2 moved by −η·r
        expect(P[3 * H]).toBeCloseTo(-lr * r, 12);
        for (let j = 0; j < H; j++) {
          const m = kept[j] ? 1 : 0;
          const dW2 = -lr * r * (m / (1 - p));
          const dUp = -lr * r * (1 / H) * (m / (1 - p));
          expect(Math.abs(P[2 * H + j] - 1 / H - dW2)).toBeLessThan(1e-12); // W2_j
          expect(Math.abs(P[j] - 1 - dUp)).toBeLessThan(1e-13); // W1_j
          expect(Math.abs(P[H + j] - dUp)).toBeLessThan(1e-13); // b1_j
        }
      });
    }

    it('the mask multiplies the activation (after tanh), not the pre-activation', () => {
      // 1 → H tanh (dropout p) → 1 identity, W1 = ½, b1 = 0, W2 = 1/H, x = 1:
      // h_j = tanh(½)·m_j/(1−p), ∂/∂W2_j = r·h_j, ∂/∂W1_j = r·W2_j·(1 − tanh²½)·m_j/(1−p).
      const p = 0.25;
      const lr = 0.1;
      const t = -1;
      const net = new Network({
        inputs: 1,
        layers: [
          { units: H, activation: 'tanh', dropout: p },
          { units: 1, activation: 'identity' },
        ],
        seed: 13,
        backend,
      });
      const P = net.params;
      P.fill(0);
      for (let j = 0; j < H; j++) {
        P[j] = 0.5;
        P[2 * H + j] = 1 / H;
      }
      const scale = net.gradients([[1]], [[t]]).grads[3 * H] / (Math.tanh(0.5) - t);
      net.fitSync([[1]], [[t]], { epochs: 1, batchSize: 1, learningRate: lr, shuffle: false });
      const kept = Array.from({ length: H }, (_, j) => P[j] !== 0.5);
      const K = kept.filter(Boolean).length;
      expect(Math.abs(K - H * (1 - p))).toBeLessThan(5 * Math.sqrt(H * p * (1 - p)));
      const th = Math.tanh(0.5);
      const r = scale * ((K * th) / (1 - p) / H - t);
      for (let j = 0; j < H; j++) {
        const m = kept[j] ? 1 / (1 - p) : 0;
        expect(Math.abs(P[2 * H + j] - 1 / H + lr * r * th * m)).toBeLessThan(1e-12);
        expect(Math.abs(P[j] - 0.5 + lr * r * (1 / H) * (1 - th * th) * m)).toBeLessThan(1e-13);
      }
    });

    it('masks are independent of each other across seeds and not a fixed pattern', () => {
      const a = oneStep(0.5, 0, 0.1, 1).kept;
      const b = oneStep(0.5, 0, 0.1, 2).kept;
      const agree = a.filter((k, j) => k === b[j]).length;
      // two independent Bernoulli(½) masks agree on ~500 ± 16 units
      expect(Math.abs(agree - 500)).toBeLessThan(80);
      // no long runs: a mask in blocks would show far fewer switches than ~500
      const switches = a.filter((k, j) => j > 0 && k !== a[j - 1]).length;
      expect(Math.abs(switches - 500)).toBeLessThan(80);
    });

    it('each row of a minibatch gets its own mask', () => {
      // Two identical rows in one batch. With one mask shared by the rows, every
      // moved W1_j would move by the same amount. With a mask per row the two
      // rows see different outputs y_r, and the units fall into four groups:
      // dropped by both (no move), kept by row 1 only (d1), by row 2 only (d2),
      // by both (d1 + d2), about 250 units each.
      const p = 0.5;
      const net = new Network({
        inputs: 1,
        layers: [
          { units: H, activation: 'identity', dropout: p },
          { units: 1, activation: 'identity' },
        ],
        seed: 9,
        backend,
      });
      const P = net.params;
      P.fill(0);
      for (let j = 0; j < H; j++) {
        P[j] = 1;
        P[2 * H + j] = 1 / H;
      }
      net.fitSync([[1], [1]], [[0], [0]], { epochs: 1, batchSize: 2, learningRate: 0.1, shuffle: false });
      const moves = new Map<string, number>();
      for (let j = 0; j < H; j++) {
        const d = (1 - P[j]).toPrecision(8);
        moves.set(d, (moves.get(d) ?? 0) + 1);
      }
      const groups = [...moves.entries()].map(([d, n]) => [Number(d), n]).sort((x, y) => x[0] - y[0]);
      expect(groups).toHaveLength(4);
      expect(groups[0][0]).toBe(0);
      expect(groups[3][0] / (groups[1][0] + groups[2][0])).toBeCloseTo(1, 6);
      for (const [, n] of groups) expect(Math.abs(n - 250)).toBeLessThan(5 * Math.sqrt(H * 0.25 * 0.75));
    });
  });
});

describe('dropout: native and js agree', () => {
  const both = BACKENDS.includes('js') && BACKENDS.includes('native');
  for (const [name, fit] of [
    ['sgd momentum, shuffled minibatches', { epochs: 6, batchSize: 4, learningRate: 0.1, optimizer: { type: 'sgd', momentum: 0.9 } }],
    ['adam, one batch, no shuffle', { epochs: 6, batchSize: 16, learningRate: 0.02, optimizer: 'adam', shuffle: false }],
    ['adamw with a schedule and clipNorm', { epochs: 6, batchSize: 3, optimizer: 'adamw', clipNorm: 0.1, learningRate: { type: 'cosine', initial: 0.05, epochs: 6 } }],
    ['rmsprop, reduction sum, batch size not dividing the rows', { epochs: 5, batchSize: 5, learningRate: 0.001, optimizer: 'rmsprop' }],
  ] as [string, Record<string, unknown>][]) {
    it.skipIf(!both)(`${name}: params agree to 1e-10 after training with dropout`, () => {
      const make = (backend: 'js' | 'native') => new Network({ inputs: 3, layers: layersWith(0.5, 0.25), seed: 31, l2: 0.01, backend, ...(name.includes('sum') ? { reduction: 'sum' as const } : {}) });
      const js = make('js');
      const native = make('native');
      expect(bits(js.params)).toEqual(bits(native.params));
      const start = Float64Array.from(js.params);
      js.fitSync(X, T, fit as never);
      native.fitSync(X, T, fit as never);
      expect(normwiseDifference(js.params, native.params)).toBeLessThan(1e-10);
      // and the dropout mattered: without it both would land elsewhere
      const plain = new Network({ inputs: 3, layers: layersWith(), seed: 31, l2: 0.01, backend: 'js', ...(name.includes('sum') ? { reduction: 'sum' as const } : {}) });
      plain.params.set(start);
      plain.fitSync(X, T, fit as never);
      expect(normwiseDifference(js.params, plain.params)).toBeGreaterThan(1e-6);
    });
  }
});

describe('dropout: native and js agree without biases, deeper, softmax', () => {
  const both = BACKENDS.includes('js') && BACKENDS.includes('native');
  it.skipIf(!both)('3 hidden layers (dropout on two), bias false, cross-entropy: params to 1e-10', () => {
    const labels = X.map(([a, b]) => (a + b > 0 ? [1, 0, 0] : a > b ? [0, 1, 0] : [0, 0, 1]));
    const make = (backend: 'js' | 'native') =>
      new Network({
        inputs: 3,
        bias: false,
        loss: 'cross-entropy',
        seed: 8,
        backend,
        layers: [
          { units: 7, activation: 'relu', dropout: 0.2 },
          { units: 5, activation: 'tanh' },
          { units: 4, activation: 'sigmoid', dropout: 0.6 },
          { units: 3, activation: 'softmax' },
        ],
      });
    const js = make('js');
    const native = make('native');
    const fit = { epochs: 8, batchSize: 3, optimizer: 'adam', learningRate: 0.01 };
    js.fitSync(X, labels, fit as never);
    native.fitSync(X, labels, fit as never);
    expect(normwiseDifference(js.params, native.params)).toBeLessThan(1e-10);
  });
});
