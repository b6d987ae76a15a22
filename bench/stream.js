'use strict';
// Streamed fits (fit(source, options)), two measures:
//
//  speed   samples/s of a fit from a source yielding in-memory chunks against
//          the same fit from arrays, interleaved in one run (target ≥ 70%);
//  memory  a streamed fit over a file of at least 2 GB of float64 rows,
//          generated here in the system's temporary folder and removed
//          after, read with fs streams; peak RSS against the model plus the
//          shuffle buffer plus 200 MB (the target), in a process of its own.
//
//   node bench/stream.js [--json] [--skip-memory] [--gigabytes 2.1]
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const dp = require('deltaprop');
const { dataset } = require('./lib/data');
const { median } = require('./lib/measure');

const args = process.argv.slice(2);
const json = args.includes('--json');
const gigabytes = Number(args[args.indexOf('--gigabytes') + 1] ?? 2.1) || 2.1;
const log = (...a) => (json ? console.error : console.log)(...a);

const SIZES = [784, 128, 10];
const make = () =>
  new dp.Network({
    inputs: SIZES[0],
    layers: [
      { units: SIZES[1], activation: 'relu' },
      { units: SIZES[2], activation: 'softmax' },
    ],
    loss: 'cross-entropy',
    seed: 1,
  });

async function speed() {
  const rows = 32768;
  const chunkRows = 1000;
  const d = dataset(rows, SIZES[0], SIZES[2]);
  // One-hot targets: cross-entropy needs rows summing to 1.
  const T = new Float64Array(rows * SIZES[2]);
  for (let r = 0; r < rows; r++) T[r * SIZES[2] + (r % SIZES[2])] = 1;
  const X = { rows, cols: SIZES[0], data: d.X };
  const Tm = { rows, cols: SIZES[2], data: T };
  const chunks = [];
  for (let start = 0; start < rows; start += chunkRows) {
    const n = Math.min(chunkRows, rows - start);
    chunks.push({
      inputs: { rows: n, cols: SIZES[0], data: d.X.subarray(start * SIZES[0], (start + n) * SIZES[0]) },
      targets: { rows: n, cols: SIZES[2], data: T.subarray(start * SIZES[2], (start + n) * SIZES[2]) },
    });
  }
  const options = { epochs: 1, batchSize: 128, optimizer: 'adam', learningRate: 1e-3 };
  const arrays = make();
  const streamed = make();
  const times = { arrays: [], streamed: [] };
  for (let round = 0; round < 7; round++) {
    let start = process.hrtime.bigint();
    await arrays.fit(X, Tm, options);
    times.arrays.push(Number(process.hrtime.bigint() - start) / 1e9);
    start = process.hrtime.bigint();
    await streamed.fit(() => chunks, options);
    times.streamed.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  const arraysRate = rows / median(times.arrays);
  const streamedRate = rows / median(times.streamed);
  return { rows, chunkRows, arraysRate, streamedRate, ratio: streamedRate / arraysRate };
}

// The child of the memory measure: streams FILE (rows of INPUTS + OUTPUTS float64) through one epoch.
const CHILD = `
const { resetPeak, peakBytes } = require(process.env.PEAK);
resetPeak();
const fs = require('node:fs');
const dp = require('deltaprop');
const [file, inputs, outputs, hidden] = [process.env.FILE, Number(process.env.INPUTS), Number(process.env.OUTPUTS), Number(process.env.HIDDEN)];
const width = inputs + outputs;
// Reads blocks of rows into buffers it reuses: deltaprop copies each chunk
// into its shuffle buffer before it asks for the next, so nothing piles up.
const ROWS = 4096;
const bytes = Buffer.alloc(ROWS * width * 8);
const values = new Float64Array(bytes.buffer, bytes.byteOffset, ROWS * width);
const X = new Float64Array(ROWS * inputs);
const T = new Float64Array(ROWS * outputs);
function* chunks() {
  const fd = fs.openSync(file, 'r');
  try {
    for (;;) {
      let got = 0;
      while (got < bytes.length) {
        const n = fs.readSync(fd, bytes, got, bytes.length - got, null);
        if (n === 0) break;
        got += n;
      }
      const rows = Math.floor(got / (width * 8));
      if (rows === 0) return;
      for (let r = 0; r < rows; r++) {
        X.set(values.subarray(r * width, r * width + inputs), r * inputs);
        T.set(values.subarray(r * width + inputs, (r + 1) * width), r * outputs);
      }
      yield { inputs: { rows, cols: inputs, data: X.subarray(0, rows * inputs) }, targets: { rows, cols: outputs, data: T.subarray(0, rows * outputs) } };
    }
  } finally {
    fs.closeSync(fd);
  }
}
const net = new dp.Network({ inputs, layers: [{ units: hidden, activation: 'relu' }, { units: outputs, activation: 'softmax' }], loss: 'cross-entropy', seed: 1 });
const start = process.hrtime.bigint();
net.fit(chunks, { epochs: 1, batchSize: 128, shuffleBuffer: 10000 }).then((h) => {
  console.log(JSON.stringify({ peak: peakBytes(), seconds: Number(process.hrtime.bigint() - start) / 1e9, loss: h.loss[0], params: net.params.length }));
});
`;

function memory() {
  const inputs = 784;
  const outputs = 10;
  const hidden = 32;
  const width = inputs + outputs;
  const rows = Math.ceil((gigabytes * 1e9) / (width * 8));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'deltaprop-stream-')), 'rows.f64');
  try {
    const fd = fs.openSync(file, 'w');
    const block = 4096;
    const values = new Float64Array(block * width);
    for (let start = 0; start < rows; start += block) {
      const n = Math.min(block, rows - start);
      for (let r = 0; r < n; r++) {
        for (let j = 0; j < inputs; j++) values[r * width + j] = Math.sin((start + r) * 0.37 + j);
        for (let k = 0; k < outputs; k++) values[r * width + inputs + k] = k === (start + r) % outputs ? 1 : 0;
      }
      fs.writeSync(fd, new Uint8Array(values.buffer, 0, n * width * 8));
    }
    fs.closeSync(fd);
    const bytes = fs.statSync(file).size;
    const out = execFileSync(process.execPath, ['-e', CHILD], {
      env: { ...process.env, PEAK: path.join(__dirname, 'lib', 'peak-rss.js'), FILE: file, INPUTS: String(inputs), OUTPUTS: String(outputs), HIDDEN: String(hidden) },
      encoding: 'utf8',
      cwd: path.join(__dirname, '..'),
    });
    const r = JSON.parse(out.trim().split('\n').pop());
    const model = r.params * 8 * 4; // parameters, optimizer state and gradients, generously
    const buffer = 10000 * width * 8;
    const baseline = 60e6; // a bare Node process with deltaprop loaded
    const limit = baseline + model + buffer + 200e6;
    return { rows, bytes, peak: r.peak, seconds: r.seconds, limit, met: r.peak <= limit, loss: r.loss };
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

(async () => {
  const s = await speed();
  log(
    `streamed fit from in-memory chunks of ${s.chunkRows} rows: ${s.streamedRate.toFixed(0)} samples/s; from arrays: ${s.arraysRate.toFixed(0)} samples/s; ratio ${s.ratio.toFixed(3)} (target ≥ 0.7: ${s.ratio >= 0.7 ? 'met' : 'not met'})`,
  );
  let m = null;
  if (!args.includes('--skip-memory')) {
    m = memory();
    log(
      `streamed fit over ${(m.bytes / 1e9).toFixed(2)} GB (${m.rows} rows) in ${m.seconds.toFixed(1)} s: peak RSS ${(m.peak / 2 ** 20).toFixed(0)} MiB, limit ${(m.limit / 2 ** 20).toFixed(0)} MiB (model + shuffle buffer + 200 MB + a bare process's 60 MB): ${m.met ? 'met' : 'not met'}`,
    );
  }
  if (json) console.log(JSON.stringify({ speed: s, memory: m }, null, 2));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
