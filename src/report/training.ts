// The report's training section: which charts a History calls for, how its
// series look, and the facts of the run (epochs, early stopping, rates).
import type { History } from '../fit-options.js';
import type { ChartSeries, LineChart, SeriesStyle } from './chart.js';
import { renderChart } from './chart.js';
import { factList, formatInteger, formatNumber, escapeHtml } from './format.js';

// Okabe–Ito colours, told apart with the common colour-vision deficiencies;
// the dash and the open marker tell training from validation in grey print.
const TRAINING: SeriesStyle = { color: '#0072B2', dash: null, marker: 'circle', open: false };
const VALIDATION: SeriesStyle = { color: '#D55E00', dash: '7 4', marker: 'square', open: true };
const RATE: SeriesStyle = { color: '#009E73', dash: null, marker: 'diamond', open: false };

/** Losses and rates are never negative: an axis below 0 (a flat zero loss padded both ways) would only mislead. */
const NON_NEGATIVE = [0, Infinity] as const;

const percent = (v: number) => `${formatNumber(v * 100, 4)}%`;

function series(key: keyof History, label: string, values: number[] | undefined, style: SeriesStyle): ChartSeries[] {
  return values === undefined ? [] : [{ key, label, values, style }];
}

/** The charts of a History with at least one epoch: loss, accuracy where there is one, learning rate. */
export function historyCharts(history: History): LineChart[] {
  const best = history.bestEpoch;
  const charts: LineChart[] = [{
    key: 'loss',
    title: 'Loss per epoch',
    yLabel: 'loss',
    series: [...series('loss', 'training', history.loss, TRAINING), ...series('validationLoss', 'validation', history.validationLoss, VALIDATION)],
    allowLog: true,
    bounds: NON_NEGATIVE,
    format: (v) => formatNumber(v),
    ...(best !== undefined && best >= 0 ? { rule: { epoch: best, label: `best: ${best}` } } : {}),
  }];
  const accuracy = [
    ...series('accuracy', 'training', history.accuracy, TRAINING),
    ...series('validationAccuracy', 'validation', history.validationAccuracy, VALIDATION),
  ];
  if (accuracy.length > 0) {
    charts.push({ key: 'accuracy', title: 'Accuracy per epoch', yLabel: 'accuracy', series: accuracy, allowLog: false, bounds: [0, 1], format: percent });
  }
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

export function trainingSection(history: History): string {
  if (history.epochs === 0) return `<section id="training"><h2>Training</h2><p class="muted">No epoch finished: there is nothing to chart.</p></section>`;
  const facts: [string, string][] = [['epochs run', formatInteger(history.epochs)]];
  if (history.bestEpoch !== undefined) facts.push(['best epoch', history.bestEpoch < 0 ? 'none improved' : String(history.bestEpoch)]);
  if (history.stoppedEpoch !== undefined) {
    facts.push(['stopped early', history.stoppedEpoch === null ? 'no: every epoch ran' : `after epoch ${history.stoppedEpoch}`]);
  }
  facts.push(['learning rate', escapeHtml(rateSummary(history.learningRate))]);
  const charts = historyCharts(history).map(renderChart).join('');
  return `<section id="training"><h2>Training</h2>${factList(facts)}<div class="charts">${charts}</div></section>`;
}
