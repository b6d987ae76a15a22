'use strict';
// node bench/many.js [--json]
//
// Many small networks (one per customer, the folds of a cross-validation, an
// ensemble): 64 networks of 8-16-1, each on its own 1,000 rows, 50 epochs at
// batch 32, trained by 64 `await net.fit()` in turn and by one
// Network.fitMany, on 1 thread and on every core. Medians of interleaved
// rounds; the same networks end with the same parameters either way (checked).
const os = require('node:os');
const deltaprop = require('../dist/index.js');
const { median } = require('./lib/measure');

const NETWORKS = 64;
const ROWS = 1000;
const OPTIONS = { epochs: 50, batchSize: 32, learningRate: 0.1 };
const cores = Math.min(os.availableParallelism(), 256);

function dataset(seed) {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const X = deltaprop.matrix(ROWS, 8, Float64Array.from({ length: ROWS * 8 }, next));
  const T = deltaprop.matrix(
    ROWS,
    1,
    Float64Array.from({ length: ROWS }, (_, r) => (X.data[r * 8] + X.data[r * 8 + 1] > 0 ? 0.9 : 0.1)),
  );
  return { X, T };
}

const network = (i) =>
  new deltaprop.Network({
    inputs: 8,
    layers: [
      { units: 16, activation: 'tanh' },
      { units: 1, activation: 'sigmoid' },
    ],
    seed: i + 1,
  });

async function sequential(sets) {
  const nets = sets.map((_, i) => network(i));
  const start = process.hrtime.bigint();
  for (let i = 0; i < nets.length; i++) await nets[i].fit(sets[i].X, sets[i].T, OPTIONS);
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, nets };
}

async function together(sets) {
  const nets = sets.map((_, i) => network(i));
  const start = process.hrtime.bigint();
  const outcomes = await deltaprop.Network.fitMany(nets.map((net, i) => ({ network: net, inputs: sets[i].X, targets: sets[i].T, options: OPTIONS })));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const failed = outcomes.find((o) => o.status === 'rejected');
  if (failed) throw failed.reason;
  return { seconds, nets };
}

const same = (a, b) => a.every((net, i) => Buffer.compare(Buffer.from(net.params.buffer), Buffer.from(b[i].params.buffer)) === 0);

/** Network-epochs per second of each way, on 1 thread and on every core; ratios. */
async function manySmallNetworks({ rounds = 3 } = {}) {
  const sets = Array.from({ length: NETWORKS }, (_, i) => dataset(i + 1));
  const runs = { 'sequential 1t': [], [`sequential ${cores}t`]: [], 'fitMany 1t': [], [`fitMany ${cores}t`]: [] };
  let agree = true;
  await together(sets.slice(0, 4)); // warm-up: the addon's threads, the code's first runs
  for (let round = 0; round < rounds; round++) {
    for (const threads of [1, cores]) {
      deltaprop.setThreads(threads);
      const a = await sequential(sets);
      const b = await together(sets);
      agree &&= same(a.nets, b.nets);
      runs[`sequential ${threads}t`].push(a.seconds);
      runs[`fitMany ${threads}t`].push(b.seconds);
    }
  }
  deltaprop.setThreads(cores);
  const networkEpochs = NETWORKS * OPTIONS.epochs;
  const rate = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, networkEpochs / median(v)]));
  return {
    workload: `${NETWORKS} networks of 8-16-1, ${ROWS} rows each, ${OPTIONS.epochs} epochs, batch ${OPTIONS.batchSize}`,
    engine: deltaprop.backend.name,
    networkEpochsPerSecond: rate,
    fitManyOverSequential: rate[`fitMany ${cores}t`] / rate[`sequential ${cores}t`],
    fitManyThreadScaling: rate[`fitMany ${cores}t`] / rate['fitMany 1t'],
    sameParameters: agree,
  };
}

module.exports = { manySmallNetworks };

if (require.main === module) {
  manySmallNetworks().then(
    (r) => {
      if (process.argv.includes('--json')) return console.log(JSON.stringify(r, null, 2));
      console.log(`${r.workload}, ${r.engine} engine, ${cores} cores: network-epochs per second (medians of 3 interleaved rounds)`);
      for (const [k, v] of Object.entries(r.networkEpochsPerSecond)) console.log(`  ${k.padEnd(16)} ${v.toFixed(0)}`);
      console.log(
        `  fitMany ÷ sequential fits (${cores} threads): ${r.fitManyOverSequential.toFixed(2)}×; fitMany ${cores} threads ÷ 1: ${r.fitManyThreadScaling.toFixed(2)}×; same parameters: ${r.sameParameters}`,
      );
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
