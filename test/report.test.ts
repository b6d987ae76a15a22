// trainingReport: the page it writes is one self-contained file (it loads
// nothing), shows what it is given (every string escaped, every count right)
// and rejects bad details with a DeltapropError naming them. The first part
// reads the HTML string: the sections, the charts of fit's metrics, the
// figures of the epoch the network holds, epochs numbered from 1, the test
// set and a report with no history. The second opens reports of real fits in
// Chromium and checks what a reader would see: no errors, one point per epoch
// per series, charts with a size, pixels on the screen, and a PDF.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { History, NetworkOptions, TrainingReportDetails } from '../src/index.js';
import { DeltapropError, Network, backend, trainingReport } from '../src/index.js';
import { MAX_POINTS } from '../src/report/chart.js';
import { formatNumber } from '../src/report/format.js';
import { seededUniform } from './helpers/data.js';
import { releaseSuite } from './release/prerequisites.js';
import { errorOf } from './helpers/errors.js';

const root = path.resolve(__dirname, '..');
const CHROMIUM = '/usr/bin/chromium';
const HOSTILE = '<script>alert(1)</script>';
const QUOTES = `&"'`;
const ESCAPED_HOSTILE = '&lt;script&gt;alert(1)&lt;/script&gt;';
const ESCAPED_QUOTES = '&amp;&quot;&#39;';
const DATE = new Date('2024-03-05T14:07:09Z');

// ---------------------------------------------------------------- helpers

/** Parameters of each layer from the options alone: fanIn × fanOut weights plus fanOut biases. */
function expectedParameters(options: NetworkOptions): number[] {
  const sizes = [options.inputs, ...options.layers.map((l) => l.units)];
  return options.layers.map((_, i) => sizes[i] * sizes[i + 1] + (options.bias === false ? 0 : sizes[i + 1]));
}

/** "101,770" → 101770; anything else is NaN, so a malformed cell fails the comparison. */
const parseCount = (text: string) => (/^\d{1,3}(,\d{3})*$/.test(text) ? Number(text.replace(/,/g, '')) : NaN);

/** Each series' points as data-series → the epochs they carry, in page order. */
function pointsInHtml(html: string): Map<string, number[]> {
  const points = new Map<string, number[]>();
  for (const m of html.matchAll(/data-series="([^"]*)" data-epoch="(\d+)"/g)) {
    points.set(m[1], [...(points.get(m[1]) ?? []), Number(m[2])]);
  }
  return points;
}

/** The HTML of the section with this id, '' when the page has none. */
function sectionOf(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  return start < 0 ? '' : html.slice(start, html.indexOf('</section>', start) + '</section>'.length);
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
/** HTML as the text a reader sees: tags dropped (a space each), entities decoded, white space collapsed. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e])
    .replace(/\s+/g, ' ')
    .trim();

/** The summary's cards as label → the text of their value. */
function summaryCards(html: string): Map<string, string> {
  return new Map([...sectionOf(html, 'summary').matchAll(/<dt>([^<]*)<\/dt><dd>(.*?)<\/dd>/g)].map((m) => [textOf(m[1]), textOf(m[2])]));
}

/** The rows of a figures table as data-metric → [value, measured on]. */
function figureRows(html: string): Map<string, [string, string]> {
  const rows = html.matchAll(/<tr data-metric="([^"]*)"><th scope="row">[^<]*<\/th><td class="num">([^<]*)<\/td><td class="muted">([^<]*)<\/td><\/tr>/g);
  return new Map([...rows].map((m) => [textOf(m[1]), [textOf(m[2]), textOf(m[3])]]));
}

/** A training series' circles (its marker) as [epoch shown, tooltip, cx, cy]. */
function circlesOf(html: string, series: string): [number, string, number, number][] {
  const circles = html.matchAll(new RegExp(`<circle data-series="${series.replace('.', '\\.')}" data-epoch="(\\d+)"[^>]*cx="([\\d.]+)" cy="([\\d.]+)"[^>]*><title>([^<]*)</title>`, 'g'));
  return [...circles].map((m) => [Number(m[1]), textOf(m[4]), Number(m[2]), Number(m[3])]);
}

/** The labels along a chart's epoch axis and where each is. */
function epochTicks(html: string, chart: string): [string, number][] {
  const svg = html.slice(html.indexOf(`data-chart="${chart}"`));
  const axis = /<g class="axis x">(.*?)<\/g>/.exec(svg)![1];
  return [...axis.matchAll(/<text class="tick-label" x="([\d.]+)"[^>]*>([^<]*)<\/text>/g)].map((m) => [m[2], Number(m[1])]);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** The epochs of an n-epoch history as the page shows them: 1 to n. */
const shownEpochs = (n: number) => range(n).map((i) => i + 1);

/** A History of `epochs` epochs with smooth made-up figures (no fit needed). */
function madeUpHistory(epochs: number, kinds: { accuracy?: boolean; validation?: boolean } = {}): History {
  const history: History = {
    epochs,
    loss: range(epochs).map((e) => 1 / (1 + e)),
    learningRate: range(epochs).map(() => 0.01),
  };
  if (kinds.accuracy) history.accuracy = range(epochs).map((e) => 0.5 + 0.4 * (e / Math.max(epochs, 1)));
  if (kinds.validation) {
    history.validationLoss = range(epochs).map((e) => 1.1 / (1 + e));
    if (kinds.accuracy) history.validationAccuracy = range(epochs).map((e) => 0.45 + 0.4 * (e / Math.max(epochs, 1)));
  }
  return history;
}

/** Three noisy 2-D blobs, labels interleaved (so validationSplit's last rows hold every class). */
function blobs(rows: number, seed: number): { X: number[][]; labels: number[] } {
  const next = seededUniform(seed);
  const centres = [
    [-1.5, 0],
    [1.5, 0],
    [0, 1.8],
  ];
  const X: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < rows; i++) {
    const c = i % 3;
    X.push([centres[c][0] + (next() - 0.5) * 1.6, centres[c][1] + (next() - 0.5) * 1.6]);
    labels.push(c);
  }
  return { X, labels };
}

const argmaxRows = (data: Float64Array, cols: number) =>
  range(data.length / cols).map((r) => {
    let best = 0;
    for (let j = 1; j < cols; j++) if (data[r * cols + j] > data[r * cols + best]) best = j;
    return best;
  });

const CLASSIFIER: NetworkOptions = {
  inputs: 2,
  layers: [
    { units: 8, activation: 'tanh' },
    { units: 3, activation: 'softmax' },
  ],
  loss: 'cross-entropy',
  seed: 11,
};
const CLASS_NAMES = [HOSTILE, QUOTES, 'plain'];
const CLASS_EPOCHS = 7;

/** A real short classification fit (validation split, adam) and everything its report is given. */
async function classificationRun() {
  const { X, labels } = blobs(150, 3);
  const net = new Network(CLASSIFIER);
  const start = performance.now();
  const history = await net.fit(X, labels, { epochs: CLASS_EPOCHS, batchSize: 16, optimizer: 'adam', learningRate: 0.05, validationSplit: 0.2, metrics: ['f1', 'logLoss'] });
  const seconds = (performance.now() - start) / 1000;
  const predicted = argmaxRows(net.predict(X).data, 3);
  const counts = CLASS_NAMES.map(() => CLASS_NAMES.map(() => 0));
  labels.forEach((actual, i) => counts[actual][predicted[i]]++);
  const details: TrainingReportDetails = {
    title: `${HOSTILE} ${QUOTES}`,
    optimizer: 'adam',
    evaluation: { ...net.evaluate(X, labels), confusion: { labels: CLASS_NAMES, counts } },
    data: { rows: 150, columns: ['x', 'y', HOSTILE], inputs: 2, outputs: 3, validationRows: 30, source: `${QUOTES}${HOSTILE}.csv` },
    timing: { seconds, samplesPerSecond: (120 * CLASS_EPOCHS) / seconds },
    date: DATE,
  };
  return { net, history, details, counts };
}

