// The report's training section: which charts a History calls for, how its
// series look, and the facts of the run (epochs, early stopping, rates).
import type { History } from '../training/fit-options.js';
import type { MetricName } from '../table/metrics/names.js';
import type { ChartSeries, LineChart, SeriesStyle } from './chart.js';
import { renderChart } from './chart.js';
import { factList, formatInteger, formatNumber, escapeHtml, shownEpoch } from './format.js';
import { describeKept, historyMetricNames, keptEpoch } from './history.js';
import { betterWhen, metricLabel, metricRange } from './metric-names.js';

// Okabe–Ito colours, told apart with the common colour-vision deficiencies;
// the dash and the open marker tell training from validation in grey print.
const TRAINING: SeriesStyle = { color: '#0072B2', dash: null, marker: 'circle', open: false };
const VALIDATION: SeriesStyle = { color: '#D55E00', dash: '7 4', marker: 'square', open: true };
const RATE: SeriesStyle = { color: '#009E73', dash: null, marker: 'diamond', open: false };

/** Losses and rates are never negative: an axis below 0 (a flat zero loss padded both ways) would only mislead. */
const NON_NEGATIVE = [0, Infinity] as const;

const percent = (v: number) => `${formatNumber(v * 100, 4)}%`;

/** `key` is the values' path in the History, e.g. 'validationMetrics.f1'. */
function series(key: string, label: string, values: number[] | undefined, style: SeriesStyle): ChartSeries[] {
  return values === undefined ? [] : [{ key, label, values, style }];
}

/** One of options.metrics per epoch, training and validation together as the loss is; its axis kept to the metric's own range. */
function metricChart(history: History, name: MetricName): LineChart {
  const label = metricLabel(name);
  const { min = -Infinity, max = Infinity } = metricRange(name);
  return {
    key: `metric-${name}`,
    title: `${label} per epoch (${betterWhen(name)})`,
    yLabel: label,
    series: [...series(`metrics.${name}`, 'training', history.metrics?.[name], TRAINING), ...series(`validationMetrics.${name}`, 'validation', history.validationMetrics?.[name], VALIDATION)],
    // An error (MAE, log loss…) may fall over decades as a loss does; a score in [0, 1] or an R² does not.
    allowLog: min === 0 && max === Infinity,
    bounds: [min, max],
    format: (v) => formatNumber(v),
  };
}

/** The charts of a History with at least one epoch: loss, accuracy where there is one, each metric fit measured, learning rate. */
export function historyCharts(history: History): LineChart[] {
  const best = history.bestEpoch;
  const charts: LineChart[] = [
    {
      key: 'loss',
      title: 'Loss per epoch',
      yLabel: 'loss',
      series: [...series('loss', 'training', history.loss, TRAINING), ...series('validationLoss', 'validation', history.validationLoss, VALIDATION)],
      allowLog: true,
      bounds: NON_NEGATIVE,
      format: (v) => formatNumber(v),
      ...(best !== undefined && best >= 0 ? { rule: { epoch: best, label: `best: ${shownEpoch(best)}` } } : {}),
    },
  ];
  const accuracy = [...series('accuracy', 'training', history.accuracy, TRAINING), ...series('validationAccuracy', 'validation', history.validationAccuracy, VALIDATION)];
  if (accuracy.length > 0) {
    charts.push({ key: 'accuracy', title: 'Accuracy per epoch', yLabel: 'accuracy', series: accuracy, allowLog: false, bounds: [0, 1], format: percent });
  }
  for (const name of historyMetricNames(history)) charts.push(metricChart(history, name));
  charts.push({
    key: 'learningRate',
    title: 'Learning rate per epoch',
    yLabel: 'learning rate',
    series: series('learningRate', 'learning rate', history.learningRate, RATE),
    allowLog: true,
    bounds: NON_NEGATIVE,
    format: (v) => formatNumber(v),
  });
  return charts;
}

function rateSummary(rates: number[]): string {
  const first = rates[0];
  const last = rates[rates.length - 1];
  if (rates.every((r) => r === first)) return `${formatNumber(first)} (constant)`;
  const low = rates.reduce((a, b) => Math.min(a, b));
  const high = rates.reduce((a, b) => Math.max(a, b));
  const ends = `${formatNumber(first)} at first, ${formatNumber(last)} at the end`;
  // A warm-up or a plateau's cut passes outside the two ends: say how far.
  return low === Math.min(first, last) && high === Math.max(first, last) ? ends : `${ends} (from ${formatNumber(low)} to ${formatNumber(high)})`;
}

/** Nothing without a history: a report of a model alone says so in its summary. */
export function trainingSection(history: History | null): string {
  if (history === null) return '';
  if (history.epochs === 0) return `<section id="training"><h2>Training</h2><p class="muted">No epoch finished: there is nothing to chart.</p></section>`;
  const facts: [string, string][] = [['epochs run', formatInteger(history.epochs)]];
  if (history.bestEpoch !== undefined) facts.push(['best epoch', history.bestEpoch < 0 ? 'none improved' : String(shownEpoch(history.bestEpoch))]);
  if (history.stoppedEpoch !== undefined) {
    facts.push(['stopped early', history.stoppedEpoch === null ? 'no: every epoch ran' : `after epoch ${shownEpoch(history.stoppedEpoch)}`]);
  }
  const kept = keptEpoch(history);
  if (kept !== null) facts.push(['model kept', escapeHtml(describeKept(kept))]);
  facts.push(['learning rate', escapeHtml(rateSummary(history.learningRate))]);
  const charts = historyCharts(history).map(renderChart).join('');
  return `<section id="training"><h2>Training</h2>${factList(facts)}<div class="charts">${charts}</div></section>`;
}
