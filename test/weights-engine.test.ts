// Per-row weights in the engines (the Backend contract, src/backend/types.ts):
// a batch's data loss is Σ_i w_i·l_i, divided for 'mean' by W = Σ_i w_i, and
// so is the L2 term. The reference values come from outside the engines: a
// forward pass and objective written in this file (finite differences of it),
// and unweighted runs on the data with each row repeated w_i times.
import path from 'node:path';
import loadAddon from 'node-gyp-build';
import { describe, expect, it } from 'vitest';
import { getBackend } from '../src/backend/index.js';
import { parameterCount } from '../src/backend/layout.js';
import { ActivationCode, LossCode, ReductionCode } from '../src/backend/types.js';
import type { Backend, EpochJob, EpochResult, Layout, Objective, OptimizerJob, TrainingData } from '../src/backend/types.js';
import type { OptimizerOptions } from '../src/optimizers.js';
import { optimizerCode, optimizerSettings, resolveOptimizer, stateSlots } from '../src/optimizers.js';
import { BACKENDS } from './helpers/backends.js';
import { maxRelativeDifference, seededUniform } from './helpers/data.js';

const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2));
const bitsOf = (x: number) => bits(Float64Array.of(x));

interface LossCase {
  name: string;
  loss: LossCode;
  output: ActivationCode;
}

const LOSSES: LossCase[] = [
  { name: 'mse, identity output', loss: LossCode.mse, output: ActivationCode.identity },
  { name: 'mse, sigmoid output', loss: LossCode.mse, output: ActivationCode.sigmoid },
  { name: 'binary cross-entropy', loss: LossCode.binaryCrossEntropy, output: ActivationCode.sigmoid },
  { name: 'cross-entropy', loss: LossCode.crossEntropy, output: ActivationCode.softmax },
];
const REDUCTIONS: [string, ReductionCode][] = [
  ['mean', ReductionCode.mean],
  ['sum', ReductionCode.sum],
];
const LOSS_REDUCTIONS = LOSSES.flatMap((c) => REDUCTIONS.map(([r, code]) => [`${c.name}, ${r}`, c, code] as [string, LossCase, ReductionCode]));

const INPUTS = 3;
const OUTPUTS = 3;
/** Two hidden layers, so that δ also crosses a hidden-to-hidden layer; smooth activations (no kink for the differences). */
function layoutFor(c: LossCase): Layout {
  return { sizes: Int32Array.of(INPUTS, 4, 3, OUTPUTS), activations: Int32Array.of(ActivationCode.tanh, ActivationCode.sigmoid, c.output), bias: true };
}

/** Random inputs, targets valid for the loss, and parameters with non-zero biases. */
function problem(c: LossCase, rows: number, seed: number) {
  const next = seededUniform(seed);
  const layout = layoutFor(c);
  const inputs = Float64Array.from({ length: rows * INPUTS }, () => 2 * next() - 1);
  const targets = new Float64Array(rows * OUTPUTS);
  for (let r = 0; r < rows; r++) {
    const row = targets.subarray(r * OUTPUTS, (r + 1) * OUTPUTS);
    if (c.loss === LossCode.crossEntropy) {
      // Soft labels summing to 1, the last one taking the rounding.
      const raw = Array.from({ length: OUTPUTS }, () => next() + 0.1);
      const sum = raw.reduce((a, b) => a + b, 0);
      for (let k = 0; k < OUTPUTS - 1; k++) row[k] = raw[k] / sum;
      row[OUTPUTS - 1] = 1 - row.subarray(0, OUTPUTS - 1).reduce((a, b) => a + b, 0);
    } else {
      for (let k = 0; k < OUTPUTS; k++) row[k] = c.output === ActivationCode.identity ? 2 * next() - 1 : next();
    }
  }
  const params = Float64Array.from({ length: parameterCount(layout) }, () => next() - 0.5);
  return { layout, inputs, targets, params };
}

// ---------------------------------------------------------------- an independent objective

function activate(code: number, z: number[]): number[] {
  switch (code) {
    case ActivationCode.identity:
      return z;
    case ActivationCode.sigmoid:
      return z.map((v) => 1 / (1 + Math.exp(-v)));
    case ActivationCode.tanh:
      return z.map(Math.tanh);
    case ActivationCode.softmax: {
      const top = Math.max(...z);
      const e = z.map((v) => Math.exp(v - top));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    }
    default:
      throw new Error(`activation ${code}`);
  }
}

function rowLoss(loss: LossCode, f: number[], t: ArrayLike<number>): number {
  let l = 0;
  for (let k = 0; k < f.length; k++) {
    if (loss === LossCode.mse) l += 0.5 * (f[k] - t[k]) ** 2;
    else if (loss === LossCode.binaryCrossEntropy) l -= t[k] * Math.log(f[k]) + (1 - t[k]) * Math.log(1 - f[k]);
    else l -= t[k] * Math.log(f[k]);
  }
  return l;
}