const REGRESSOR: NetworkOptions = {
  inputs: 2,
  layers: [
    { units: 6, activation: 'relu' },
    { units: 1, activation: 'identity' },
  ],
  loss: 'mse',
  inputScaling: 'standard',
  seed: 5,
};
const REGRESSION_EPOCHS = 5;

/** A real short regression fit, without validation: no accuracy and no validation series. */
async function regressionRun() {
  const next = seededUniform(9);
  const X = range(100).map(() => [next() * 4 - 2, next() * 4 - 2]);
  const T = X.map(([a, b]) => [Math.sin(a) + 0.5 * b]);
  const net = new Network(REGRESSOR);
  const history = await net.fit(X, T, { epochs: REGRESSION_EPOCHS, batchSize: 10, optimizer: { type: 'sgd', momentum: 0.9 }, learningRate: 0.02, metrics: ['r2', 'mae'] });
  const Y = net.predict(X).data;
  const errors = T.map((t, i) => Y[i] - t[0]);
  const mean = T.reduce((a, t) => a + t[0], 0) / T.length;
  const rss = errors.reduce((a, e) => a + e * e, 0);
  const tss = T.reduce((a, t) => a + (t[0] - mean) ** 2, 0);
  const details: TrainingReportDetails = {
    optimizer: { type: 'sgd', momentum: 0.9 },
    evaluation: {
      loss: net.evaluate(X, T).loss,
      metrics: { rmse: Math.sqrt(rss / T.length), mae: errors.reduce((a, e) => a + Math.abs(e), 0) / T.length, r2: 1 - rss / tss },
    },
    data: { rows: 100, inputs: 2, outputs: 1 },
    date: DATE,
  };
  return { net, history, details, r2: 1 - rss / tss };
}

/**
 * A test set of 10 rows whose figures agree with its confusion matrix:
 * class 0 is predicted 4 times, right twice (precision 0.5, recall 1); class 1
 * twice, right both times (1, 0.5); class 2 four times, right 3 (0.75, 0.75).
 */
const TEST_COUNTS = [
  [2, 0, 0],
  [1, 2, 1],
  [1, 0, 3],
];
const TEST_LABELS = [HOSTILE, 'b', 'c'];
function testSet(): NonNullable<TrainingReportDetails['test']> {
  return {
    loss: 0.61,
    accuracy: 0.7,
    metrics: { 'balanced accuracy': 0.75 },
    confusion: { labels: TEST_LABELS, counts: TEST_COUNTS },
    classes: [
      { label: HOSTILE, precision: 0.5, recall: 1, f1: 2 / 3, support: 2 },
      { label: 'b', precision: 1, recall: 0.5, f1: 2 / 3, support: 4 },
      { label: 'c', precision: 0.75, recall: 0.75, f1: 0.75, support: 4 },
    ],
    rows: 10,
    source: `${QUOTES}test.csv`,
  };
}

/** The chart names of a page, in order. */
const chartsIn = (html: string) => [...html.matchAll(/data-chart="([\w-]+)"/g)].map((m) => m[1]);
const CLASSIFICATION_SERIES = ['accuracy', 'learningRate', 'loss', 'metrics.f1', 'metrics.logLoss', 'validationAccuracy', 'validationLoss', 'validationMetrics.f1', 'validationMetrics.logLoss'];
const REGRESSION_SERIES = ['learningRate', 'loss', 'metrics.mae', 'metrics.r2'];

// ---------------------------------------------------------------- the HTML string

