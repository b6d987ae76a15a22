// Worked example 2 (seed 002, QBUS6850 lecture 4): the 2-3-1 network with no
// biases, sigmoid hidden layer and sigmoid output, on
//
//   X = [[1, .875], [.25, 1], [.5, .45], [.75, .25]],  t = [1, .4, .5, .6]
//
//   Z2 = X W1, a2 = σ(Z2), Z3 = a2 W2, f = σ(Z3)
//   L  = ½ Σ_n (f_n − t_n)²                              (reduction 'sum')
//   δ3 = (f − t) .* σ'(Z3)              ∂L/∂W2 = a2ᵀ δ3
//   δ2 = (δ3 W2ᵀ) .* σ'(Z2)             ∂L/∂W1 = Xᵀ δ2
//
// The seed does not print its weights, so we fix our own W1 (2×3), W2 (3×1).
// Reference values are computed three independent ways:
//   1. in this file, by per-sample scalar formulas with explicit sums over
//      samples n and units i, j (no matrix code);
//   2. as literals, from a separate 40-digit mpmath evaluation of the same
//      scalar formulas (printed to 17 significant digits), which also checks (1);
//   3. by central finite differences of the library's own loss.
import { describe, it, expect } from 'vitest';
import { Network } from '../src/index.js';
import { BACKENDS, type BackendName } from './helpers/backends.js';

const REL = 1e-12; // hand formula vs library
const FD_REL = 1e-6; // finite differences vs library
const FD_H = 1e-5;

const X = [
  [1, 0.875],
  [0.25, 1],
  [0.5, 0.45],
  [0.75, 0.25],
];
const t = [1, 0.4, 0.5, 0.6];
const T = t.map((v) => [v]);
const N = 4;

// Our weights: W1[i][j] connects input i to hidden unit j; W2[j][0] hidden j to the output.
const W1 = [
  [0.5, -0.3, 0.8],
  [0.2, 0.7, -0.6],
];
const W2 = [[0.9], [-0.4], [0.35]];

// Literals from an independent 40-digit mpmath evaluation (see header, item 2).
const PINNED = {
  a2: [
    [0.66262183717008252, 0.57749536518581174, 0.56831998347824811],
    [0.58054230482065961, 0.65135486466605423, 0.40131233988754801],
    [0.58419052293540736, 0.54115666815022806, 0.53245430638731876],
    [0.60467908471400938, 0.48750260351578966, 0.610639233949222],
  ],
  f: [0.63744076832094826, 0.59926545726580052, 0.62144071181316023, 0.63713110828878948],
  loss: 0.093641242311746865,
  dW1: [
    [-0.0097287259588313383, 0.0050289062057039827, -0.0044084190395968505],
    [-0.00099147785023294888, 0.0013174172610746162, -0.0009727055740599419],
  ],
  dW2: [-0.0058604438511727444, 0.0024256323431866615, -0.0079623559538745238],
};

function sigma(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** The lecture's example written out per sample and per unit. */
function handExpanded() {
  // Forward: a2[n][j] = σ(x_n1 w1_1j + x_n2 w1_2j), f_n = σ(Σ_j a2[n][j] w2_j).
  const a2: number[][] = [];
  const f: number[] = [];
  for (let n = 0; n < N; n++) {
    const row: number[] = [];
    for (let j = 0; j < 3; j++) {
      let z = 0;
      for (let i = 0; i < 2; i++) z += X[n][i] * W1[i][j];
      row.push(sigma(z));
    }
    a2.push(row);
    let z3 = 0;
    for (let j = 0; j < 3; j++) z3 += row[j] * W2[j][0];
    f.push(sigma(z3));
  }
  // Loss: ½ Σ_n (f_n − t_n)².
  let loss = 0;
  for (let n = 0; n < N; n++) loss += 0.5 * (f[n] - t[n]) ** 2;
  // δ3_n = (f_n − t_n) σ'(z3_n), with σ' = f(1 − f).
  const d3 = f.map((fn, n) => (fn - t[n]) * fn * (1 - fn));
  // ∂L/∂w2_j = Σ_n δ3_n a2[n][j]      (slide "We add them together")
  const dW2 = [0, 1, 2].map((j) => {
    let s = 0;
    for (let n = 0; n < N; n++) s += d3[n] * a2[n][j];
    return s;
  });
  // ∂L/∂w1_ij = Σ_n δ3_n w2_j σ'(z2_nj) x_ni,   σ'(z2_nj) = a2[n][j](1 − a2[n][j])
  const dW1 = [0, 1].map((i) =>
    [0, 1, 2].map((j) => {
      let s = 0;
      for (let n = 0; n < N; n++) s += d3[n] * W2[j][0] * a2[n][j] * (1 - a2[n][j]) * X[n][i];
      return s;
    }),
  );
  return { a2, f, loss, dW1, dW2 };
}

const REF = handExpanded();

function expectRel(actual: number, expected: number, what: string, tol = REL): void {
  const scale = Math.max(Math.abs(actual), Math.abs(expected));
  const rel = scale === 0 ? 0 : Math.abs(actual - expected) / scale;
  expect(rel, `${what}: got ${actual}, expected ${expected} (rel ${rel})`).toBeLessThanOrEqual(tol);
}

/** The relative error used for finite-difference checks. */
function fdRel(g: number, fd: number): number {
  return Math.abs(g - fd) / Math.max(1e-8, Math.abs(g) + Math.abs(fd));
}

function net231(backend: BackendName, reduction: 'sum' | 'mean' = 'sum') {
  const net = new Network({
    inputs: 2,
    layers: [
      { units: 3, activation: 'sigmoid' },
      { units: 1, activation: 'sigmoid' },
    ],
    bias: false,
    loss: 'mse',
    reduction,
    backend,
  });
  net.setWeights(0, W1);
  net.setWeights(1, W2);
  return net;
}

describe('2-3-1 reference values (no library involved)', () => {
  it('the in-file hand-expanded formulas agree with the 40-digit literals', () => {
    for (let n = 0; n < N; n++) {
      for (let j = 0; j < 3; j++) expectRel(REF.a2[n][j], PINNED.a2[n][j], `a2[${n}][${j}]`);
      expectRel(REF.f[n], PINNED.f[n], `f[${n}]`);
    }
    expectRel(REF.loss, PINNED.loss, 'loss');
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) expectRel(REF.dW1[i][j], PINNED.dW1[i][j], `dW1[${i}][${j}]`);
    for (let j = 0; j < 3; j++) expectRel(REF.dW2[j], PINNED.dW2[j], `dW2[${j}]`);
  });
});

