// The report's data and run sections: the data's shape, and where and how
// the training ran (time, speed, engine, ISA, threads, version, date), so
// two reports can be compared knowing what differed besides the model.
import { backend } from '../backend/index.js';
import type { Network } from '../network.js';
import { packageVersion } from '../persistence/version.js';
import type { ReportData, ReportTiming } from './details.js';
import { escapeHtml, factList, formatDuration, formatInteger, formatNumber } from './format.js';

/** Column names shown at most; a wide data set would otherwise bury the page. */
export const MAX_COLUMNS_SHOWN = 40;

/** "2025-11-26 08:25 UTC": one zone and no locale, so a report reads the same wherever it was made. */
export function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function dataSection(data: ReportData | null): string {
  if (data === null) return '';
  const facts: [string, string][] = [];
  if (data.source !== undefined) facts.push(['source', `<code>${escapeHtml(data.source)}</code>`]);
  const validation = data.validationRows ?? 0;
  facts.push([
    'rows',
    validation === 0 ? formatInteger(data.rows) : `${formatInteger(data.rows)} <span class="muted">(${formatInteger(data.rows - validation)} training, ${formatInteger(validation)} validation)</span>`,
  ]);
  facts.push(['inputs', `${formatInteger(data.inputs)} a row`]);
  facts.push(['outputs', formatInteger(data.outputs)]);
  if (data.columns !== undefined) {
    const shown = data.columns
      .slice(0, MAX_COLUMNS_SHOWN)
      .map((c) => `<code>${escapeHtml(c)}</code>`)
      .join(', ');
    const rest = data.columns.length - MAX_COLUMNS_SHOWN;
    facts.push([`columns (${formatInteger(data.columns.length)})`, rest > 0 ? `${shown} <span class="muted">and ${formatInteger(rest)} more</span>` : shown]);
  }
  return `<section id="data"><h2>Data</h2>${factList(facts)}</section>`;
}

export function runSection(network: Network, timing: ReportTiming | null, date: Date): string {
  const facts: [string, string][] = [];
  if (timing !== null) {
    facts.push(['time', escapeHtml(formatDuration(timing.seconds))]);
    facts.push(['samples/s', escapeHtml(formatNumber(timing.samplesPerSecond, 3))]);
  }
  // The network's own engine: it may differ from the default (options.backend).
  // ISA and threads are the native engine's settings now, when the report is written.
  const native = network.backend === 'native';
  facts.push(['engine', escapeHtml(network.backend)]);
  facts.push(['ISA', native ? escapeHtml(backend.isa ?? 'unknown') : '<span class="muted">none (js engine)</span>']);
  facts.push(['threads', native ? String(backend.threads) : '1 <span class="muted">(js engine)</span>']);
  facts.push(['deltaprop', escapeHtml(packageVersion())]);
  facts.push(['Node.js', escapeHtml(process.version)]);
  facts.push(['date', `<time datetime="${date.toISOString()}">${escapeHtml(formatDate(date))}</time>`]);
  return `<section id="run"><h2>Run</h2>${factList(facts)}</section>`;
}
