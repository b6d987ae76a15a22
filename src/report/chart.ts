// Per-epoch line charts as inline SVG, drawn here rather than by a charting
// library so the report stays one dependency-free file that renders with no
// script. Each series differs by colour, dash and marker shape, so it still
// reads when printed in black and white.
//
// Every data point is an element carrying its epoch (data-series,
// data-epoch) with a <title> tooltip, so a reader can hover for the value and
// a test can count the points. Epochs are numbered from 1 on the axis, in the
// tooltips and in data-epoch alike (see shownEpoch); the series' values are
// indexed from 0, as History's arrays are.
//
// Beyond MAX_POINTS epochs the points stand for buckets of consecutive epochs
// (data-epoch to data-epoch-last): a chart is about 640 px wide, so more
// points than that cannot be seen apart, and one element per epoch would make
// a 10,000-epoch report megabytes of markers. The line still passes through
// each bucket's lowest and highest value, so a spike or a divergence in one
// epoch stays visible.
import { escapeHtml, shownEpoch } from './format.js';
import type { Scale } from './scale.js';
import { epochScale, valueScale } from './scale.js';

/** Points per series at most; also bounds the report's size whatever the history's length. */
export const MAX_POINTS = 500;
/** Up to this many points a series shows its markers; past it they crowd into a smear and only the line shows (the points stay, as hover targets). */
export const VISIBLE_MARKERS = 60;

export type Marker = 'circle' | 'square' | 'diamond';

export interface SeriesStyle {
  color: string;
  /** An SVG stroke-dasharray, or null for a solid line. */
  dash: string | null;
  marker: Marker;
  /** Open markers (white inside) tell a second series apart from a first in grey print. */
  open: boolean;
}

export interface ChartSeries {
  /** The History key, e.g. 'validationLoss' or 'validationMetrics.f1': the points' data-series. */
  key: string;
  label: string;
  values: readonly number[];
  style: SeriesStyle;
}

export interface LineChart {
  /** The chart's data-chart and the stem of its ids. */
  key: string;
  title: string;
  yLabel: string;
  series: readonly ChartSeries[];
  /** Whether a log axis may be chosen (see LOG_SCALE_RATIO). */
  allowLog: boolean;
  /** Limits the axis may not pass, e.g. [0, 1] for accuracy. */
  bounds?: readonly [number, number];
  format: (value: number) => string;
  /** A vertical rule at an epoch (an index into the values), e.g. early stopping's best one. */
  rule?: { epoch: number; label: string };
}