describe.each(BACKENDS)('2-3-1 no-bias example (backend %s)', (backend) => {
  it('stores W1 then W2 row-major in params, with no biases', () => {
    const net = net231(backend);
    expect(Array.from(net.params)).toEqual([...W1[0], ...W1[1], ...W2.map((r) => r[0])]);
    expect(net.layers[0].fanIn).toBe(2);
    expect(net.layers[0].fanOut).toBe(3);
    expect(net.layers[1].fanIn).toBe(3);
    expect(net.layers[1].fanOut).toBe(1);
    expect(net.layers[0].biases).toBeNull();
    expect(net.layers[1].biases).toBeNull();
  });

  it('forward() gives the hidden activations a2 = σ(X W1) and the output f', () => {
    const acts = net231(backend).forward(X);
    const hidden = acts[acts.length - 2];
    const out = acts[acts.length - 1];
    expect(hidden.rows).toBe(4);
    expect(hidden.cols).toBe(3);
    for (let n = 0; n < N; n++) {
      for (let j = 0; j < 3; j++) expectRel(hidden.data[n * 3 + j], REF.a2[n][j], `a2[${n}][${j}]`);
      expectRel(out.data[n], REF.f[n], `forward f[${n}]`);
    }
  });

  it('predict() gives f = σ(a2 W2)', () => {
    const out = net231(backend).predict(X);
    expect(out.rows).toBe(4);
    expect(out.cols).toBe(1);
    for (let n = 0; n < N; n++) expectRel(out.data[n], REF.f[n], `f[${n}]`);
  });

  it('loss is L = ½ Σ (f − t)²', () => {
    const net = net231(backend);
    expectRel(net.gradients(X, T).loss, REF.loss, 'gradients().loss');
    expectRel(net.evaluate(X, T).loss, REF.loss, 'evaluate().loss');
  });

  it('∂L/∂W1 (2×3) and ∂L/∂W2 (3×1) match the hand-expanded sums', () => {
    const g = net231(backend).gradients(X, T);
    const gW1 = g.layers[0].weights;
    const gW2 = g.layers[1].weights;
    expect([gW1.rows, gW1.cols]).toEqual([2, 3]);
    expect([gW2.rows, gW2.cols]).toEqual([3, 1]);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) expectRel(gW1.data[i * 3 + j], REF.dW1[i][j], `dW1[${i}][${j}]`);
    for (let j = 0; j < 3; j++) expectRel(gW2.data[j], REF.dW2[j], `dW2[${j}]`);
    // Flat layout: like params, W1 row-major then W2.
    const flat = [...REF.dW1[0], ...REF.dW1[1], ...REF.dW2];
    expect(g.grads.length).toBe(9);
    flat.forEach((v, k) => expectRel(g.grads[k], v, `grads[${k}]`));
    expect(g.layers[0].biases).toBeNull();
    expect(g.layers[1].biases).toBeNull();
  });

  it('both gradient matrices match central finite differences of the loss', () => {
    const net = net231(backend);
    const g = net.gradients(X, T);
    const grads = Float64Array.from(g.grads); // copy: do not rely on the buffer surviving later calls
    const original = Float64Array.from(net.params);
    for (let k = 0; k < net.params.length; k++) {
      const p0 = net.params[k];
      net.params[k] = p0 + FD_H;
      const up = net.evaluate(X, T).loss;
      net.params[k] = p0 - FD_H;
      const down = net.evaluate(X, T).loss;
      net.params[k] = p0;
      const fd = (up - down) / (2 * FD_H);
      expect(fdRel(grads[k], fd), `param ${k}: grad ${grads[k]} vs fd ${fd}`).toBeLessThan(FD_REL);
      // The finite difference is also an independent check of the hand formulas.
      const hand = [...REF.dW1[0], ...REF.dW1[1], ...REF.dW2][k];
      expect(fdRel(hand, fd), `param ${k}: hand ${hand} vs fd ${fd}`).toBeLessThan(FD_REL);
    }
    expect(Array.from(net.params)).toEqual(Array.from(original));
  });

  it("reduction 'mean' gives exactly the 'sum' loss and gradients divided by N = 4", () => {
    // Division by 4 is exact in binary floating point and commutes with
    // rounding, so 'mean' must equal 'sum'/4 bit for bit.
    const gs = net231(backend, 'sum').gradients(X, T);
    const sumGrads = Float64Array.from(gs.grads);
    const sumLoss = gs.loss;
    const gm = net231(backend, 'mean').gradients(X, T);
    expect(gm.loss).toBe(sumLoss / 4);
    expect(gm.grads.length).toBe(sumGrads.length);
    for (let k = 0; k < sumGrads.length; k++) expect(gm.grads[k], `grads[${k}]`).toBe(sumGrads[k] / 4);
    expectRel(net231(backend, 'mean').evaluate(X, T).loss, REF.loss / 4, 'evaluate mean loss');
  });
});
