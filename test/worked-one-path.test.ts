// Worked example 1 (seed 000, "Case 1: single input and single output"):
// the one-path network x → j → k → o, no biases,
//
//   s_j = w1·x     z_j = σ(s_j)
//   s_k = w2·z_j   z_k = σ(s_k)
//   ŷ   = w3·z_k   (linear output)
//   E   = ½(ŷ − y)²
//
// whose three weight gradients have the closed forms derived in the seed:
//
//   ∂E/∂w_ko = (ŷ − y) z_k
//   ∂E/∂w_jk = (ŷ − y) w_ko σ(s_k)(1 − σ(s_k)) z_j
//   ∂E/∂w_ij = (ŷ − y) w_ko σ(s_k)(1 − σ(s_k)) w_jk σ(s_j)(1 − σ(s_j)) x
//
// Every expected value below is computed here from those formulas with
// Math.exp; nothing is taken from the library under test.
import { describe, it, expect } from 'vitest';
import { Network } from '../src/index.js';
import { BACKENDS, type BackendName } from './helpers/backends.js';

const REL = 1e-12; // hand formula vs library

function sigma(s: number): number {
  return 1 / (1 + Math.exp(-s));
}

/** The seed's closed forms for one sample, written out term by term. */
function closedForm(x: number, y: number, w1: number, w2: number, w3: number) {
  const sj = w1 * x;
  const zj = sigma(sj);
  const sk = w2 * zj;
  const zk = sigma(sk);
  const yhat = w3 * zk; // identity output: ŷ = in_o
  const E = 0.5 * (yhat - y) ** 2;
  const dw3 = (yhat - y) * zk;
  const dw2 = (yhat - y) * w3 * (sigma(sk) * (1 - sigma(sk))) * zj;
  const dw1 = (yhat - y) * w3 * (sigma(sk) * (1 - sigma(sk))) * w2 * (sigma(sj) * (1 - sigma(sj))) * x;
  return { zj, zk, yhat, E, dw1, dw2, dw3 };
}

/** |a − e| / max(|a|, |e|) ≤ tol, with a message that shows both values. */
function expectRel(actual: number, expected: number, what: string, tol = REL): void {
  const scale = Math.max(Math.abs(actual), Math.abs(expected));
  const rel = scale === 0 ? 0 : Math.abs(actual - expected) / scale;
  expect(rel, `${what}: got ${actual}, expected ${expected} (rel ${rel})`).toBeLessThanOrEqual(tol);
}

function onePath(backend: BackendName, w: [number, number, number], reduction: 'sum' | 'mean' = 'sum') {
  const net = new Network({
    inputs: 1,
    layers: [
      { units: 1, activation: 'sigmoid' },
      { units: 1, activation: 'sigmoid' },
      { units: 1, activation: 'identity' },
    ],
    bias: false,
    loss: 'mse',
    reduction,
    backend,
  });
  net.setWeights(0, [[w[0]]]);
  net.setWeights(1, [[w[1]]]);
  net.setWeights(2, [[w[2]]]);
  return net;
}

// (x, y, [w1, w2, w3]); each case has at least one negative weight or a
// negative input so that sign errors in the chain rule cannot cancel out.
const CASES: Array<{ x: number; y: number; w: [number, number, number] }> = [
  { x: 1.5, y: 0.3, w: [0.4, -0.7, 1.2] },
  { x: -0.8, y: 2.0, w: [-1.3, 0.9, -2.1] },
  { x: 2.0, y: -1.0, w: [0.25, 1.5, -0.6] },
];

