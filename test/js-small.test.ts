// The js engine's plain loops for narrow layers (src/backend/js/small.ts)
// against its gemm products, to the bit: each product on its own over many
// small shapes, then whole epochs over the options an epoch takes (shapes,
// activations, losses, reductions, optimizers, L2, dropout, input scaling,
// row orders, batch sizes with a short last batch, clipping, an epoch split
// over calls), run with the gemm products for every layer, with the choice
// trainEpoch makes (loops for narrow layers only) and with the loops for
// every layer.
import { describe, expect, it } from 'vitest';
import { trainEpoch } from '../src/backend/js/engine.js';
import { gemmProducts, productsFor } from '../src/backend/js/layer.js';
import type { LayerProducts } from '../src/backend/js/products.js';
import { smallProducts } from '../src/backend/js/small.js';
import { layerOffsets, parameterCount } from '../src/backend/layout.js';
import type { LayerOffsets } from '../src/backend/layout.js';
import { ActivationCode, LossCode, OptimizerCode, ReductionCode } from '../src/backend/types.js';
import type { EpochJob, EpochResult, Layout } from '../src/backend/types.js';
import { seededUniform } from './helpers/data.js';

const bits = (a: Float64Array) => Array.from(new Uint32Array(Float64Array.from(a).buffer));

/** Values in [−2, 2), with some exact zeros of both signs (gemm's sums start from +0, so −0 must not change them). */
function values(length: number, next: () => number): Float64Array {
  return Float64Array.from({ length }, () => {
    const u = next();
    if (u < 0.05) return -0;
    if (u < 0.1) return 0;
    return 4 * next() - 2;
  });
}

describe('each product of the narrow-layer loops equals gemm’s, to the bit', () => {
  const next = seededUniform(77);
  const shapes: [number, number, number, boolean][] = [];
  for (const rows of [1, 2, 3, 4, 5, 9]) {
    for (const fanIn of [1, 2, 3, 4, 7]) {
      for (const fanOut of [1, 3, 4, 6]) shapes.push([rows, fanIn, fanOut, (rows + fanIn + fanOut) % 2 === 0]);
    }
  }
  // W and b at an offset inside a larger buffer, as in a network's parameters.
  const at = (fanIn: number, fanOut: number, bias: boolean): LayerOffsets => ({ weights: 5, biases: bias ? 5 + fanIn * fanOut : -1, fanIn, fanOut });
  const run = (products: LayerProducts, f: (p: LayerProducts, out: Float64Array) => void, length: number) => {
    const out = new Float64Array(length).fill(NaN); // what a product leaves alone stays NaN
    f(products, out);
    return bits(out);
  };

  it.each(shapes)('rows %i, fanIn %i, fanOut %i, bias %s', (rows, fanIn, fanOut, bias) => {
    const o = at(fanIn, fanOut, bias);
    const params = values(5 + fanIn * fanOut + fanOut + 3, next);
    const input = values(rows * fanIn, next);
    const delta = values(rows * fanOut, next);
    for (const f of [
      (p: LayerProducts, out: Float64Array) => p.linear(rows, o, input, params, out),
      (p: LayerProducts, out: Float64Array) => p.weightGradients(rows, o, input, delta, out),
      (p: LayerProducts, out: Float64Array) => p.backLinear(rows, o, delta, params, out),
    ]) {
      expect(run(smallProducts, f, params.length)).toEqual(run(gemmProducts, f, params.length));
    }
  });

  it('trainEpoch takes the loops for a layer with fewer than 4 inputs or units, gemm otherwise', () => {
    const chosen = (sizes: number[]) => layerOffsets({ sizes: Int32Array.from(sizes), activations: new Int32Array(sizes.length - 1), bias: true }).map(productsFor);
    expect(chosen([2, 3, 1])).toEqual([smallProducts, smallProducts]);
    expect(chosen([784, 128, 10])).toEqual([gemmProducts, gemmProducts]);
    expect(chosen([5, 6, 7, 3])).toEqual([gemmProducts, gemmProducts, smallProducts]);
  });
});

// ------------------------------------------------------------------ epochs

const { identity, sigmoid, tanh, relu, softmax } = ActivationCode;
const { sgd, adam, adamw, rmsprop } = OptimizerCode;