/** docs/api.md's layout read directly: W(l) fanIn × fanOut row-major, then b(l). */
function forwardRow(layout: Layout, params: Float64Array, x: ArrayLike<number>): number[] {
  let a = Array.from(x);
  let at = 0;
  for (let l = 0; l + 1 < layout.sizes.length; l++) {
    const fanIn = layout.sizes[l];
    const fanOut = layout.sizes[l + 1];
    const z = new Array<number>(fanOut).fill(0);
    for (let j = 0; j < fanOut; j++) for (let i = 0; i < fanIn; i++) z[j] += a[i] * params[at + i * fanOut + j];
    at += fanIn * fanOut;
    for (let j = 0; j < fanOut; j++) z[j] += params[at + j];
    at += fanOut;
    a = activate(layout.activations[l], z);
  }
  return a;
}

/** Σ w_i l_i / W + (λ/2W)‖W‖² for 'mean', Σ w_i l_i + (λ/2)‖W‖² for 'sum'. */
function weightedObjective(layout: Layout, objective: Objective, params: Float64Array, X: Float64Array, T: Float64Array, rows: number, weights: Float64Array): number {
  let data = 0;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const f = forwardRow(layout, params, X.subarray(r * INPUTS, (r + 1) * INPUTS));
    data += weights[r] * rowLoss(objective.loss, f, T.subarray(r * OUTPUTS, (r + 1) * OUTPUTS));
    total += weights[r];
  }
  let squares = 0;
  let at = 0;
  for (let l = 0; l + 1 < layout.sizes.length; l++) {
    const n = layout.sizes[l] * layout.sizes[l + 1];
    for (let i = at; i < at + n; i++) squares += params[i] ** 2;
    at += n + layout.sizes[l + 1];
  }
  const divisor = objective.reduction === ReductionCode.mean ? total : 1;
  return (data + 0.5 * objective.l2 * squares) / divisor;
}

/**
 * Fourth-order central difference, h = 1e-3: truncation O(h⁴) and rounding
 * about ε·|L|/h, both near 1e-13 here (see test/gradient-check.test.ts).
 */
