'use strict';
// npm run bench [-- --json] [-- --quick]
//
// deltaprop against the libraries people would otherwise use, measured side
// by side in one run on this machine: dgemm in GFLOP/s (and % of the FMA peak
// measured by a probe of the widest ISA), and training throughput in samples/s.
// --json prints the results as one JSON document (tables go to stderr then);
// --quick runs fewer sizes, for a smoke test.
const os = require('node:os');
const dp = require('./peers/deltaprop');
const brain = require('./peers/brain');
const tfjs = require('./peers/tfjs');
const python = require('./peers/python');
const { manySmallNetworks } = require('./many');
const { measure, median } = require('./lib/measure');
const { reporter } = require('./lib/table');
const { samplesPerSecond } = require('./lib/throughput');
const { nativeEngine } = require('../dist/backend/index.js');

const args = new Set(process.argv.slice(2));
const json = args.has('--json');
const quick = args.has('--quick');
// With --json, stdout carries only the JSON document.
const { log, table } = reporter(json);

const cores = Math.min(os.availableParallelism(), 256);

// ------------------------------------------------------------------ machine

function probePeak(threads) {
  const engine = nativeEngine();
  // About 0.3 s of FMAs per run; the best of five (the probe cannot be faster than the hardware).
  let best = 0;
  for (let i = 0; i < 5; i++) best = Math.max(best, engine.peakProbe(2e8, threads));
  return best;
}

// ------------------------------------------------------------------ dgemm

function gemmShapes() {
  const square = (quick ? [128, 512] : [128, 256, 512, 1024, 2048]).map((n) => [n, n, n]);
  return [...square, [128, 128, 784], [32, 128, 784]];
}

const shapeName = ([m, n, k]) => (m === n && n === k ? `${n}³` : `${m}×${k}·${k}×${n}`);

function dgemmResults(peak, numpyPython) {
  const rows = [];
  for (const shape of gemmShapes()) {
    const [m, n, k] = shape;
    const flops = 2 * m * n * k;
    const row = { workload: `dgemm ${shapeName(shape)}` };
    // One and all threads alternate over three rounds, so that a passing slowdown of the
    // (possibly shared) machine does not fall on one of them only; medians of the rounds.
    const run = dp.gemmRunner('native', m, n, k);
    const rounds = { 1: [], [cores]: [] };
    for (let round = 0; round < 3; round++) {
      for (const threads of [1, cores]) {
        dp.setThreads(threads);
        rounds[threads].push(flops / measure(run, { minRuns: 3, minSeconds: 0.2 }) / 1e9);
      }
    }
    for (const threads of [1, cores]) row[`native ${threads}t`] = median(rounds[threads]);
    dp.setThreads(cores);
    if (m * n * k <= 512 ** 3) row['js'] = flops / measure(dp.gemmRunner('js', m, n, k), { minRuns: 2, minSeconds: 0.3 }) / 1e9;
    if (numpyPython) {
      for (const threads of [1, cores]) {
        const shape = `${m}x${n}x${k}`;
        const r = python.numpyDgemm(numpyPython, [shape], threads);
        row[`openblas ${threads}t`] = r.gflops[shape];
        row[`blas ${threads}t`] = `${r.blas} (numpy ${r.numpy}), ${r.setting[shape]}`;
      }
    }
    row['%peak 1t'] = (100 * row['native 1t']) / peak.one;
    row[`%peak ${cores}t`] = (100 * row[`native ${cores}t`]) / peak.all;
    rows.push(row);
  }
  return rows;
}

// ------------------------------------------------------------------ training

// Adam runs where its per-parameter work weighs most against the gemms, and
// against PyTorch's Adam (the peers without float64 Adam sit it out).
const TRAINING = [
  { sizes: [2, 3, 1], batch: 4 },
  { sizes: [784, 128, 10], batch: 32 },
  { sizes: [784, 128, 10], batch: 128 },
  { sizes: [784, 128, 10], batch: 128, optimizer: 'adam' },
  { sizes: [784, 512, 512, 10], batch: 128 },
  { sizes: [784, 512, 512, 10], batch: 128, optimizer: 'adam' },
];

