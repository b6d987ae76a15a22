'use strict';
// How responsive a server stays while a network trains in the background:
// the longest gap between the ticks of a 1 ms interval timer during `await
// net.fit(...)` (its set-up included: checks, input scaling, the copy of the
// rows into the engine), on each engine and at several data sizes; and the
// speed of the copy itself. 784-128-10, one epoch, batch 128, inputScaling
// 'standard' (whose statistics are part of the set-up), a validation split.
// Target: no gap over 20 ms at any size, and the copy at ≥ 5 GB/s.
//
//   node bench/responsiveness.js [--json] [--quick] [--rows 4096,16384,65536]
const { monitorEventLoopDelay } = require('node:perf_hooks');
const dp = require('deltaprop');
const { dataset } = require('./lib/data');
const { reporter } = require('./lib/table');

const args = process.argv.slice(2);
const json = args.includes('--json');
const given = args.indexOf('--rows') >= 0 ? args[args.indexOf('--rows') + 1].split(',').map(Number) : null;
const sizes = given ?? (args.includes('--quick') ? [4096, 16384] : [4096, 16384, 65536]);
const GAP_TARGET_MS = 20;
const COPY_TARGET_GBS = 5;
const { log, table } = reporter(json);

/** The longest gap between ticks of a 1 ms interval while `work` runs, and when the longest came (ms from the start). */
async function longestGap(work) {
  let last = performance.now();
  let longest = 0;
  let at = 0;
  const start = last;
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last > longest) {
      longest = now - last;
      at = last - start;
    }
    last = now;
  }, 1);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const began = performance.now();
  await work();
  const seconds = (performance.now() - began) / 1000;
  clearInterval(timer);
  delay.disable();
  // The gap still open when the work ended counts too.
  longest = Math.max(longest, performance.now() - last);
  return { longest, at, seconds, p99: delay.percentile(99) / 1e6 };
}

async function measure(backend, rows) {
  const d = dataset(rows, 784, 10);
  const labels = Int32Array.from({ length: rows }, (_, r) => r % 10);
  const X = { rows, cols: 784, data: d.X };
  const make = () =>
    new dp.Network({
      inputs: 784,
      layers: [
        { units: 128, activation: 'relu' },
        { units: 10, activation: 'softmax' },
      ],
      loss: 'cross-entropy',
      inputScaling: 'standard',
      seed: 1,
      backend,
    });
  // Warm the engine up (its worker, its code), so the figures are of the fit, not of the first call.
  await make().fit({ rows: 256, cols: 784, data: d.X.subarray(0, 256 * 784) }, labels.subarray(0, 256), { epochs: 1 });
  const fit = { epochs: 1, batchSize: 128, optimizer: 'adam', learningRate: 1e-3, validationSplit: 0.1 };
  // Networks are made before the timer starts: building one is the caller's work, not fit's.
  const first = make();
  const gap = await longestGap(() => first.fit(X, labels, fit));
  // The set-up, then a single step (a batch of every row, no validation).
  const second = make();
  const setUp = await longestGap(() => second.fit(X, labels, { ...fit, validationSplit: undefined, batchSize: rows }));
  const bytes = rows * 784 * 8;
  return {
    engine: backend,
    rows,
    'MB of rows': bytes / 1e6,
    'fit s': gap.seconds,
    'longest gap ms': gap.longest,
    'at ms': gap.at,
    'p99 ms': gap.p99,
    'set-up + 1 step s': setUp.seconds,
    'its longest gap ms': setUp.longest,
    [`gap ≤ ${GAP_TARGET_MS} ms`]: gap.longest <= GAP_TARGET_MS && setUp.longest <= GAP_TARGET_MS ? 'met' : 'not met',
  };
}

/**
 * The engine's copy of the rows as fit makes it: the set's fresh pages mapped
 * on the engine's worker (touchPages, off the JavaScript thread), then the
 * rows copied in by setRows on the JavaScript thread; GB/s of that copy.
 */
async function copySpeed(backend, rows) {
  const engine = require('../dist/backend/index.js').getBackend(backend, 'backend');
  const d = dataset(rows, 784, 10);
  const targets = new Float64Array(rows * 10);
  const owned = engine.createTrainingData(rows, 784, 10, false);
  await owned.touchPages();
  const started = performance.now();
  for (let at = 0; at < rows; at += 1024) {
    const n = Math.min(1024, rows - at);
    owned.setRows(at, d.X.subarray(at * 784, (at + n) * 784), targets.subarray(at * 10, (at + n) * 10), n);
  }
  const seconds = (performance.now() - started) / 1000;
  owned.release();
  return (rows * (784 + 10) * 8) / seconds / 1e9;
}

(async () => {
  const engines = dp.backend.name === 'native' ? ['native', 'js'] : ['js'];
  log(
    `deltaprop event loop during await fit (784-128-10, 1 epoch, batch 128, inputScaling 'standard', validationSplit 0.1): engines ${engines.join(', ')}; ISA ${dp.backend.isa ?? '-'}, threads ${dp.backend.threads ?? '-'}`,
  );
  const results = [];
  for (const rows of sizes)
    for (const engine of engines) {
      log(`  ${engine}, ${rows} rows…`);
      results.push({ ...(await measure(engine, rows)), 'copy GB/s': await copySpeed(engine, rows) });
    }
  table(
    `longest gap of a 1 ms timer during await fit (target ≤ ${GAP_TARGET_MS} ms at any size), and the set-up's copy of the rows (target ≥ ${COPY_TARGET_GBS} GB/s)`,
    Object.keys(results[0]),
    results,
  );
  if (json) console.log(JSON.stringify({ sizes, results }, null, 2));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
