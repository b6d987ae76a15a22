'use strict';
// npm run bench [-- --json] [-- --quick]
// deltaprop's native engine against its js engine, measured side by side in
// one run: dgemm in GFLOP/s and training throughput in samples/s.
const { Network, gemm, backend } = require('deltaprop');
const { measure } = require('./lib/measure');
const { printTable } = require('./lib/table');

const args = new Set(process.argv.slice(2));
const json = args.has('--json');
const quick = args.has('--quick');

function uniform(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}

function gemmRow(n) {
  const next = uniform(n);
  const A = Float64Array.from({ length: n * n }, next);
  const B = Float64Array.from({ length: n * n }, next);
  const C = new Float64Array(n * n);
  const row = { workload: `dgemm ${n}×${n}×${n}` };
  for (const engine of ['native', 'js']) {
    if (engine === 'js' && n > 512) continue; // minutes per call; the ratio is clear by then
    const seconds = measure(() => gemm(false, false, n, n, n, 1, A, n, B, n, 0, C, n, { backend: engine }), { minRuns: 3 });
    row[engine] = (2 * n * n * n) / seconds / 1e9;
  }
  row.unit = 'GFLOP/s';
  return row;
}

function trainRow(sizes, batchSize, rows) {
  const next = uniform(sizes.length * 1000 + batchSize);
  const X = { rows, cols: sizes[0], data: Float64Array.from({ length: rows * sizes[0] }, next) };
  const T = { rows, cols: sizes.at(-1), data: Float64Array.from({ length: rows * sizes.at(-1) }, () => next() + 0.5) };
  const layers = sizes.slice(1).map((units) => ({ units, activation: 'sigmoid' }));
  const row = { workload: `train ${sizes.join('-')} b${batchSize}` };
  for (const engine of ['native', 'js']) {
    const net = new Network({ inputs: sizes[0], layers, seed: 1, backend: engine });
    const seconds = measure(() => net.fitSync(X, T, { epochs: 1, batchSize, learningRate: 0.01 }), { minRuns: 3 });
    row[engine] = rows / seconds;
  }
  row.unit = 'samples/s';
  return row;
}

const rows = [
  ...(quick ? [128, 256] : [128, 256, 512, 1024]).map(gemmRow),
  trainRow([2, 3, 1], 4, 1 << 14),
  trainRow([784, 128, 10], 32, quick ? 512 : 2048),
  trainRow([784, 128, 10], 128, quick ? 512 : 2048),
];
for (const row of rows) row['native/js'] = row.js ? row.native / row.js : undefined;

if (json) {
  console.log(JSON.stringify({ backend: backend.name, node: process.version, results: rows }, null, 2));
} else {
  printTable(`deltaprop engines (default backend: ${backend.name}; float64; medians)`, ['workload', 'native', 'js', 'native/js', 'unit'], rows);
}
