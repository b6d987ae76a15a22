// Every class of bad input from the "Errors" section of docs/api.md and issue 3 must
// throw a DeltapropError (a subclass of Error) whose message names the
// offending argument, on both backends, before any work is done: a rejected
// fit leaves the parameters exactly as they were.
//
// Each group also has a positive control (the same call with good input
// succeeds), so that "everything throws" cannot pass these tests.
import { describe, it, expect, beforeAll, vi } from 'vitest';
import { Network, DeltapropError } from '../src/index.js';
import type { Loss as LossName } from '../src/index.js';
import { BACKENDS, type BackendName } from './helpers/backends.js';

type Rows = number[][];

/**
 * Calls fn and expects a DeltapropError whose message matches `names`.
 * Accepts either a synchronous throw or a rejected Promise (for fit).
 */
async function expectDeltapropError(fn: () => unknown, names: RegExp, ErrorClass: abstract new (...args: never[]) => unknown = DeltapropError): Promise<void> {
  let caught: unknown = undefined;
  try {
    const r = fn();
    if (r && typeof (r as Promise<unknown>).then === 'function') await r;
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a DeltapropError, nothing was thrown').toBeDefined();
  expect(caught).toBeInstanceOf(ErrorClass);
  expect(caught).toBeInstanceOf(Error);
  expect((caught as Error).message).toMatch(names);
}

// Messages about the data lead with the argument, as in the example of docs/api.md
// "targets: expected 4 rows (one per input row), got 3". Anchoring matters:
// a targets message may well mention "input rows" in its explanation.
const INPUTS_ARG = /^(inputs|X)\b/;
const TARGETS_ARG = /^(targets|T)\b/;

const XOR_X: Rows = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const XOR_T: Rows = [[0], [1], [1], [0]];

function withValue(rows: Rows, r: number, c: number, v: number): Rows {
  const copy = rows.map((row) => row.slice());
  copy[r][c] = v;
  return copy;
}

describe.each(BACKENDS)('bad input throws DeltapropError (backend %s)', (backend: BackendName) => {
  /** A 2 → 3 → `outputs` network on this backend. */
  const twoLayerNet = (hidden: 'tanh' | 'sigmoid', output: 'sigmoid' | 'softmax' | 'identity', outputs: number, loss: LossName, seed: number) =>
    new Network({
      inputs: 2,
      layers: [
        { units: 3, activation: hidden },
        { units: outputs, activation: output },
      ],
      loss,
      seed,
      backend,
    });
  const bceNet = () => twoLayerNet('tanh', 'sigmoid', 1, 'binary-cross-entropy', 11);
  const ceNet = () => twoLayerNet('tanh', 'softmax', 2, 'cross-entropy', 12);
  /** mse: any finite targets are fine. */
  const mseNet = () => twoLayerNet('sigmoid', 'identity', 1, 'mse', 13);

  // ---- data: shapes, raggedness, emptiness, non-finite values, target ranges ----

  interface DataCase {
    name: string;
    net: () => Network;
    X: unknown;
    T: unknown;
    names: RegExp;
    /** Also check predict()/forward() on this X (bad-X cases with a definite shape). */
    predict?: boolean;
  }

  const CE_T: Rows = [
    [1, 0],
    [0, 1],
    [0, 1],
    [1, 0],
  ];

  const DATA_CASES: DataCase[] = [
    { name: 'X with 3 columns for 2 inputs', net: bceNet, X: XOR_X.map((r) => [...r, 0]), T: XOR_T, names: INPUTS_ARG, predict: true },
    { name: 'T with 2 columns for 1 output', net: bceNet, X: XOR_X, T: XOR_T.map((r) => [r[0], 0]), names: TARGETS_ARG },
    { name: 'T with 3 rows for 4 input rows', net: bceNet, X: XOR_X, T: XOR_T.slice(0, 3), names: TARGETS_ARG },
    { name: 'T with 5 rows for 4 input rows', net: bceNet, X: XOR_X, T: [...XOR_T, [1]], names: TARGETS_ARG },
    { name: 'ragged X', net: bceNet, X: [[0, 0], [0], [1, 0], [1, 1]], T: XOR_T, names: INPUTS_ARG, predict: true },
    { name: 'ragged T', net: ceNet, X: XOR_X, T: [[1, 0], [0, 1], [1], [1, 0]], names: TARGETS_ARG },
    { name: 'empty X and T', net: bceNet, X: [], T: [], names: INPUTS_ARG },
    {
      name: 'X Matrix whose data is shorter than rows × cols',
      net: bceNet,
      X: { rows: 4, cols: 2, data: new Float64Array(7) },
      T: XOR_T,
      names: INPUTS_ARG,
      predict: true,
    },
    { name: 'NaN in X', net: bceNet, X: withValue(XOR_X, 2, 1, NaN), T: XOR_T, names: INPUTS_ARG, predict: true },
    { name: '+Infinity in X', net: bceNet, X: withValue(XOR_X, 0, 0, Infinity), T: XOR_T, names: INPUTS_ARG, predict: true },
    { name: '-Infinity in X', net: bceNet, X: withValue(XOR_X, 3, 1, -Infinity), T: XOR_T, names: INPUTS_ARG, predict: true },
    { name: 'NaN in T (mse)', net: mseNet, X: XOR_X, T: withValue(XOR_T, 1, 0, NaN), names: TARGETS_ARG },
    { name: '+Infinity in T (mse)', net: mseNet, X: XOR_X, T: withValue(XOR_T, 2, 0, Infinity), names: TARGETS_ARG },
    { name: '-Infinity in T (mse)', net: mseNet, X: XOR_X, T: withValue(XOR_T, 3, 0, -Infinity), names: TARGETS_ARG },
    { name: 'NaN in T (binary-cross-entropy)', net: bceNet, X: XOR_X, T: withValue(XOR_T, 1, 0, NaN), names: TARGETS_ARG },
    { name: 'BCE target 1.5 (> 1)', net: bceNet, X: XOR_X, T: withValue(XOR_T, 1, 0, 1.5), names: TARGETS_ARG },
    { name: 'BCE target -0.2 (< 0)', net: bceNet, X: XOR_X, T: withValue(XOR_T, 0, 0, -0.2), names: TARGETS_ARG },
    {
      name: 'CE targets outside [0,1] (row still sums to 1)',
      net: ceNet,
      X: XOR_X,
      T: [
        [1.2, -0.2],
        [0, 1],
        [0, 1],
        [1, 0],
      ],
      names: TARGETS_ARG,
    },
    {
      name: 'CE target row summing to 0.9',
      net: ceNet,
      X: XOR_X,
      T: [
        [1, 0],
        [0.5, 0.4],
        [0, 1],
        [1, 0],
      ],
      names: TARGETS_ARG,
    },
    {
      name: 'CE target row summing to 1.2',
      net: ceNet,
      X: XOR_X,
      T: [
        [1, 0],
        [0, 1],
        [0.6, 0.6],
        [1, 0],
      ],
      names: TARGETS_ARG,
    },
    { name: 'CE target +Infinity', net: ceNet, X: XOR_X, T: withValue(CE_T, 0, 0, Infinity), names: TARGETS_ARG },
  ];

  describe.each(DATA_CASES)('$name', (c) => {
    it('gradients() throws', async () => {
      const net = c.net();
      await expectDeltapropError(() => net.gradients(c.X as Rows, c.T as Rows), c.names);
    });

    it('evaluate() throws', async () => {
      const net = c.net();
      await expectDeltapropError(() => net.evaluate(c.X as Rows, c.T as Rows), c.names);
    });

    it.each(['fitSync', 'fit'] as const)('%s() throws and leaves params unchanged', async (method) => {
      const net = c.net();
      const before = Float64Array.from(net.params);
      await expectDeltapropError(() => net[method](c.X as Rows, c.T as Rows, { epochs: 2, batchSize: 2, learningRate: 0.5 }), c.names);
      expect(Array.from(net.params)).toEqual(Array.from(before));
      // The network is usable afterwards (a failed fit must not leave it "busy").
      expect(net.predict(XOR_X).rows).toBe(4);
    });

    if (c.predict) {
      it('predict() and forward() throw on the same X', async () => {
        const net = c.net();
        await expectDeltapropError(() => net.predict(c.X as Rows), INPUTS_ARG);
        await expectDeltapropError(() => net.forward(c.X as Rows), INPUTS_ARG);
      });
    }
  });

  it('positive control: good data is accepted by every entry point', async () => {
    for (const [make, T] of [
      [bceNet, XOR_T],
      [ceNet, CE_T],
      [mseNet, XOR_T.map((r) => [r[0] * 7 - 3])], // mse takes any finite target
    ] as const) {
      const net = make();
      expect(net.predict(XOR_X).rows).toBe(4);
      expect(Number.isFinite(net.gradients(XOR_X, T as Rows).loss)).toBe(true);
      expect(Number.isFinite(net.evaluate(XOR_X, T as Rows).loss)).toBe(true);
      const before = Float64Array.from(net.params);
      net.fitSync(XOR_X, T as Rows, { epochs: 1, batchSize: 4, learningRate: 0.1 });
      expect(Array.from(net.params)).not.toEqual(Array.from(before));
      const h = await net.fit(XOR_X, T as Rows, { epochs: 1, batchSize: 4, learningRate: 0.1 });
      expect(h.loss.length).toBe(1);
    }
  });

  // ---- Network options ----------------------------------------------------

  const okLayers = [
    { units: 3, activation: 'tanh' },
    { units: 1, activation: 'sigmoid' },
  ];

  interface OptionCase {
    name: string;
    options: Record<string, unknown>;
    names: RegExp;
  }

  const OPTION_CASES: OptionCase[] = [
    { name: 'inputs 0', options: { inputs: 0, layers: okLayers }, names: /inputs/ },
    { name: 'inputs 2.5', options: { inputs: 2.5, layers: okLayers }, names: /inputs/ },
    { name: 'inputs -1', options: { inputs: -1, layers: okLayers }, names: /inputs/ },
    { name: 'inputs NaN', options: { inputs: NaN, layers: okLayers }, names: /inputs/ },
    { name: 'inputs missing', options: { layers: okLayers }, names: /inputs/ },
    { name: 'empty layers', options: { inputs: 2, layers: [] }, names: /layers/ },
    { name: 'layers missing', options: { inputs: 2 }, names: /layers/ },
    { name: 'units 0', options: { inputs: 2, layers: [{ units: 0, activation: 'tanh' }, okLayers[1]] }, names: /units/ },
    { name: 'units 1.5', options: { inputs: 2, layers: [okLayers[0], { units: 1.5, activation: 'sigmoid' }] }, names: /units/ },
    {
      name: "unknown activation 'swish'",
      options: { inputs: 2, layers: [{ units: 3, activation: 'swish' }, okLayers[1]] },
      names: /activation/,
    },
    { name: "unknown loss 'hinge'", options: { inputs: 2, layers: okLayers, loss: 'hinge' }, names: /loss/ },
    {
      name: 'softmax on a hidden layer',
      options: {
        inputs: 2,
        layers: [
          { units: 3, activation: 'softmax' },
          { units: 2, activation: 'softmax' },
        ],
        loss: 'cross-entropy',
      },
      names: /softmax|activation/,
    },
    {
      name: 'softmax output with mse',
      options: { inputs: 2, layers: [okLayers[0], { units: 2, activation: 'softmax' }], loss: 'mse' },
      names: /softmax|loss|activation/,
    },
    {
      name: 'binary-cross-entropy with an identity output',
      options: { inputs: 2, layers: [okLayers[0], { units: 1, activation: 'identity' }], loss: 'binary-cross-entropy' },
      names: /sigmoid|loss|activation/,
    },
    {
      name: 'binary-cross-entropy with a softmax output',
      options: { inputs: 2, layers: [okLayers[0], { units: 2, activation: 'softmax' }], loss: 'binary-cross-entropy' },
      names: /sigmoid|softmax|loss|activation/,
    },
    {
      name: 'cross-entropy with a sigmoid output',
      options: { inputs: 2, layers: [okLayers[0], { units: 2, activation: 'sigmoid' }], loss: 'cross-entropy' },
      names: /softmax|loss|activation/,
    },
    { name: 'l2 -0.1', options: { inputs: 2, layers: okLayers, l2: -0.1 }, names: /l2/ },
    { name: 'l2 NaN', options: { inputs: 2, layers: okLayers, l2: NaN }, names: /l2/ },
    { name: "reduction 'avg'", options: { inputs: 2, layers: okLayers, reduction: 'avg' }, names: /reduction/ },
    { name: 'seed -1', options: { inputs: 2, layers: okLayers, seed: -1 }, names: /seed/ },
    { name: 'seed 2^32', options: { inputs: 2, layers: okLayers, seed: 2 ** 32 }, names: /seed/ },
    { name: 'seed 1.5', options: { inputs: 2, layers: okLayers, seed: 1.5 }, names: /seed/ },
    { name: "init 'lecun'", options: { inputs: 2, layers: okLayers, init: 'lecun' }, names: /init/ },
  ];

  it.each(OPTION_CASES)('new Network: $name', async (c) => {
    await expectDeltapropError(() => new Network({ ...c.options, backend } as never), c.names);
  });

  it('new Network: the message shows what was given', async () => {
    // docs/api.md, "Errors": the message names the argument, what was expected and what was given.
    await expectDeltapropError(() => new Network({ inputs: 2, layers: [{ units: 3, activation: 'swish' }, okLayers[1]], backend } as never), /swish/);
    await expectDeltapropError(() => new Network({ inputs: 2.5, layers: okLayers, backend } as never), /2\.5/);
    await expectDeltapropError(() => new Network({ inputs: 2, layers: okLayers, reduction: 'avg', backend } as never), /avg/);
  });

  it("new Network: unknown backend name 'gpu'", async () => {
    await expectDeltapropError(() => new Network({ inputs: 2, layers: okLayers, backend: 'gpu' } as never), /backend/);
  });

  it('new Network: positive control at the edges of the valid ranges', () => {
    // seed 0 and 2^32 − 1 (the ends of [0, 2³²)) and l2 = 0 are valid.
    for (const seed of [0, 2 ** 32 - 1]) {
      const net = new Network({ inputs: 2, layers: okLayers, seed, l2: 0, backend } as never);
      expect(net.seed).toBe(seed);
    }
  });

  // ---- fit options ----------------------------------------------------------

  interface FitCase {
    name: string;
    options: Record<string, unknown>;
    names: RegExp;
  }

  const FIT_CASES: FitCase[] = [
    { name: 'learningRate 0', options: { learningRate: 0 }, names: /learningRate/ },
    { name: 'learningRate -0.1', options: { learningRate: -0.1 }, names: /learningRate/ },
    { name: 'learningRate NaN', options: { learningRate: NaN }, names: /learningRate/ },
    { name: 'learningRate Infinity', options: { learningRate: Infinity }, names: /learningRate/ },
    { name: 'momentum 1', options: { momentum: 1 }, names: /momentum/ },
    { name: 'momentum -0.1', options: { momentum: -0.1 }, names: /momentum/ },
    { name: 'momentum NaN', options: { momentum: NaN }, names: /momentum/ },
    { name: 'epochs 0', options: { epochs: 0 }, names: /epochs/ },
    { name: 'epochs 1.5', options: { epochs: 1.5 }, names: /epochs/ },
    { name: 'batchSize 0', options: { batchSize: 0 }, names: /batchSize/ },
    { name: 'batchSize 2.5', options: { batchSize: 2.5 }, names: /batchSize/ },
    {
      name: 'validation inputs with 3 columns',
      options: { validation: { inputs: XOR_X.map((r) => [...r, 1]), targets: XOR_T } },
      names: /validation/,
    },
    {
      name: 'validation targets with 2 rows for 4 inputs',
      options: { validation: { inputs: XOR_X, targets: XOR_T.slice(0, 2) } },
      names: /validation/,
    },
    {
      name: 'validation targets with 2 columns',
      options: { validation: { inputs: XOR_X, targets: XOR_T.map((r) => [r[0], 1]) } },
      names: /validation/,
    },
    {
      name: 'validation inputs with NaN',
      options: { validation: { inputs: withValue(XOR_X, 1, 1, NaN), targets: XOR_T } },
      names: /validation/,
    },
    {
      name: 'validation targets outside [0,1] for binary-cross-entropy',
      options: { validation: { inputs: XOR_X, targets: withValue(XOR_T, 0, 0, 2) } },
      names: /validation/,
    },
  ];

  describe.each(FIT_CASES)('fit option $name', (c) => {
    const options = { epochs: 1, batchSize: 2, learningRate: 0.1, ...c.options };

    it('fitSync() throws and leaves params unchanged', async () => {
      const net = bceNet();
      const before = Float64Array.from(net.params);
      await expectDeltapropError(() => net.fitSync(XOR_X, XOR_T, options as never), c.names);
      expect(Array.from(net.params)).toEqual(Array.from(before));
    });

    it('fit() rejects and leaves params unchanged', async () => {
      const net = bceNet();
      const before = Float64Array.from(net.params);
      await expectDeltapropError(() => net.fit(XOR_X, XOR_T, options as never), c.names);
      expect(Array.from(net.params)).toEqual(Array.from(before));
    });
  });

  it('fit options: positive control (valid edges: momentum 0 and 0.99, batchSize larger than N, validation ok)', () => {
    const net = bceNet();
    const h = net.fitSync(XOR_X, XOR_T, {
      epochs: 2,
      batchSize: 100,
      learningRate: 0.1,
      momentum: 0.99,
      validation: { inputs: XOR_X, targets: XOR_T },
    });
    expect(h.loss.length).toBe(2);
    expect(h.validationLoss?.length).toBe(2);
    expect(net.fitSync(XOR_X, XOR_T, { epochs: 1, momentum: 0 }).loss.length).toBe(1);
  });

  // ---- setWeights / setBiases (the checked way to write parameters) ---------

  it('setWeights with the wrong shape or NaN throws and changes nothing', async () => {
    const net = bceNet();
    const before = Float64Array.from(net.params);
    await expectDeltapropError(() => net.setWeights(0, [[1, 2, 3]]), /weights|W\b|rows|layer/i);
    await expectDeltapropError(
      () =>
        net.setWeights(0, [
          [1, 2, NaN],
          [4, 5, 6],
        ]),
      /weights|W\b|finite|NaN/i,
    );
    await expectDeltapropError(() => net.setWeights(5, [[1]]), /layer|index/i);
    expect(Array.from(net.params)).toEqual(Array.from(before));
    // positive control
    net.setWeights(0, [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(Array.from(net.params.subarray(0, 6))).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

// ---- gemm ---------------------------------------------------------------------
//
// gemm is a module-level export that runs on the active backend, so each
// backend gets its own copy of the module, imported with DELTAPROP_BACKEND set.

describe.each(BACKENDS)('gemm argument checks (DELTAPROP_BACKEND=%s)', (backendName) => {
  let mod: typeof import('../src/index.js');

  beforeAll(async () => {
    const previous = process.env.DELTAPROP_BACKEND;
    process.env.DELTAPROP_BACKEND = backendName;
    try {
      vi.resetModules();
      mod = await import('../src/index.js');
    } finally {
      if (previous === undefined) delete process.env.DELTAPROP_BACKEND;
      else process.env.DELTAPROP_BACKEND = previous;
      vi.resetModules();
    }
  });

  // A (2×3) · B (3×2) = [[58, 64], [139, 154]].
  const A = () => Float64Array.from([1, 2, 3, 4, 5, 6]);
  const B = () => Float64Array.from([7, 8, 9, 10, 11, 12]);
  const C = () => new Float64Array(4);

  it('the module runs on the requested backend', () => {
    expect(mod.backend.name).toBe(backendName);
  });

  it('positive control: a valid call computes C = A·B (C not read when beta = 0)', () => {
    const c = Float64Array.from([NaN, NaN, NaN, NaN]);
    mod.gemm(false, false, 2, 2, 3, 1, A(), 3, B(), 2, 0, c, 2);
    expect(Array.from(c)).toEqual([58, 64, 139, 154]);
    // op(A) = Aᵀ with A stored 3×2 (lda = 2): Aᵀ = [[1,3,5],[2,4,6]], times B.
    const c2 = C();
    mod.gemm(true, false, 2, 2, 3, 1, A(), 2, B(), 2, 0, c2, 2);
    expect(Array.from(c2)).toEqual([1 * 7 + 3 * 9 + 5 * 11, 1 * 8 + 3 * 10 + 5 * 12, 2 * 7 + 4 * 9 + 6 * 11, 2 * 8 + 4 * 10 + 6 * 12]);
  });

  interface GemmCase {
    name: string;
    args: () => unknown[];
    names: RegExp;
  }

  // Argument order: transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc.
  const GEMM_CASES: GemmCase[] = [
    { name: 'lda < k', args: () => [false, false, 2, 2, 3, 1, A(), 2, B(), 2, 0, C(), 2], names: /lda/ },
    { name: 'lda < m with transA', args: () => [true, false, 2, 2, 3, 1, A(), 1, B(), 2, 0, C(), 2], names: /lda/ },
    { name: 'ldb < n', args: () => [false, false, 2, 2, 3, 1, A(), 3, B(), 1, 0, C(), 2], names: /ldb/ },
    { name: 'ldb < k with transB', args: () => [false, true, 2, 2, 3, 1, A(), 3, B(), 2, 0, C(), 2], names: /ldb/ },
    { name: 'ldc < n', args: () => [false, false, 2, 2, 3, 1, A(), 3, B(), 2, 0, C(), 1], names: /ldc/ },
    {
      name: 'A too short for m × k',
      args: () => [false, false, 2, 2, 3, 1, new Float64Array(5), 3, B(), 2, 0, C(), 2],
      names: /\bA\b/,
    },
    {
      name: 'B too short for k × n',
      args: () => [false, false, 2, 2, 3, 1, A(), 3, new Float64Array(5), 2, 0, C(), 2],
      names: /\bB\b/,
    },
    {
      name: 'C too short for m × n',
      args: () => [false, false, 2, 2, 3, 1, A(), 3, B(), 2, 0, new Float64Array(3), 2],
      names: /\bC\b/,
    },
    {
      name: 'A long enough for dims but not for the stride (lda = 4)',
      args: () => [false, false, 2, 2, 3, 1, A(), 4, B(), 2, 0, C(), 2],
      names: /\bA\b|lda/,
    },
    {
      name: 'dims inconsistent with the arrays (m = 3 for a 2-row A and C)',
      args: () => [false, false, 3, 2, 3, 1, A(), 3, B(), 2, 0, C(), 2],
      names: /\bA\b|\bC\b|\bm\b/,
    },
    { name: 'm = -1', args: () => [false, false, -1, 2, 3, 1, A(), 3, B(), 2, 0, C(), 2], names: /\bm\b/ },
    { name: 'n = 1.5', args: () => [false, false, 2, 1.5, 3, 1, A(), 3, B(), 2, 0, C(), 2], names: /\bn\b/ },
    { name: 'k = NaN', args: () => [false, false, 2, 2, NaN, 1, A(), 3, B(), 2, 0, C(), 2], names: /\bk\b/ },
    {
      name: 'A a plain array, not a Float64Array',
      args: () => [false, false, 2, 2, 3, 1, [1, 2, 3, 4, 5, 6], 3, B(), 2, 0, C(), 2],
      names: /\bA\b/,
    },
    {
      name: 'C a Float32Array',
      args: () => [false, false, 2, 2, 3, 1, A(), 3, B(), 2, 0, new Float32Array(4), 2],
      names: /\bC\b/,
    },
  ];

  it.each(GEMM_CASES)('$name', async (c) => {
    const args = c.args();
    const cBefore = Array.from(args[11] as ArrayLike<number>);
    await expectDeltapropError(() => (mod.gemm as (...a: unknown[]) => unknown)(...args), c.names, mod.DeltapropError);
    // Checked before any work: C is untouched.
    expect(Array.from(args[11] as ArrayLike<number>)).toEqual(cBefore);
  });
});
