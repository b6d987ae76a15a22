#!/usr/bin/env node
// Writes the fuzzer's seed corpus (fuzz/corpus/): one valid call of each kind,
// in the byte format that fuzz/addon_fuzzer.cc decodes (its header describes
// it), so that mutations start from calls that reach the kernels. The corpus
// is committed; run this again after changing the format or a call's arguments.
//
//   node fuzz/make-seeds.js
'use strict';
const fs = require('node:fs');
const path = require('node:path');

// The fuzzer's Call and Tag enums, in order.
const Call = ['gemm', 'overlaps', 'forwardLayer', 'backpropDelta', 'outputDelta', 'optimizerStep', 'vectorExp', 'forward', 'gradients', 'trainEpoch', 'trainEpochOnDataset', 'datasetRows'];
const Tag = { undefined: 0, null: 1, boolean: 2, small: 3, number: 4, special: 5, newArray: 6, view: 7, list: 8, object: 9 };
const Element = { f64: 0, i32: 1, u32: 2 };
const Fill = { raw: 1 };
// Codes as src/backend/types.ts has them.
const Act = { identity: 0, sigmoid: 1, tanh: 2, relu: 3, softmax: 4 };
const Loss = { mse: 0, bce: 1, ce: 2 };
const Opt = { sgd: 0, adam: 1, adamw: 2, rmsprop: 3 };

const bytesOf = (Type, values) => Buffer.from(new Type(values).buffer);
const length = (n) => (n < 255 ? [n] : [0xff, n & 0xff, n >> 8]);

const NULL = [Tag.null];
const bool = (b) => [Tag.boolean, b ? 1 : 0];
function number(x) {
  if (Number.isInteger(x) && x >= -128 && x <= 127) return [Tag.small, x & 0xff];
  return [Tag.number, ...bytesOf(Float64Array, [x])];
}
const array = (element, Type, values) => [Tag.newArray, element, Fill.raw, ...length(values.length), 0, ...bytesOf(Type, values)];
const f64 = (values) => array(Element.f64, Float64Array, values);
const i32 = (values) => array(Element.i32, Int32Array, values);
const u32 = (values) => array(Element.u32, Uint32Array, values);
const view = (buffer, element, offset, count) => [Tag.view, buffer, element, offset, count];
const list = (...arrays) => [Tag.list, arrays.length, ...arrays.flat(Infinity)];