/** Multiply-adds ×2 per sample of forward + dW + δ of the hidden layers (the input δ is never formed). */
function usefulFlopsPerSample(sizes) {
  let flops = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const product = sizes[l] * sizes[l + 1];
    flops += 2 * product; // forward
    flops += 2 * product; // dW
    if (l > 0) flops += 2 * product; // δ into layer l's inputs, a hidden layer
  }
  return flops;
}

async function trainingResults(torchPython) {
  const results = [];
  for (const { sizes, batch, optimizer = 'sgd' } of TRAINING) {
    const name = `train ${sizes.join('-')} b${batch}${optimizer === 'sgd' ? '' : ` ${optimizer}`}`;
    const big = sizes[1] >= 100;
    const limits = { startRows: batch * 4, maxRows: big ? 1 << 16 : 1 << 20 };
    const add = (engine, precision, value, extra = {}) => {
      // How the figure was obtained, printed beside it.
      const configuration = [extra.threads !== undefined ? `threads: ${extra.threads}` : null, extra.blas, extra.note].filter(Boolean).join('; ');
      results.push({ workload: name, sizes, batch, engine, precision, samplesPerSecond: value, configuration, ...extra });
    };

    log(`  ${name}`);
    add('deltaprop native', 'float64', (await samplesPerSecond(dp.trainer('native', sizes, batch, optimizer), limits)).samplesPerSecond, { threads: cores });
    add('deltaprop js', 'float64', (await samplesPerSecond(dp.trainer('js', sizes, batch, optimizer), { ...limits, maxRows: big ? 1 << 13 : 1 << 18 })).samplesPerSecond);
    if (torchPython) {
      const { best, runs } = python.torchTraining(torchPython, sizes, batch, cores, optimizer);
      add('pytorch', 'float64', best.samplesPerSecond, {
        version: best.version,
        threads: `torch ${best.torchThreads}, BLAS ${best.blasThreads} (best of ${runs.length})`,
        blas: best.blas,
        runs,
      });
    }
    if (optimizer !== 'sgd') continue;
    if (brain.available() && sizes[1] <= 128) {
      // 20 epochs in the one timed train() call: its set-up weighs as little as in a user's long run.
      add('brain.js', 'float32', (await samplesPerSecond(brain.trainer(sizes), { ...limits, epochs: 20, maxRows: big ? 1 << 12 : 1 << 18 })).samplesPerSecond, { note: brain.configuration() });
    }
    for (const backendName of ['cpu', 'wasm']) {
      if (!(await tfjs.available(backendName))) continue;
      add(`tfjs ${backendName}`, 'float32', (await samplesPerSecond(tfjs.trainer(backendName, sizes, batch), { ...limits, maxRows: big ? 1 << 13 : 1 << 14 })).samplesPerSecond);
    }
  }
  return results;
}

// ------------------------------------------------------------------ inference and fit overhead

function inferenceResults(torchPython) {
  const rows = [];
  for (const sizes of [
    [784, 128, 10],
    [784, 512, 512, 10],
  ]) {
    const workload = `predict ${sizes.join('-')}`;
    log(`  ${workload}`);
    dp.setThreads(cores);
    const mine = dp.inference('native', sizes);
    rows.push({ workload, engine: 'deltaprop native', 'median µs': mine.median * 1e6, 'p99 µs': mine.p99 * 1e6, 'rows/s (1,024)': mine.rowsPerSecond, configuration: `threads: ${cores}` });
    if (torchPython) {
      const torch = python.torchInference(torchPython, sizes, cores);
      rows.push({
        workload,
        engine: 'pytorch',
        'median µs': torch.median * 1e6,
        'p99 µs': torch.p99 * 1e6,
        'rows/s (1,024)': torch.rowsPerSecond,
        configuration: `latency: ${torch.latencyConfiguration} | 1,024 rows: ${torch.throughputConfiguration}`,
      });
    }
  }
  return rows;
}

// ------------------------------------------------------------------ targets

