'use strict';
// npm run bench:tables [-- --json] [-- --quick]
//
// deltaprop's command line against scikit-learn's Pipeline on public tables
// with categories and missing values (from the vega-datasets package, read
// from node_modules, never copied into the repository): each data set is
// split once per seed into train (80%) and test (20%) rows, stratified for
// classification, written as CSV into a temporary folder (removed at the
// end), then
//
//   deltaprop     node bin/deltaprop.js train train.csv --target T --seed S --out m.dpm --json [--ignore …]
//                 node bin/deltaprop.js evaluate m.dpm test.csv --json
//   scikit-learn  /usr/bin/python3 bench/python/tables_sklearn.py train.csv test.csv …
//                 (ColumnTransformer + MLP with the same defaults: see that file)
//
// and both commands are timed from process start to exit. Accuracy or R² on
// the test rows: mean ± std over the seeds; --json prints every per-seed
// figure as one JSON document on stdout (tables go to stderr then); --quick
// runs 2 seeds and one BLAS setting, for a smoke test.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parse } = require('csv-parse/sync');
const { uniform } = require('./lib/data');
const { reporter } = require('./lib/table');
const { widestCoreType } = require('./peers/python');

const args = new Set(process.argv.slice(2));
const json = args.has('--json');
const quick = args.has('--quick');
const SEEDS = quick ? [0, 1] : [0, 1, 2, 3, 4];
const TEST_FRACTION = 0.2;
const cores = Math.min(os.availableParallelism(), 256);
const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'deltaprop.js');
const SKLEARN_SCRIPT = path.join(__dirname, 'python', 'tables_sklearn.py');
// Debian's python3-sklearn belongs to the system interpreter; `python3` may be a pyenv without it.
const PYTHON = '/usr/bin/python3';

// With --json, stdout carries only the JSON document.
const { log, table } = reporter(json);

// ------------------------------------------------------------------ data sets

/**
 * `ignore`: left out by both sides with --ignore. `leftOutByDeltaprop`: the
 * columns the CLI leaves out by itself (identifiers, free text), which the
 * scikit-learn side is told to leave out too; each run checks that the CLI
 * did leave out exactly these.
 */
const SETS = [
  { name: 'penguins', file: 'penguins.json', target: 'Species', task: 'classification', ignore: [], leftOutByDeltaprop: [] },
  { name: 'cars', file: 'cars.json', target: 'Miles_per_Gallon', task: 'regression', ignore: [], leftOutByDeltaprop: ['Name'] },
  { name: 'birdstrikes', file: 'birdstrikes.csv', target: 'Wildlife Size', task: 'classification', ignore: ['Flight Date'], leftOutByDeltaprop: [] },
];

function datasetsFolder() {
  // The package's exports name only its code (build/index.js); its data sit beside it.
  try {
    return path.join(path.dirname(require.resolve('vega-datasets')), '..', 'data');
  } catch {
    return path.join(ROOT, 'node_modules', 'vega-datasets', 'data');
  }
}

/** The set's licence as the package's datapackage.json states it. */
function licenceOf(folder, file) {
  const resource = JSON.parse(fs.readFileSync(path.join(folder, '..', 'datapackage.json'), 'utf8')).resources.find((r) => r.path === file);
  const licences = resource?.licenses ?? [];
  if (licences.length === 0) return 'not stated in datapackage.json';
  return licences.map((l) => [l.name, l.title].filter(Boolean).join(': ') + (l.path ? ` <${l.path}>` : '')).join('; ');
}

/** { header, rows }: rows of cells as text, '' for a missing value (null in JSON), as a CSV file holds them. */
function readSet(folder, file) {
  const text = fs.readFileSync(path.join(folder, file), 'utf8');
  if (file.endsWith('.csv')) {
    const [header, ...rows] = parse(text, { bom: true });
    return { header, rows };
  }
  const objects = JSON.parse(text);
  const header = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  return { header, rows: objects.map((o) => header.map((c) => (o[c] === null || o[c] === undefined ? '' : String(o[c])))) };
}