describe.each(BACKENDS)('one-path network x → j → k → o (backend %s)', (backend) => {
  describe.each(CASES)('x = $x, y = $y, w = $w', ({ x, y, w }) => {
    const ref = closedForm(x, y, w[0], w[1], w[2]);

    it('params hold exactly w1, w2, w3 (no biases)', () => {
      const net = onePath(backend, w);
      expect(Array.from(net.params)).toEqual(w);
      for (const layer of net.layers) expect(layer.biases).toBeNull();
    });

    it('predict() gives ŷ = w3·σ(w2·σ(w1·x))', () => {
      const net = onePath(backend, w);
      const out = net.predict([[x]]);
      expect(out.rows).toBe(1);
      expect(out.cols).toBe(1);
      expectRel(out.data[0], ref.yhat, 'ŷ');
    });

    it('forward() gives z_j, z_k and ŷ layer by layer', () => {
      const net = onePath(backend, w);
      const acts = net.forward([[x]]);
      // The last three entries are the activations of layers j, k, o
      // (counted from the end so that an input entry, if any, does not matter).
      const n = acts.length;
      expectRel(acts[n - 3].data[0], ref.zj, 'z_j');
      expectRel(acts[n - 2].data[0], ref.zk, 'z_k');
      expectRel(acts[n - 1].data[0], ref.yhat, 'ŷ');
    });

    it('loss is E = ½(ŷ − y)² from gradients() and evaluate()', () => {
      const net = onePath(backend, w);
      expectRel(net.gradients([[x]], [[y]]).loss, ref.E, 'gradients().loss');
      expectRel(net.evaluate([[x]], [[y]]).loss, ref.E, 'evaluate().loss');
    });

    it('gradients() match the three closed forms of the seed', () => {
      const net = onePath(backend, w);
      const g = net.gradients([[x]], [[y]]);
      expect(g.grads.length).toBe(3);
      expectRel(g.grads[0], ref.dw1, '∂E/∂w_ij (grads[0])');
      expectRel(g.grads[1], ref.dw2, '∂E/∂w_jk (grads[1])');
      expectRel(g.grads[2], ref.dw3, '∂E/∂w_ko (grads[2])');
      // The per-layer views show the same numbers and no bias gradient.
      expectRel(g.layers[0].weights.data[0], ref.dw1, 'layers[0].weights');
      expectRel(g.layers[1].weights.data[0], ref.dw2, 'layers[1].weights');
      expectRel(g.layers[2].weights.data[0], ref.dw3, 'layers[2].weights');
      for (const layer of g.layers) expect(layer.biases).toBeNull();
    });

    it('gradients() do not change the parameters', () => {
      const net = onePath(backend, w);
      net.gradients([[x]], [[y]]);
      expect(Array.from(net.params)).toEqual(w);
    });

    it("with one sample, reduction 'mean' equals 'sum'", () => {
      const net = onePath(backend, w, 'mean');
      const g = net.gradients([[x]], [[y]]);
      expectRel(g.loss, ref.E, 'loss');
      expectRel(g.grads[0], ref.dw1, 'dw1');
      expectRel(g.grads[1], ref.dw2, 'dw2');
      expectRel(g.grads[2], ref.dw3, 'dw3');
    });

    it("one SGD step (batch of 1) is the seed's Δw = −η ∂E/∂w", () => {
      const eta = 0.1;
      const net = onePath(backend, w);
      const history = net.fitSync([[x]], [[y]], {
        epochs: 1,
        batchSize: 1,
        learningRate: eta,
        momentum: 0,
        shuffle: false,
      });
      // The epoch loss is the minibatch loss before its update.
      expectRel(history.loss[0], ref.E, 'history.loss[0]');
      expectRel(net.params[0], w[0] - eta * ref.dw1, 'w1 after step');
      expectRel(net.params[1], w[1] - eta * ref.dw2, 'w2 after step');
      expectRel(net.params[2], w[2] - eta * ref.dw3, 'w3 after step');
    });
  });

  it("a batch with reduction 'sum' gives the sum of the per-sample closed forms", () => {
    // Seed 000, last section: for a minibatch the updates are summed over the
    // training instances (and scaled by 1/N for 'mean').
    const w: [number, number, number] = [0.7, -1.1, 0.9];
    const xs = [0.5, -1.25, 2.0];
    const ys = [0.1, -0.4, 0.8];
    const per = xs.map((x, n) => closedForm(x, ys[n], w[0], w[1], w[2]));
    const sum = (f: (r: ReturnType<typeof closedForm>) => number) => per.reduce((s, r) => s + f(r), 0);

    const X = xs.map((x) => [x]);
    const T = ys.map((y) => [y]);
    const gSum = onePath(backend, w, 'sum').gradients(X, T);
    expectRel(
      gSum.loss,
      sum((r) => r.E),
      'sum loss',
    );
    expectRel(
      gSum.grads[0],
      sum((r) => r.dw1),
      'sum dw1',
    );
    expectRel(
      gSum.grads[1],
      sum((r) => r.dw2),
      'sum dw2',
    );
    expectRel(
      gSum.grads[2],
      sum((r) => r.dw3),
      'sum dw3',
    );

    const gMean = onePath(backend, w, 'mean').gradients(X, T);
    expectRel(gMean.loss, sum((r) => r.E) / 3, 'mean loss');
    expectRel(gMean.grads[0], sum((r) => r.dw1) / 3, 'mean dw1');
    expectRel(gMean.grads[1], sum((r) => r.dw2) / 3, 'mean dw2');
    expectRel(gMean.grads[2], sum((r) => r.dw3) / 3, 'mean dw3');

    const yhat = onePath(backend, w).predict(X);
    expect(yhat.rows).toBe(3);
    per.forEach((r, n) => expectRel(yhat.data[n], r.yhat, `ŷ[${n}]`));
  });
});
