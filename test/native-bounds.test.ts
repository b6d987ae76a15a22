// The addon re-checks everything that reaches it, whoever calls it: these
// calls go straight to the raw addon, bypassing the TypeScript checks, and each
// must come back as a JS exception with the process intact.
import path from 'node:path';
import loadAddon from 'node-gyp-build';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from './helpers/backends.js';

type Fn = (...args: unknown[]) => unknown;

describe.runIf(BACKENDS.includes('native'))('native argument checks', () => {
  const addon = loadAddon(path.resolve(__dirname, '..')) as Record<string, Fn>;
  const f64 = (n: number) => new Float64Array(n);
  const i32 = (...xs: number[]) => Int32Array.from(xs);
  // A 2-3-1 sigmoid network with biases has 2·3 + 3 + 3·1 + 1 = 13 parameters.
  const layout = [i32(2, 3, 1), i32(1, 1), true];
  // Four rows of 2 inputs and 1 target, as the addon's own copy.
  type Owned = { rows: number; setRows: Fn; copyRows: Fn; release: Fn };
  const TrainingData = addon.TrainingData as unknown as new (...a: unknown[]) => Owned;
  const owned = (inputs: Float64Array, targets: Float64Array, rows: number, inWidth: number, outWidth: number) => {
    const d = new TrainingData(rows, inWidth, outWidth, false);
    d.setRows(0, inputs, targets, rows);
    return d;
  };
  const data = () => owned(f64(8), f64(4), 4, 2, 1);
  // Settings in the order of OPTIMIZER_SETTINGS: momentum, nesterov, beta1, beta2, epsilon, weightDecay, alpha.
  const settings = (over: Record<number, number> = {}) => {
    const s = Float64Array.of(0, 0, 0.9, 0.999, 1e-8, 0.01, 0.99);
    for (const [i, v] of Object.entries(over)) s[Number(i)] = v;
    return s;
  };
  const momentum = settings({ 0: 0.9 });
  const ones = (n: number) => f64(n).fill(1);
  // forward(sizes, activations, bias, params, inputs, rows, outputs, inputShift, inputSpread) of one row through a 7-1 network.
  const scaled = (shift: Float64Array, spread: Float64Array) => [i32(7, 1), i32(1), true, f64(8), f64(7), 1, [f64(1)], shift, spread];
  const u32 = (...xs: number[]) => Uint32Array.from(xs);
  // trainEpoch(sizes, activations, bias, loss, reduction, l2, params, optimizer, optimizerSettings, optimizerState,
  //            stepsTaken, data, inputs, targets, weights, inputShift, inputSpread, order, batchSize, learningRate,
  //            clipNorm, dropout, randomState, abort, lossSumStart)
  const epoch = (overrides: Record<number, unknown>) => {
    const args: unknown[] = [...layout, 0, 0, 0, f64(13), 0, settings(), f64(0), 0, data(), null, null, null, null, null, i32(0, 1, 2, 3), 2, 0.1, 0, null, u32(1, 2, 3, 4), null, 0];
    for (const [i, v] of Object.entries(overrides)) args[Number(i)] = v;
    return args;
  };
  // optimizerStep(sizes, activations, bias, optimizer, optimizerSettings, optimizerState, stepsTaken, learningRate, grads, params)
  const step = (overrides: Record<number, unknown>) => {
    const args: unknown[] = [...layout, 1, settings(), f64(26), 0, 0.1, f64(13), f64(13)];
    for (const [i, v] of Object.entries(overrides)) args[Number(i)] = v;
    return args;
  };

  const cases: [string, string, unknown[], RegExp][] = [
    ['gemm', 'too few arguments', [false, false, 2, 2, 2], /expected 13 arguments/],
    ['gemm', 'A shorter than m × k', [false, false, 2, 2, 2, 1, f64(3), 2, f64(4), 2, 0, f64(4), 2], /A: expected at least 4/],
    ['gemm', 'C shorter than its stride demands', [false, false, 2, 2, 2, 1, f64(4), 2, f64(4), 2, 0, f64(4), 3], /C: expected at least 5/],
    ['gemm', 'lda below the row length', [false, false, 2, 2, 2, 1, f64(4), 1, f64(4), 2, 0, f64(4), 2], /lda/],
    ['gemm', 'negative dimension', [false, false, -1, 2, 2, 1, f64(4), 2, f64(4), 2, 0, f64(4), 2], /m: expected an integer/],
    ['gemm', 'non-integer dimension', [false, false, 1.5, 2, 2, 1, f64(4), 2, f64(4), 2, 0, f64(4), 2], /m: expected an integer/],
    ['gemm', 'a plain array instead of Float64Array', [false, false, 1, 1, 1, 1, [1], 1, f64(1), 1, 0, f64(1), 1], /A: expected a Float64Array/],
    ['gemm', 'a Float32Array', [false, false, 1, 1, 1, 1, new Float32Array(1), 1, f64(1), 1, 0, f64(1), 1], /A: expected a Float64Array/],
    ['gemm', 'NaN alpha', [false, false, 1, 1, 1, NaN, f64(1), 1, f64(1), 1, 0, f64(1), 1], /alpha: expected a finite number/],
    ['forwardLayer', 'output too short', [2, 3, 4, f64(6), f64(12), null, 1, f64(7)], /output: expected at least 8/],
    ['forwardLayer', 'bias too short', [2, 3, 4, f64(6), f64(12), f64(3), 1, f64(8)], /b: expected at least 4/],
    ['forwardLayer', 'unknown activation code', [2, 3, 4, f64(6), f64(12), null, 9, f64(8)], /activation/],
    ['backpropDelta', 'softmax derivative', [2, 3, 4, f64(8), f64(12), 4, f64(6), f64(6)], /softmax/],
    ['outputDelta', 'binary cross-entropy with a tanh output', [2, 2, 1, 0, 2, f64(4), f64(4), f64(4), null], /loss/],
    ['outputDelta', 'zero rows', [0, 2, 0, 0, 0, f64(4), f64(4), f64(4), null], /rows/],
    ['optimizerStep', 'grads shorter than params', step({ 8: f64(12) }), /grads: expected at least 13/],
    ['optimizerStep', 'an unknown optimizer code', step({ 3: 4 }), /optimizer: expected an integer in \[0, 3\]/],
    ['optimizerStep', 'Adam state for one slot only', step({ 5: f64(13) }), /optimizerState: expected 26 values \(2 per parameter\)/],
    ['optimizerStep', 'settings of the wrong length', step({ 4: f64(6) }), /optimizerSettings: expected 7 values/],
    ['optimizerStep', 'beta1 of 1', step({ 4: settings({ 2: 1 }) }), /beta1: expected a number in \[0, 1\)/],
    ['optimizerStep', 'epsilon of 0', step({ 4: settings({ 4: 0 }) }), /epsilon: expected a number > 0/],
    ['optimizerStep', 'a NaN setting', step({ 4: settings({ 6: NaN }) }), /alpha: expected a finite number/],
    ['optimizerStep', 'negative weight decay', step({ 3: 2, 4: settings({ 5: -1 }) }), /weightDecay/],
    ['optimizerStep', 'Nesterov without momentum', step({ 3: 0, 4: settings({ 1: 1 }), 5: f64(0) }), /nesterov: needs a momentum > 0/],
    ['optimizerStep', 'nesterov neither 0 nor 1', step({ 3: 0, 4: settings({ 0: 0.5, 1: 0.5 }), 5: f64(13) }), /nesterov: expected 0 or 1/],
    ['optimizerStep', 'a negative step count', step({ 6: -1 }), /stepsTaken/],
    ['optimizerStep', 'params of the wrong count', step({ 9: f64(12) }), /params: expected 13 parameters/],
    ['forward', 'params of the wrong count', [...layout, f64(12), f64(8), 4, [f64(12), f64(4)], null, null], /params: expected 13 parameters/],
    ['forward', 'one output array missing', [...layout, f64(13), f64(8), 4, [f64(12)], null, null], /outputs: expected 2 arrays/],
    ['forward', 'softmax on a hidden layer', [i32(2, 3, 1), i32(4, 1), true, f64(13), f64(8), 4, [f64(12), f64(4)], null, null], /softmax/],
    ['forward', 'zero-sized layer', [i32(2, 0, 1), i32(1, 1), true, f64(4), f64(8), 4, [f64(0), f64(4)], null, null], /sizes/],
    ['gradients', 'targets too short', [...layout, 0, 0, 0, f64(13), f64(8), f64(3), 4, f64(13), null, null, null], /targets: expected at least 4/],
    ['gradients', 'negative l2', [...layout, 0, 0, -1, f64(13), f64(8), f64(4), 4, f64(13), null, null, null], /l2/],
    ['trainEpoch', 'a row index out of range', epoch({ 17: i32(0, 1, 2, 4) }), /order: row index 4 out of range/],
    ['trainEpoch', 'a negative row index', epoch({ 17: i32(0, -1, 2, 3) }), /order: row index -1/],
    ['trainEpoch', 'momentum state too short', epoch({ 8: momentum, 9: f64(12) }), /optimizerState: expected 13 values/],
    ['trainEpoch', 'state given for plain SGD, which keeps none', epoch({ 9: f64(13) }), /optimizerState: expected 0 values/],
    ['trainEpoch', 'batch size zero', epoch({ 18: 0 }), /batchSize/],
    ['trainEpoch', 'a negative clipNorm', epoch({ 20: -1 }), /clipNorm/],
    ['trainEpoch', 'dropout rates of the wrong count', epoch({ 21: Float64Array.of(0.5) }), /dropout: expected 2 rates/],
    ['trainEpoch', 'a dropout rate of 1', epoch({ 21: Float64Array.of(1, 0) }), /dropout: expected rates in \[0, 1\)/],
    ['trainEpoch', 'dropout on the output layer', epoch({ 21: Float64Array.of(0, 0.5) }), /output layer cannot have dropout/],
    ['trainEpoch', 'a random state of the wrong length', epoch({ 22: u32(1, 2, 3) }), /randomState: expected 4 words/],
    ['trainEpoch', 'an all-zero random state (a fixed point of the generator)', epoch({ 22: u32(0, 0, 0, 0) }), /randomState: expected words not all zero/],
    ['trainEpoch', 'a random state that is not a Uint32Array', epoch({ 22: i32(1, 2, 3, 4) }), /randomState: expected a Uint32Array/],
    ['trainEpoch', 'data that only looks like a TrainingData', epoch({ 11: { rows: 4 } }), /data: expected a TrainingData made by this addon/],
    ['trainEpoch', 'data whose widths do not match the layout', epoch({ 11: owned(f64(12), f64(4), 4, 3, 1) }), /data: its widths/],
    ['trainEpoch', 'borrowed inputs that are not whole rows', epoch({ 11: null, 12: f64(7), 13: f64(4) }), /inputs: expected whole rows of 2 values/],
    ['trainEpoch', 'borrowed targets of the wrong length', epoch({ 11: null, 12: f64(8), 13: f64(3) }), /targets: expected 4 values/],
    ['trainEpoch', 'a row index beyond the borrowed rows', epoch({ 11: null, 12: f64(6), 13: f64(3) }), /order: row index 3 out of range/],
    ['trainEpochAsync' as string, 'borrowed arrays (only a TrainingData may cross threads)', epoch({ 11: null, 12: f64(8), 13: f64(4) }), /data: expected a TrainingData/],
    ['trainEpoch', 'an input shift without a spread', epoch({ 15: f64(2) }), /inputShift: expected inputShift and inputSpread both/],
    ['trainEpoch', 'an input spread of 0', epoch({ 15: f64(2), 16: Float64Array.of(1, 0) }), /inputSpread: expected finite values > 0/],
    ['trainEpoch', 'input scaling of the wrong width', epoch({ 15: f64(3), 16: f64(3).fill(1) }), /inputShift: expected 2 values each/],
    ['trainEpoch', 'an abort flag that only looks like one', epoch({ 23: { aborted: false, abort() {} } }), /abort: expected an AbortFlag made by this addon/],
    ['forward', 'input scaling of the wrong width', [...layout, f64(13), f64(8), 4, [f64(12), f64(4)], f64(3), f64(3).fill(1)], /inputShift: expected 2 values each/],
    // Seven inputs: the scaling's check takes four at a time, then one by one.
    ['forward', 'an input shift of NaN among four', scaled(Float64Array.of(0, 0, NaN, 0, 0, 0, 0), ones(7)), /inputShift: expected finite values, got nan/],
    ['forward', 'an input shift of −∞ in the tail', scaled(Float64Array.of(0, 0, 0, 0, 0, 0, -Infinity), ones(7)), /inputShift: expected finite values, got -inf/],
    ['forward', 'an input spread of ∞', scaled(f64(7), Float64Array.of(1, 1, 1, 1, Infinity, 1, 1)), /inputSpread: expected finite values > 0, got inf/],
    ['forward', 'a negative input spread', scaled(f64(7), Float64Array.of(1, -2, 1, 1, 1, 1, 1)), /inputSpread: expected finite values > 0, got -2/],
    ['forward', 'an input spread of NaN in the tail', scaled(f64(7), Float64Array.of(1, 1, 1, 1, 1, 1, NaN)), /inputSpread: expected finite values > 0, got nan/],
  ];

  it.each(cases)('%s rejects %s', (fn, _what, args, message) => {
    expect(() => addon[fn](...args)).toThrow(message);
  });

  it('TrainingData checks its size, its rows and its arguments', () => {
    expect(() => new TrainingData(2 ** 30, 2 ** 11, 1, false)).toThrow(/rows: expected at most/);
    const d = new TrainingData(4, 2, 1, false);
    expect(() => d.setRows(0, f64(7), f64(4), 4)).toThrow(/inputs: expected at least 8/);
    expect(() => d.setRows(3, f64(4), f64(2), 2)).toThrow(/count: expected an integer in \[0, 1\]/);
    expect(() => d.copyRows(2, 0, 3)).toThrow(/count: expected an integer in \[0, 2\]/);
    d.setRows(0, Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8), Float64Array.of(1, 2, 3, 4), 4);
    d.copyRows(1, 0, 2); // overlapping, towards the end: rows 0, 0, 1, 3
    // Reading back through training: row 1 must now equal row 0, which a one-row epoch over each shows.
    const params = Float64Array.from({ length: 13 }, (_, i) => (i + 1) / 13);
    const lossOf = (row: number) => (addon.trainEpoch(...epoch({ 6: params, 11: d, 17: i32(row), 19: 1e-300 })) as { lossSum: number }).lossSum;
    expect(lossOf(1)).toBe(lossOf(0));
    expect(lossOf(2)).not.toBe(lossOf(3));
  });

  it('an aborted flag stops the epoch before its first minibatch, and a raised one between minibatches', () => {
    const flag = new (addon.AbortFlag as unknown as new () => { abort(): void; aborted: boolean })();
    expect(flag.aborted).toBe(false);
    flag.abort();
    expect(flag.aborted).toBe(true);
    expect(addon.trainEpoch(...epoch({ 23: flag }))).toEqual({ lossSum: 0, correct: 0, floored: 0, minibatches: 0, rows: 0, weightSum: 0, steps: 0 });
  });

  it('borrowed rows may not share memory with params or the optimizer state, which the epoch writes', () => {
    const memory = new Float64Array(13 + 8 + 4);
    const params = memory.subarray(0, 13);
    expect(() => addon.trainEpoch(...epoch({ 6: params, 11: null, 12: memory.subarray(12, 20), 13: memory.subarray(21, 25) }))).toThrow(/inputs: shares memory with params or optimizerState/);
    const state = new Float64Array(13 + 4);
    expect(() => addon.trainEpoch(...epoch({ 8: momentum, 9: state.subarray(0, 13), 11: null, 12: f64(8), 13: state.subarray(12, 16) }))).toThrow(
      /targets: shares memory with params or optimizerState/,
    );
    expect(addon.trainEpoch(...epoch({ 6: params, 11: null, 12: memory.subarray(13, 21), 13: memory.subarray(21, 25) }))).toEqual(expect.objectContaining({ minibatches: 2 }));
  });

  it('setRows is refused while an epoch trains on the data', async () => {
    const d = data();
    const pending = addon.trainEpochAsync(...epoch({ 11: d })) as Promise<unknown>;
    expect(() => d.setRows(0, f64(2), f64(1), 1)).toThrow(/cannot change rows while an epoch trains on them/);
    await pending;
    expect(() => d.setRows(0, f64(2), f64(1), 1)).not.toThrow();
  });

  it('a layout whose parameter count would overflow is rejected before any offset is formed', () => {
    // 2^24 inputs then 65,537 layers of 2^24 units: 2^24 + 65536·2^48 wraps a 64-bit count to 2^24.
    const sizes = new Int32Array(65538).fill(1 << 24);
    sizes[0] = 1;
    const outputs = new Array(65537).fill(f64(1));
    expect(() => addon.forward(sizes, new Int32Array(65537), false, f64(1 << 24), f64(1), 1, outputs, null, null)).toThrow(/more than 2147483647 parameters/);
  });

  it('forward reads the outputs list before taking any pointer, so a getter that detaches a buffer cannot cause a write to freed memory', () => {
    const first = f64(4);
    const outputs = [first];
    Object.defineProperty(outputs, 1, {
      get() {
        structuredClone(first.buffer, { transfer: [first.buffer as ArrayBuffer] });
        return f64(4);
      },
    });
    expect(() => addon.forward(i32(1, 1, 1), i32(0, 0), false, Float64Array.of(1, 1), f64(4), 4, outputs, null, null)).toThrow(/outputs: layer 0 needs 4/);
  });

  it('trainEpochAsync works on copies: changing order or params after the call cannot reach the worker', async () => {
    const args = epoch({});
    const pending = addon.trainEpochAsync(...args) as Promise<number>;
    (args[17] as Int32Array)[3] = 0x7fffffff; // an index that would read far out of bounds
    (args[6] as Float64Array).fill(NaN);
    await expect(pending).resolves.toEqual(expect.objectContaining({ lossSum: expect.any(Number), minibatches: 2 }));
  });

  it('TrainingData keeps its own copy: the arrays it was made from can change or go away', () => {
    const inputs = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const made = owned(inputs, f64(4), 4, 2, 1);
    const before = epoch({ 11: made });
    const first = addon.trainEpoch(...before);
    structuredClone(inputs.buffer, { transfer: [inputs.buffer as ArrayBuffer] });
    expect(made.rows).toBe(4);
    expect(addon.trainEpoch(...epoch({ 11: made }))).toEqual(first);
  });

  it('release() leaves 0 rows at once, and an epoch already running on the rows still reads them', async () => {
    const made = owned(Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8), Float64Array.of(1, 0, 1, 0), 4, 2, 1);
    const params = Float64Array.from({ length: 13 }, (_, i) => (i + 1) / 13);
    const expected = addon.trainEpoch(...epoch({ 6: Float64Array.from(params), 11: made }));
    const pending = addon.trainEpochAsync(...epoch({ 6: Float64Array.from(params), 11: made })) as Promise<unknown>;
    made.release();
    expect(made.rows).toBe(0);
    expect(() => made.setRows(0, f64(2), f64(1), 1)).toThrow(/count: expected an integer in \[0, 0\]/);
    expect(() => addon.trainEpoch(...epoch({ 11: made }))).toThrow(/data: its widths/);
    expect(await pending).toEqual(expected);
  });

  it('trainEpochAsync drops its result, with an error, when params was detached while it ran', async () => {
    const args = epoch({});
    const params = args[6] as Float64Array;
    const pending = addon.trainEpochAsync(...args) as Promise<number>;
    structuredClone(params.buffer, { transfer: [params.buffer as ArrayBuffer] });
    await expect(pending).rejects.toThrow(/params, optimizerState or randomState was detached or resized/);
  });

  it('trainEpochAsync drops its whole result, params included, when the optimizer state was detached while it ran', async () => {
    const args = epoch({ 8: momentum, 9: f64(13), 6: Float64Array.from({ length: 13 }, (_, i) => i / 13) });
    const params = args[6] as Float64Array;
    const before = Array.from(params);
    const state = args[9] as Float64Array;
    const pending = addon.trainEpochAsync(...args) as Promise<number>;
    structuredClone(state.buffer, { transfer: [state.buffer as ArrayBuffer] });
    await expect(pending).rejects.toThrow(/params, optimizerState or randomState was detached or resized/);
    expect(Array.from(params)).toEqual(before);
  });

  it.each<[string, unknown[], RegExp]>([
    ['no list', [], /expected 2 arguments/],
    ['not a list', [3, 1], /epochs: expected a non-empty array/],
    ["one epoch's arguments, not a list of them", [epoch({}), 1], /epochs: expected every element to be an array/],
    ['an empty list', [[], 1], /epochs: expected a non-empty array/],
    ['an element that is not a list', [[epoch({}), 3], 1], /epochs: expected every element to be an array/],
    ['a bad argument in the second epoch', [[epoch({}), epoch({ 18: 0 })], 1], /batchSize: expected an integer/],
    ['borrowed rows (only a TrainingData may cross threads)', [[epoch({ 11: null, 12: f64(8), 13: f64(4) })], 1], /data: expected a TrainingData/],
    ['no thread count', [[epoch({})]], /expected 2 arguments/],
    ['0 threads', [[epoch({})], 0], /threads: expected an integer/],
  ])('trainEpochsAsync refuses %s before any epoch runs', (_name, args, message) => {
    const params = Float64Array.from({ length: 13 }, (_, i) => i / 13);
    const list = args[0] as unknown[][] | undefined;
    if (Array.isArray(list) && Array.isArray(list[0])) list[0][6] = params;
    const before = Array.from(params);
    expect(() => addon.trainEpochsAsync(...args)).toThrow(message);
    expect(Array.from(params)).toEqual(before);
  });

  it("trainEpochsAsync settles each epoch alone: one whose params were detached is an Error, the others results equal to trainEpoch's", async () => {
    const start = () => Float64Array.from({ length: 13 }, (_, i) => (i + 1) / 13);
    const expected = addon.trainEpoch(...epoch({ 6: start() }));
    const lists = [epoch({ 6: start() }), epoch({ 6: start() }), epoch({ 6: start() })];
    const pending = addon.trainEpochsAsync(lists, 2) as Promise<unknown[]>;
    const detached = lists[1][6] as Float64Array;
    structuredClone(detached.buffer, { transfer: [detached.buffer as ArrayBuffer] });
    const results = await pending;
    expect(results[0]).toEqual(expected);
    expect(results[1]).toBeInstanceOf(Error);
    expect((results[1] as Error).message).toMatch(/params, optimizerState or randomState was detached or resized/);
    expect(results[2]).toEqual(expected);
  });

  it('trainEpoch reads its own copy of order: an order sharing memory with params cannot change under the kernels', () => {
    // Zero params are the valid row indices 0, 0, 0, 0; the first step rewrites them into arbitrary int32s.
    const params = f64(13);
    const order = new Int32Array(params.buffer, 0, 4);
    expect(addon.trainEpoch(...epoch({ 6: params, 17: order, 19: 1 }))).toEqual(expect.objectContaining({ minibatches: 2 }));
    expect(Array.from(params).some((p) => p !== 0)).toBe(true);
  });

  it('the dropout generator advances by one draw per hidden unit and row, synchronously and asynchronously', async () => {
    const rates = Float64Array.of(0.5, 0);
    const sync = u32(1, 2, 3, 4);
    addon.trainEpoch(...epoch({ 21: rates, 22: sync }));
    const async = u32(1, 2, 3, 4);
    await addon.trainEpochAsync(...epoch({ 21: rates, 22: async }));
    expect(Array.from(async)).toEqual(Array.from(sync));
    // 4 rows × 3 hidden units = 12 draws of xoshiro128** from (1, 2, 3, 4), computed independently here.
    const s = [1, 2, 3, 4];
    for (let i = 0; i < 12; i++) {
      const t = (s[1] << 9) >>> 0;
      s[2] ^= s[0];
      s[3] ^= s[1];
      s[1] ^= s[2];
      s[0] ^= s[3];
      s[2] ^= t;
      s[3] = ((s[3] << 11) | (s[3] >>> 21)) >>> 0;
    }
    expect(Array.from(sync)).toEqual(s.map((x) => x >>> 0));
  });

  it('a valid trainEpochAsync call still resolves after all that', async () => {
    await expect(addon.trainEpochAsync(...epoch({}))).resolves.toEqual(expect.objectContaining({ minibatches: 2, rows: 4 }));
  });
});