// The speed targets ("Speed, part 2" and "part 3"), as ratios in this one run. A
// target whose peer could not run here is listed as not measured, never
// passed or failed on a zero.
function targets(peak, gemm, training, inference, overhead, many, peers) {
  const out = [];
  const check = (name, value, goal, detail) => out.push({ target: name, value, goal, met: value >= goal, detail });
  const checkAtMost = (name, value, goal, detail) => out.push({ target: name, value, goal: `≤ ${goal}`, met: value <= goal, detail });
  const unmeasured = (name, why) => out.push({ target: name, value: null, goal: null, met: 'not measured', detail: why });
  const get = (workload, engine) => training.find((r) => r.workload === workload && r.engine === engine)?.samplesPerSecond;

  for (const row of gemm.filter((r) => /^dgemm (1024|2048)³$/.test(r.workload))) {
    check(`${row.workload}: 1 thread, % of 1-thread peak`, row['%peak 1t'], 85, `${row['native 1t'].toFixed(1)} of ${peak.one.toFixed(1)} GFLOP/s`);
    if (row['openblas 1t'] !== undefined) check(`${row.workload}: 1 thread, ÷ the best OpenBLAS 1 thread`, row['native 1t'] / row['openblas 1t'], 1, row['blas 1t']);
    else unmeasured(`${row.workload}: 1 thread, ÷ OpenBLAS`, peers.numpy);
    if (cores >= 2) check(`${row.workload}: ${cores} threads ÷ 1 thread`, row[`native ${cores}t`] / row['native 1t'], 1.85);
  }
  const big = 'train 784-512-512-10 b128';
  for (const workload of [big, `${big} adam`]) {
    const native = get(workload, 'deltaprop native');
    if (!native) continue;
    const useful = (native * usefulFlopsPerSample([784, 512, 512, 10])) / 1e9;
    check(`${workload}: useful GFLOP/s, % of all-core peak`, (100 * useful) / peak.all, 65, `${useful.toFixed(1)} of ${peak.all.toFixed(1)} GFLOP/s`);
  }
  const torchGoals = { [big]: 1.5, [`${big} adam`]: 1.5, 'train 784-128-10 b128': 1.75, 'train 784-128-10 b128 adam': 1.75, 'train 784-128-10 b32': 2 };
  for (const [workload, goal] of Object.entries(torchGoals)) {
    const torch = get(workload, 'pytorch');
    const row = training.find((r) => r.workload === workload && r.engine === 'pytorch');
    if (torch) check(`${workload}: native ÷ PyTorch float64 (best threads and BLAS)`, get(workload, 'deltaprop native') / torch, goal, row.configuration);
    else unmeasured(`${workload}: native ÷ PyTorch`, peers.torch);
  }
  const brainTiny = get('train 2-3-1 b4', 'brain.js');
  if (brainTiny) {
    check('train 2-3-1 b4: native ÷ brain.js', get('train 2-3-1 b4', 'deltaprop native') / brainTiny, 5);
    check('train 2-3-1 b4: js ÷ brain.js', get('train 2-3-1 b4', 'deltaprop js') / brainTiny, 1.5);
  } else {
    unmeasured('train 2-3-1 b4: ÷ brain.js', 'brain.js is not installed');
  }
  for (const workload of ['predict 784-128-10', 'predict 784-512-512-10']) {
    const mine = inference.find((r) => r.workload === workload && r.engine === 'deltaprop native');
    const torch = inference.find((r) => r.workload === workload && r.engine === 'pytorch');
    if (!torch) {
      unmeasured(`${workload}: ÷ PyTorch`, peers.torch);
      continue;
    }
    checkAtMost(`${workload}, 1 row: median latency ÷ PyTorch's`, mine['median µs'] / torch['median µs'], 0.8, `${mine['median µs'].toFixed(1)} vs ${torch['median µs'].toFixed(1)} µs`);
    checkAtMost(`${workload}, 1 row: p99 latency ÷ PyTorch's`, mine['p99 µs'] / torch['p99 µs'], 0.8, `${mine['p99 µs'].toFixed(1)} vs ${torch['p99 µs'].toFixed(1)} µs`);
    check(`${workload}, 1,024 rows: rows/s ÷ PyTorch`, mine['rows/s (1,024)'] / torch['rows/s (1,024)'], 1.3);
  }
  check(`${many.workload}: Network.fitMany ÷ sequential await fit (${cores} threads)`, many.fitManyOverSequential, 5, `same parameters: ${many.sameParameters}`);
  if (cores >= 2) check(`${many.workload}: Network.fitMany, ${cores} threads ÷ 1 thread`, many.fitManyThreadScaling, 1.8);
  checkAtMost(
    'a 1-epoch fit of 4,096 × 784 rows ÷ an epoch of a long fit (784-128-10, b128)',
    overhead.oneEpochFit / overhead.epochOfLongFit,
    1.2,
    `${(overhead.oneEpochFit * 1e3).toFixed(1)} vs ${(overhead.epochOfLongFit * 1e3).toFixed(1)} ms`,
  );
  for (const workload of ['train 784-128-10 b128', 'train 784-128-10 b32']) {
    const tfCpu = get(workload, 'tfjs cpu');
    if (tfCpu) check(`${workload}: js ÷ tfjs cpu`, get(workload, 'deltaprop js') / tfCpu, 4, `tfjs wasm: ${get(workload, 'tfjs wasm')?.toFixed(0) ?? 'n/a'} samples/s`);
  }
  return out;
}

