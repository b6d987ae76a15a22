'use strict';
// The scaling model of data-parallel training (docs/distributed.md,
// "Measured here, and a scaling model"): a step on p machines costs the
// compute of one machine's minibatch, measured here, plus the part of the
// gradient's ring allreduce that backprop does not hide:
//
//   allreduce(p) = 2(p − 1)/p · bytes / bandwidth + 2(p − 1) · latency
//
// Weak scaling: each machine trains batchSize rows per step (the global
// batch grows with p), so the ideal is p times one machine's samples/s and
// the efficiency is compute / (compute + exposed allreduce). Strong scaling:
// the global batch stays at GLOBAL rows, each machine computes GLOBAL/p of
// them (compute taken as linear in rows, which flatters small shares), and
// the speedup over one machine stops growing where the allreduce, which does
// not shrink with p, outweighs the compute that does. Bucketed reduction overlaps the
// sums of the upper layers with the backprop of the lower ones, at best the
// backward pass (about 2/3 of a step's compute); `--overlap F` sets the
// fraction of that window assumed hidden (default 0: no overlap, the
// worst case).
//
//   node bench/scaling-model.js [--overlap 0.5] [--latency-us 10] [--json]
const deltaprop = require('deltaprop');
const { dataset } = require('./lib/data');
const { median } = require('./lib/measure');
const { epochSeconds, sigmoidNetwork } = require('./peers/deltaprop');

const argument = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const overlap = argument('--overlap', 0);
const latency = argument('--latency-us', 10) * 1e-6;
const BATCH = 128;
const GLOBAL = 1024;
const MACHINES = [2, 4, 8, 16, 32, 64];
const NETWORKS = [
  [784, 512, 512, 10],
  [784, 2048, 2048, 10],
];
const NETWORK_GBITS = [10, 25, 100];

/** Seconds per step of BATCH rows on this machine, every core, the median of a few epochs. */
async function computePerStep(sizes) {
  const rows = BATCH * 16;
  const d = dataset(rows, sizes[0], sizes[sizes.length - 1]);
  const epochs = await epochSeconds(sigmoidNetwork(sizes), { rows, cols: sizes[0], data: d.X }, { rows, cols: d.outputs, data: d.T }, { epochs: 4, batchSize: BATCH, shuffle: false });
  return median(epochs) / 16;
}

function allreduceSeconds(p, bytes, gbits) {
  return (((2 * (p - 1)) / p) * bytes) / ((gbits * 1e9) / 8) + 2 * (p - 1) * latency;
}

(async () => {
  const json = process.argv.includes('--json');
  const results = [];
  const log = json ? () => {} : (line) => console.log(line);
  log(
    `deltaprop data-parallel scaling model: ${deltaprop.backend.name} engine, ${deltaprop.backend.threads} threads, batch ${BATCH} per machine, latency ${latency * 1e6} µs per message, overlap ${overlap} of the backward pass`,
  );
  for (const sizes of NETWORKS) {
    const parameters = sizes.slice(1).reduce((s, units, i) => s + units * (sizes[i] + 1), 0);
    const bytes = parameters * 8;
    const compute = await computePerStep(sizes);
    const hidden = (overlap * compute * 2) / 3;
    const rows = [];
    results.push({ network: sizes.join('-'), parameters, bytes, computeSeconds: compute, rows });
    log(
      `\n${sizes.join('-')}: ${parameters.toLocaleString('en-US')} parameters, ${(bytes / 1e6).toFixed(1)} MB of gradient per step; compute ${(compute * 1e3).toFixed(2)} ms per step here (${Math.round(BATCH / compute).toLocaleString('en-US')} samples/s)`,
    );
    log(['machines', ...NETWORK_GBITS.map((g) => `${g} Gb/s: allreduce; weak: efficiency, samples/s; strong (${GLOBAL} rows): speedup`)].join(' | '));
    for (const p of MACHINES) {
      const cells = NETWORK_GBITS.map((g) => {
        const reduce = allreduceSeconds(p, bytes, g);
        const step = compute + Math.max(0, reduce - hidden);
        const share = (compute * GLOBAL) / BATCH / p;
        const strong = (compute * GLOBAL) / BATCH / (share + Math.max(0, reduce - (overlap * share * 2) / 3));
        rows.push({ machines: p, gbits: g, allreduceSeconds: reduce, weakEfficiency: compute / step, weakSamplesPerSecond: (p * BATCH) / step, strongSpeedup: strong });
        return `${(reduce * 1e3).toFixed(2)} ms; ${((100 * compute) / step).toFixed(0)}%, ${Math.round((p * BATCH) / step).toLocaleString('en-US')}; ${strong.toFixed(1)}×`;
      });
      log([String(p), ...cells].join(' | '));
    }
  }
  if (json) console.log(JSON.stringify({ batch: BATCH, globalBatch: GLOBAL, latencySeconds: latency, overlap, networks: results }));
})();
