// The report's summary: the few figures a reader looks for first. They are
// those of the model the network holds, so with early stopping's restoreBest
// they come from the restored epoch, not the last one, and the summary says
// which epoch that is.
import type { History } from '../training/fit-options.js';
import type { Network } from '../network.js';
import type { ReportEvaluation, ResolvedDetails } from './details.js';
import { escapeHtml, factList, formatDuration, formatInteger, formatNumber, formatPercent, shownEpoch } from './format.js';
import { keptEpoch, keptReason } from './history.js';

type Card = [label: string, html: string];

/** The epochs run, the kept epoch and its loss, validation loss and accuracy. */
function trainingCards(history: History): Card[] {
  const cards: Card[] = [['epochs', escapeHtml(formatInteger(history.epochs))]];
  const kept = keptEpoch(history);
  if (kept === null) return cards;
  const at = kept.index;
  cards.push(['model kept', `epoch ${shownEpoch(at)} <small>${escapeHtml(keptReason(kept))}</small>`]);
  cards.push(['training loss', escapeHtml(formatNumber(history.loss[at]))]);
  if (history.validationLoss !== undefined) cards.push(['validation loss', escapeHtml(formatNumber(history.validationLoss[at]))]);
  if (history.validationAccuracy !== undefined) cards.push(['validation accuracy', escapeHtml(formatPercent(history.validationAccuracy[at]))]);
  else if (history.accuracy !== undefined) cards.push(['training accuracy', escapeHtml(formatPercent(history.accuracy[at]))]);
  return cards;
}

/** A regression's R², under either name the library's callers use ('R²' from the CLI, 'r2' as the metric is called). */
function rSquared(metrics: Record<string, number> | undefined): number | undefined {
  return metrics?.['R²'] ?? metrics?.r2;
}

/** What a set of figures is read by: its accuracy, its R², or, with neither, its loss. */
function headlineCards(prefix: string, figures: ReportEvaluation | null): Card[] {
  if (figures === null) return [];
  const cards: Card[] = [];
  if (figures.accuracy !== undefined) cards.push([`${prefix} accuracy`, escapeHtml(formatPercent(figures.accuracy))]);
  const r2 = rSquared(figures.metrics);
  if (r2 !== undefined) cards.push([`${prefix} R²`, escapeHtml(formatNumber(r2))]);
  return cards.length > 0 ? cards : [[`${prefix} loss`, escapeHtml(formatNumber(figures.loss))]];
}

export function summarySection(network: Network, history: History | null, details: ResolvedDetails): string {
  const cards: Card[] = [
    ...(history === null ? [] : trainingCards(history)),
    ...headlineCards('evaluation', details.evaluation),
    ...headlineCards('test', details.test),
    ['parameters', escapeHtml(formatInteger(network.params.length))],
  ];
  if (details.timing !== null) cards.push(['time', escapeHtml(formatDuration(details.timing.seconds))]);
  const note = history === null ? '<p class="muted note">This report holds no training history: it shows the model as it is and the figures measured on it.</p>' : '';
  return `<section id="summary"><h2>Summary</h2>${factList(cards, 'summary')}${note}</section>`;
}
