'use strict';
// The tiny-network case on its own (issue 14): 2-3-1, sigmoid, mse, SGD,
// batch 4, rows in order, on each engine, and brain.js beside them (one
// train() call of all the iterations, as its users run it) on the same
// 16,384 rows. Each round times a 20-epoch fitSync per engine (after a
// 1-epoch warm-up) and a 20-iteration brain.js train(); the rounds alternate
// them, so that a passing slowdown of the shared machine falls on all of
// them, and the figures are medians of the rounds. At this size a step is
// about a hundred floating-point operations, so what it measures is
// everything around them.
//
//   node bench/tiny.js [--rounds N] [--json]
const dp = require('deltaprop');
const brain = require('./peers/brain');
const { dataset } = require('./lib/data');
const { median } = require('./lib/measure');

const args = process.argv.slice(2);
const json = args.includes('--json');
const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 7;
const rows = 1 << 14;
const epochs = 20;
const batchSize = 4;

const d = dataset(rows, 2, 1);
const X = dp.matrix(rows, 2, d.X);
const T = dp.matrix(rows, 1, d.T);
const options = { batchSize, shuffle: false, learningRate: 0.1 };

/** A function timing one round on `backend`: seconds per epoch. */
function deltapropRound(backend) {
  const net = new dp.Network({
    inputs: 2,
    layers: [
      { units: 3, activation: 'sigmoid' },
      { units: 1, activation: 'sigmoid' },
    ],
    seed: 1,
    backend,
  });
  net.fitSync(X, T, { ...options, epochs: 1 });
  return async () => {
    const start = process.hrtime.bigint();
    net.fitSync(X, T, { ...options, epochs });
    return Number(process.hrtime.bigint() - start) / 1e9 / epochs;
  };
}

async function main() {
  const contenders = (dp.backend.nativeError === null ? ['native', 'js'] : ['js']).map((engine) => ({ name: engine, round: deltapropRound(engine) }));
  if (brain.available()) {
    const run = await brain.trainer([2, 3, 1])(rows);
    contenders.push({ name: 'brain.js', round: async () => median(await run(epochs)), note: brain.configuration() });
  }
  const rates = contenders.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, c] of contenders.entries()) rates[i].push(rows / (await c.round()));
  }
  const results = contenders.map((c, i) => ({ engine: c.name, samplesPerSecond: median(rates[i]), rounds: rates[i], ...(c.note ? { configuration: c.note } : {}) }));
  const brainRate = results.find((r) => r.engine === 'brain.js')?.samplesPerSecond;
  if (json) {
    console.log(JSON.stringify({ workload: `2-3-1 b${batchSize}`, rows, epochs, results }, null, 2));
    return;
  }
  console.log(`2-3-1, batch ${batchSize}, ${rows} rows in order; medians of ${rounds} rounds`);
  for (const r of results) {
    const perBatch = r.engine === 'brain.js' ? '' : `, ${((batchSize / r.samplesPerSecond) * 1e6).toFixed(2)} µs per minibatch of ${batchSize}`;
    const versus = brainRate === undefined || r.engine === 'brain.js' ? '' : `, ${(r.samplesPerSecond / brainRate).toFixed(2)}× brain.js`;
    const rounds = r.rounds.map((x) => (x / 1e6).toFixed(2)).join(' ');
    console.log(`${r.engine.padEnd(8)} ${(r.samplesPerSecond / 1e6).toFixed(2)}M samples/s${perBatch}${versus} (rounds: ${rounds})${r.configuration ? `; ${r.configuration}` : ''}`);
  }
}

main();
