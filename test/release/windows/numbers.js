'use strict';
// Run by Linux node and by node.exe under wine alike, in a project that
// installed the packed deltaprop: says which binary loaded, then computes
// numbers every kernel takes part in, from fixed seeds: gradients (with their
// central-difference check) and short training runs over the optimizers,
// activations and losses, sync and async. test/release/windows.test.ts
// compares the two platforms' numbers.
//
//   node numbers.js <project> <output.json>
//
// The result goes to a file: node.exe under wine cannot write to a Unix pipe.
const fs = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');

const [project, output] = process.argv.slice(2);
const fromProject = createRequire(path.join(project, 'package.json'));
const dp = fromProject('deltaprop');
const packageDir = path.dirname(fromProject.resolve('deltaprop/package.json'));
// The binary deltaprop loads: node-gyp-build as deltaprop requires it.
const binary = createRequire(path.join(packageDir, 'package.json'))('node-gyp-build').path(packageDir);

/** Seeded uniform numbers in [0, 1) (mulberry32): the same data on every platform. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function matrix(next, rows, cols) {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => next() * 4 - 2));
}

function oneHot(next, rows, classes) {
  return Array.from({ length: rows }, () => {
    const row = new Array(classes).fill(0);
    row[Math.floor(next() * classes)] = 1;
    return row;
  });
}

/** Analytic gradients, and their worst relative difference from central differences of evaluate()'s loss. */
function gradientCheck(options, X, T) {
  const net = new dp.Network(options);
  const { loss, grads } = net.gradients(X, T);
  const h = 1e-5;
  let worst = 0;
  for (let i = 0; i < net.params.length; i++) {
    const original = net.params[i];
    net.params[i] = original + h;
    const above = net.evaluate(X, T).loss;
    net.params[i] = original - h;
    const below = net.evaluate(X, T).loss;
    net.params[i] = original;
    const fd = (above - below) / (2 * h);
    worst = Math.max(worst, Math.abs(fd - grads[i]) / Math.max(Math.abs(fd), Math.abs(grads[i]), 1e-8));
  }
  return { loss, grads: Array.from(grads), worstRelativeError: worst };
}

const next = random(20260);
const X = matrix(next, 48, 7);
const classes = oneHot(next, 48, 3);
const regression = matrix(next, 48, 2);
const binaryTargets = classes.map((row) => [row[0]]);

const RUNS = [
  {
    name: 'sgd nesterov, tanh/sigmoid, binary-cross-entropy',
    network: {
      inputs: 7,
      layers: [
        { units: 13, activation: 'tanh' },
        { units: 1, activation: 'sigmoid' },
      ],
      loss: 'binary-cross-entropy',
      seed: 11,
    },
    targets: binaryTargets,
    fit: { epochs: 4, batchSize: 8, learningRate: 0.1, optimizer: { type: 'sgd', momentum: 0.9, nesterov: true } },
  },
  {
    name: 'adam, relu with dropout/softmax, cross-entropy, l2, async',
    network: {
      inputs: 7,
      layers: [
        { units: 33, activation: 'relu', dropout: 0.2 },
        { units: 3, activation: 'softmax' },
      ],
      loss: 'cross-entropy',
      l2: 1e-3,
      seed: 12,
    },
    targets: classes,
    fit: { epochs: 4, batchSize: 16, learningRate: 0.01, optimizer: 'adam' },
    async: true,
  },
  {
    name: 'adamw, sigmoid/identity, mse, clipNorm',
    network: {
      inputs: 7,
      layers: [
        { units: 17, activation: 'sigmoid' },
        { units: 2, activation: 'identity' },
      ],
      loss: 'mse',
      seed: 13,
    },
    targets: regression,
    fit: { epochs: 4, batchSize: 5, learningRate: 0.02, optimizer: { type: 'adamw', weightDecay: 0.05 }, clipNorm: 1 },
  },
  {
    name: 'rmsprop, tanh/relu/identity, mse summed, input scaling',
    network: {
      inputs: 7,
      layers: [
        { units: 24, activation: 'tanh' },
        { units: 9, activation: 'relu' },
        { units: 2, activation: 'identity' },
      ],
      loss: 'mse',
      reduction: 'sum',
      inputScaling: 'standard',
      seed: 14,
    },
    targets: regression,
    fit: { epochs: 4, batchSize: 12, learningRate: 0.001, optimizer: 'rmsprop' },
  },
];

async function main() {
  const gradients = [
    gradientCheck(
      {
        inputs: 7,
        layers: [
          { units: 9, activation: 'tanh' },
          { units: 3, activation: 'softmax' },
        ],
        loss: 'cross-entropy',
        l2: 0.01,
        seed: 21,
      },
      X.slice(0, 10),
      classes.slice(0, 10),
    ),
    gradientCheck(
      {
        inputs: 7,
        layers: [
          { units: 11, activation: 'sigmoid' },
          { units: 2, activation: 'identity' },
        ],
        loss: 'mse',
        reduction: 'sum',
        seed: 22,
      },
      X.slice(0, 10),
      regression.slice(0, 10),
    ),
  ];
  const runs = [];
  for (const run of RUNS) {
    const net = new dp.Network(run.network);
    const history = run.async ? await net.fit(X, run.targets, run.fit) : net.fitSync(X, run.targets, run.fit);
    runs.push({ name: run.name, loss: history.loss, params: Array.from(net.params), predictions: Array.from(net.predict(X.slice(0, 4)).data) });
  }
  const { name, nativeError, isa, supportedIsas, threads } = dp.backend;
  const result = { platform: process.platform, node: process.version, backend: { name, nativeError, isa, supportedIsas, threads }, binary, gradients, runs };
  fs.writeFileSync(output, JSON.stringify(result));
}

main().catch((error) => {
  fs.writeFileSync(output, JSON.stringify({ error: error instanceof Error ? error.stack : String(error) }));
  process.exitCode = 1;
});
