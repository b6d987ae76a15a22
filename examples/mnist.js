'use strict';
// Handwritten digits: a 784-128-10 network learns the 8,000 training digits of
// the `mnist` package and is tested on the digits it holds back. Straightened
// digits and shifted copies take it from 92% to 97% in the same 3 epochs
// (straightening alone: 93%, shifts alone: 96%).
// Run: node examples/mnist.js [--json]   (--json: one JSON object on stdout)
const { backend } = require('deltaprop');
const { EPOCHS, digits, network, fitOptions } = require('./mnist-data');

async function main() {
  const json = process.argv.includes('--json');
  const { training, test, train, held } = digits();
  const net = network();
  const start = process.hrtime.bigint();
  await net.fit(train.inputs, train.labels, fitOptions());
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const { accuracy } = net.evaluate(held.inputs, held.labels);

  const result = {
    accuracy,
    seconds,
    samplesPerSecond: (EPOCHS * train.inputs.rows) / seconds,
    trainRows: training.length,
    trainedRows: train.inputs.rows,
    testRows: test.length,
    epochs: EPOCHS,
    backend: backend.name,
    isa: backend.isa,
  };
  if (json) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log(`deltaprop backend: ${backend.name}${backend.name === 'native' ? ` (${backend.isa})` : ''}`);
  console.log(`trained on ${training.length} digits (${train.inputs.rows} rows with the shifted copies), ${EPOCHS} epochs`);
  console.log(`training: ${seconds.toFixed(2)} s, ${Math.round(result.samplesPerSecond)} samples/s`);
  console.log(`test accuracy: ${(accuracy * 100).toFixed(2)}% of ${test.length} digits`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
