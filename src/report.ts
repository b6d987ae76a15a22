// trainingReport: one self-contained HTML page about a training run. This
// file checks the arguments and assembles the page; each section is drawn by
// its own module under report/.
//
// Self-contained means the file loads nothing: no script, no external sheet,
// font or image, so it opens the same offline, years later, or as an e-mail
// attachment. Its Content-Security-Policy says so to the browser too
// (default-src 'none'), so anything that slipped in would be blocked, not
// fetched.
import { DeltapropError, describeValue } from './errors.js';
import type { History } from './fit-options.js';
import { Network } from './network.js';
import { dataSection, formatDate, runSection } from './report/context.js';
import { packageVersion } from './version.js';
import type { ResolvedDetails, TrainingReportDetails } from './report/details.js';
import { resolveDetails, resolveHistory } from './report/details.js';
import { resultsSection } from './report/evaluation.js';
import { escapeHtml, formatDuration, formatInteger, formatNumber, formatPercent } from './report/format.js';
import { modelSection } from './report/model.js';
import { stylesheet } from './report/style.js';
import { trainingSection } from './report/training.js';

export type { ConfusionMatrix, ReportData, ReportEvaluation, ReportTiming, TrainingReportDetails } from './report/details.js';

const POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** The few figures a reader looks for first. */
function summary(network: Network, history: History, details: ResolvedDetails): string {
  const items: [string, string][] = [['epochs', formatInteger(history.epochs)]];
  const last = history.epochs - 1;
  if (last >= 0) {
    items.push(['final loss', formatNumber(history.loss[last])]);
    if (history.validationLoss !== undefined) items.push(['final validation loss', formatNumber(history.validationLoss[last])]);
    if (history.validationAccuracy !== undefined) items.push(['final validation accuracy', formatPercent(history.validationAccuracy[last])]);
    else if (history.accuracy !== undefined) items.push(['final accuracy', formatPercent(history.accuracy[last])]);
  }
  const evaluation = details.evaluation;
  if (evaluation !== null) {
    items.push(evaluation.accuracy !== undefined ? ['evaluation accuracy', formatPercent(evaluation.accuracy)] : ['evaluation loss', formatNumber(evaluation.loss)]);
  }
  items.push(['parameters', formatInteger(network.params.length)]);
  if (details.timing !== null) items.push(['time', formatDuration(details.timing.seconds)]);
  return `<dl class="summary">${items.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join('')}</dl>`;
}

/**
 * A self-contained HTML page (one string) reporting a training run: per-epoch
 * charts of the history (SVG), the model's layers and settings, the final
 * metrics and confusion matrix, the data's shape and where it ran. It loads
 * nothing (no script, stylesheet, font or image) and prints cleanly. Every
 * string from `details` is HTML-escaped. Throws a DeltapropError for a bad
 * argument.
 */
export function trainingReport(network: Network, history: History, details?: TrainingReportDetails): string {
  if (!(network instanceof Network)) throw new DeltapropError('network', `expected a Network, got ${describeValue(network)}`);
  const checkedHistory = resolveHistory(history);
  const resolved = resolveDetails(details);
  const title = escapeHtml(resolved.title);
  const version = escapeHtml(packageVersion());
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="deltaprop ${version}">
<title>${title}</title>
<style>${stylesheet()}</style>
</head>
<body>
<header><h1>${title}</h1><p class="subtitle">deltaprop ${version} · ${escapeHtml(formatDate(resolved.date))}</p></header>
<main>
<section id="summary"><h2>Summary</h2>${summary(network, checkedHistory, resolved)}</section>
${trainingSection(checkedHistory)}
${modelSection(network, resolved.optimizer)}
${resultsSection(checkedHistory, resolved.evaluation)}
${dataSection(resolved.data)}
${runSection(network, resolved.timing, resolved.date)}
</main>
<footer>Made by deltaprop ${version}. This page is one file and loads nothing.</footer>
</body>
</html>
`;
}
