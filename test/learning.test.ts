// Training end to end: XOR and regressions learn, and fit's SGD, momentum,
// minibatching, epoch loss, validation and stopping do exactly what docs/api.md
// says, checked step by step against gradients().
import { describe, expect, it } from 'vitest';
import { DeltapropError, Network } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { randomRows, seededUniform } from './helpers/data.js';

const XOR_X = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const XOR_T = [[0], [1], [1], [0]];

function sub<T>(rows: T[], indices: number[]): T[] {
  return indices.map((i) => rows[i]);
}

describe.each(BACKENDS)('learning on %s', (backend) => {
  it('XOR 2-3-1 sigmoid with mse gets all four cases right', () => {
    const net = new Network({
      inputs: 2,
      layers: [
        { units: 3, activation: 'sigmoid' },
        { units: 1, activation: 'sigmoid' },
      ],
      seed: 3,
      backend,
    });
    net.fitSync(XOR_X, XOR_T, { epochs: 4000, batchSize: 4, learningRate: 2, momentum: 0.9 });
    const out = Array.from(net.predict(XOR_X).data);
    expect(out.map((y) => (y >= 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
    expect(net.evaluate(XOR_X, XOR_T).accuracy).toBe(1);
  });

  it('XOR 2-4-1 with binary cross-entropy (async fit) gets all four cases right', async () => {
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
    const history = await net.fit(XOR_X, XOR_T, { epochs: 1500, batchSize: 4, learningRate: 0.5, momentum: 0.9 });
    expect(history.loss.at(-1)!).toBeLessThan(0.01);
    expect(net.evaluate(XOR_X, XOR_T).accuracy).toBe(1);
  });

  it('a linear regression recovers the generating weights', () => {
    // y = 2·x0 − 3·x1 + 0.5, noiseless: the least-squares optimum is exact.
    const next = seededUniform(5);
    const X = randomRows(64, 2, next);
    const T = X.map(([a, b]) => [2 * a - 3 * b + 0.5]);
    const net = new Network({ inputs: 2, layers: [{ units: 1, activation: 'identity' }], seed: 1, backend });
    net.fitSync(X, T, { epochs: 400, batchSize: 8, learningRate: 0.1, momentum: 0.5 });
    expect(Array.from(net.layers[0].weights.data).map((w) => +w.toFixed(6))).toEqual([2, -3]);
    expect(net.layers[0].biases![0]).toBeCloseTo(0.5, 6);
  });

  it('a small nonlinear regression (sin on [−3, 3]) fits', () => {
    const xs = Array.from({ length: 40 }, (_, i) => -3 + (6 * i) / 39);
    const T = xs.map((x) => [Math.sin(x)]);
    const net = new Network({
      inputs: 1,
      layers: [
        { units: 12, activation: 'tanh' },
        { units: 1, activation: 'identity' },
      ],
      seed: 2,
      backend,
    });
    const before = net.evaluate(
      xs.map((x) => [x]),
      T,
    ).loss;
    net.fitSync(
      xs.map((x) => [x]),
      T,
      { epochs: 2000, batchSize: 8, learningRate: 0.05, momentum: 0.9 },
    );
    const after = net.evaluate(
      xs.map((x) => [x]),
      T,
    ).loss;
    expect(after).toBeLessThan(before / 100);
    expect(after).toBeLessThan(1e-3); // mean of ½(f − t)²: a typical error below 0.045
  });

  describe('fit follows the update rule exactly', () => {
    const next = seededUniform(77);
    const X = randomRows(5, 3, next);
    const T = randomRows(5, 2, next, 0, 1);
    const options = {
      inputs: 3,
      layers: [
        { units: 4, activation: 'tanh' as const },
        { units: 2, activation: 'sigmoid' as const },
      ],
      l2: 0.1,
      seed: 9,
      backend,
    };

    /** (λ/2)·Σ‖W‖² over the weights (not the biases) of a network, before any reduction. */
    const halfSquaredWeights = (net: Network) => 0.5 * options.l2 * net.layers.reduce((s, l) => s + l.weights.data.reduce((t, w) => t + w * w, 0), 0);

    it('plain SGD: each minibatch, in order, takes W := W − η·∂L/∂W; the epoch loss is the sample-weighted data loss plus the final L2 term', () => {
      const net = new Network(options);
      const reference = new Network(options);
      const lr = 0.3;
      const history = net.fitSync(X, T, { epochs: 1, batchSize: 2, learningRate: lr, shuffle: false });
      // Batches of 2, 2 and 1 rows, each with its own 1/N.
      let weighted = 0;
      for (const batch of [[0, 1], [2, 3], [4]]) {
        const g = reference.gradients(sub(X, batch), sub(T, batch));
        weighted += (g.loss - halfSquaredWeights(reference) / batch.length) * batch.length;
        reference.params.forEach((p, i) => (reference.params[i] = p - lr * g.grads[i]));
      }
      expect(Array.from(net.params)).toEqual(Array.from(reference.params));
      expect(history.loss[0]).toBeCloseTo(weighted / 5 + halfSquaredWeights(reference) / 5, 14);
    });

    it("the epoch loss is on evaluate()'s scale whatever the batch size (the L2 term counted once)", () => {
      const start = new Network(options);
      const expected = start.evaluate(X, T).loss;
      for (const batchSize of [1, 2, 5]) {
        const net = new Network(options);
        const history = net.fitSync(X, T, { epochs: 1, batchSize, learningRate: 1e-12, shuffle: false });
        expect(Math.abs(history.loss[0] - expected) / expected).toBeLessThan(1e-9);
      }
    });

    it('momentum: V := μV + ∂L/∂W, W := W − ηV, V starting at zero', () => {
      const net = new Network(options);
      const reference = new Network(options);
      const [lr, mu] = [0.2, 0.7];
      net.fitSync(X, T, { epochs: 3, batchSize: 5, learningRate: lr, momentum: mu, shuffle: false });
      const v = new Float64Array(reference.params.length);
      for (let step = 0; step < 3; step++) {
        const g = reference.gradients(X, T).grads;
        v.forEach((vi, i) => (v[i] = mu * vi + g[i]));
        reference.params.forEach((p, i) => (reference.params[i] = p - lr * v[i]));
      }
      expect(Array.from(net.params)).toEqual(Array.from(reference.params));
    });

    it("with reduction 'sum' the epoch loss is the sum of the minibatch data losses plus the final L2 term", () => {
      const net = new Network({ ...options, reduction: 'sum' });
      const reference = new Network({ ...options, reduction: 'sum' });
      const history = net.fitSync(X, T, { epochs: 1, batchSize: 3, learningRate: 0.01, shuffle: false });
      const first = reference.gradients(sub(X, [0, 1, 2]), sub(T, [0, 1, 2]));
      const firstData = first.loss - halfSquaredWeights(reference);
      reference.params.forEach((p, i) => (reference.params[i] = p - 0.01 * first.grads[i]));
      const second = reference.gradients(sub(X, [3, 4]), sub(T, [3, 4]));
      const secondData = second.loss - halfSquaredWeights(reference);
      reference.params.forEach((p, i) => (reference.params[i] = p - 0.01 * second.grads[i]));
      expect(history.loss[0]).toBeCloseTo(firstData + secondData + halfSquaredWeights(reference), 13);
    });
  });

  it('the same seed gives the same training; another seed shuffles differently', () => {
    const next = seededUniform(8);
    const X = randomRows(30, 2, next);
    const T = randomRows(30, 1, next);
    const run = (seed: number) => {
      const net = new Network({
        inputs: 2,
        layers: [
          { units: 3, activation: 'tanh' },
          { units: 1, activation: 'identity' },
        ],
        seed,
        backend,
      });
      net.params.fill(0.1); // identical starting weights: only the shuffles differ
      net.fitSync(X, T, { epochs: 2, batchSize: 4, learningRate: 0.1 });
      return Array.from(net.params);
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });

  it('reports validation loss after each epoch and stops when onEpoch returns false', () => {
    const net = new Network({
      inputs: 2,
      layers: [
        { units: 2, activation: 'sigmoid' },
        { units: 1, activation: 'sigmoid' },
      ],
      seed: 4,
      backend,
    });
    const seen: number[] = [];
    const history = net.fitSync(XOR_X, XOR_T, {
      epochs: 10,
      batchSize: 2,
      learningRate: 0.5,
      validation: { inputs: XOR_X.slice(0, 2), targets: XOR_T.slice(0, 2) },
      onEpoch: ({ epoch }) => {
        seen.push(epoch);
        return epoch < 2;
      },
    });
    expect(seen).toEqual([0, 1, 2]);
    expect(history.epochs).toBe(3);
    expect(history.loss).toHaveLength(3);
    expect(history.validationLoss).toHaveLength(3);
    expect(history.validationLoss![2]).toBe(net.evaluate(XOR_X.slice(0, 2), XOR_T.slice(0, 2)).loss);
  });

  it('a diverging run stops with a DeltapropError naming the learning rate', () => {
    const net = new Network({ inputs: 1, layers: [{ units: 1, activation: 'identity' }], seed: 1, backend });
    // Inputs near unit scale: the learning rate is the cause (inputs far from it are blamed instead: test/divergence.test.ts).
    const X = [[1], [-2], [3]];
    expect(() => net.fitSync(X, [[1], [2], [3]], { epochs: 50, batchSize: 1, learningRate: 10 })).toThrow(/learningRate: training diverged/);
  });

  it('rejects other calls while an async fit runs, and accepts them after', async () => {
    const net = new Network({
      inputs: 2,
      layers: [
        { units: 3, activation: 'sigmoid' },
        { units: 1, activation: 'sigmoid' },
      ],
      seed: 1,
      backend,
    });
    const training = net.fit(XOR_X, XOR_T, { epochs: 20, batchSize: 4, learningRate: 0.1 });
    expect(() => net.predict(XOR_X)).toThrow(DeltapropError);
    expect(() => net.fitSync(XOR_X, XOR_T)).toThrow(/while fit\(\) is training/);
    await training;
    expect(net.predict(XOR_X).rows).toBe(4);
  });
});
