'use strict';
// npm run bench:encoding [-- --json] [-- --quick]
//
// What reading table rows costs: a table network (`columns`, inputScaling
// 'standard') fed rows as objects (numbers with missing values, text
// categories) against the same network built with `inputs: 48` fed the
// Matrix the table network encodes those rows into (imputed numbers and
// one-hot categories, encoded here by the bench from the learned schema as
// the library does), on the native and the js engines, in one run:
//
//   adapt        learning the schema (and scaling) of a new network, against
//                adapt (the scaling) of a matrix network on the matrix
//   fit          one epoch (1-epoch fit calls, after a warm-up fit)
//   predict      every row in one call, and one row per call (median of 2,000)
//
// The encoding cost per row is (table − matrix) / rows. The two networks'
// predictions are checked to agree to 1e-12 before anything is timed, so both
// sides compute the same thing. Peak RSS of a fit from objects and from the
// matrix, each in a process of its own, too (native engine). Figures are
// medians of alternated rounds. --json prints the results as one JSON
// document on stdout (tables go to stderr then); --quick: 20,000 rows.
const { execFileSync } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');
const dp = require('deltaprop');
const { uniform } = require('./lib/data');
const { median } = require('./lib/measure');
const { reporter } = require('./lib/table');

const argv = process.argv.slice(2);
const args = new Set(argv);
const json = args.has('--json');
const quick = args.has('--quick');
const ROWS = quick ? 20000 : 100000;
const NUMERIC = 8;
const CATEGORICAL = 4;
const CATEGORIES = 10;
const MISSING = 0.05;
const LAYERS = [
  { units: 64, activation: 'relu' },
  { units: 32, activation: 'relu' },
  { units: 2, activation: 'softmax' },
];
const FIT = { epochs: 1, batchSize: 32, optimizer: 'adam', learningRate: 1e-3 };
const ONE_ROW_CALLS = 2000;

// With --json, stdout carries only the JSON document.
const { log, table } = reporter(json);

// ------------------------------------------------------------------ data

const numericNames = Array.from({ length: NUMERIC }, (_, j) => `x${j}`);
const categoricalNames = Array.from({ length: CATEGORICAL }, (_, j) => `c${j}`);
const COLUMNS = [...numericNames, ...categoricalNames];

/**
 * `rows` objects: 8 numeric columns on different scales (5% missing, null),
 * 4 categorical of 10 text categories each (skewed frequencies), and one-hot
 * targets of 2 classes that depend on both, with some noise.
 */
function makeTable(rows, seed = 1) {
  const next = uniform(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const objects = new Array(rows);
  const targets = new Float64Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    const row = {};
    let score = 0;
    for (let j = 0; j < NUMERIC; j++) {
      const z = gauss();
      score += (j % 2 ? 0.4 : -0.3) * z;
      row[numericNames[j]] = next() < MISSING ? null : 10 * j + (j + 1) * z;
    }
    for (let j = 0; j < CATEGORICAL; j++) {
      const k = Math.min(CATEGORIES - 1, Math.floor(CATEGORIES * next() ** 1.5));
      score += ((k * (j + 3)) % 7) / 7 - 0.5;
      row[categoricalNames[j]] = `${categoricalNames[j]}-${String.fromCharCode(97 + k)}`;
    }
    objects[r] = row;
    targets[r * 2 + (score + 0.5 * gauss() > 0 ? 1 : 0)] = 1;
  }
  return { objects, targets: dp.matrix(rows, 2, targets) };
}

/**
 * The rows as the table network encodes them, from its schema (docs/api.md,
 * "Tables"): a numeric column's value or its learned fill where missing; a
 * categorical column one 1 among its categories' columns (then "other"), all
 * zeros when missing. Input scaling is not applied here: the engines apply
 * it, to both networks alike.
 */
function encode(schema, objects) {
  const plans = [];
  let width = 0;
  for (const col of schema.columns) {
    if (col.kind === 'numeric') {
      plans.push({ name: col.name, offset: width, fill: col.fill });
      width += col.missingIndicator ? 2 : 1;
      if (col.missingIndicator) throw new Error('the bench encodes no missing indicators');
    } else if (col.kind === 'categorical') {
      plans.push({ name: col.name, offset: width, index: new Map(col.categories.map((k, i) => [k, i])), other: col.other ? col.categories.length : -1 });
      width += col.categories.length + (col.other ? 1 : 0);
    }
  }
  const data = new Float64Array(objects.length * width);
  objects.forEach((row, r) => {
    const base = r * width;
    for (const p of plans) {
      const v = row[p.name];
      const missing = v === null || v === undefined || v === '' || Number.isNaN(v);
      if (p.index === undefined) data[base + p.offset] = missing ? p.fill : v;
      else if (!missing) {
        const k = p.index.get(v);
        if (k !== undefined) data[base + p.offset + k] = 1;
        else if (p.other >= 0) data[base + p.offset + p.other] = 1;
      }
    }
  });
  return dp.matrix(objects.length, width, data);
}