const csvCell = (cell) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
const writeCsv = (file, header, rows) => fs.writeFileSync(file, [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n');

function shuffle(indices, next) {
  for (let i = indices.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [indices[i], indices[j]] = [indices[j], indices[i]];
  }
  return indices;
}

/** Row indices of the test side: a seeded 20%, of each class for classification (a missing target is a stratum of its own). */
function testRows(rows, targetColumn, stratify, seed) {
  const next = uniform(1000003 * seed + 17);
  const strata = new Map();
  rows.forEach((row, i) => {
    const key = stratify ? row[targetColumn] : '';
    if (!strata.has(key)) strata.set(key, []);
    strata.get(key).push(i);
  });
  const test = new Set();
  for (const key of [...strata.keys()].sort()) {
    const indices = shuffle(strata.get(key), next);
    for (const i of indices.slice(0, Math.round(TEST_FRACTION * indices.length))) test.add(i);
  }
  return test;
}

// ------------------------------------------------------------------ the two sides

function timed(command, argv, env = process.env) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, argv, { encoding: 'utf8', env, cwd: ROOT, maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.error) throw result.error;
  if (result.status !== 0)
    throw new Error(`${path.basename(argv[0] ?? command)} ${argv.slice(1, 3).join(' ')} exited with ${result.status}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return { seconds, stdout: result.stdout, stderr: result.stderr };
}

const jsonLines = (stdout) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));

function runDeltaprop(set, dir, seed) {
  const model = path.join(dir, 'm.dpm');
  const ignore = set.ignore.length ? ['--ignore', set.ignore.join(',')] : [];
  const train = timed(process.execPath, [CLI, 'train', path.join(dir, 'train.csv'), '--target', set.target, '--seed', String(seed), '--out', model, '--json', ...ignore]);
  const lines = jsonLines(train.stdout);
  const { schema } = lines.find((l) => l.schema);
  const { summary } = lines.find((l) => l.summary);
  const evaluate = timed(process.execPath, [CLI, 'evaluate', model, path.join(dir, 'test.csv'), '--json']);
  const figures = jsonLines(evaluate.stdout).pop();
  const score = set.task === 'classification' ? figures.accuracy : figures.r2;
  const leftOut = schema.ignored.filter((i) => !set.ignore.includes(i.name));
  return {
    score,
    trainWallSeconds: train.seconds,
    evaluateWallSeconds: evaluate.seconds,
    fitSeconds: summary.seconds,
    epochs: summary.epochs,
    bestEpoch: summary.bestEpoch,
    stoppedEpoch: summary.stoppedEpoch,
    validationScore: set.task === 'classification' ? summary.metrics?.accuracy : summary.metrics?.r2,
    trainRows: summary.trainRows + summary.validationRows,
    testRows: figures.rows,
    task: schema.task,
    columns: schema.columns.map((c) => ({ name: c.name, kind: c.kind, ...(c.kind === 'categorical' ? { categories: c.categories.length, other: c.other } : {}) })),
    leftOut,
    backend: summary.backend,
  };
}

/** Why scikit-learn cannot run here, or null. */
function sklearnMissing() {
  const probe = spawnSync(PYTHON, ['-c', 'import sklearn, pandas, numpy'], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON} cannot run (${probe.error.code ?? probe.error.message})`;
  if (probe.status !== 0) return `${PYTHON} cannot import scikit-learn, pandas and numpy (${probe.stderr.trim().split('\n').pop()}; apt-get install python3-sklearn)`;
  return null;
}

/**
 * The BLAS settings the scikit-learn side runs under, as the Python peers of
 * bench/run.js: OpenBLAS's own choice of kernel and the widest core type
 * forced (Debian's OpenBLAS 0.3.21 takes recent Xeons for a Prescott), each
 * on 1 … cores BLAS threads; the setting with the best mean wall time is
 * kept. A core-type setting whose kernel is the one another already picks
 * is the same setting, measured once.
 */
function blasSettings() {
  const auto = { ...process.env };
  delete auto.OPENBLAS_CORETYPE;
  const core = widestCoreType();
  const candidates = [{ label: 'OpenBLAS auto-detect', env: auto }, ...(core ? [{ label: `OPENBLAS_CORETYPE=${core}`, env: { ...process.env, OPENBLAS_CORETYPE: core } }] : [])];
  const kernels = new Map();
  for (const c of candidates) {
    const probe = spawnSync(PYTHON, ['-c', 'import numpy; numpy.ones((64, 64)) @ numpy.ones((64, 64))'], { encoding: 'utf8', env: { ...c.env, OPENBLAS_VERBOSE: '2' } });
    const kernel = /Core: (\S+)/.exec(probe.stderr ?? '')?.[1] ?? 'unknown';
    if (!kernels.has(kernel)) kernels.set(kernel, { ...c, kernel, sameAs: [] });
    else kernels.get(kernel).sameAs.push(c.label);
  }
  const settings = [];
  for (const s of kernels.values()) {
    for (let threads = 1; threads <= cores; threads++) {
      const n = String(threads);
      settings.push({
        label: `${s.label}${s.sameAs.length ? ` (= ${s.sameAs.join(', ')})` : ''}, kernel ${s.kernel}; BLAS threads ${n}`,
        env: { ...s.env, OPENBLAS_NUM_THREADS: n, OMP_NUM_THREADS: n, MKL_NUM_THREADS: n },
      });
    }
  }
  return quick ? settings.slice(-1) : settings;
}

function runSklearn(set, dir, seed, setting) {
  const ignore = [...set.ignore, ...set.leftOutByDeltaprop].flatMap((c) => ['--ignore', c]);
  const run = timed(PYTHON, [SKLEARN_SCRIPT, path.join(dir, 'train.csv'), path.join(dir, 'test.csv'), '--target', set.target, '--task', set.task, '--seed', String(seed), ...ignore], setting.env);
  const r = JSON.parse(run.stdout.trim().split('\n').pop());
  return {
    setting: setting.label,
    score: r.score,
    wallSeconds: run.seconds,
    fitSeconds: r.fit_seconds,
    importSeconds: r.import_seconds,
    epochs: r.epochs,
    validationScore: r.best_validation_score,
    convergenceWarning: r.convergence_warning,
    trainRows: r.train_rows,
    testRows: r.test_rows,
    numeric: r.numeric,
    categorical: r.categorical,
    encodedWidth: r.encoded_width,
    versions: { sklearn: r.sklearn, numpy: r.numpy, pandas: r.pandas },
    blas: r.blas,
  };
}

// ------------------------------------------------------------------ summaries

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Sample standard deviation (n − 1). */
const std = (xs) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));
const pm = (xs, digits = 4) => `${mean(xs).toFixed(digits)} ± ${std(xs).toFixed(digits)}`;
const describeBlas = (blas) =>
  (blas ?? [])
    .map((b) => (b.error ? `threadpoolctl: ${b.error}` : `${b.internal_api} ${b.version} ${b.threading_layer}, kernel ${b.architecture}, ${b.num_threads} thread${b.num_threads === 1 ? '' : 's'}`))
    .join('; ') || 'no BLAS reported';