interface Case {
  name: string;
  sizes: number[];
  activations: ActivationCode[];
  loss?: LossCode;
  reduction?: ReductionCode;
  bias?: boolean;
  l2?: number;
  optimizer?: OptimizerCode;
  momentum?: number;
  nesterov?: boolean;
  /** Each layer's dropout rate. */
  dropout?: number[];
  scaling?: boolean;
  clipNorm?: number;
  /** The parameters' scale: large ones saturate the outputs, so that cross-entropy floors its logs. */
  scale?: number;
}

const CASES: Case[] = [
  { name: '2-3-1 sigmoid, mse, plain SGD (the benchmark)', sizes: [2, 3, 1], activations: [sigmoid, sigmoid] },
  { name: '2-3-1 tanh-identity, mse sum, no bias, momentum', sizes: [2, 3, 1], activations: [tanh, identity], reduction: ReductionCode.sum, bias: false, momentum: 0.9 },
  { name: '3-4-2 relu-relu, mse, Nesterov, L2', sizes: [3, 4, 2], activations: [relu, relu], momentum: 0.8, nesterov: true, l2: 0.1 },
  {
    name: '1-5-3-2 sigmoid-tanh-sigmoid, binary cross-entropy, Adam, dropout',
    sizes: [1, 5, 3, 2],
    activations: [sigmoid, tanh, sigmoid],
    loss: LossCode.binaryCrossEntropy,
    optimizer: adam,
    dropout: [0.3, 0.5, 0],
  },
  {
    name: '2-4-3 tanh-softmax, cross-entropy sum, AdamW, L2, scaling',
    sizes: [2, 4, 3],
    activations: [tanh, softmax],
    loss: LossCode.crossEntropy,
    reduction: ReductionCode.sum,
    optimizer: adamw,
    l2: 0.05,
    scaling: true,
  },
  { name: '3-2-2 relu-tanh, mse, RMSprop, clipNorm, no bias, dropout', sizes: [3, 2, 2], activations: [relu, tanh], optimizer: rmsprop, clipNorm: 0.05, bias: false, dropout: [0.4, 0] },
  { name: '5-6-7-3 (gemm, gemm, loops) sigmoid, mse, momentum, dropout, scaling', sizes: [5, 6, 7, 3], activations: [sigmoid, relu, sigmoid], momentum: 0.5, dropout: [0.2, 0.3, 0], scaling: true },
  { name: '4-1 identity, mse sum, plain SGD (one layer)', sizes: [4, 1], activations: [identity], reduction: ReductionCode.sum },
  { name: '2-3-2 saturated sigmoid, binary cross-entropy (floored logs)', sizes: [2, 3, 2], activations: [tanh, sigmoid], loss: LossCode.binaryCrossEntropy, scale: 300 },
  { name: '2-3-3 saturated softmax, cross-entropy (floored logs)', sizes: [2, 3, 3], activations: [relu, softmax], loss: LossCode.crossEntropy, scale: 300, optimizer: adam },
];

const ROWS = 10;

/** A fresh job for the case (its own parameters, state, generator), over `order` of ROWS rows. */
function makeJob(c: Case, batchSize: number, order: Int32Array, extra: Partial<EpochJob> = {}): EpochJob {
  const next = seededUniform(c.sizes.reduce((a, b) => 31 * a + b, 7));
  const layout: Layout = { sizes: Int32Array.from(c.sizes), activations: Int32Array.from(c.activations), bias: c.bias ?? true };
  const nIn = c.sizes[0];
  const nOut = c.sizes[c.sizes.length - 1];
  const loss = c.loss ?? LossCode.mse;
  const inputs = values(ROWS * nIn, next);
  const targets = new Float64Array(ROWS * nOut);
  for (let r = 0; r < ROWS; r++) {
    if (loss === LossCode.crossEntropy) targets[r * nOut + Math.floor(next() * nOut)] = 1;
    else for (let k = 0; k < nOut; k++) targets[r * nOut + k] = loss === LossCode.binaryCrossEntropy ? Math.round(next()) : next();
  }
  const params = Float64Array.from({ length: parameterCount(layout) }, () => (next() - 0.5) * (c.scale ?? 1));
  const optimizer = c.optimizer ?? sgd;
  const slots = optimizer === sgd ? ((c.momentum ?? 0) > 0 ? 1 : 0) : optimizer === rmsprop ? 1 : 2;
  return {
    layout,
    objective: { loss, reduction: c.reduction ?? ReductionCode.mean, l2: c.l2 ?? 0 },
    params,
    optimizer: {
      code: optimizer,
      settings: Float64Array.of(c.momentum ?? 0, c.nesterov ? 1 : 0, 0.9, 0.999, 1e-8, 0.02, 0.9),
      state: new Float64Array(slots * params.length),
      stepsTaken: 3,
    },
    data: { rows: ROWS, inputs, targets } as EpochJob['data'],
    order,
    inputScaling: c.scaling ? { shift: values(nIn, next), spread: Float64Array.from({ length: nIn }, () => 0.5 + next()) } : null,
    batchSize,
    learningRate: 0.05,
    clipNorm: c.clipNorm ?? 0,
    dropout: c.dropout ? Float64Array.from(c.dropout) : null,
    randomState: Uint32Array.of(11, 22, 33, 44),
    abort: null,
    lossSumStart: 0.25,
    dataParallel: null,
    ...extra,
  };
}