const tableNetwork = (backend) => new dp.Network({ columns: COLUMNS, layers: LAYERS, loss: 'cross-entropy', inputScaling: 'standard', seed: 1, backend });

/** The same network with `inputs: width`: the table network's saved form without its columns and schema (same parameters, same learned scaling). */
function matrixTwin(net, backend) {
  const saved = net.toJSON();
  const { columns, schema, ...config } = saved.config;
  return dp.Network.fromJSON({ ...saved, config: { ...config, inputs: net.inputs } }, { backend });
}

// ------------------------------------------------------------------ timing

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

function timeSync(work) {
  const start = process.hrtime.bigint();
  work();
  return seconds(start);
}

async function timeAsync(work) {
  const start = process.hrtime.bigint();
  await work();
  return seconds(start);
}

/** Largest |a − b| over two matrices' data. */
function largestDifference(a, b) {
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i] - b.data[i]));
  return worst;
}

async function measureEngine(backend, data) {
  const { objects, targets } = data;
  const rounds = backend === 'js' ? 3 : 5;

  // adapt: a new network every time (a built one learns its fills and scaling only).
  const adaptTimes = { table: [], matrix: [] };
  let net = null;
  let matrix = null;
  let twin = null;
  for (let round = 0; round < rounds; round++) {
    net = tableNetwork(backend);
    adaptTimes.table.push(timeSync(() => net.adapt(objects)));
    if (matrix === null) {
      matrix = encode(net.schema, objects);
      twin = matrixTwin(net, backend);
    }
    const other = new dp.Network({ inputs: matrix.cols, layers: LAYERS, loss: 'cross-entropy', inputScaling: 'standard', seed: 1, backend });
    adaptTimes.matrix.push(timeSync(() => other.adapt(matrix)));
  }

  // The same computation on both sides, or nothing to compare.
  const check = largestDifference(net.predict(objects), twin.predict(matrix));
  if (!(check <= 1e-12)) throw new Error(`${backend}: the table network and its matrix twin disagree by ${check} (> 1e-12)`);

  // predict of every row
  const predictAll = { table: [], matrix: [] };
  net.predict(objects);
  twin.predict(matrix);
  for (let round = 0; round < rounds; round++) {
    predictAll.table.push(timeSync(() => net.predict(objects)));
    predictAll.matrix.push(timeSync(() => twin.predict(matrix)));
  }

  // predict of one row: each call a different row, objects against their 1-row matrices.
  const oneRows = objects.slice(0, ONE_ROW_CALLS).map((o) => [o]);
  const oneMatrices = oneRows.map((_, r) => dp.matrix(1, matrix.cols, matrix.data.slice(r * matrix.cols, (r + 1) * matrix.cols)));
  const one = { table: [], matrix: [] };
  for (let i = 0; i < ONE_ROW_CALLS / 10; i++) {
    net.predict(oneRows[i]);
    twin.predict(oneMatrices[i]);
  }
  // Alternated in blocks of 100 calls, so that a passing slowdown falls on both.
  for (let block = 0; block < ONE_ROW_CALLS; block += 100) {
    for (let i = block; i < block + 100; i++) one.table.push(timeSync(() => net.predict(oneRows[i])));
    for (let i = block; i < block + 100; i++) one.matrix.push(timeSync(() => twin.predict(oneMatrices[i])));
  }

  // fit: a warm-up fit on each network, then 1-epoch fits alternated.
  await net.fit(objects, targets, FIT);
  await twin.fit(matrix, targets, FIT);
  const fit = { table: [], matrix: [] };
  for (let round = 0; round < rounds; round++) {
    fit.table.push(await timeAsync(() => net.fit(objects, targets, FIT)));
    fit.matrix.push(await timeAsync(() => twin.fit(matrix, targets, FIT)));
  }

  const row = (workload, times, rows, note) => {
    const t = median(times.table);
    const m = median(times.matrix);
    return { engine: backend, workload, rows, runs: times.table.length, tableSeconds: t, matrixSeconds: m, encodingMicrosecondsPerRow: ((t - m) / rows) * 1e6, ratio: t / m, note };
  };
  return {
    width: matrix.cols,
    check,
    rows: [
      row('adapt', adaptTimes, objects.length, 'table: learns kinds, categories, fills and the scaling of a new network; matrix: the scaling of 48 columns'),
      row(`fit, 1 epoch (batch ${FIT.batchSize}, adam)`, fit, objects.length, 'a whole 1-epoch fit call (its copy of the rows included), after a warm-up fit'),
      row(`predict ${objects.length.toLocaleString('en-US')} rows`, predictAll, objects.length, 'one call'),
      row('predict 1 row', one, 1, `median of ${ONE_ROW_CALLS.toLocaleString('en-US')} calls, each a different row; objects: [row], matrix: a 1-row Matrix`),
    ],
  };
}