// ------------------------------------------------------------------ main

async function main() {
  if (!dp.available('native')) throw new Error(`the native addon did not load: ${dp.backend.nativeError}`);
  const numpyPython = python.findPython('numpy');
  const torchPython = python.findPython('torch');
  const peak = { isa: dp.backend.supportedIsas.at(-1), one: probePeak(1), all: probePeak(cores) };
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores,
    isa: dp.backend.isa,
    peakGflops1Thread: peak.one,
    peakGflopsAllThreads: peak.all,
    node: process.version,
    numpy: numpyPython !== null,
    torch: torchPython !== null,
  };
  log(
    `deltaprop benchmarks on ${machine.cpu}, ${cores} cores, kernels ${machine.isa}; ` + `FMA peak (${peak.isa} probe) ${peak.one.toFixed(1)} GFLOP/s on 1 thread, ${peak.all.toFixed(1)} on ${cores}`,
  );
  if (!numpyPython) log('numpy is not importable: no OpenBLAS comparison');
  if (!torchPython) log('PyTorch is not importable (apt-get install python3-torch libopenblas0-pthread): no PyTorch comparison');

  // A new worker thread can share its creator's core for a while before the
  // OS moves it: one second of parallel gemm first, so no result pays for that.
  dp.setThreads(cores);
  measure(dp.gemmRunner('native', 1024, 1024, 1024), { minRuns: 1, minSeconds: 1 });

  log('dgemm…');
  const gemm = dgemmResults(peak, numpyPython);
  dp.setThreads(cores);
  const gemmColumns = ['workload', 'native 1t', `native ${cores}t`, 'js', 'openblas 1t', `openblas ${cores}t`, '%peak 1t', `%peak ${cores}t`];
  table('dgemm, float64, GFLOP/s (medians)', gemmColumns, gemm);
  if (numpyPython) table('dgemm: the BLAS setting of each OpenBLAS figure (the better of auto-detect and the widest core type)', ['workload', 'blas 1t', `blas ${cores}t`], gemm);

  log('training…');
  const training = await trainingResults(torchPython);
  table('training, sigmoid layers, mse, SGD unless named: samples/s (medians)', ['workload', 'engine', 'precision', 'samplesPerSecond', 'configuration'], training);

  log('inference…');
  const inference = inferenceResults(torchPython);
  table('inference, float64: predict latency of one row and rows/s of 1,024-row calls (medians)', ['workload', 'engine', 'median µs', 'p99 µs', 'rows/s (1,024)', 'configuration'], inference);
  dp.setThreads(cores);
  const overhead = await dp.fitOverhead('native', [784, 128, 10], 4096, 128);

  log('many small networks…');
  const many = await manySmallNetworks();
  table(
    `many small networks: ${many.workload}, network-epochs per second (medians)`,
    ['way', 'networkEpochsPerSecond'],
    Object.entries(many.networkEpochsPerSecond).map(([way, rate]) => ({ way, networkEpochsPerSecond: rate })),
  );

  const goals = targets(peak, gemm, training, inference, overhead, many, {
    numpy: numpyPython ? null : 'numpy is not importable',
    torch: torchPython ? null : 'PyTorch is not importable (apt-get install python3-torch libopenblas0-pthread)',
  });
  table('targets', ['target', 'value', 'goal', 'met', 'detail'], goals);

  if (json) console.log(JSON.stringify({ machine, dgemm: gemm, training, inference, fitOverhead: overhead, manySmallNetworks: many, targets: goals }, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