// Deterministic values in (−1, 1), so the seeds never change between runs.
function values(n, seed) {
  let s = seed >>> 0 || 1;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

function seed(call, config, ...args) {
  return Buffer.from([Call.indexOf(call), config, ...args.flat(Infinity)]);
}

const layout = (sizes, activations, bias = true) => [i32(sizes), i32(activations.map((a) => Act[a])), bool(bias)];
const parameterCount = (sizes, bias = true) => sizes.slice(1).reduce((n, out, l) => n + sizes[l] * out + (bias ? out : 0), 0);
const optimizer = (type, settings, stateSlots, parameters, steps = 0) => [number(Opt[type]), f64(settings), f64(new Array(stateSlots * parameters).fill(0)), number(steps)];
// momentum, nesterov, beta1, beta2, epsilon, weightDecay, alpha
const settings = {
  sgd: [0, 0, 0.9, 0.999, 1e-8, 0, 0.99],
  momentum: [0.9, 1, 0.9, 0.999, 1e-8, 0, 0.99],
  adam: [0, 0, 0.9, 0.999, 1e-8, 0, 0.99],
  adamw: [0, 0, 0.9, 0.999, 1e-8, 0.01, 0.99],
  rmsprop: [0.5, 0, 0.9, 0.999, 1e-8, 0, 0.99],
};
const slots = { sgd: 0, momentum: 1, adam: 2, adamw: 2, rmsprop: 1 };

// Per-row weights: deterministic values in [0, 2), the rows listed weighing 0.
const weightsOf = (rows, zero = []) => values(rows, 11).map((w, i) => (zero.includes(i) ? 0 : Math.abs(w) * 2));

function epochArgs({ sizes, activations, loss, rows, batch, opt = 'sgd', dropout = null, scaling = false, clip = 0, borrowed = true, weights = null }) {
  const p = parameterCount(sizes);
  const type = opt === 'momentum' ? 'sgd' : opt;
  const inputs = sizes[0];
  const outputs = sizes[sizes.length - 1];
  const targets = values(rows * outputs, 7).map((t) => (loss === Loss.mse ? t : t > 0 ? 1 : 0));
  return [
    layout(sizes, activations),
    number(loss),
    number(0),
    number(0.001),
    f64(values(p, 3).map((x) => x / 2)),
    optimizer(type, settings[opt], slots[opt], p),
    borrowed ? [NULL, f64(values(rows * inputs, 5)), f64(targets), weights === null ? NULL : f64(weights)] : [[Tag.object], NULL, NULL, NULL],
    scaling ? [f64(new Array(inputs).fill(0.5)), f64(new Array(inputs).fill(2))] : [NULL, NULL],
    i32(Array.from({ length: rows }, (_, i) => (i * 7) % rows)),
    number(batch),
    number(0.1),
    number(clip),
    dropout === null ? NULL : f64(dropout),
    u32([1, 2, 3, 4]),
    NULL,
    number(0),
  ];
}

const seeds = {};
for (const [ta, tb] of [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
]) {
  const [m, n, k] = [13, 9, 11];
  seeds[`gemm-${ta ? 't' : 'n'}${tb ? 't' : 'n'}`] = seed(
    'gemm',
    0x10,
    bool(ta),
    bool(tb),
    number(m),
    number(n),
    number(k),
    number(1.5),
    f64(values(m * k, 1)),
    number(ta ? m : k),
    f64(values(k * n, 2)),
    number(tb ? k : n),
    number(0.5),
    f64(values(m * n, 3)),
    number(n),
  );
}
seeds['gemm-large'] = seed(
  'gemm',
  0x10,
  bool(false),
  bool(false),
  number(32),
  number(24),
  number(30),
  number(1),
  f64(values(960, 1)),
  number(30),
  f64(values(720, 2)),
  number(24),
  number(0),
  f64(new Array(768).fill(0)),
  number(24),
);
seeds['overlaps-views'] = seed('overlaps', 0, f64(values(16, 1)), number(8), view(0, Element.f64, 4, 8), number(8));
seeds['forward-layer'] = seed('forwardLayer', 0, number(5), number(3), number(4), f64(values(15, 1)), f64(values(12, 2)), f64(values(4, 3)), number(Act.tanh), f64(new Array(20).fill(0)));
seeds['backprop-delta'] = seed(
  'backpropDelta',
  0,
  number(5),
  number(3),
  number(4),
  f64(values(20, 1)),
  f64(values(12, 2)),
  number(Act.sigmoid),
  f64(values(15, 3).map(Math.abs)),
  f64(new Array(15).fill(0)),
);
// mse unweighted; the cross-entropies weighted, a row weighing 0 among them.
for (const [name, loss, act, weights] of [
  ['mse', Loss.mse, Act.relu, null],
  ['bce', Loss.bce, Act.sigmoid, weightsOf(4)],
  ['ce', Loss.ce, Act.softmax, weightsOf(4, [2])],
]) {
  seeds[`output-delta-${name}`] = seed(
    'outputDelta',
    0,
    number(4),
    number(3),
    number(loss),
    number(1),
    number(act),
    f64(values(12, 1).map(Math.abs)),
    f64(values(12, 2).map(Math.abs)),
    f64(new Array(12).fill(0)),
    weights === null ? NULL : f64(weights),
  );
}
for (const opt of Object.keys(settings)) {
  const sizes = [3, 4, 2];
  const p = parameterCount(sizes);
  seeds[`optimizer-step-${opt}`] = seed(
    'optimizerStep',
    0,
    layout(sizes, ['relu', 'identity']),
    optimizer(opt === 'momentum' ? 'sgd' : opt, settings[opt], slots[opt], p, 3),
    number(0.01),
    f64(values(p, 1)),
    f64(values(p, 2)),
  );
}
seeds['vector-exp'] = seed('vectorExp', 0, f64(values(37, 1).map((x) => x * 700)), f64(new Array(37).fill(0)));
{
  const sizes = [2, 3, 1];
  const p = parameterCount(sizes);
  seeds['forward-2-3-1'] = seed(
    'forward',
    0,
    layout(sizes, ['sigmoid', 'sigmoid']),
    f64(values(p, 1)),
    f64(values(8, 2)),
    number(4),
    list(f64(new Array(12).fill(0)), f64(new Array(4).fill(0))),
    f64([0, 1]),
    f64([1, 2]),
  );
  seeds['gradients-2-3-1'] = seed(
    'gradients',
    0,
    layout(sizes, ['tanh', 'sigmoid']),
    number(Loss.bce),
    number(0),
    number(0.01),
    f64(values(p, 1)),
    f64(values(8, 2)),
    f64([0, 1, 1, 0]),
    number(4),
    f64(new Array(p).fill(0)),
    NULL,
    NULL,
    NULL,
  );
}
{
  const sizes = [4, 5, 3];
  const p = parameterCount(sizes);
  seeds['gradients-softmax'] = seed(
    'gradients',
    0x10,
    layout(sizes, ['relu', 'softmax']),
    number(Loss.ce),
    number(1),
    number(0),
    f64(values(p, 1)),
    f64(values(24, 2)),
    f64([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1]),
    number(6),
    f64(new Array(p).fill(0)),
    f64([0, 0, 0, 0]),
    f64([1, 1, 1, 1]),
    f64(weightsOf(6, [4])),
  );
}
// The weighted ones: momentum-bce's order (i·7 mod 9) puts rows 1, 8, 6 and 4
// in its second minibatch, which then weighs 0 and takes no step.
const epochs = {
  'sgd-xor': { sizes: [2, 3, 1], activations: ['sigmoid', 'sigmoid'], loss: Loss.mse, rows: 4, batch: 2 },
  'momentum-bce': { sizes: [3, 4, 1], activations: ['tanh', 'sigmoid'], loss: Loss.bce, rows: 9, batch: 4, opt: 'momentum', weights: weightsOf(9, [1, 8, 6, 4]) },
  'adam-softmax': { sizes: [4, 6, 3], activations: ['relu', 'softmax'], loss: Loss.ce, rows: 10, batch: 3, opt: 'adam', scaling: true, weights: weightsOf(10) },
  'adamw-dropout': { sizes: [3, 5, 4, 2], activations: ['relu', 'tanh', 'identity'], loss: Loss.mse, rows: 8, batch: 8, opt: 'adamw', dropout: [0.5, 0.25, 0], weights: weightsOf(8, [0]) },
  'rmsprop-clip': { sizes: [2, 4, 1], activations: ['relu', 'identity'], loss: Loss.mse, rows: 6, batch: 1, opt: 'rmsprop', clip: 0.5 },
};
for (const [name, e] of Object.entries(epochs)) {
  seeds[`epoch-${name}`] = seed('trainEpoch', 0x10, epochArgs(e));
  const weighted = e.weights !== undefined;
  const dataset = [number(e.rows), number(e.sizes[0]), number(e.sizes[e.sizes.length - 1]), bool(weighted)];
  const outputs = e.sizes[e.sizes.length - 1];
  const fill = [number(0), f64(values(e.rows * e.sizes[0], 5)), f64(values(e.rows * outputs, 7).map(Math.abs)), number(e.rows), weighted ? f64(e.weights) : NULL];
  seeds[`epoch-dataset-${name}`] = seed('trainEpochOnDataset', 0x10, dataset, fill, epochArgs({ ...e, borrowed: false }));
}
// An unweighted epoch through the data-parallel refusals too (config bit 7), which it passes.
seeds['epoch-data-parallel-checks-sgd-xor'] = seed('trainEpoch', 0x90, epochArgs(epochs['sgd-xor']));
seeds['dataset-copy-rows'] = seed('datasetRows', 0, number(6), number(2), number(1), bool(false), [number(1), f64(values(10, 1)), f64(values(5, 2)), number(5), NULL], number(2), number(0), number(4));
seeds['dataset-copy-rows-weighted'] = seed(
  'datasetRows',
  0,
  number(6),
  number(2),
  number(1),
  bool(true),
  [number(1), f64(values(10, 1)), f64(values(5, 2)), number(5), f64(weightsOf(5, [3]))],
  number(2),
  number(0),
  number(4),
);

const folder = path.join(__dirname, 'corpus');
fs.rmSync(folder, { recursive: true, force: true });
fs.mkdirSync(folder);
for (const [name, bytes] of Object.entries(seeds)) fs.writeFileSync(path.join(folder, name), bytes);
console.log(`make-seeds: ${Object.keys(seeds).length} seeds in ${path.relative(process.cwd(), folder)}`);