describe('trainingReport (the HTML)', () => {
  let classification: Awaited<ReturnType<typeof classificationRun>>;
  let classificationHtml: string;
  let regression: Awaited<ReturnType<typeof regressionRun>>;
  let regressionHtml: string;

  beforeAll(async () => {
    classification = await classificationRun();
    classificationHtml = trainingReport(classification.net, classification.history, classification.details);
    regression = await regressionRun();
    regressionHtml = trainingReport(regression.net, regression.history, regression.details);
  });

  it('is self-contained: nothing it references is outside the file', () => {
    const modelOnly = trainingReport(new Network(CLASSIFIER), null, { test: testSet() });
    for (const html of [classificationHtml, regressionHtml, modelOnly]) {
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
      expect(html).not.toMatch(/https?:/i);
      const references = [...html.matchAll(/\b(?:src|href|xlink:href|srcset|action|data|poster)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi)].map((m) => m[1].replace(/^["']|["']$/g, ''));
      for (const ref of references) expect(ref, ref).toMatch(/^(data:|#)/);
      expect(references.filter((r) => r.includes('//'))).toEqual([]);
      expect(html).not.toMatch(/<link\b/i);
      expect(html).not.toMatch(/@import/i);
      expect(html).not.toMatch(/@font-face/i);
      expect(html).not.toMatch(/url\(\s*(?!["']?data:)/i);
      expect(html).not.toMatch(/<(script|iframe|object|embed|img|base)\b/i);
      // The browser is told to fetch nothing, too.
      expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
    }
  });

  it('escapes every string it is given', () => {
    const html = classificationHtml;
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toContain(QUOTES);
    expect(html).toContain(`<title>${ESCAPED_HOSTILE} ${ESCAPED_QUOTES}</title>`);
    expect(html).toContain(`<h1>${ESCAPED_HOSTILE} ${ESCAPED_QUOTES}</h1>`);
    expect(html).toContain(`<th scope="col">${ESCAPED_HOSTILE}</th>`);
    expect(html).toContain(`<th scope="row">${ESCAPED_QUOTES}</th>`);
    expect(html).toContain(`<code>${ESCAPED_QUOTES}${ESCAPED_HOSTILE}.csv</code>`);
    expect(html).toContain(`<code>${ESCAPED_HOSTILE}</code>`);
    // Inside attribute values (the cells' tooltips) as well.
    expect(html).toContain(`title="actual ${ESCAPED_HOSTILE}, predicted ${ESCAPED_QUOTES}:`);
    // And metric names, the one other string a caller chooses.
    const metric = trainingReport(new Network(REGRESSOR), madeUpHistory(2), { evaluation: { loss: 1, metrics: { [HOSTILE]: 1 } } });
    expect(metric).not.toContain(HOSTILE);
    expect(metric).toContain(`<th scope="row">${ESCAPED_HOSTILE}</th>`);
  });

  it("counts each layer's parameters from its shape, and their total", () => {
    const networks: NetworkOptions[] = [
      CLASSIFIER,
      {
        inputs: 5,
        layers: [
          { units: 16, activation: 'relu' },
          { units: 8, activation: 'tanh' },
          { units: 3, activation: 'softmax' },
        ],
        loss: 'cross-entropy',
        seed: 1,
      },
      {
        inputs: 5,
        layers: [
          { units: 7, activation: 'sigmoid' },
          { units: 2, activation: 'identity' },
        ],
        bias: false,
        seed: 1,
      },
      {
        inputs: 784,
        layers: [
          { units: 128, activation: 'relu' },
          { units: 10, activation: 'softmax' },
        ],
        loss: 'cross-entropy',
        seed: 1,
      },
    ];
    for (const options of networks) {
      const html = trainingReport(new Network(options), madeUpHistory(3));
      const expected = expectedParameters(options);
      const rows = [...html.matchAll(/<tr data-layer="(\d+)">([\s\S]*?)<\/tr>/g)];
      expect(rows.map((r) => Number(r[1]))).toEqual(range(options.layers.length));
      const units = rows.map((r) => Number(/data-units="(\d+)"/.exec(r[2])![1]));
      expect(units).toEqual(options.layers.map((l) => l.units));
      const shown = rows.map((r) => /data-parameters="(\d+)">([^<]*)</.exec(r[2])!);
      expect(shown.map((m) => Number(m[1]))).toEqual(expected);
      expect(shown.map((m) => parseCount(m[2]))).toEqual(expected);
      const total = /data-total-parameters="(\d+)">([^<]*)</.exec(html)!;
      const sum = expected.reduce((a, b) => a + b, 0);
      expect([Number(total[1]), parseCount(total[2])]).toEqual([sum, sum]);
    }
  });

  it('shows the confusion matrix: rows actual, columns predicted, with totals and shading', () => {
    const counts = [
      [5, 1, 0, 0],
      [2, 7, 1, 0],
      [0, 0, 9, 0],
      [0, 0, 0, 0],
    ];
    const labels = ['cat', 'dog', 'bird', 'none'];
    const html = trainingReport(new Network(CLASSIFIER), madeUpHistory(2), { evaluation: { loss: 0.5, confusion: { labels, counts } } });
    const cell = (i: number, j: number) => new RegExp(`<td class="cell (hit|miss) s(\\d+)" data-actual="${i}" data-predicted="${j}"[^>]*>([^<]*)</td>`).exec(html);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const m = cell(i, j);
        expect(m, `cell ${i},${j}`).not.toBeNull();
        expect(parseCount(m![3])).toBe(counts[i][j]);
        expect(m![1]).toBe(i === j ? 'hit' : 'miss');
      }
    }
    // Shading in tenths of the row: 5 of 6, 1 of 10, 9 of 9, and an empty row all unshaded.
    expect([cell(0, 0)![2], cell(1, 2)![2], cell(2, 2)![2], cell(3, 3)![2]]).toEqual(['8', '1', '10', '0']);
    const totals = (attribute: string) => [...html.matchAll(new RegExp(`${attribute}="(\\d+)">([^<]*)<`, 'g'))].map((m) => [Number(m[1]), parseCount(m[2])]);
    expect(totals('data-row-total')).toEqual([
      [0, 6],
      [1, 10],
      [2, 9],
      [3, 0],
    ]);
    expect(totals('data-column-total')).toEqual([
      [0, 7],
      [1, 8],
      [2, 10],
      [3, 0],
    ]);
    expect(totals('data-total')).toEqual([[25, 25]]);
    expect(html).toContain('21 of 25 correct (84.0%)');
    // The headers, in order: predicted along the top, actual down the side.
    const header = /<thead>([\s\S]*?)<\/thead>/.exec(html.slice(html.indexOf('class="confusion"')))![1];
    expect([...header.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1])).toEqual([...labels]);
    expect(html).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('draws one point per epoch per series, and only the series the history has', () => {
    const points = pointsInHtml(classificationHtml);
    expect([...points.keys()].sort()).toEqual(CLASSIFICATION_SERIES);
    for (const [series, epochs] of points) expect(epochs, series).toEqual(shownEpochs(CLASS_EPOCHS));
    const regressionPoints = pointsInHtml(regressionHtml);
    expect([...regressionPoints.keys()].sort()).toEqual(REGRESSION_SERIES);
    for (const [series, epochs] of regressionPoints) expect(epochs, series).toEqual(shownEpochs(REGRESSION_EPOCHS));
    expect(chartsIn(classificationHtml)).toEqual(['loss', 'accuracy', 'metric-f1', 'metric-logLoss', 'learningRate']);
    // One epoch: a point and no line, still one per series.
    const single = pointsInHtml(trainingReport(new Network(CLASSIFIER), madeUpHistory(1, { accuracy: true, validation: true })));
    expect([...single.values()]).toEqual([[1], [1], [1], [1], [1]]);
    expect(chartsIn(regressionHtml)).toEqual(['loss', 'metric-r2', 'metric-mae', 'learningRate']);
  });

  it('uses a log axis when the values span more than two decades, and a linear one otherwise', () => {
    const scaleOf = (history: History, chart: string) => new RegExp(`data-chart="${chart}" data-scale="(\\w+)"`).exec(trainingReport(new Network(REGRESSOR), history))![1];
    const falling = madeUpHistory(20);
    falling.loss = range(20).map((e) => 2 * 0.6 ** e); // 2 down to 1e-4: more than four decades
    expect(scaleOf(falling, 'loss')).toBe('log');
    expect(scaleOf(madeUpHistory(20), 'loss')).toBe('linear'); // 1 to 0.05
    const withZero = madeUpHistory(20);
    withZero.loss[19] = 0;
    expect(scaleOf(withZero, 'loss')).toBe('linear');
    expect(scaleOf(madeUpHistory(20), 'learningRate')).toBe('linear');
    const decaying = madeUpHistory(20);
    decaying.learningRate = range(20).map((e) => 0.1 * 0.5 ** e);
    expect(scaleOf(decaying, 'learningRate')).toBe('log');
    // A loss of exactly 0 throughout: a linear axis from 0, not one padded below it.
    const zero = trainingReport(new Network(REGRESSOR), { epochs: 3, loss: [0, 0, 0], learningRate: [0.1, 0.1, 0.1] });
    const lossAxis = zero.slice(zero.indexOf('data-chart="loss"'), zero.indexOf('data-chart="learningRate"'));
    expect([...lossAxis.matchAll(/class="tick-label"[^>]*dominant-baseline="middle">([^<]*)</g)].map((m) => Number(m[1]))).toEqual([0, 0.5, 1]);
  });

  it('keeps a long history small: buckets of epochs, covering each once, keeping spikes', () => {
    const epochs = 5000;
    const history = madeUpHistory(epochs, { accuracy: true, validation: true });
    history.loss[1234] = 50;
    const html = trainingReport(new Network(CLASSIFIER), history);
    expect(html.length).toBeLessThan(800_000);
    const buckets = new Map<string, [number, number][]>();
    for (const m of html.matchAll(/data-series="(\w+)" data-epoch="(\d+)"(?: data-epoch-last="(\d+)")?/g)) {
      buckets.set(m[1], [...(buckets.get(m[1]) ?? []), [Number(m[2]), Number(m[3] ?? m[2])]]);
    }
    expect(buckets.size).toBe(5);
    for (const [series, list] of buckets) {
      expect(list.length, series).toBeLessThanOrEqual(MAX_POINTS);
      expect(list[0][0], series).toBe(1);
      expect(list[list.length - 1][1], series).toBe(epochs);
      for (let i = 1; i < list.length; i++) expect(list[i][0], `${series} bucket ${i}`).toBe(list[i - 1][1] + 1);
    }
    // The spike at history index 1234 (epoch 1235) is its bucket's highest value (the test reads the tooltip, not the whole page, on failure).
    expect(/epochs 1231–1240: training [^<]* to ([^<]*)</.exec(html)?.[1]).toBe('50');
  });

  it('reports a history with no epochs without charts', () => {
    const html = trainingReport(new Network(REGRESSOR), { epochs: 0, loss: [], learningRate: [] });
    expect(html).not.toContain('<svg');
    expect(html).toContain('No epoch finished');
  });

  it('charts each metric fit measured, its points carrying the values given, and lists them in the results', () => {
    const history = madeUpHistory(6, { validation: true });
    // Not monotonic, so the check of heights below is one of the values, not of their order.
    const f1 = [0.2, 0.5, 0.4, 0.7, 0.65, 0.9];
    const validationF1 = [0.1, 0.45, 0.5, 0.6, 0.55, 0.8];
    history.metrics = { f1, logLoss: [1.2, 0.9, 0.8, 0.7, 0.75, 0.6] };
    history.validationMetrics = { f1: validationF1, logLoss: [1.3, 1, 0.9, 0.85, 0.9, 0.8] };
    const html = trainingReport(new Network(CLASSIFIER), history);
    expect(chartsIn(html)).toEqual(['loss', 'metric-f1', 'metric-logLoss', 'learningRate']);
    const points = circlesOf(html, 'metrics.f1');
    expect(points.map(([epoch, tooltip]) => [epoch, tooltip])).toEqual(f1.map((v, i) => [i + 1, `epoch ${i + 1}: training ${v}`]));
    // A larger F1 is drawn higher (a smaller y), whatever the epoch.
    for (const i of range(6)) for (const j of range(6)) if (f1[i] > f1[j]) expect(points[i][3], `epochs ${i + 1}, ${j + 1}`).toBeLessThan(points[j][3]);
    // The validation series is in the same chart, with its own values.
    const f1Chart = html.slice(html.indexOf('data-chart="metric-f1"'), html.indexOf('data-chart="metric-logLoss"'));
    expect([...f1Chart.matchAll(/data-series="validationMetrics\.f1" data-epoch="(\d+)"[^>]*><title>([^<]*)</g)].map((m) => m[2])).toEqual(
      validationF1.map((v, i) => `epoch ${i + 1}: validation ${v}`),
    );
    expect(f1Chart).toContain('F1 (macro) per epoch (higher is better)');
    // A score's axis stays within [0, 1].
    const ticks = [...f1Chart.matchAll(/class="tick-label"[^>]*dominant-baseline="middle">([^<]*)</g)].map((m) => Number(m[1]));
    expect(Math.min(...ticks)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ticks)).toBeLessThanOrEqual(1);
    expect(html).toContain('log loss per epoch (lower is better)');
    const rows = figureRows(sectionOf(html, 'results'));
    expect(rows.get('metrics.f1@6')).toEqual(['0.9', 'every training row after epoch 6']);
    expect(rows.get('validationMetrics.f1@6')).toEqual(['0.8', 'validation set after epoch 6']);
    expect(rows.get('metrics.logLoss@6')).toEqual(['0.6', 'every training row after epoch 6']);
    expect(rows.get('validationMetrics.logLoss@6')).toEqual(['0.8', 'validation set after epoch 6']);

    // A metric of the validation rows alone is a chart of one series; an R² below 0 is drawn, not refused.
    const regressionHistory = { ...madeUpHistory(3), metrics: {}, validationMetrics: { r2: [-0.5, 0.2, 0.9] } };
    const regressionPage = trainingReport(new Network(REGRESSOR), regressionHistory);
    expect(chartsIn(regressionPage)).toEqual(['loss', 'metric-r2', 'learningRate']);
    const r2Points = pointsInHtml(regressionPage);
    expect(r2Points.get('validationMetrics.r2')).toEqual([1, 2, 3]);
    expect(r2Points.has('metrics.r2')).toBe(false);
  });

  it('lists the metrics of a real fit at its last epoch', () => {
    const { history } = classification;
    const rows = figureRows(sectionOf(classificationHtml, 'results'));
    for (const name of ['f1', 'logLoss'] as const) {
      expect(rows.get(`metrics.${name}@${CLASS_EPOCHS}`)?.[0]).toBe(formatNumber(history.metrics![name]![CLASS_EPOCHS - 1]));
      expect(rows.get(`validationMetrics.${name}@${CLASS_EPOCHS}`)?.[0]).toBe(formatNumber(history.validationMetrics![name]![CLASS_EPOCHS - 1]));
    }
  });

  it("shows the figures of the epoch early stopping restored, not the last epoch's", () => {
    const history = madeUpHistory(10, { accuracy: true, validation: true });
    history.validationLoss = [0.9, 0.7, 0.5, 0.31, 0.45, 0.5, 0.6, 0.62, 0.7, 0.8];
    history.validationAccuracy = range(10).map((e) => (e === 3 ? 0.9 : 0.5 + e / 100));
    Object.assign(history, { bestEpoch: 3, restoredEpoch: 3, stoppedEpoch: 9 });
    const html = trainingReport(new Network(CLASSIFIER), history);
    const cards = summaryCards(html);
    expect(cards.get('model kept')).toBe("epoch 4 restored (early stopping's best)");
    expect(cards.get('validation loss')).toBe('0.31');
    expect(cards.get('validation accuracy')).toBe('90.0%');
    expect(cards.get('training loss')).toBe(formatNumber(history.loss[3]));
    expect(cards.get('epochs')).toBe('10');
    const rows = figureRows(sectionOf(html, 'results'));
    expect([...rows.keys()]).toEqual(['loss@4', 'accuracy@4', 'validationLoss@4', 'validationAccuracy@4']);
    expect(rows.get('validationLoss@4')).toEqual(['0.31', 'validation set after epoch 4']);
    expect(sectionOf(html, 'results')).toContain('The model&#39;s figures, from epoch 4, restored (early stopping&#39;s best)');
    const training = sectionOf(html, 'training');
    expect(training).toContain('<dt>best epoch</dt><dd>4</dd>');
    expect(training).toContain('<dt>stopped early</dt><dd>after epoch 10</dd>');
    expect(training).toContain('<dt>model kept</dt><dd>epoch 4, restored (early stopping&#39;s best)</dd>');
    expect(training).toContain('best: 4');

    // The same run without restoreBest: the network holds the last epoch, and the page says so.
    const last = summaryCards(trainingReport(new Network(CLASSIFIER), { ...history, restoredEpoch: undefined }));
    expect(last.get('model kept')).toBe('epoch 10 the last');
    expect(last.get('validation loss')).toBe('0.8');
  });

  it('shows the validation loss of the model a real restoring fit left in the network', async () => {
    const { X, labels } = blobs(150, 3);
    const net = new Network(CLASSIFIER);
    // A minDelta no epoch can beat: the first epoch stays the best, and two more run before it is restored.
    const history = await net.fit(X, labels, {
      epochs: 10,
      batchSize: 16,
      optimizer: 'adam',
      learningRate: 0.05,
      validationSplit: 0.2,
      earlyStopping: { monitor: 'validationLoss', patience: 2, minDelta: 1e6, restoreBest: true },
    });
    expect([history.epochs, history.restoredEpoch]).toEqual([3, 0]);
    const [kept, lastLoss] = [history.validationLoss![0], history.validationLoss![2]];
    expect(formatNumber(kept)).not.toBe(formatNumber(lastLoss));
    // The premise: the network's parameters are the first epoch's.
    expect(net.evaluate(X.slice(120), labels.slice(120)).loss).toBeCloseTo(kept, 9);
    const cards = summaryCards(trainingReport(net, history));
    expect(cards.get('validation loss')).toBe(formatNumber(kept));
    expect(cards.get('model kept')).toBe("epoch 1 restored (early stopping's best)");
  });

  it('numbers the epochs it shows from 1: axis, tooltips, data-epoch, results', () => {
    const html = classificationHtml;
    expect(epochTicks(html, 'loss').map(([label]) => label)).toEqual(shownEpochs(CLASS_EPOCHS).map(String));
    // Each point sits over its epoch's label: the attribute, the tooltip and the axis agree.
    const ticks = new Map(epochTicks(html, 'loss'));
    const points = circlesOf(html, 'loss');
    expect(points.map(([epoch]) => epoch)).toEqual(shownEpochs(CLASS_EPOCHS));
    for (const [epoch, tooltip, x] of points) {
      expect(tooltip.startsWith(`epoch ${epoch}: training `), tooltip).toBe(true);
      expect(x, `epoch ${epoch}`).toBe(ticks.get(String(epoch)));
    }
    expect(html).not.toMatch(/data-epoch="0"|epoch 0\b|epochs 0\b/);
    expect(figureRows(html).get(`loss@${CLASS_EPOCHS}`)?.[1]).toBe(`epoch ${CLASS_EPOCHS}, over its minibatches`);
    expect(summaryCards(html).get('model kept')).toBe(`epoch ${CLASS_EPOCHS} the last`);
    const ticksOf = (epochs: number) => epochTicks(trainingReport(new Network(REGRESSOR), madeUpHistory(epochs)), 'loss').map(([label]) => Number(label));
    expect(ticksOf(50)).toEqual([1, 10, 20, 30, 40, 50]);
    expect(ticksOf(12)).toEqual([2, 4, 6, 8, 10, 12]);
    expect(ticksOf(1)).toEqual([1]);
  });

  it('shows an R² card for a regression, under either name', () => {
    const cards = summaryCards(regressionHtml);
    expect(cards.get('evaluation R²')).toBe(formatNumber(regression.r2));
    // The R² says more than a loss on a standardised target: it takes the loss's place.
    expect(cards.has('evaluation loss')).toBe(false);
    expect(summaryCards(classificationHtml).has('evaluation R²')).toBe(false);
    expect(summaryCards(classificationHtml).get('evaluation accuracy')).toBe(`${(classification.details.evaluation!.accuracy! * 100).toFixed(1)}%`);
    const net = new Network(REGRESSOR);
    const cli = summaryCards(trainingReport(net, madeUpHistory(2), { evaluation: { loss: 0.2, metrics: { 'R²': 0.875, RMSE: 0.3 } } }));
    expect(cli.get('evaluation R²')).toBe('0.875');
    const none = summaryCards(trainingReport(net, madeUpHistory(2), { evaluation: { loss: 0.2, metrics: { RMSE: 0.3 } } }));
    expect([none.has('evaluation R²'), none.get('evaluation loss')]).toEqual([false, '0.2']);
  });

  it('draws the test set: its figures, each class with the averages, the confusion matrix, its headline in the summary', () => {
    const html = trainingReport(new Network(CLASSIFIER), madeUpHistory(3), { test: testSet() });
    const test = sectionOf(html, 'test');
    expect(test).toContain('<h2>Test set</h2>');
    expect(test).toContain('<dt>rows</dt><dd>10</dd>');
    expect(test).toContain(`<code>${ESCAPED_QUOTES}test.csv</code>`);
    expect(html).not.toContain(HOSTILE);
    const figures = figureRows(test);
    expect([...figures.entries()]).toEqual([
      ['test.loss', ['0.61', 'the test set']],
      ['test.accuracy', ['70.0%', 'the test set']],
      ['test.metrics.balanced accuracy', ['0.75', 'the test set']],
    ]);
    const row = /<th scope="row">([^<]*)<\/th><td class="num">([^<]*)<\/td><td class="num">([^<]*)<\/td><td class="num">([^<]*)<\/td><td class="num">([^<]*)<\/td><\/tr>/.source;
    const classRows = [...test.matchAll(new RegExp(`<tr data-class="(\\d+)">${row}`, 'g'))].map((m) => m.slice(1));
    expect(classRows).toEqual([
      ['0', ESCAPED_HOSTILE, '0.5', '1', '0.6667', '2'],
      ['1', 'b', '1', '0.5', '0.6667', '4'],
      ['2', 'c', '0.75', '0.75', '0.75', '4'],
    ]);
    // Macro: each class counts once; weighted: by support (2, 4, 4 of 10).
    const averages = [...test.matchAll(new RegExp(`<tr data-average="(\\w+)">${row}`, 'g'))].map((m) => m.slice(1));
    expect(averages).toEqual([
      ['macro', 'macro average', '0.75', '0.75', '0.6944', '10'],
      ['weighted', 'weighted average', '0.8', '0.7', '0.7', '10'],
    ]);
    const cells = [...test.matchAll(/data-actual="(\d)" data-predicted="(\d)"[^>]*>([^<]*)</g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
    expect(cells).toEqual(TEST_COUNTS.flatMap((r, i) => r.map((n, j) => [i, j, n])));
    expect(test).toContain('7 of 10 correct (70.0%)');
    expect(summaryCards(html).get('test accuracy')).toBe('70.0%');
    // Its confusion matrix is the test set's own: the results have none.
    expect(sectionOf(html, 'results')).not.toContain('class="confusion"');

    // A regression's test set is read by its R², else by its loss; neither has class tables.
    const net = new Network(REGRESSOR);
    const r2 = trainingReport(net, null, { test: { loss: 0.1, metrics: { 'R²': 0.93, RMSE: 0.4 }, rows: 50 } });
    expect(summaryCards(r2).get('test R²')).toBe('0.93');
    expect(sectionOf(r2, 'test')).not.toMatch(/class-scores|class="confusion"/);
    expect(summaryCards(trainingReport(net, null, { test: { loss: 0.1, rows: 50 } })).get('test loss')).toBe('0.1');
  });

  it('reports a model without a history: no training section, no epoch figures', () => {
    const net = new Network(CLASSIFIER);
    const html = trainingReport(net, null, { test: testSet() });
    expect(html).toContain('<title>Model report</title>');
    expect(sectionOf(html, 'training')).toBe('');
    expect(sectionOf(html, 'results')).toBe('');
    expect(html).not.toContain('<svg');
    expect(html).not.toMatch(/\bepoch/);
    const cards = summaryCards(html);
    expect([...cards.keys()]).toEqual(['test accuracy', 'parameters']);
    expect(cards.get('parameters')).toBe(String(net.params.length));
    expect(sectionOf(html, 'summary')).toContain('holds no training history');
    expect(sectionOf(html, 'model')).toContain('data-total-parameters');
    expect(sectionOf(html, 'test')).toContain('data-class="2"');
    // An evaluation without a history is the results section, alone.
    const evaluated = trainingReport(net, null, { evaluation: { loss: 0.3, accuracy: 0.8 } });
    expect([...figureRows(sectionOf(evaluated, 'results')).keys()]).toEqual(['evaluation.loss', 'evaluation.accuracy']);
    expect(summaryCards(evaluated).get('evaluation accuracy')).toBe('80.0%');
    expect(sectionOf(evaluated, 'test')).toBe('');
    // Nothing but the model is still a page.
    expect(sectionOf(trainingReport(net, null), 'model')).toContain('<h2>Model</h2>');
  });

  it('names the version, engine, date, optimizer and data', () => {
    const html = classificationHtml;
    const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version as string;
    expect(html).toContain(`<dt>deltaprop</dt><dd>${version}</dd>`);
    expect(html).toContain('2024-03-05 14:07 UTC');
    expect(html).toContain(`<dt>engine</dt><dd>${classification.net.backend}</dd>`);
    if (classification.net.backend === 'native') {
      expect(html).toContain(`<dt>ISA</dt><dd>${backend.isa}</dd>`);
      expect(html).toContain(`<dt>threads</dt><dd>${backend.threads}</dd>`);
    }
    expect(html).toContain('adam (β₁ 0.9, β₂ 0.999, ε 1e-8)');
    expect(html).toContain('150 <span class="muted">(120 training, 30 validation)</span>');
    expect(regressionHtml).toContain('sgd (momentum 0.9)');
    expect(regressionHtml).toContain('<dt>input scaling</dt><dd>standard</dd>');
    for (const name of ['rmse', 'mae', 'r2']) expect(regressionHtml).toContain(`data-metric="evaluation.metrics.${name}"`);
    const js = trainingReport(new Network({ ...REGRESSOR, backend: 'js' }), madeUpHistory(2));
    expect(js).toContain('<dt>engine</dt><dd>js</dd>');
    expect(js).toContain('none (js engine)');
  });

  it('rejects bad details, naming the field', () => {
    const net = new Network(CLASSIFIER);
    const history = madeUpHistory(3, { accuracy: true });
    const confusion = (c: unknown) => ({ evaluation: { loss: 1, confusion: c } });
    const scores = (label: string, change: Record<string, unknown> = {}) => ({ label, precision: 1, recall: 1, f1: 1, support: 3, ...change });
    const classes = (list: unknown, matrix?: unknown) => ({ test: { loss: 1, rows: 5, classes: list, ...(matrix === undefined ? {} : { confusion: matrix }) } });
    const cases: [unknown, string][] = [
      ['a title', 'details'],
      [{ colour: 'red' }, 'details.colour'],
      [{ title: 3 }, 'details.title'],
      [{ title: ' ' }, 'details.title'],
      [{ optimizer: 'adagrad' }, 'details.optimizer'],
      [{ optimizer: { type: 'adam', beta1: 1 } }, 'details.optimizer.beta1'],
      [{ optimizer: { type: 'sgd', rate: 1 } }, 'details.optimizer.rate'],
      [{ evaluation: { accuracy: 0.5 } }, 'details.evaluation.loss'],
      [{ evaluation: { loss: NaN } }, 'details.evaluation.loss'],
      [{ evaluation: { loss: 1, accuracy: 1.5 } }, 'details.evaluation.accuracy'],
      [{ evaluation: { loss: 1, metrics: { rmse: Infinity } } }, 'details.evaluation.metrics.rmse'],
      [{ evaluation: { loss: 1, metrics: { rmse: '1' } } }, 'details.evaluation.metrics.rmse'],
      [confusion({ labels: ['a', 'b'], counts: [[1, 2]] }), 'details.evaluation.confusion.counts'],
      [confusion({ labels: ['a', 'b'], counts: [[1, 2], [3]] }), 'details.evaluation.confusion.counts[1]'],
      [
        confusion({
          labels: ['a', 'b'],
          counts: [
            [1, -1],
            [0, 0],
          ],
        }),
        'details.evaluation.confusion.counts[0][1]',
      ],
      [
        confusion({
          labels: ['a', 'b'],
          counts: [
            [1, 0.5],
            [0, 0],
          ],
        }),
        'details.evaluation.confusion.counts[0][1]',
      ],
      [
        confusion({
          labels: ['a', 'a'],
          counts: [
            [1, 0],
            [0, 1],
          ],
        }),
        'details.evaluation.confusion.labels[1]',
      ],
      [confusion({ labels: [], counts: [] }), 'details.evaluation.confusion.labels'],
      [
        confusion({
          labels: ['a', 2],
          counts: [
            [1, 0],
            [0, 1],
          ],
        }),
        'details.evaluation.confusion.labels[1]',
      ],
      [{ data: { rows: 0, inputs: 2, outputs: 3 } }, 'details.data.rows'],
      [{ data: { rows: 10, inputs: 2 } }, 'details.data.outputs'],
      [{ data: { rows: 10, inputs: 2, outputs: 3, validationRows: 10 } }, 'details.data.validationRows'],
      [{ data: { rows: 10, inputs: 2, outputs: 3, columns: ['a', 1] } }, 'details.data.columns[1]'],
      [{ data: { rows: 10, inputs: 2, outputs: 3, source: '' } }, 'details.data.source'],
      [{ timing: { seconds: -1, samplesPerSecond: 1 } }, 'details.timing.seconds'],
      [{ timing: { seconds: 1 } }, 'details.timing.samplesPerSecond'],
      [{ date: new Date(NaN) }, 'details.date'],
      [{ date: '2024-03-05' }, 'details.date'],
      [{ test: 'test.csv' }, 'details.test'],
      [{ test: { loss: 1 } }, 'details.test.rows'],
      [{ test: { loss: 1, rows: 0 } }, 'details.test.rows'],
      [{ test: { rows: 5 } }, 'details.test.loss'],
      [{ test: { loss: 1, rows: 5, accuracy: 2 } }, 'details.test.accuracy'],
      [{ test: { loss: 1, rows: 5, source: '' } }, 'details.test.source'],
      [{ test: { loss: 1, rows: 5, colour: 'red' } }, 'details.test.colour'],
      [{ test: { loss: 1, rows: 5, metrics: { 'R²': NaN } } }, 'details.test.metrics.R²'],
      [{ test: { loss: 1, rows: 5, confusion: { labels: ['a', 'b'], counts: [[1, 2]] } } }, 'details.test.confusion.counts'],
      [classes('a, b'), 'details.test.classes'],
      [classes([]), 'details.test.classes'],
      [classes([7]), 'details.test.classes[0]'],
      [classes([scores('a', { precision: 1.5 })]), 'details.test.classes[0].precision'],
      [classes([scores('a'), scores('b', { f1: -0.1 })]), 'details.test.classes[1].f1'],
      [classes([scores('a', { support: -1 })]), 'details.test.classes[0].support'],
      [classes([{ label: 'a', precision: 1, recall: 1, f1: 1 }]), 'details.test.classes[0].support'],
      [classes([scores('a', { weight: 1 })]), 'details.test.classes[0].weight'],
      [classes([scores('a'), scores('a')]), 'details.test.classes[1].label'],
      [classes([scores('')]), 'details.test.classes[0].label'],
      // With a confusion matrix, the classes are its own, in its order.
      [
        classes([scores('b'), scores('a')], {
          labels: ['a', 'b'],
          counts: [
            [1, 0],
            [0, 1],
          ],
        }),
        'details.test.classes',
      ],
      [
        classes([scores('a')], {
          labels: ['a', 'b'],
          counts: [
            [1, 0],
            [0, 1],
          ],
        }),
        'details.test.classes',
      ],
    ];
    for (const [details, argument] of cases) {
      const e = errorOf(() => trainingReport(net, history, details as TrainingReportDetails));
      expect(e, JSON.stringify(details)).toBeInstanceOf(DeltapropError);
      expect((e as DeltapropError).argument, JSON.stringify(details)).toBe(argument);
    }
    // The same fields, valid, are accepted: the rejections above are the bad values', not the fields'.
    const good: TrainingReportDetails = {
      title: 't',
      optimizer: { type: 'adam', beta1: 0.8 },
      evaluation: {
        loss: 1,
        accuracy: 0.5,
        metrics: { rmse: 1 },
        confusion: {
          labels: ['a', 'b'],
          counts: [
            [1, 0],
            [0, 1],
          ],
        },
      },
      data: { rows: 10, inputs: 2, outputs: 3, validationRows: 9, columns: ['a'], source: 's' },
      timing: { seconds: 0, samplesPerSecond: 0 },
      date: DATE,
      test: {
        loss: 1,
        accuracy: 0.5,
        rows: 2,
        source: 's',
        metrics: { 'R²': -2 },
        confusion: {
          labels: ['a', 'b'],
          counts: [
            [1, 0],
            [1, 0],
          ],
        },
        classes: [
          { label: 'a', precision: 0.5, recall: 1, f1: 2 / 3, support: 1 },
          { label: 'b', precision: 0, recall: 0, f1: 0, support: 1.5 },
        ],
      },
    };
    expect(trainingReport(net, history, good)).toContain('<h1>t</h1>');
  });

  it('rejects a network that is not one, and a malformed history', () => {
    const net = new Network(CLASSIFIER);
    const history = madeUpHistory(3, { accuracy: true, validation: true });
    const cases: [() => unknown, string][] = [
      [() => trainingReport({ ...net } as Network, history), 'network'],
      // null is a report without training; undefined is a forgotten argument.
      [() => trainingReport(net, undefined as unknown as History), 'history'],
      [() => trainingReport(net, { ...history, epochs: 2.5 }), 'history.epochs'],
      [() => trainingReport(net, { ...history, loss: history.loss.slice(1) }), 'history.loss'],
      [() => trainingReport(net, { ...history, loss: [1, NaN, 1] }), 'history.loss[1]'],
      [() => trainingReport(net, { ...history, learningRate: undefined as unknown as number[] }), 'history.learningRate'],
      [() => trainingReport(net, { ...history, accuracy: [0.5, 2, 0.5] }), 'history.accuracy[1]'],
      [() => trainingReport(net, { ...history, validationLoss: [1, 1] }), 'history.validationLoss'],
      [() => trainingReport(net, { ...history, bestEpoch: 3 }), 'history.bestEpoch'],
      [() => trainingReport(net, { ...history, stoppedEpoch: -1 }), 'history.stoppedEpoch'],
      [() => trainingReport(net, { ...history, restoredEpoch: 3 }), 'history.restoredEpoch'],
      [() => trainingReport(net, { ...history, restoredEpoch: -1 }), 'history.restoredEpoch'],
      [() => trainingReport(net, { ...history, metrics: [0.5, 0.5, 0.5] as unknown as History['metrics'] }), 'history.metrics'],
      [() => trainingReport(net, { ...history, metrics: { foo: [1, 1, 1] } as History['metrics'] }), 'history.metrics.foo'],
      [() => trainingReport(net, { ...history, validationMetrics: { f1: [1, 1, 1], bar: [1, 1, 1] } as History['metrics'] }), 'history.validationMetrics.bar'],
      [() => trainingReport(net, { ...history, metrics: { f1: [0.5, 0.5] } }), 'history.metrics.f1'],
      [() => trainingReport(net, { ...history, metrics: { f1: [0.5, Infinity, 0.5] } }), 'history.metrics.f1[1]'],
      [() => trainingReport(net, { ...history, metrics: { f1: [0.5, 1.5, 0.5] } }), 'history.metrics.f1[1]'],
      [() => trainingReport(net, { ...history, validationMetrics: { mae: [1, -1, 1] } }), 'history.validationMetrics.mae[1]'],
      [() => trainingReport(net, { ...history, metrics: { r2: [0.5, 1.1, 0.5] } }), 'history.metrics.r2[1]'],
    ];
    for (const [call, argument] of cases) {
      const e = errorOf(call);
      expect(e, argument).toBeInstanceOf(DeltapropError);
      expect((e as DeltapropError).argument).toBe(argument);
    }
    expect(trainingReport(net, { ...history, bestEpoch: 1, stoppedEpoch: 2 })).toContain('best: 2');
    // The same fields, valid: an R² below 0, an error above 1, the first epoch restored.
    const good = { ...history, metrics: { r2: [-3, 0.2, 1], mae: [40, 2, 0] }, validationMetrics: { r2: [-1, 0, 0.5] }, bestEpoch: 0, restoredEpoch: 0 };
    expect(summaryCards(trainingReport(net, good)).get('model kept')).toBe("epoch 1 restored (early stopping's best)");
  });
});

// ---------------------------------------------------------------- in Chromium

/** The browser globals the page functions use, untyped: the project compiles without the DOM library. */
type InPage = any; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Opened {
  page: Page;
  /** Console errors, page errors, dialogs and requests for anything but the report itself. */
  problems: string[];
}

async function open(browser: Browser, file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const url = pathToFileURL(file).href;
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (r.url() !== url) problems.push(`request: ${r.url()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems };
}

/** Each series' points in the page as data-series → the epochs they carry. */
async function pointsInPage(page: Page): Promise<Record<string, number[]>> {
  const found = await page.$$eval('svg.chart [data-series]', (els) => els.map((e) => [e.getAttribute('data-series'), e.getAttribute('data-epoch')]));
  const points: Record<string, number[]> = {};
  for (const [series, epoch] of found) (points[series!] ??= []).push(Number(epoch));
  return points;
}

async function chartSizes(page: Page): Promise<{ chart: string; width: number; height: number }[]> {
  return page.$$eval('svg.chart', (els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { chart: e.getAttribute('data-chart')!, width: r.width, height: r.height };
    }),
  );
}

/**
 * Decodes a PNG in a blank page and counts its pixels: those unlike the most
 * common colour (the background), and those near each of `colours`.
 */
async function pixelCounts(browser: Browser, png: Buffer, colours: [number, number, number][]) {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ({ src, colours }) => {
        const { document, Image } = globalThis as InPage;
        const image = new Image();
        image.src = src;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.width;
        canvas.height = image.height;
        const context = canvas.getContext('2d');
        context.drawImage(image, 0, 0);
        const { data } = context.getImageData(0, 0, image.width, image.height) as { data: Uint8ClampedArray };
        const frequency = new Map<number, number>();
        for (let i = 0; i < data.length; i += 4) {
          const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
          frequency.set(key, (frequency.get(key) ?? 0) + 1);
        }
        const background = [...frequency.entries()].sort((a, b) => b[1] - a[1])[0][0];
        const bg = [background >> 16, (background >> 8) & 255, background & 255];
        let foreground = 0;
        const near = colours.map(() => 0);
        for (let i = 0; i < data.length; i += 4) {
          const px = [data[i], data[i + 1], data[i + 2]];
          if (px.some((v, c) => Math.abs(v - bg[c]) > 24)) foreground++;
          colours.forEach((colour, k) => {
            if (px.every((v, c) => Math.abs(v - colour[c]) <= 30)) near[k]++;
          });
        }
        return { pixels: data.length / 4, foreground, near };
      },
      { src: `data:image/png;base64,${png.toString('base64')}`, colours },
    );
  } finally {
    await page.close();
  }
}

const TRAINING_BLUE: [number, number, number] = [0, 114, 178];
const VALIDATION_VERMILLION: [number, number, number] = [213, 94, 0];
const RATE_GREEN: [number, number, number] = [0, 158, 115];

releaseSuite('trainingReport in Chromium', existsSync(CHROMIUM) ? null : 'no /usr/bin/chromium: apt-get install chromium', () => {
  let browser: Browser;
  let dir: string;
  let classification: Awaited<ReturnType<typeof classificationRun>>;
  let classificationFile: string;
  let regressionFile: string;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    dir = mkdtempSync(path.join(tmpdir(), 'deltaprop-report-'));
    classification = await classificationRun();
    classificationFile = path.join(dir, 'classification.html');
    writeFileSync(classificationFile, trainingReport(classification.net, classification.history, classification.details));
    const regression = await regressionRun();
    regressionFile = path.join(dir, 'regression.html');
    writeFileSync(regressionFile, trainingReport(regression.net, regression.history, regression.details));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a classification report: no errors, a point per epoch per series, charts drawn, a PDF', async () => {
    const { page, problems } = await open(browser, classificationFile);
    try {
      const points = await pointsInPage(page);
      expect(Object.keys(points).sort()).toEqual(CLASSIFICATION_SERIES);
      for (const [series, epochs] of Object.entries(points)) expect(epochs, series).toEqual(shownEpochs(CLASS_EPOCHS));

      const sizes = await chartSizes(page);
      expect(sizes.map((s) => s.chart)).toEqual(['loss', 'accuracy', 'metric-f1', 'metric-logLoss', 'learningRate']);
      for (const s of sizes) {
        expect(s.width, s.chart).toBeGreaterThan(300);
        expect(s.height, s.chart).toBeGreaterThan(100);
      }

      // The class names are shown as written, not run (an alert would be a dialog problem).
      const columns = await page.$$eval('table.confusion thead tr:nth-child(2) th', (els) => els.map((e) => e.textContent));
      expect(columns).toEqual(CLASS_NAMES);
      const rows = await page.$$eval('table.confusion tbody th[scope="row"]', (els) => els.map((e) => e.textContent));
      expect(rows).toEqual(CLASS_NAMES);
      expect(await page.title()).toBe(`${HOSTILE} ${QUOTES}`);
      const cells = await page.$$eval('table.confusion td[data-actual]', (els) =>
        els.map((e) => [Number(e.getAttribute('data-actual')), Number(e.getAttribute('data-predicted')), Number(e.textContent)]),
      );
      expect(cells).toEqual(classification.counts.flatMap((row, i) => row.map((n, j) => [i, j, n])));

      const page1 = await pixelCounts(browser, await page.screenshot({ fullPage: true }), []);
      expect(page1.foreground / page1.pixels).toBeGreaterThan(0.02);
      // The loss chart alone holds both of its lines: the training blue and the validation vermillion.
      const loss = await pixelCounts(browser, await page.locator('#chart-loss').screenshot(), [TRAINING_BLUE, VALIDATION_VERMILLION]);
      expect(loss.near[0]).toBeGreaterThan(100);
      expect(loss.near[1]).toBeGreaterThan(100);
      // So does a metric's chart.
      const f1 = await pixelCounts(browser, await page.locator('#chart-metric-f1').screenshot(), [TRAINING_BLUE, VALIDATION_VERMILLION]);
      expect(f1.near[0]).toBeGreaterThan(100);
      expect(f1.near[1]).toBeGreaterThan(100);

      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(10_000);
      // Printed, the charts keep their size and are kept whole on a page; sections lose their shadow and background.
      await page.emulateMedia({ media: 'print' });
      for (const s of await chartSizes(page)) expect(s.height, `${s.chart} in print`).toBeGreaterThan(100);
      const print = await page.evaluate(() => {
        const w = globalThis as InPage;
        const style = (selector: string, property: string) => [...w.document.querySelectorAll(selector)].map((e) => w.getComputedStyle(e)[property] as string);
        return { figures: style('figure.chart-figure', 'breakInside'), shadows: style('section', 'boxShadow'), backgrounds: style('section', 'backgroundColor') };
      });
      expect(print.figures).toEqual(sizes.map(() => 'avoid'));
      expect(new Set(print.shadows)).toEqual(new Set(['none']));
      expect(new Set(print.backgrounds)).toEqual(new Set(['rgba(0, 0, 0, 0)']));
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a report of a test set without a history: its tables as given, no chart, no errors', async () => {
    const file = path.join(dir, 'test-set.html');
    writeFileSync(file, trainingReport(new Network(CLASSIFIER), null, { test: testSet(), date: DATE }));
    const { page, problems } = await open(browser, file);
    try {
      expect(await page.$$('svg')).toHaveLength(0);
      expect(await page.$$eval('section', (els) => els.map((e) => e.id))).toEqual(['summary', 'model', 'test', 'run']);
      // The class names are shown as written, the same in both tables.
      const classRows = await page.$$eval('table.class-scores tbody th', (els) => els.map((e) => e.textContent));
      const confusionRows = await page.$$eval('#test table.confusion tbody th[scope="row"]', (els) => els.map((e) => e.textContent));
      expect([classRows, confusionRows]).toEqual([TEST_LABELS, TEST_LABELS]);
      const cells = await page.$$eval('#test table.confusion td[data-actual]', (els) => els.map((e) => Number(e.textContent)));
      expect(cells).toEqual(TEST_COUNTS.flat());
      const shot = await pixelCounts(browser, await page.screenshot({ fullPage: true }), []);
      expect(shot.foreground / shot.pixels).toBeGreaterThan(0.02);
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a regression report: no accuracy chart, no confusion matrix, its metrics, no errors', async () => {
    const { page, problems } = await open(browser, regressionFile);
    try {
      const points = await pointsInPage(page);
      expect(Object.keys(points).sort()).toEqual(REGRESSION_SERIES);
      for (const [series, epochs] of Object.entries(points)) expect(epochs, series).toEqual(shownEpochs(REGRESSION_EPOCHS));
      const sizes = await chartSizes(page);
      expect(sizes.map((s) => s.chart)).toEqual(['loss', 'metric-r2', 'metric-mae', 'learningRate']);
      for (const s of sizes) expect(s.width * s.height, s.chart).toBeGreaterThan(300 * 100);
      expect(await page.$$('table.confusion')).toHaveLength(0);
      const metrics = await page.$$eval('tr[data-metric^="evaluation.metrics."]', (els) => els.map((e) => e.getAttribute('data-metric')));
      expect(metrics).toEqual(['evaluation.metrics.rmse', 'evaluation.metrics.mae', 'evaluation.metrics.r2']);
      const shot = await pixelCounts(browser, await page.screenshot({ fullPage: true }), []);
      expect(shot.foreground / shot.pixels).toBeGreaterThan(0.02);
      const loss = await pixelCounts(browser, await page.locator('#chart-loss').screenshot(), [TRAINING_BLUE]);
      expect(loss.near[0]).toBeGreaterThan(100);
      const rate = await pixelCounts(browser, await page.locator('#chart-learningRate').screenshot(), [RATE_GREEN]);
      expect(rate.near[0]).toBeGreaterThan(100);
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe("a metric undefined on an epoch's rows", () => {
  it('is a gap in its chart (NaN in history), not an error: the line breaks there and the epoch has no point', () => {
    const net = new Network({ inputs: 2, layers: [{ units: 2, activation: 'softmax' }], loss: 'cross-entropy', seed: 1, backend: 'js' });
    const history = {
      epochs: 4,
      loss: [0.9, 0.7, 0.6, 0.5],
      learningRate: [0.1, 0.1, 0.1, 0.1],
      validationLoss: [1, 0.8, 0.7, 0.6],
      validationMetrics: { auc: [0.6, NaN, 0.7, 0.75] },
    };
    const page = trainingReport(net, history);
    const chart = page.slice(page.indexOf('data-chart="metric-auc"'));
    const points = [...chart.slice(0, chart.indexOf('</svg>')).matchAll(/data-series="validationMetrics\.auc" data-epoch="(\d+)"/g)].map((m) => Number(m[1]));
    expect(points).toEqual([1, 3, 4]);
    expect([...chart.slice(0, chart.indexOf('</svg>')).matchAll(/<polyline /g)].length).toBe(1);
  });
});

describe('figures that are not finite, as fit produces them (a validation row whose prediction overflows)', () => {
  const net = new Network({ inputs: 2, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', seed: 1, backend: 'js' });
  const history = {
    epochs: 4,
    loss: [0.9, 0.7, 0.6, 0.5],
    learningRate: [0.1, 0.1, 0.1, 0.1],
    validationLoss: [Infinity, 0.8, Infinity, Infinity],
    accuracy: [0.5, NaN, 0.6, 0.7],
    validationAccuracy: [NaN, 0.5, NaN, NaN],
    validationMetrics: { mae: [Infinity, 0.4, 0.3, Infinity], r2: [-Infinity, 0.2, NaN, 0.4] },
  };

  it('are accepted; each is a gap in its chart, ∞, −∞ or — in the summary and the results', () => {
    const page = trainingReport(net, history, { evaluation: { loss: 0.5, metrics: { RMSE: 1 } } });
    const points = (series: string) => [...page.matchAll(new RegExp(`data-series="${series}" data-epoch="(\\d+)"`, 'g'))].map((m) => Number(m[1]));
    expect(points('loss')).toEqual([1, 2, 3, 4]);
    expect(points('validationLoss')).toEqual([2]);
    expect(points('accuracy')).toEqual([1, 3, 4]);
    expect(points('validationAccuracy')).toEqual([2]);
    expect(points('validationMetrics\\.mae')).toEqual([2, 3]);
    expect(points('validationMetrics\\.r2')).toEqual([2, 4]);
    // The kept epoch is the last: its validation loss ∞, accuracy —.
    expect(page).toMatch(/<dt>validation loss<\/dt><dd>∞<\/dd>/);
    expect(page).toMatch(/<dt>validation accuracy<\/dt><dd>—<\/dd>/);
    expect(page).toMatch(/data-metric="validationMetrics\.mae@4"><th scope="row">validation MAE<\/th><td class="num">∞</);
    expect(page).toMatch(/data-metric="validationMetrics\.r2@4"><th scope="row">validation R²<\/th><td class="num">0\.4</);
    expect(page).not.toMatch(/NaN|Infinity|undefined/);
    // The axes are drawn from the finite figures alone.
    const lossChart = page.slice(page.indexOf('data-chart="loss"'), page.indexOf('</svg>', page.indexOf('data-chart="loss"')));
    expect(lossChart).toMatch(/data-scale="linear"/);
    expect(lossChart).not.toMatch(/="-?Infinity|="NaN/);
  });

  it("a series with no finite figure at all is an empty chart on the metric's own range", () => {
    const page = trainingReport(net, { ...history, validationMetrics: { mae: [Infinity, Infinity, NaN, Infinity] } });
    const chart = page.slice(page.indexOf('data-chart="metric-mae"'), page.indexOf('</svg>', page.indexOf('data-chart="metric-mae"')));
    expect(chart).not.toMatch(/data-series=/);
    expect(chart).toMatch(/>0<\/text>/);
    expect(chart).not.toMatch(/NaN|Infinity/);
  });

  it("the training loss and the learning rate stay finite; an infinity is taken only on a side the figure's range leaves open", () => {
    const cases: [() => unknown, string][] = [
      [() => trainingReport(net, { ...history, loss: [0.9, Infinity, 0.6, 0.5] }), 'history.loss[1]'],
      [() => trainingReport(net, { ...history, learningRate: [0.1, NaN, 0.1, 0.1] }), 'history.learningRate[1]'],
      [() => trainingReport(net, { ...history, validationLoss: [1, -Infinity, 1, 1] }), 'history.validationLoss[1]'],
      [() => trainingReport(net, { ...history, validationAccuracy: [0.5, Infinity, 0.5, 0.5] }), 'history.validationAccuracy[1]'],
      [() => trainingReport(net, { ...history, accuracy: [0.5, -Infinity, 0.5, 0.5] }), 'history.accuracy[1]'],
      [() => trainingReport(net, { ...history, validationMetrics: { mae: [1, -Infinity, 1, 1] } }), 'history.validationMetrics.mae[1]'],
      [() => trainingReport(net, { ...history, validationMetrics: { r2: [0.5, Infinity, 0.5, 0.5] } }), 'history.validationMetrics.r2[1]'],
      [() => trainingReport(net, { ...history, metrics: { f1: [0.5, Infinity, 0.5, 0.5] } }), 'history.metrics.f1[1]'],
    ];
    for (const [call, argument] of cases) {
      const e = errorOf(call);
      expect(e, argument).toBeInstanceOf(DeltapropError);
      expect((e as DeltapropError).argument).toBe(argument);
    }
    expect(formatNumber(Infinity)).toBe('∞');
    expect(formatNumber(-Infinity)).toBe('−∞');
    expect(formatNumber(NaN)).toBe('—');
  });
});