const WIDTH = 720;
const HEIGHT = 290;
const MARGIN = { left: 68, right: 20, top: 40, bottom: 46 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

/** One decimal is a tenth of a pixel: finer only grows the file. */
const px = (x: number) => String(Math.round(x * 10) / 10);

/** Consecutive epochs drawn as one point; [first, last] inclusive, indices into the values. */
interface Bucket {
  first: number;
  last: number;
}

function bucketsOf(epochs: number): Bucket[] {
  const size = Math.ceil(epochs / MAX_POINTS);
  const buckets: Bucket[] = [];
  for (let first = 0; first < epochs; first += size) buckets.push({ first, last: Math.min(first + size, epochs) - 1 });
  return buckets;
}

/** A marker; `title` (the tooltip) is null in the legend. */
function markerElement(style: SeriesStyle, x: number, y: number, r: number, attributes: string, title: string | null): string {
  const inner = title === null ? '' : `<title>${escapeHtml(title)}</title>`;
  switch (style.marker) {
    case 'circle':
      return `<circle ${attributes} cx="${px(x)}" cy="${px(y)}" r="${px(r)}">${inner}</circle>`;
    case 'square':
      return `<rect ${attributes} x="${px(x - r)}" y="${px(y - r)}" width="${px(2 * r)}" height="${px(2 * r)}">${inner}</rect>`;
    case 'diamond': {
      const d = r * 1.3;
      return `<polygon ${attributes} points="${px(x)},${px(y - d)} ${px(x + d)},${px(y)} ${px(x)},${px(y + d)} ${px(x - d)},${px(y)}">${inner}</polygon>`;
    }
  }
}

function markerPaint(style: SeriesStyle): string {
  return `fill="${style.open ? '#fff' : style.color}" stroke="${style.color}" stroke-width="1.5"`;
}

function lineAttributes(style: SeriesStyle): string {
  return `fill="none" stroke="${style.color}" stroke-width="2" stroke-linejoin="round"${style.dash === null ? '' : ` stroke-dasharray="${style.dash}"`}`;
}

/** The series' line and its points; `x` takes an index into the values. A figure that is not finite (NaN: a metric undefined on that epoch's rows; ∞: a prediction overflowed) is a gap in the line. */
function drawSeries(series: ChartSeries, buckets: readonly Bucket[], x: (index: number) => number, y: (value: number) => number, format: LineChart['format']): string {
  const v = series.values;
  const segments: string[][] = [[]];
  const points: string[] = [];
  const visible = buckets.length <= VISIBLE_MARKERS;
  const spacing = PLOT_W / Math.max(buckets.length, 1);
  const r = visible ? 3.5 : Math.max(1.5, spacing / 2);
  const paint = visible ? markerPaint(series.style) : 'class="hover-target"';
  const key = escapeHtml(series.key);
  for (const { first, last } of buckets) {
    let low = -1;
    let high = -1;
    let sum = 0;
    let count = 0;
    for (let e = first; e <= last; e++) {
      if (!Number.isFinite(v[e])) continue;
      if (low < 0 || v[e] < v[low]) low = e;
      if (high < 0 || v[e] > v[high]) high = e;
      sum += v[e];
      count++;
    }
    if (count === 0) {
      if (segments[segments.length - 1].length > 0) segments.push([]);
      continue;
    }
    for (const e of low === high ? [low] : [Math.min(low, high), Math.max(low, high)]) segments[segments.length - 1].push(`${px(x(e))},${px(y(v[e]))}`);
    const [from, to] = [shownEpoch(first), shownEpoch(last)];
    if (first === last) {
      points.push(markerElement(series.style, x(first), y(v[first]), r, `data-series="${key}" data-epoch="${from}" ${paint}`, `epoch ${from}: ${series.label} ${format(v[first])}`));
    } else {
      points.push(
        markerElement(
          series.style,
          x((first + last) / 2),
          y(sum / count),
          r,
          `data-series="${key}" data-epoch="${from}" data-epoch-last="${to}" ${paint}`,
          `epochs ${from}–${to}: ${series.label} ${format(v[low])} to ${format(v[high])}`,
        ),
      );
    }
  }
  const lines = segments.filter((vertices) => vertices.length > 1).map((vertices) => `<polyline ${lineAttributes(series.style)} points="${vertices.join(' ')}"/>`);
  return `<g class="series">${lines.join('')}${points.join('')}</g>`;
}

function legend(chart: LineChart, withMarkers: boolean): string {
  let at = MARGIN.left;
  const items = chart.series.map((s) => {
    const y = 18;
    const sample = `<line x1="${at}" y1="${y}" x2="${at + 28}" y2="${y}" ${lineAttributes(s.style)}/>`;
    const marker = withMarkers ? markerElement(s.style, at + 14, y, 3.5, markerPaint(s.style), null) : '';
    const text = `<text x="${at + 34}" y="${y + 4}">${escapeHtml(s.label)}</text>`;
    // System fonts differ; about 7 px a character at 12 px leaves room for any of them.
    at += 34 + 7 * s.label.length + 22;
    return `<g>${sample}${marker}${text}</g>`;
  });
  return `<g class="legend">${items.join('')}</g>`;
}

function yAxis(scale: Scale, y: (value: number) => number, chart: LineChart): string {
  const right = MARGIN.left + PLOT_W;
  const minor = scale.minorTicks.map((t) => `<line class="grid minor" x1="${MARGIN.left}" x2="${right}" y1="${px(y(t))}" y2="${px(y(t))}"/>`);
  const major = scale.ticks.map((t) => {
    const at = px(y(t));
    return (
      `<line class="grid" x1="${MARGIN.left}" x2="${right}" y1="${at}" y2="${at}"/>` +
      `<line class="tick" x1="${MARGIN.left - 5}" x2="${MARGIN.left}" y1="${at}" y2="${at}"/>` +
      `<text class="tick-label" x="${MARGIN.left - 8}" y="${at}" text-anchor="end" dominant-baseline="middle">${escapeHtml(chart.format(t))}</text>`
    );
  });
  const label = `${chart.yLabel}${scale.kind === 'log' ? ' (log scale)' : ''}`;
  const middle = MARGIN.top + PLOT_H / 2;
  return (
    `<g class="axis y">${minor.join('')}${major.join('')}` +
    `<line class="axis-line" x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + PLOT_H}"/>` +
    `<text class="axis-label" transform="translate(16 ${middle}) rotate(-90)" text-anchor="middle">${escapeHtml(label)}</text></g>`
  );
}

/** `x` takes an epoch as shown, the scale's unit. */
function xAxis(scale: Scale, x: (shown: number) => number): string {
  const bottom = MARGIN.top + PLOT_H;
  const ticks = scale.ticks.map((t) => {
    const at = px(x(t));
    return `<line class="tick" x1="${at}" x2="${at}" y1="${bottom}" y2="${bottom + 5}"/>` + `<text class="tick-label" x="${at}" y="${bottom + 18}" text-anchor="middle">${t}</text>`;
  });
  return (
    `<g class="axis x">${ticks.join('')}` +
    `<line class="axis-line" x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${bottom}" y2="${bottom}"/>` +
    `<text class="axis-label" x="${MARGIN.left + PLOT_W / 2}" y="${HEIGHT - 6}" text-anchor="middle">epoch</text></g>`
  );
}

function rule(chart: LineChart, x: (index: number) => number): string {
  if (chart.rule === undefined) return '';
  const at = px(x(chart.rule.epoch));
  return (
    `<g class="rule"><line x1="${at}" x2="${at}" y1="${MARGIN.top}" y2="${MARGIN.top + PLOT_H}"/>` +
    `<text x="${at}" y="${MARGIN.top - 4}" text-anchor="middle">${escapeHtml(chart.rule.label)}</text></g>`
  );
}

/** A <figure> holding the chart's SVG and a caption; the series need ≥ 1 value each, all of one length. */
export function renderChart(chart: LineChart): string {
  const epochs = chart.series[0].values.length;
  const buckets = bucketsOf(epochs);
  const xs = epochScale(epochs);
  const ys = valueScale(
    chart.series.flatMap((s) => s.values),
    { allowLog: chart.allowLog, bounds: chart.bounds },
  );
  // One epoch has no extent on the axis: centre it rather than pin it to the left edge.
  const xShown = (shown: number) => MARGIN.left + PLOT_W * (epochs === 1 ? 0.5 : xs.position(shown));
  const x = (index: number) => xShown(shownEpoch(index));
  const y = (v: number) => MARGIN.top + PLOT_H * (1 - ys.position(v));
  const id = `chart-${chart.key}`;
  const svg =
    `<svg class="chart" id="${id}" data-chart="${escapeHtml(chart.key)}" data-scale="${ys.kind}" viewBox="0 0 ${WIDTH} ${HEIGHT}" ` +
    `width="${WIDTH}" height="${HEIGHT}" role="img" aria-labelledby="${id}-title">` +
    `<title id="${id}-title">${escapeHtml(chart.title)}</title>` +
    yAxis(ys, y, chart) +
    xAxis(xs, xShown) +
    rule(chart, x) +
    legend(chart, buckets.length <= VISIBLE_MARKERS) +
    chart.series.map((s) => drawSeries(s, buckets, x, y, chart.format)).join('') +
    `</svg>`;
  const notes = [ys.kind === 'log' ? `log scale: the values span more than two decades` : 'linear scale'];
  if (buckets.length < epochs) notes.push(`each point stands for ${buckets[0].last + 1} consecutive epochs; the line passes through their lowest and highest values`);
  return `<figure class="chart-figure">${svg}<figcaption><strong>${escapeHtml(chart.title)}</strong> — ${escapeHtml(notes.join('; '))}.</figcaption></figure>`;
}
