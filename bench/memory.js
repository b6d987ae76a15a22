'use strict';
// Peak memory of fits and evaluation over a data set held in memory, each in
// a process of its own: the growth of peak RSS beyond the caller's own copy
// of the data (a Float64Array, or number[][] where named).
//
//   node bench/memory.js [--rows 60000] [--cols 784] [--package DIR]
//
// --package points at another checkout's built package (to compare releases).
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const rows = Number(option('rows', 60000));
const cols = Number(option('cols', 784));
const pkg = path.resolve(option('package', path.join(__dirname, '..')));

// Runs in the child: builds the data, notes RSS, does the work, reports peak RSS.
const CHILD = `
const { resetPeak, peakBytes } = require(process.env.PEAK);
resetPeak();
const dp = require(process.env.PKG);
const [rows, cols, mode] = [Number(process.env.ROWS), Number(process.env.COLS), process.env.MODE];
const data = new Float64Array(rows * cols);
for (let i = 0; i < data.length; i++) data[i] = Math.sin(i);
const T = new Float64Array(rows * 10);
for (let r = 0; r < rows; r++) T[r * 10 + (r % 10)] = 1;
let X = { rows, cols, data };
if (mode.endsWith('arrays')) X = Array.from({ length: rows }, (_, r) => Array.from(data.subarray(r * cols, (r + 1) * cols)));
const Tm = { rows, cols: 10, data: T };
const net = new dp.Network({ inputs: cols, layers: [{ units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'cross-entropy', seed: 1 });
global.gc?.();
const before = process.memoryUsage().rss;
const done = () => {
  const peak = peakBytes();
  console.log(JSON.stringify({ before, peak }));
};
if (mode.startsWith('fit-async')) net.fit(X, Tm, { epochs: 1, batchSize: 128 }).then(done);
else if (mode.startsWith('fitSync')) { net.fitSync(X, Tm, { epochs: 1, batchSize: 128 }); done(); }
else { net.evaluate(X, Tm); done(); }
`;

const mib = (bytes) => (bytes / 2 ** 20).toFixed(0);
console.log(`peak RSS, ${rows} × ${cols} float64 inputs (${mib(rows * cols * 8)} MiB), 784-32-10, package ${pkg}`);
console.log('mode                        RSS with data   peak RSS   growth');
for (const mode of ['fit-async', 'fit-async-arrays', 'fitSync', 'fitSync-arrays', 'evaluate']) {
  const out = execFileSync(process.execPath, ['--expose-gc', '-e', CHILD], {
    env: { ...process.env, PKG: pkg, PEAK: path.join(__dirname, 'lib', 'peak-rss.js'), ROWS: String(rows), COLS: String(cols), MODE: mode },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const { before, peak } = JSON.parse(out.trim().split('\n').pop());
  console.log(`${mode.padEnd(26)}  ${mib(before).padStart(10)} MiB  ${mib(peak).padStart(6)} MiB  ${mib(peak - before).padStart(5)} MiB`);
}
