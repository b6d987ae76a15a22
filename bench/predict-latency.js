'use strict';
// predict as a server calls it, a few rows at a time: deltaprop's latency
// (median and 99th percentile) for 784-128-10 and 784-512-512-10 sigmoid
// networks, on 1 and 2 threads, for calls of 1, 2, 4 and 8 rows, with the
// bytes of parameters streamed per second (parameter bytes / latency), and
// PyTorch float64 (torch.no_grad, Debian's OpenBLAS told the widest core type,
// 1 and 2 threads, the better kept) beside it.
//
// The machine may be shared: every configuration is measured once per round,
// rounds alternate them (PyTorch's processes included), so that a slow spell
// falls on all of them, and each figure is the median over the rounds of
// that round's median or p99.
//
//   node bench/predict-latency.js [--rounds N] [--calls N] [--no-torch] [--package DIR] [--json]
//
// --package DIR loads DIR/dist/index.js (another build of deltaprop, for a
// before/after comparison in one run); the default is this checkout's dist.
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { dataset } = require('./lib/data');
const { median } = require('./lib/measure');
const python = require('./peers/python');

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const json = args.includes('--json');
const rounds = Number(option('--rounds', 5));
const calls = Number(option('--calls', 1000));
const packageDir = path.resolve(option('--package', path.join(__dirname, '..')));
const dp = require(path.join(packageDir, 'dist', 'index.js'));

const NETWORKS = [
  [784, 128, 10],
  [784, 512, 512, 10],
];
const THREADS = [1, 2];
const ROWS = [1, 2, 4, 8];

const parameterBytes = (sizes) => 8 * sizes.slice(1).reduce((sum, units, l) => sum + (sizes[l] + 1) * units, 0);

function network(sizes) {
  return new dp.Network({ inputs: sizes[0], layers: sizes.slice(1).map((units) => ({ units, activation: 'sigmoid' })), seed: 1, backend: 'native' });
}

/** Sorted seconds of `count` predict calls on `rows` rows, after a tenth as many untimed. */
function latencies(net, x, count) {
  for (let i = 0; i < count / 10; i++) net.predict(x);
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    net.predict(x);
    times[i] = Number(process.hrtime.bigint() - start) / 1e9;
  }
  return times.sort();
}

const summary = (sorted) => ({ median: sorted[sorted.length >> 1], p99: sorted[Math.floor(sorted.length * 0.99)] });

/** One round of deltaprop: {key: {median, p99}} for every network × threads × rows. */
function deltapropRound(nets, inputs) {
  const out = {};
  for (const threads of THREADS) {
    dp.setThreads(threads);
    for (const [i, sizes] of NETWORKS.entries()) {
      for (const rows of ROWS) out[key(sizes, threads, rows)] = summary(latencies(nets[i], inputs[i][rows], calls));
    }
  }
  return out;
}

const key = (sizes, threads, rows) => `${sizes.join('-')}|${threads}|${rows}`;

/** One round of PyTorch: {key: {median, p99}}, or {} when it cannot run here. */
function torchRound(torchPython) {
  if (torchPython === null) return {};
  const out = {};
  const core = python.widestCoreType();
  for (const threads of THREADS) {
    for (const sizes of NETWORKS) {
      const n = String(threads);
      const env = { ...process.env, OPENBLAS_NUM_THREADS: n, OMP_NUM_THREADS: n, ...(core ? { OPENBLAS_CORETYPE: core } : {}) };
      const script = path.join(__dirname, 'python', 'torch_predict.py');
      const result = spawnSync(torchPython, [script, sizes.join('-'), n, ROWS.join(',')], { encoding: 'utf8', env });
      if (result.status !== 0) throw new Error(`torch_predict.py failed: ${result.stderr.trim().split('\n').pop()}`);
      const figures = JSON.parse(result.stdout.trim().split('\n').pop()).rows;
      for (const rows of ROWS) out[key(sizes, threads, rows)] = { median: figures[rows].median_seconds, p99: figures[rows].p99_seconds };
    }
  }
  return out;
}

/** Per key, the median over rounds of each round's median and p99. */
function combine(roundResults) {
  const out = {};
  for (const k of Object.keys(roundResults[0] ?? {})) {
    out[k] = { median: median(roundResults.map((r) => r[k].median)), p99: median(roundResults.map((r) => r[k].p99)) };
  }
  return out;
}

function main() {
  const torchPython = args.includes('--no-torch') ? null : python.findPython('torch');
  const nets = NETWORKS.map(network);
  const inputs = NETWORKS.map((sizes) => Object.fromEntries(ROWS.map((rows) => [rows, dp.matrix(rows, sizes[0], dataset(rows, sizes[0], 1).X)])));
  const mine = [];
  const torch = [];
  for (let round = 0; round < rounds; round++) {
    process.stderr.write(`round ${round + 1} of ${rounds}\n`);
    mine.push(deltapropRound(nets, inputs));
    if (torchPython !== null) torch.push(torchRound(torchPython));
  }
  const d = combine(mine);
  const t = torchPython === null ? null : combine(torch);
  const rows = [];
  for (const sizes of NETWORKS) {
    const bytes = parameterBytes(sizes);
    for (const rowCount of ROWS) {
      for (const threads of THREADS) {
        const k = key(sizes, threads, rowCount);
        // PyTorch's better thread count for this shape, by median.
        const best = t === null ? null : THREADS.map((n) => ({ threads: n, ...t[key(sizes, n, rowCount)] })).reduce((a, b) => (b.median < a.median ? b : a));
        rows.push({
          network: sizes.join('-'),
          rows: rowCount,
          threads,
          medianMicros: d[k].median * 1e6,
          p99Micros: d[k].p99 * 1e6,
          gigabytesPerSecond: bytes / d[k].median / 1e9,
          torch: t === null ? null : { medianMicros: t[k].median * 1e6, p99Micros: t[k].p99 * 1e6, gigabytesPerSecond: bytes / t[k].median / 1e9 },
          torchBest: best === null ? null : { threads: best.threads, medianMicros: best.median * 1e6, p99Micros: best.p99 * 1e6 },
        });
      }
    }
  }
  if (json) {
    console.log(JSON.stringify({ package: packageDir, isa: dp.backend.isa, rounds, calls, rows }, null, 2));
    return;
  }
  console.log(`deltaprop ${packageDir} (${dp.backend.isa}); ${rounds} rounds of ${calls} calls; medians over rounds of each round's median and p99`);
  console.log('network         rows thr | deltaprop med µs  p99 µs   GB/s | torch med µs  p99 µs   GB/s | vs torch best (thr): med  p99');
  const f = (x, w, digits = 1) => (x === undefined || x === null ? '-' : x.toFixed(digits)).padStart(w);
  for (const r of rows) {
    const ratio = r.torchBest ? `${f(r.medianMicros / r.torchBest.medianMicros, 5, 2)} ${f(r.p99Micros / r.torchBest.p99Micros, 5, 2)} (${r.torchBest.threads})` : '';
    console.log(
      `${r.network.padEnd(15)} ${String(r.rows).padStart(4)} ${String(r.threads).padStart(3)} | ${f(r.medianMicros, 16)} ${f(r.p99Micros, 7)} ${f(r.gigabytesPerSecond, 6)} | ${f(r.torch?.medianMicros, 12)} ${f(r.torch?.p99Micros, 7)} ${f(r.torch?.gigabytesPerSecond, 6)} | ${ratio}`,
    );
  }
}

main();