// ------------------------------------------------------------------ peak RSS (child processes)

/** In a child: the data, the network adapted; then peak RSS over one 1-epoch fit from `mode` ('objects' or 'matrix'). */
async function child(mode) {
  const { resetPeak, peakBytes } = require('./lib/peak-rss');
  let data = makeTable(ROWS);
  const net = tableNetwork('native');
  net.adapt(data.objects);
  let fitNet = net;
  let inputs = data.objects;
  if (mode === 'matrix') {
    inputs = encode(net.schema, data.objects);
    fitNet = matrixTwin(net, 'native');
    data = { targets: data.targets };
  }
  global.gc?.();
  global.gc?.();
  resetPeak();
  const before = process.memoryUsage().rss;
  await fitNet.fit(inputs, data.targets, FIT);
  console.log(JSON.stringify({ before, peak: peakBytes() }));
}

function peakRss() {
  const out = [];
  for (const mode of ['objects', 'matrix']) {
    const stdout = execFileSync(process.execPath, ['--expose-gc', __filename, '--child', mode, ...(quick ? ['--quick'] : [])], { encoding: 'utf8', cwd: path.join(__dirname, '..') });
    const { before, peak } = JSON.parse(stdout.trim().split('\n').pop());
    out.push({ 'fit from': mode, 'RSS before MiB': before / 2 ** 20, 'peak RSS MiB': peak / 2 ** 20, 'growth MiB': (peak - before) / 2 ** 20 });
  }
  return out;
}

// ------------------------------------------------------------------ main

async function main() {
  const engines = ['native', 'js'].filter((e) => e === 'js' || dp.backend.nativeError === null);
  log(
    `deltaprop encoding cost on ${os.cpus()[0]?.model ?? 'unknown'}, ${os.availableParallelism()} cores; native ${dp.backend.nativeError === null ? `ISA ${dp.backend.isa}` : `not loaded (${dp.backend.nativeError})`}`,
  );
  log(
    `${ROWS.toLocaleString('en-US')} rows: ${NUMERIC} numeric columns (${100 * MISSING}% missing), ${CATEGORICAL} categorical of ${CATEGORIES} text categories; network ${LAYERS.map((l) => `${l.units} ${l.activation}`).join(', ')}, cross-entropy, inputScaling 'standard'`,
  );
  const data = makeTable(ROWS);
  const results = [];
  const checks = {};
  for (const backend of engines) {
    log(`  ${backend}…`);
    const r = await measureEngine(backend, data);
    checks[backend] = r.check;
    log(`  ${backend}: encoded width ${r.width}; the table network and its matrix twin agree to ${r.check.toExponential(2)} (≤ 1e-12 required)`);
    results.push(...r.rows);
  }
  const time = (s) => (s >= 1e-3 ? `${(s * 1e3).toFixed(s >= 0.1 ? 0 : 1)} ms` : `${(s * 1e6).toFixed(1)} µs`);
  table(
    'table rows (objects) against the pre-encoded matrix of the same values: medians; encoding µs/row = (table − matrix) / rows',
    ['engine', 'workload', 'table', 'matrix', 'encoding µs/row', 'table ÷ matrix', 'runs', 'note'],
    results.map((r) => ({ ...r, table: time(r.tableSeconds), matrix: time(r.matrixSeconds), 'encoding µs/row': r.encodingMicrosecondsPerRow, 'table ÷ matrix': r.ratio, runs: String(r.runs) })),
  );

  let memory = null;
  if (engines.includes('native')) {
    log('  peak RSS…');
    memory = peakRss();
    table(
      `peak RSS of one 1-epoch fit (native), each in a process of its own: after the data is built and the network adapted (the objects dropped before the matrix fit), RSS noted and the peak reset`,
      ['fit from', 'RSS before MiB', 'peak RSS MiB', 'growth MiB'],
      memory,
    );
  }
  if (json) {
    console.log(
      JSON.stringify(
        {
          machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), node: process.version, isa: dp.backend.isa },
          rows: ROWS,
          columns: { numeric: NUMERIC, categorical: CATEGORICAL, categories: CATEGORIES, missing: MISSING },
          layers: LAYERS,
          fit: FIT,
          agreement: checks,
          results,
          peakRss: memory,
        },
        null,
        2,
      ),
    );
  }
}

const childMode = argv.indexOf('--child');
(childMode >= 0 ? child(argv[childMode + 1]) : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
