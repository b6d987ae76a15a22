'use strict';
// A small end-to-end run: XOR by classification, then a 1-D regression.
// Run with `npm run example` (after `npm install`, which builds everything).
const { Network, backend } = require('deltaprop');

async function main() {
  console.log(`deltaprop backend: ${backend.name}${backend.nativeError ? ` (native unavailable: ${backend.nativeError})` : ''}`);

  // XOR: 2-4-1, tanh hidden layer, sigmoid output, binary cross-entropy.
  const xor = new Network({
    inputs: 2,
    layers: [
      { units: 4, activation: 'tanh' },
      { units: 1, activation: 'sigmoid' },
    ],
    loss: 'binary-cross-entropy',
    seed: 7,
  });
  const X = [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ];
  const T = [[0], [1], [1], [0]];
  const history = await xor.fit(X, T, { epochs: 2000, batchSize: 4, learningRate: 0.5, momentum: 0.9 });
  const out = xor.predict(X).data;
  console.log(`XOR: loss ${history.loss[0].toFixed(4)} -> ${history.loss.at(-1).toExponential(2)}`);
  X.forEach((x, i) => console.log(`  ${x.join(' xor ')} = ${out[i].toFixed(4)} (target ${T[i][0]})`));
  console.log(`  accuracy ${xor.evaluate(X, T).accuracy}`);

  // Regression: y = sin(x) on [-3, 3], 1-16-1 tanh, mse.
  const xs = Array.from({ length: 64 }, (_, i) => -3 + (6 * i) / 63);
  const sine = new Network({
    inputs: 1,
    layers: [
      { units: 16, activation: 'tanh' },
      { units: 1, activation: 'identity' },
    ],
    seed: 1,
  });
  const fit = await sine.fit(
    xs.map((x) => [x]),
    xs.map((x) => [Math.sin(x)]),
    {
      epochs: 3000,
      batchSize: 16,
      learningRate: 0.05,
      momentum: 0.9,
    },
  );
  console.log(`sin(x): mse ${fit.loss[0].toFixed(4)} -> ${fit.loss.at(-1).toExponential(2)}`);
  for (const x of [-2, -1, 0, 1, 2]) {
    console.log(`  sin(${x}) ≈ ${sine.predict([[x]]).data[0].toFixed(3)} (true ${Math.sin(x).toFixed(3)})`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