/** What an epoch leaves behind, bit for bit. */
function outcome(job: EpochJob, result: EpochResult) {
  return {
    params: bits(job.params),
    state: bits(job.optimizer.state),
    randomState: Array.from(job.randomState),
    lossSum: bits(Float64Array.of(result.lossSum)),
    counts: [result.correct, result.floored, result.minibatches, result.rows],
  };
}

const allGemm = () => gemmProducts;
const allLoops = () => smallProducts;
const inOrder = Int32Array.from({ length: ROWS }, (_, i) => i);
const shuffled = Int32Array.of(7, 2, 9, 0, 4, 4, 1, 8); // a subset with a repeat, as a streamed buffer's order may be

describe.each(CASES)('an epoch of $name', (c) => {
  const epochOf = (choose: (o: LayerOffsets) => LayerProducts, batchSize: number, order: Int32Array) => {
    const job = makeJob(c, batchSize, order);
    // Two epochs, the second from the state the first left.
    const first = outcome(job, trainEpoch(job, choose));
    const second = outcome(job, trainEpoch({ ...job, optimizer: { ...job.optimizer, stepsTaken: job.optimizer.stepsTaken + first.counts[2] } }, choose));
    return [first, second];
  };

  it.each([
    ['in order, batch 1', 1, inOrder],
    ['in order, batch 3 (a last batch of 1)', 3, inOrder],
    ['in order, batch 4 (a last batch of 2)', 4, inOrder],
    ['in order, one batch of all the rows', ROWS, inOrder],
    ['shuffled subset, batch 3', 3, shuffled],
  ] as [string, number, Int32Array][])('%s: the same bits with gemm, the chosen products and the loops everywhere', (_name, batchSize, order) => {
    const reference = epochOf(allGemm, batchSize, order);
    expect(epochOf(productsFor, batchSize, order)).toEqual(reference);
    expect(epochOf(allLoops, batchSize, order)).toEqual(reference);
    if (c.scale !== undefined) expect(reference[0].counts[1] + reference[1].counts[1]).toBeGreaterThan(0);
  });

  it('split over two calls (lossSumStart, stepsTaken, the generator carried on) equals one call, to the bit', () => {
    const whole = makeJob(c, 3, inOrder);
    const wholeResult = trainEpoch(whole);
    const split = makeJob(c, 3, inOrder.subarray(0, 6));
    const first = trainEpoch(split);
    const second = trainEpoch({
      ...split,
      order: inOrder.subarray(6),
      lossSumStart: first.lossSum,
      optimizer: { ...split.optimizer, stepsTaken: split.optimizer.stepsTaken + first.minibatches },
    });
    const sum = (k: 'correct' | 'floored' | 'minibatches' | 'rows' | 'weightSum' | 'steps') => first[k] + second[k];
    expect(
      outcome(split, {
        lossSum: second.lossSum,
        correct: sum('correct'),
        floored: sum('floored'),
        minibatches: sum('minibatches'),
        rows: sum('rows'),
        weightSum: sum('weightSum'),
        steps: sum('steps'),
      }),
    ).toEqual(outcome(whole, wholeResult));
  });
});