function deltapropInfo() {
  const info = spawnSync(process.execPath, [CLI, 'info'], { encoding: 'utf8', cwd: ROOT });
  const line = (name) => new RegExp(`^${name}: (.*)$`, 'm').exec(info.stdout ?? '')?.[1] ?? '?';
  return { version: /^deltaprop (\S+)/.exec(info.stdout ?? '')?.[1] ?? '?', backend: line('backend'), isa: line('ISA'), threads: line('threads') };
}

// ------------------------------------------------------------------ main

function main() {
  const folder = datasetsFolder();
  if (!fs.existsSync(folder)) throw new Error(`vega-datasets is not installed (${folder}): npm install`);
  const dp = deltapropInfo();
  const missing = sklearnMissing();
  const settings = missing ? [] : blasSettings();
  log(
    `deltaprop ${dp.version} CLI (backend ${dp.backend}, ISA ${dp.isa}, threads ${dp.threads}: its defaults) against scikit-learn on ${os.cpus()[0]?.model ?? 'unknown'}, ${cores} cores; seeds ${SEEDS.join(', ')}`,
  );
  if (missing) log(`scikit-learn: not measured: ${missing}`);
  else
    log(
      `scikit-learn (${PYTHON}) under ${settings.length} BLAS setting${settings.length === 1 ? '' : 's'}, the one with the best mean wall time kept per data set:\n${settings.map((s) => `  ${s.label}`).join('\n')}`,
    );

  const results = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deltaprop-tables-'));
  try {
    for (const set of SETS) {
      const { header, rows } = readSet(folder, set.file);
      const targetColumn = header.indexOf(set.target);
      const licence = licenceOf(folder, set.file);
      log(`${set.name} (${set.file}, ${rows.length} rows; licence: ${licence})`);
      const seeds = [];
      for (const seed of SEEDS) {
        const test = testRows(rows, targetColumn, set.task === 'classification', seed);
        writeCsv(
          path.join(dir, 'train.csv'),
          header,
          rows.filter((_, i) => !test.has(i)),
        );
        writeCsv(
          path.join(dir, 'test.csv'),
          header,
          rows.filter((_, i) => test.has(i)),
        );
        const deltaprop = runDeltaprop(set, dir, seed);
        const sklearn = settings.map((s) => runSklearn(set, dir, seed, s));
        seeds.push({ seed, trainRows: rows.length - test.size, testRows: test.size, deltaprop, sklearn });
        log(
          `  seed ${seed}: deltaprop ${deltaprop.score.toFixed(4)} (${deltaprop.epochs} epochs, ${deltaprop.trainWallSeconds.toFixed(2)} s)` +
            (sklearn.length ? `, scikit-learn ${sklearn[0].score.toFixed(4)} (${sklearn[0].epochs} epochs, ${sklearn.map((s) => s.wallSeconds.toFixed(2)).join(' / ')} s)` : ''),
        );
      }
      results.push({ set: set.name, file: set.file, rows: rows.length, target: set.target, task: set.task, licence, ignore: set.ignore, leftOutByDeltaprop: set.leftOutByDeltaprop, seeds });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // The columns each side used, and the licences.
  const columnRows = [];
  for (const r of results) {
    const set = SETS.find((s) => s.name === r.set);
    const d = r.seeds[0].deltaprop;
    const s = r.seeds[0].sklearn[0];
    const agrees = r.seeds.every(
      (x) =>
        x.deltaprop.leftOut
          .map((i) => i.name)
          .sort()
          .join('|') === [...set.leftOutByDeltaprop].sort().join('|'),
    );
    const dpNumeric = d.columns.filter((c) => c.kind === 'numeric').map((c) => c.name);
    const dpCategorical = d.columns.filter((c) => c.kind === 'categorical');
    const kindsAgree = !s || r.seeds.every((x) => x.sklearn.every((k) => k.numeric.join('|') === dpNumeric.join('|') && k.categorical.join('|') === dpCategorical.map((c) => c.name).join('|')));
    const leftOut = [
      ...r.ignore.map((c) => `${c} (--ignore, both sides)`),
      ...d.leftOut.map((i) => `${i.name} (the CLI by itself, seed 0: ${i.why.replace(/ \(--features.*\)$/, '')}; left out of scikit-learn's columns too${agrees ? '' : '; BUT not in every seed'})`),
    ];
    columnRows.push({
      set: r.set,
      target: `${r.target} (${r.task}${d.task === r.task ? '' : `; deltaprop chose ${d.task}!`})`,
      numeric: dpNumeric.join(', '),
      'categorical (categories kept)': dpCategorical.map((c) => `${c.name} (${c.categories}${c.other ? ' + other' : ''})`).join(', '),
      'left out': leftOut.join('; ') || '-',
      'sklearn same kinds': s ? (kindsAgree ? 'yes' : 'NO') : 'not measured',
    });
  }
  table(
    "data sets: the columns (deltaprop's schema of seed 0; scikit-learn's kinds by the same rule, checked in every seed)",
    ['set', 'target', 'numeric', 'categorical (categories kept)', 'left out', 'sklearn same kinds'],
    columnRows,
  );
  table(
    "data sets: source and licence (as vega-datasets' datapackage.json states it)",
    ['set', 'file', 'rows', 'licence'],
    results.map((r) => ({ set: r.set, file: r.file, rows: String(r.rows), licence: r.licence })),
  );

  // Per seed, every figure.
  const seedRows = [];
  for (const r of results) {
    for (const x of r.seeds) {
      const best = x.sklearn.length ? x.sklearn.reduce((a, b) => (b.wallSeconds < a.wallSeconds ? b : a)) : null;
      seedRows.push({
        set: r.set,
        seed: String(x.seed),
        'train/test rows (with a target)':
          `${x.trainRows}/${x.testRows}` +
          (x.deltaprop.trainRows !== x.trainRows || x.deltaprop.testRows !== x.testRows ? ` (${x.deltaprop.trainRows}/${x.deltaprop.testRows})` : '') +
          (x.sklearn.some((k) => k.trainRows !== x.deltaprop.trainRows || k.testRows !== x.deltaprop.testRows) ? ' BUT scikit-learn read other counts' : ''),
        'deltaprop score': x.deltaprop.score.toFixed(4),
        'dp epochs (best)': `${x.deltaprop.epochs} (${x.deltaprop.bestEpoch})`,
        'dp train wall s': x.deltaprop.trainWallSeconds,
        'dp fit s': x.deltaprop.fitSeconds,
        'dp evaluate wall s': x.deltaprop.evaluateWallSeconds,
        'sklearn score': best ? best.score.toFixed(4) : 'not measured',
        'sk epochs': best ? String(best.epochs) : '',
        'sk wall s (best setting)': best?.wallSeconds ?? '',
        'sk fit s': best?.fitSeconds ?? '',
        'sk imports s': best?.importSeconds ?? '',
      });
    }
  }
  table('per seed (score: accuracy for classification, R² for regression, on the test rows; wall: process start to exit)', Object.keys(seedRows[0]), seedRows);

  // Per set, the summary and the goal.
  const summaries = [];
  const goals = [];
  for (const r of results) {
    const metric = r.task === 'classification' ? 'accuracy' : 'R²';
    const dpScores = r.seeds.map((x) => x.deltaprop.score);
    const dpWall = r.seeds.map((x) => x.deltaprop.trainWallSeconds);
    const dpBoth = r.seeds.map((x) => x.deltaprop.trainWallSeconds + x.deltaprop.evaluateWallSeconds);
    const dpFit = r.seeds.map((x) => x.deltaprop.fitSeconds);
    const row = {
      set: r.set,
      metric,
      deltaprop: pm(dpScores),
      'dp train wall s': mean(dpWall),
      'dp train+evaluate wall s': mean(dpBoth),
      'dp fit s': mean(dpFit),
      'dp epochs': mean(r.seeds.map((x) => x.deltaprop.epochs)).toFixed(1),
      'dp ms/epoch': 1e3 * mean(r.seeds.map((x) => x.deltaprop.fitSeconds / x.deltaprop.epochs)),
    };
    const summary = {
      set: r.set,
      metric,
      deltaprop: {
        mean: mean(dpScores),
        std: std(dpScores),
        trainWallSeconds: mean(dpWall),
        trainEvaluateWallSeconds: mean(dpBoth),
        fitSeconds: mean(dpFit),
        configuration: `native CLI defaults; backend ${dp.backend}, ISA ${dp.isa}, threads ${dp.threads}`,
      },
    };
    if (settings.length) {
      // Every setting's means; the one with the best mean wall time kept.
      const bySetting = settings.map((setting, i) => {
        const runs = r.seeds.map((x) => x.sklearn[i]);
        return {
          setting: setting.label,
          scores: runs.map((k) => k.score),
          wallSeconds: mean(runs.map((k) => k.wallSeconds)),
          fitSeconds: mean(runs.map((k) => k.fitSeconds)),
          msPerEpoch: mean(runs.map((k) => k.fitSeconds / k.epochs)),
          importSeconds: mean(runs.map((k) => k.importSeconds)),
          blas: describeBlas(runs[0].blas),
          epochs: mean(runs.map((k) => k.epochs)),
        };
      });
      const best = bySetting.reduce((a, b) => (b.wallSeconds < a.wallSeconds ? b : a));
      const scoreSpread = Math.max(...r.seeds.map((x) => Math.max(...x.sklearn.map((k) => k.score)) - Math.min(...x.sklearn.map((k) => k.score))));
      const difference = 100 * (mean(dpScores) - mean(best.scores));
      Object.assign(row, {
        'scikit-learn': pm(best.scores),
        'Δ points (dp − sk)': difference.toFixed(2),
        'sk wall s': best.wallSeconds,
        'sk fit s': best.fitSeconds,
        'sk epochs': best.epochs.toFixed(1),
        'sk ms/epoch': 1e3 * best.msPerEpoch,
        'wall ratio sk ÷ dp': best.wallSeconds / mean(dpBoth),
        'fit ratio sk ÷ dp': best.fitSeconds / mean(dpFit),
      });
      const versions = r.seeds[0].sklearn[0].versions;
      Object.assign(summary, {
        sklearn: {
          mean: mean(best.scores),
          std: std(best.scores),
          wallSeconds: best.wallSeconds,
          fitSeconds: best.fitSeconds,
          importSeconds: best.importSeconds,
          setting: best.setting,
          blas: best.blas,
          versions,
          scoreSpreadAcrossSettings: scoreSpread,
          settings: bySetting,
        },
        differencePoints: difference,
        wallRatio: best.wallSeconds / mean(dpBoth),
        fitRatio: best.fitSeconds / mean(dpFit),
      });
      const close = difference >= -1;
      const faster = mean(dpBoth) < best.wallSeconds;
      goals.push({
        set: r.set,
        goal: "deltaprop's mean within 1 point of scikit-learn's or better, in less time",
        met: close && faster ? 'met' : 'not met',
        detail:
          `${metric} ${difference >= 0 ? '+' : ''}${difference.toFixed(2)} points (${close ? 'ok' : 'more than 1 point behind'}); ` +
          `wall (train+evaluate vs sklearn's one command) ${mean(dpBoth).toFixed(2)} vs ${best.wallSeconds.toFixed(2)} s (${faster ? 'less' : 'MORE'}); ` +
          `fit alone ${mean(dpFit).toFixed(2)} vs ${best.fitSeconds.toFixed(2)} s (${mean(dpFit) < best.fitSeconds ? 'less' : 'more'})`,
      });
    } else {
      Object.assign(row, { 'scikit-learn': 'not measured' });
      summary.sklearn = null;
      goals.push({ set: r.set, goal: 'within 1 point, in less time', met: 'not measured', detail: missing });
    }
    summaries.push({ row, summary });
  }
  table(
    `per set, ${SEEDS.length} seeds: mean ± std (n − 1) of the test score; mean times in seconds (wall: process start to exit); Δ in points = 100 × (deltaprop − scikit-learn); ratios > 1: deltaprop faster (wall: dp train + evaluate against sklearn's one command)`,
    [
      'set',
      'metric',
      'deltaprop',
      'scikit-learn',
      'Δ points (dp − sk)',
      'dp train wall s',
      'dp train+evaluate wall s',
      'sk wall s',
      'wall ratio sk ÷ dp',
      'dp fit s',
      'sk fit s',
      'fit ratio sk ÷ dp',
      'dp epochs',
      'sk epochs',
      'dp ms/epoch',
      'sk ms/epoch',
    ],
    summaries.map((s) => s.row),
  );

  const configuration = [
    {
      side: 'deltaprop',
      configuration: `node bin/deltaprop.js train … (hidden 64,32 relu, Adam 0.001, batch 32, ≤ 100 epochs, 20% validation stratified, early stopping patience 10 on the validation loss keeping the best; regression on the standardised target) then evaluate; backend ${dp.backend}, ISA ${dp.isa}, threads ${dp.threads} (its default)`,
    },
  ];
  for (const { summary } of summaries) {
    if (!summary.sklearn) continue;
    const k = summary.sklearn;
    configuration.push({
      side: `scikit-learn, ${summary.set}`,
      configuration: `sklearn ${k.versions.sklearn}, numpy ${k.versions.numpy}, pandas ${k.versions.pandas}; BLAS as numpy reports it (threadpoolctl): ${k.blas}; kept: ${k.setting} (mean wall per setting: ${k.settings.map((s) => `${s.setting.replace(/^.*; /, '')} ${s.wallSeconds.toFixed(2)} s`).join(', ')}); imports ${k.importSeconds.toFixed(2)} s of its wall time${k.scoreSpreadAcrossSettings > 0 ? `; scores differ across settings by up to ${k.scoreSpreadAcrossSettings.toExponential(2)}` : '; same scores under every setting'}`,
    });
  }
  if (settings.length)
    configuration.push({
      side: 'scikit-learn, all',
      configuration:
        'Pipeline(ColumnTransformer(numeric: SimpleImputer(mean) + StandardScaler; categorical: SimpleImputer(most_frequent) + OneHotEncoder(handle_unknown=infrequent_if_exist, max_categories=100)), MLP(hidden (64, 32) relu, adam 0.001, batch 32, max_iter 100, early_stopping on the validation score with validation_fraction 0.2, n_iter_no_change 10, random_state=seed)); regression: the MLP inside TransformedTargetRegressor(transformer=StandardScaler()), the target standardised as deltaprop does',
    });
  table('configuration beside each figure', ['side', 'configuration'], configuration);
  table('goal', ['set', 'goal', 'met', 'detail'], goals);

  if (json)
    console.log(
      JSON.stringify(
        {
          machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores, node: process.version, deltaprop: dp },
          seeds: SEEDS,
          testFraction: TEST_FRACTION,
          sklearnNotMeasured: missing,
          blasSettings: settings.map((s) => s.label),
          sets: results,
          summaries: summaries.map((s) => s.summary),
          goals,
        },
        null,
        2,
      ),
    );
}

try {
  main();
} catch (error) {
  console.error(error);
  process.exit(1);
}