function finiteDifference(f: (x: Float64Array) => number, x: Float64Array, i: number, h = 1e-3): number {
  const at = (d: number) => {
    const saved = x[i];
    x[i] = saved + d;
    const value = f(x);
    x[i] = saved;
    return value;
  };
  return (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
}

/**
 * Relative disagreement, each entry measured against at least 1e-3 of the
 * largest entry: entries that are nearly 0 would otherwise make rounding far
 * below the other entries' ulp (or the finite differences' absolute error,
 * ≈1e-13) look large.
 */
function disagreement(a: Float64Array, b: Float64Array): number {
  const largest = Math.max(...Array.from(a, Math.abs));
  return maxRelativeDifference(a, b, 1e-3 * largest);
}

/** Random non-integer weights in [0, 2.5), one row weighing exactly 0. */
function randomWeights(rows: number, seed: number): Float64Array {
  const next = seededUniform(seed);
  const w = Float64Array.from({ length: rows }, () => 2.5 * next());
  w[1] = 0;
  return w;
}

// ---------------------------------------------------------------- epochs

function optimizerJob(options: OptimizerOptions, parameters: number): OptimizerJob {
  const resolved = resolveOptimizer(options, undefined);
  return {
    code: optimizerCode(resolved),
    settings: optimizerSettings(resolved),
    state: new Float64Array(stateSlots(resolved) * parameters),
    stepsTaken: 0,
  };
}

interface Run {
  layout: Layout;
  objective: Objective;
  params: Float64Array;
  optimizer: OptimizerJob;
  data: TrainingData;
  order: Int32Array;
  batchSize: number;
  learningRate?: number;
  clipNorm?: number;
  dropout?: Float64Array | null;
  randomState?: Uint32Array;
}

function job(run: Run): EpochJob {
  run.randomState ??= Uint32Array.of(1, 2, 3, 4);
  return {
    layout: run.layout,
    objective: run.objective,
    params: run.params,
    optimizer: run.optimizer,
    data: run.data,
    order: run.order,
    inputScaling: null,
    batchSize: run.batchSize,
    learningRate: run.learningRate ?? 0.1,
    clipNorm: run.clipNorm ?? 0,
    dropout: run.dropout ?? null,
    randomState: run.randomState,
    abort: null,
    lossSumStart: 0,
    dataParallel: null,
  };
}

/** `epochs` epochs, each from the step count the ones before left; params, state and generator change in place. */
function trainEpochs(engine: Backend, run: Run, epochs: number): EpochResult[] {
  const results: EpochResult[] = [];
  for (let e = 0; e < epochs; e++) {
    const result = engine.trainEpoch(job(run));
    run.optimizer = { ...run.optimizer, stepsTaken: run.optimizer.stepsTaken + result.steps };
    results.push(result);
  }
  return results;
}

const inOrder = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/** The rows of X and T, row i repeated counts[i] times (0: dropped). */
function repeatRows(X: Float64Array, T: Float64Array, counts: readonly number[]) {
  const rows: number[] = counts.flatMap((c, i) => new Array<number>(c).fill(i));
  const inputs = new Float64Array(rows.length * INPUTS);
  const targets = new Float64Array(rows.length * OUTPUTS);
  rows.forEach((r, i) => {
    inputs.set(X.subarray(r * INPUTS, (r + 1) * INPUTS), i * INPUTS);
    targets.set(T.subarray(r * OUTPUTS, (r + 1) * OUTPUTS), i * OUTPUTS);
  });
  return { inputs, targets, rows: rows.length };
}

const OPTIMIZERS: [string, OptimizerOptions][] = [
  ['sgd with momentum', { type: 'sgd', momentum: 0.9 }],
  ['adam', { type: 'adam', beta1: 0.8 }],
];

describe.each(BACKENDS)('per-row weights on %s', (backend) => {
  const engine = getBackend(backend, 'backend');

  describe('gradients() and outputDelta() with weights are the derivatives of the weighted objective', () => {
    it.each(LOSS_REDUCTIONS)('%s, L2 > 0', (_name, c, reduction) => {
      const rows = 6;
      const { layout, inputs, targets, params } = problem(c, rows, 11 + c.loss * 7 + c.output);
      const objective = { loss: c.loss, reduction, l2: 0.3 };
      const weights = randomWeights(rows, 5);
      const grads = new Float64Array(params.length);
      const loss = engine.gradients(layout, objective, params, inputs, targets, rows, grads, null, weights);
      const reference = (p: Float64Array) => weightedObjective(layout, objective, p, inputs, targets, rows, weights);
      expect(Math.abs(loss - reference(params)) / Math.abs(reference(params))).toBeLessThan(1e-13);
      const p = Float64Array.from(params);
      const fd = Float64Array.from(params, (_, i) => finiteDifference(reference, p, i));
      expect(disagreement(fd, grads)).toBeLessThan(1e-7);
      // And the weights matter: the unweighted gradient is another one.
      const plain = new Float64Array(params.length);
      engine.gradients(layout, objective, params, inputs, targets, rows, plain, null, null);
      expect(disagreement(fd, plain)).toBeGreaterThan(1e-3);
    });

    it.each(LOSS_REDUCTIONS)('outputDelta, %s: the weighted reduced loss, and δ = ∂L/∂Z', (_name, c, reduction) => {
      const rows = 5;
      const next = seededUniform(3 + c.loss);
      const { targets } = problem(c, rows, 17);
      const Z = Float64Array.from({ length: rows * OUTPUTS }, () => 3 * next() - 1.5);
      const weights = randomWeights(rows, 8);
      const outputsOf = (z: Float64Array) => {
        const F = new Float64Array(z.length);
        for (let r = 0; r < rows; r++) F.set(activate(c.output, Array.from(z.subarray(r * OUTPUTS, (r + 1) * OUTPUTS))), r * OUTPUTS);
        return F;
      };
      const lossOf = (z: Float64Array) => {
        const F = outputsOf(z);
        let data = 0;
        for (let r = 0; r < rows; r++) data += weights[r] * rowLoss(c.loss, Array.from(F.subarray(r * OUTPUTS, (r + 1) * OUTPUTS)), targets.subarray(r * OUTPUTS, (r + 1) * OUTPUTS));
        return reduction === ReductionCode.mean ? data / weights.reduce((a, b) => a + b, 0) : data;
      };
      const delta = new Float64Array(rows * OUTPUTS);
      const loss = engine.outputDelta(rows, OUTPUTS, c.loss, reduction, c.output, outputsOf(Z), targets, delta, weights);
      expect(Math.abs(loss - lossOf(Z)) / lossOf(Z)).toBeLessThan(1e-13);
      const fd = Float64Array.from(Z, (_, i) => finiteDifference(lossOf, Z, i));
      expect(disagreement(fd, delta)).toBeLessThan(1e-7);
      // A row of weight 0 has δ 0.
      expect(delta.subarray(OUTPUTS, 2 * OUTPUTS).every((d) => d === 0)).toBe(true);
    });
  });

  describe('integer weights train as the rows repeated that many times, unweighted (one full batch, in order)', () => {
    const counts = [2, 0, 1, 3, 1, 0, 2, 3, 1];
    const cases = LOSS_REDUCTIONS.flatMap(([name, c, reduction]) => OPTIMIZERS.map(([o, options]) => [`${name}, ${o}`, c, reduction, options] as const));
    it.each(cases)('%s, L2 > 0, 4 epochs', (_name, c, reduction, options) => {
      const rows = counts.length;
      const { layout, inputs, targets, params } = problem(c, rows, 23 + c.loss);
      const objective = { loss: c.loss, reduction, l2: 0.05 };
      const weights = Float64Array.from(counts);
      const weighted: Run = {
        layout,
        objective,
        params: Float64Array.from(params),
        optimizer: optimizerJob(options, params.length),
        data: engine.borrowTrainingData(inputs, targets, rows, weights),
        order: inOrder(rows),
        batchSize: 1000,
      };
      const repeated = repeatRows(inputs, targets, counts);
      const plain: Run = {
        ...weighted,
        params: Float64Array.from(params),
        optimizer: optimizerJob(options, params.length),
        data: engine.borrowTrainingData(repeated.inputs, repeated.targets, repeated.rows, null),
        order: inOrder(repeated.rows),
      };
      const weightedResults = trainEpochs(engine, weighted, 4);
      const plainResults = trainEpochs(engine, plain, 4);
      expect(maxRelativeDifference(weighted.params, plain.params)).toBeLessThan(1e-12);
      expect(maxRelativeDifference(weighted.optimizer.state, plain.optimizer.state)).toBeLessThan(1e-12);
      expect(weighted.optimizer.stepsTaken).toBe(4);
      weightedResults.forEach((w, e) => {
        const p = plainResults[e];
        expect(maxRelativeDifference([w.lossSum], [p.lossSum])).toBeLessThan(1e-12);
        expect({ weightSum: w.weightSum, steps: w.steps, minibatches: w.minibatches, rows: w.rows }).toEqual({ weightSum: repeated.rows, steps: 1, minibatches: 1, rows: rows });
        expect(p.weightSum).toBe(repeated.rows);
      });
      // The parameters moved: the comparison is not of untrained networks.
      expect(maxRelativeDifference(weighted.params, params)).toBeGreaterThan(1e-3);
    });

    it.each(LOSS_REDUCTIONS)('gradients(), %s: the same gradient and loss as the repeated rows', (_name, c, reduction) => {
      const rows = counts.length;
      const { layout, inputs, targets, params } = problem(c, rows, 29 + c.loss);
      const objective = { loss: c.loss, reduction, l2: 0.05 };
      const weighted = new Float64Array(params.length);
      const lossW = engine.gradients(layout, objective, params, inputs, targets, rows, weighted, null, Float64Array.from(counts));
      const repeated = repeatRows(inputs, targets, counts);
      const plain = new Float64Array(params.length);
      const lossR = engine.gradients(layout, objective, params, repeated.inputs, repeated.targets, repeated.rows, plain, null, null);
      expect(maxRelativeDifference([lossW], [lossR])).toBeLessThan(1e-13);
      expect(maxRelativeDifference(weighted, plain, 1e-12)).toBeLessThan(1e-12);
    });
  });

  describe('weights all 1 train exactly as no weights, to the bit', () => {
    const optimizers: [string, OptimizerOptions][] = [['sgd', 'sgd'], ...OPTIMIZERS, ['rmsprop', 'rmsprop']];
    it.each(LOSS_REDUCTIONS)('%s: every optimizer, minibatches of 1, 3, 4 and all 10 rows, 3 epochs, with and without dropout', (_name, c, reduction) => {
      const rows = 10;
      const { layout, inputs, targets, params } = problem(c, rows, 31 + c.loss);
      const objective = { loss: c.loss, reduction, l2: 0.05 };
      const order = Int32Array.of(3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7); // with repeats, as a shuffle of a buffer may be
      for (const [, options] of optimizers) {
        for (const batchSize of [1, 3, 4, rows]) {
          for (const dropout of [null, Float64Array.of(0.3, 0.2, 0)]) {
            const runOf = (weights: Float64Array | null): Run => ({
              layout,
              objective,
              params: Float64Array.from(params),
              optimizer: optimizerJob(options, params.length),
              data: engine.borrowTrainingData(inputs, targets, rows, weights),
              order,
              batchSize,
              dropout,
              randomState: Uint32Array.of(9, 8, 7, 6),
            });
            const ones = runOf(new Float64Array(rows).fill(1));
            const none = runOf(null);
            const onesResults = trainEpochs(engine, ones, 3);
            const noneResults = trainEpochs(engine, none, 3);
            expect(bits(ones.params)).toEqual(bits(none.params));
            expect(bits(ones.optimizer.state)).toEqual(bits(none.optimizer.state));
            expect(Array.from(ones.randomState!)).toEqual(Array.from(none.randomState!));
            onesResults.forEach((r, e) => {
              expect({ ...r, lossSum: bitsOf(r.lossSum) }).toEqual({ ...noneResults[e], lossSum: bitsOf(noneResults[e].lossSum) });
            });
            expect(noneResults[0]).toEqual(expect.objectContaining({ weightSum: order.length, steps: Math.ceil(order.length / batchSize) }));
          }
        }
      }
    });

    it.each(LOSS_REDUCTIONS)('gradients() and outputDelta(), %s', (_name, c, reduction) => {
      const rows = 7;
      const { layout, inputs, targets, params } = problem(c, rows, 37 + c.loss);
      const objective = { loss: c.loss, reduction, l2: 0.05 };
      const ones = new Float64Array(rows).fill(1);
      const a = new Float64Array(params.length);
      const b = new Float64Array(params.length);
      const lossA = engine.gradients(layout, objective, params, inputs, targets, rows, a, null, ones);
      const lossB = engine.gradients(layout, objective, params, inputs, targets, rows, b, null, null);
      expect(bitsOf(lossA)).toEqual(bitsOf(lossB));
      expect(bits(a)).toEqual(bits(b));
      const F = Float64Array.from(targets, (t, i) => (c.loss === LossCode.mse ? t + 0.1 * Math.sin(i) : 0.9 * t + 0.1 / OUTPUTS));
      const dA = new Float64Array(F.length);
      const dB = new Float64Array(F.length);
      expect(bitsOf(engine.outputDelta(rows, OUTPUTS, c.loss, reduction, c.output, F, targets, dA, ones))).toEqual(
        bitsOf(engine.outputDelta(rows, OUTPUTS, c.loss, reduction, c.output, F, targets, dB, null)),
      );
      expect(bits(dA)).toEqual(bits(dB));
    });
  });

  describe('a minibatch of total weight 0 takes no step', () => {
    const c = LOSSES[2];
    const rows = 6;
    const { layout, inputs, targets, params } = problem(c, rows, 41);
    const objective = { loss: c.loss, reduction: ReductionCode.mean, l2: 0.05 };
    const weights = Float64Array.of(1.5, 0.5, 0, 0, 2, 1);
    const adam: OptimizerOptions = 'adam';

    it.each(REDUCTIONS)('%s: the epoch equals one over the other minibatches alone (parameters, state, t, loss)', (_name, reduction) => {
      const run = (order: Int32Array): Run => ({
        layout,
        objective: { ...objective, reduction },
        params: Float64Array.from(params),
        optimizer: optimizerJob(adam, params.length),
        data: engine.borrowTrainingData(inputs, targets, rows, weights),
        order,
        batchSize: 2,
      });
      const all = run(inOrder(rows));
      const [result] = trainEpochs(engine, all, 1);
      const skipping = run(Int32Array.of(0, 1, 4, 5));
      const [reference] = trainEpochs(engine, skipping, 1);
      expect(bits(all.params)).toEqual(bits(skipping.params));
      expect(bits(all.optimizer.state)).toEqual(bits(skipping.optimizer.state));
      // Its rows are still counted for accuracy, at the parameters after the first minibatch.
      const first = run(Int32Array.of(0, 1));
      trainEpochs(engine, first, 1);
      const middle = engine.trainEpoch(job({ ...first, order: Int32Array.of(2, 3) }));
      expect(result).toEqual({
        lossSum: reference.lossSum,
        correct: reference.correct + middle.correct,
        floored: reference.floored + middle.floored,
        minibatches: 3,
        rows: 6,
        weightSum: 5,
        steps: 2,
      });
      expect(reference).toEqual(expect.objectContaining({ minibatches: 2, rows: 4, weightSum: 5, steps: 2 }));
    });

    it('with dropout its masks are still drawn (the generator advances as unweighted), and nothing else changes', () => {
      const zero = new Float64Array(rows);
      const dropout = Float64Array.of(0.5, 0.25, 0);
      const run = (w: Float64Array | null): Run => ({
        layout,
        objective,
        params: Float64Array.from(params),
        optimizer: { ...optimizerJob(adam, params.length), stepsTaken: 7 },
        data: engine.borrowTrainingData(inputs, targets, rows, w),
        order: inOrder(rows),
        batchSize: rows,
        dropout,
        randomState: Uint32Array.of(5, 6, 7, 8),
      });
      const skipped = run(zero);
      const state = Float64Array.from(skipped.optimizer.state.fill(0.25));
      const result = engine.trainEpoch(job(skipped));
      const unweighted = run(null);
      const reference = engine.trainEpoch(job(unweighted));
      expect(bits(skipped.params)).toEqual(bits(params));
      expect(bits(skipped.optimizer.state)).toEqual(bits(state));
      expect(Array.from(skipped.randomState!)).toEqual(Array.from(unweighted.randomState!));
      expect(Array.from(skipped.randomState!)).not.toEqual([5, 6, 7, 8]);
      // The counts are the unweighted minibatch's, from the same outputs (the same masks, the same parameters).
      expect(result).toEqual({ lossSum: 0, correct: reference.correct, floored: reference.floored, minibatches: 1, rows, weightSum: 0, steps: 0 });
    });

    it("gradients() of rows that all weigh 0: 'mean' gives loss and gradient 0, 'sum' the L2 term alone", () => {
      const zero = new Float64Array(rows);
      const grads = new Float64Array(params.length).fill(NaN);
      expect(engine.gradients(layout, objective, params, inputs, targets, rows, grads, null, zero) === 0).toBe(true);
      expect(grads.every((g) => g === 0)).toBe(true);
      // 'sum': Σ 0·l_i + (λ/2)‖W‖², whose gradient is λ·W on the weights and 0 on the biases.
      const expected = new Float64Array(params.length);
      let squares = 0;
      for (let l = 0, at = 0; l + 1 < layout.sizes.length; at += layout.sizes[l] * layout.sizes[l + 1] + layout.sizes[l + 1], l++) {
        for (let i = at; i < at + layout.sizes[l] * layout.sizes[l + 1]; i++) {
          expected[i] = 0.05 * params[i];
          squares += params[i] ** 2;
        }
      }
      const loss = engine.gradients(layout, { ...objective, reduction: ReductionCode.sum }, params, inputs, targets, rows, grads, null, zero);
      expect(maxRelativeDifference(grads, expected)).toBe(0);
      expect(maxRelativeDifference([loss], [0.5 * 0.05 * squares])).toBeLessThan(1e-14);
    });
  });

  it('owned weighted data, filled in blocks and moved with copyRows, trains as the same rows borrowed, synchronously and not', async () => {
    const c = LOSSES[3];
    const rows = 8;
    const { layout, inputs, targets, params } = problem(c, rows, 43);
    const weights = randomWeights(rows, 44);
    const owned = engine.createTrainingData(rows, INPUTS, OUTPUTS, true);
    owned.setRows(0, inputs.subarray(0, 3 * INPUTS), targets.subarray(0, 3 * OUTPUTS), 3, weights.subarray(0, 3));
    owned.setRows(3, inputs.subarray(3 * INPUTS), targets.subarray(3 * OUTPUTS), rows - 3, weights.subarray(3));
    // Rows 2..4 to 5..7 (overlapping towards the end), as a stream's buffer moves its leftovers.
    owned.copyRows(4, 2, 3);
    const moved = (a: Float64Array, width: number) => {
      const b = Float64Array.from(a);
      b.copyWithin(4 * width, 2 * width, 5 * width);
      return b;
    };
    const borrowed = engine.borrowTrainingData(moved(inputs, INPUTS), moved(targets, OUTPUTS), rows, moved(weights, 1));
    const run = (data: TrainingData): Run => ({
      layout,
      objective: { loss: c.loss, reduction: ReductionCode.mean, l2: 0.01 },
      params: Float64Array.from(params),
      optimizer: optimizerJob('adam', params.length),
      data,
      order: Int32Array.of(7, 0, 6, 1, 5, 2, 4, 3),
      batchSize: 3,
      dropout: Float64Array.of(0.2, 0, 0),
    });
    const reference = run(borrowed);
    const expected = engine.trainEpoch(job(reference));
    const sync = run(owned);
    expect(engine.trainEpoch(job(sync))).toEqual(expected);
    const async = run(owned);
    expect(await engine.trainEpochAsync(job(async))).toEqual(expected);
    for (const r of [sync, async]) {
      expect(bits(r.params)).toEqual(bits(reference.params));
      expect(bits(r.optimizer.state)).toEqual(bits(reference.optimizer.state));
      expect(Array.from(r.randomState!)).toEqual(Array.from(reference.randomState!));
    }
    // A weighted set takes weights with every setRows, an unweighted one none.
    expect(() => owned.setRows(0, inputs, targets, 1)).toThrow(/weights: expected a Float64Array: this TrainingData is weighted/);
    const unweighted = engine.createTrainingData(rows, INPUTS, OUTPUTS);
    expect(() => unweighted.setRows(0, inputs, targets, 1, weights)).toThrow(/weights: expected none/);
    owned.release();
    unweighted.release();
  });
});

describe.runIf(BACKENDS.includes('native') && BACKENDS.includes('js'))('per-row weights: native equals js', () => {
  const native = getBackend('native', 'backend');
  const js = getBackend('js', 'backend');

  const cases = LOSS_REDUCTIONS.flatMap(([name, c, reduction]) => [0, 0.05, 1e300].map((clipNorm) => [`${name}, clipNorm ${clipNorm}`, c, reduction, clipNorm] as const));
  it.each(cases)('%s: several minibatches (one of weight 0), dropout, adam, 3 epochs, to 1e-12', (_name, c, reduction, clipNorm) => {
    const rows = 11;
    const { layout, inputs, targets, params } = problem(c, rows, 47 + c.loss);
    const weights = randomWeights(rows, 48);
    weights[6] = 0;
    weights[7] = 0; // with batch 3 and the order below, the minibatch of rows 6, 7 and 1 weighs 0
    const order = Int32Array.of(0, 2, 3, 6, 7, 1, 4, 5, 8, 9, 10, 0);
    const run = (engine: Backend): Run => ({
      layout,
      objective: { loss: c.loss, reduction, l2: 0.05 },
      params: Float64Array.from(params),
      optimizer: optimizerJob('adam', params.length),
      data: engine.borrowTrainingData(inputs, targets, rows, weights),
      order,
      batchSize: 3,
      clipNorm,
      dropout: Float64Array.of(0.3, 0.2, 0),
      randomState: Uint32Array.of(3, 1, 4, 1),
    });
    const a = run(native);
    const b = run(js);
    const ra = trainEpochs(native, a, 3);
    const rb = trainEpochs(js, b, 3);
    // Measured here as up to 8e-13 entry by entry on parameters near 5e-5
    // (absolute differences near 4e-17), against at least 1e-3 of the largest near 1e-13.
    expect(disagreement(a.params, b.params)).toBeLessThan(1e-12);
    expect(disagreement(a.optimizer.state, b.optimizer.state)).toBeLessThan(1e-12);
    expect(Array.from(a.randomState!)).toEqual(Array.from(b.randomState!));
    ra.forEach((r, e) => {
      expect(maxRelativeDifference([r.lossSum], [rb[e].lossSum])).toBeLessThan(1e-12);
      expect({ ...r, lossSum: 0 }).toEqual({ ...rb[e], lossSum: 0 });
      expect(r.steps).toBe(3);
      expect(r.minibatches).toBe(4);
    });
  });
});

describe.runIf(BACKENDS.includes('native'))('bad weights into the native addon', () => {
  type Fn = (...args: unknown[]) => unknown;
  const addon = loadAddon(path.resolve(__dirname, '..')) as Record<string, Fn>;
  type Owned = { rows: number; setRows: Fn; copyRows: Fn; release: Fn };
  const TrainingData = addon.TrainingData as unknown as new (...a: unknown[]) => Owned;
  const f64 = (n: number) => new Float64Array(n);
  const i32 = (...xs: number[]) => Int32Array.from(xs);
  const u32 = (...xs: number[]) => Uint32Array.from(xs);
  const w = (...xs: number[]) => Float64Array.from(xs);
  // A 2-3-1 sigmoid network with biases: 13 parameters; 4 rows of 2 inputs and 1 target.
  const layout = [i32(2, 3, 1), i32(1, 1), true];
  const settings = Float64Array.of(0, 0, 0.9, 0.999, 1e-8, 0.01, 0.99);
  const owned = (weighted: boolean) => {
    const d = new TrainingData(4, 2, 1, weighted);
    d.setRows(0, f64(8), f64(4), 4, ...(weighted ? [w(1, 2, 0, 1)] : []));
    return d;
  };
  // trainEpoch(sizes, activations, bias, loss, reduction, l2, params, optimizer, optimizerSettings, optimizerState,
  //            stepsTaken, data, inputs, targets, weights, inputShift, inputSpread, order, batchSize, learningRate,
  //            clipNorm, dropout, randomState, abort, lossSumStart)
  const epoch = (overrides: Record<number, unknown>) => {
    const args: unknown[] = [...layout, 0, 0, 0, f64(13), 0, settings, f64(0), 0, null, f64(8), f64(4), null, null, null, i32(0, 1, 2, 3), 2, 0.1, 0, null, u32(1, 2, 3, 4), null, 0];
    for (const [i, v] of Object.entries(overrides)) args[Number(i)] = v;
    return args;
  };
  const outputDelta = (weights: unknown) => [2, 2, 0, 0, 1, f64(4), f64(4), f64(4), weights];
  const gradients = (weights: unknown) => [...layout, 0, 0, 0, f64(13), f64(8), f64(4), 4, f64(13), null, null, weights];

  const cases: [string, string, () => unknown, RegExp][] = [
    ['outputDelta', 'weights of the wrong length', () => addon.outputDelta(...outputDelta(w(1, 1, 1))), /outputDelta: weights: expected 2 values \(one per row\), got 3/],
    ['outputDelta', 'a NaN weight', () => addon.outputDelta(...outputDelta(w(1, NaN))), /outputDelta: weights: expected finite weights ≥ 0, got nan at row 1/],
    ['outputDelta', 'a negative weight', () => addon.outputDelta(...outputDelta(w(-1, 1))), /outputDelta: weights: expected finite weights ≥ 0, got -1 at row 0/],
    ['outputDelta', 'an infinite weight', () => addon.outputDelta(...outputDelta(w(1, Infinity))), /outputDelta: weights: expected finite weights ≥ 0, got inf at row 1/],
    ['outputDelta', 'weights that are not a Float64Array', () => addon.outputDelta(...outputDelta([1, 1])), /outputDelta: weights: expected a Float64Array/],
    ['gradients', 'weights of the wrong length', () => addon.gradients(...gradients(w(1, 1, 1))), /gradients: weights: expected 4 values \(one per row\), got 3/],
    ['gradients', 'a NaN weight', () => addon.gradients(...gradients(w(1, 1, NaN, 1))), /gradients: weights: expected finite weights ≥ 0, got nan at row 2/],
    ['gradients', 'a negative weight', () => addon.gradients(...gradients(w(1, 1, 1, -0.5))), /gradients: weights: expected finite weights ≥ 0, got -0.5 at row 3/],
    ['gradients', 'a Float32Array of weights', () => addon.gradients(...gradients(new Float32Array(4))), /gradients: weights: expected a Float64Array/],
    ['trainEpoch', 'borrowed weights of the wrong length', () => addon.trainEpoch(...epoch({ 14: w(1, 1, 1) })), /trainEpoch: weights: expected 4 values \(one per row\), got 3/],
    ['trainEpoch', 'a NaN borrowed weight', () => addon.trainEpoch(...epoch({ 14: w(1, NaN, 1, 1) })), /trainEpoch: weights: expected finite weights ≥ 0, got nan at row 1/],
    ['trainEpoch', 'a negative borrowed weight', () => addon.trainEpoch(...epoch({ 14: w(1, 1, -1, 1) })), /trainEpoch: weights: expected finite weights ≥ 0/],
    ['trainEpoch', 'weights beside a TrainingData', () => addon.trainEpoch(...epoch({ 11: owned(true), 14: w(1, 1, 1, 1) })), /trainEpoch: weights: expected null with a TrainingData/],
    ['trainEpochAsync', 'weights beside a TrainingData', () => addon.trainEpochAsync(...epoch({ 11: owned(false), 14: w(1, 1, 1, 1) })), /trainEpochAsync: weights: expected null with a TrainingData/],
    ['TrainingData', 'weighted given as a number', () => new TrainingData(4, 2, 1, 1), /TrainingData: weighted: expected a boolean/],
    ['TrainingData', 'weighted left out', () => new TrainingData(4, 2, 1), /TrainingData: arguments: expected 4 arguments, got 3/],
    ['setRows', 'a weighted set without weights', () => owned(true).setRows(0, f64(8), f64(4), 4), /setRows: weights: expected a Float64Array: this TrainingData is weighted/],
    ['setRows', 'a weighted set with null weights', () => owned(true).setRows(0, f64(8), f64(4), 4, null), /setRows: weights: expected a Float64Array/],
    ['setRows', 'weights into an unweighted set', () => owned(false).setRows(0, f64(8), f64(4), 4, w(1, 1, 1, 1)), /setRows: weights: expected none: this TrainingData was made unweighted/],
    ['setRows', 'fewer weights than rows', () => owned(true).setRows(1, f64(6), f64(3), 3, w(1, 1)), /setRows: weights: expected at least 3 elements, got 2/],
    ['setRows', 'a NaN weight', () => owned(true).setRows(0, f64(4), f64(2), 2, w(1, NaN)), /setRows: weights: expected finite weights ≥ 0, got nan at row 1/],
    ['setRows', 'a negative weight', () => owned(true).setRows(0, f64(4), f64(2), 2, w(-2, 1)), /setRows: weights: expected finite weights ≥ 0, got -2 at row 0/],
    ['setRows', 'one argument too many', () => owned(true).setRows(0, f64(4), f64(2), 2, w(1, 1), 0), /setRows: arguments: expected 4 to 5 arguments, got 6/],
    [
      'trainEpochDataParallel',
      'a weighted TrainingData (checked before the reducer is read)',
      () => addon.trainEpochDataParallel(...epoch({ 11: owned(true) }), null, 0, 1),
      /trainEpochDataParallel: data: data-parallel training takes no per-row weights/,
    ],
  ];

  it.each(cases)('%s rejects %s with an error naming the argument', (_fn, _what, call, message) => {
    expect(call).toThrow(message);
  });

  it('a refused setRows leaves the set as it was, and valid weighted calls still work after all that', () => {
    const d = owned(true);
    const params = Float64Array.from({ length: 13 }, (_, i) => (i + 1) / 13);
    const train = () => addon.trainEpoch(...epoch({ 6: Float64Array.from(params), 11: d, 12: null, 13: null })) as EpochResult;
    const before = train();
    expect(() => d.setRows(0, Float64Array.of(5, 5, 5, 5), Float64Array.of(1, 1), 2, w(1, -1))).toThrow(/weights/);
    expect(train()).toEqual(before);
    expect(before).toEqual(expect.objectContaining({ minibatches: 2, steps: 2, rows: 4, weightSum: 4 }));
    // The weights moved by copyRows with their rows: rows 0, 1 (weights 1, 2) onto 2, 3 make the second minibatch weigh 3.
    d.copyRows(2, 0, 2);
    expect(train()).toEqual(expect.objectContaining({ steps: 2, weightSum: 6 }));
    expect(addon.trainEpoch(...epoch({ 14: w(0, 0, 1.5, 2) }))).toEqual(expect.objectContaining({ minibatches: 2, steps: 1, weightSum: 3.5 }));
    expect(typeof addon.outputDelta(...outputDelta(w(0.5, 2)))).toBe('number');
    expect(typeof addon.gradients(...gradients(w(0, 1, 2, 3)))).toBe('number');
  });
});
