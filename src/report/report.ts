// trainingReport: one self-contained HTML page about a training run, or
// about a model without one. This file checks the arguments and assembles
// the page; each section is drawn by its own module under report/.
//
// Self-contained means the file loads nothing: no script, no external sheet,
// font or image, so it opens the same offline, years later, or as an e-mail
// attachment. Its Content-Security-Policy says so to the browser too
// (default-src 'none'), so anything that slipped in would be blocked, not
// fetched.
import { DeltapropError, describeValue } from '../errors.js';
import type { History } from '../training/fit-options.js';
import { Network } from '../network.js';
import { dataSection, formatDate, runSection } from './context.js';
import { resolveDetails } from './details.js';
import type { TrainingReportDetails } from './details.js';
import { escapeHtml } from './format.js';
import { resolveHistory } from './history.js';
import { modelSection } from './model.js';
import { resultsSection } from './results.js';
import { stylesheet } from './style.js';
import { summarySection } from './summary.js';
import { testSection } from './test-set.js';
import { trainingSection } from './training.js';
import { packageVersion } from '../persistence/version.js';

export type { ConfusionMatrix, ReportClass, ReportData, ReportEvaluation, ReportTest, ReportTiming, TrainingReportDetails } from './details.js';

const POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/**
 * A self-contained HTML page (one string) reporting a training run: per-epoch
 * charts of the history (SVG; loss, accuracy, each of fit's `metrics`,
 * learning rate), the model's layers and settings, the figures of the model
 * the network holds (early stopping's restored epoch, else the last) and of
 * `details.evaluation`, a test-set section for `details.test` (figures,
 * each class's precision, recall and F1, confusion matrix), the data's shape
 * and where it ran. Epochs are shown numbered from 1. With `history` null
 * (a model evaluated, not trained here) the page has no training section and
 * its summary no epoch figures. It loads nothing (no script, stylesheet,
 * font or image) and prints cleanly. Every string from `details` is
 * HTML-escaped. Throws a DeltapropError for a bad argument.
 */
export function trainingReport(network: Network, history: History | null, details?: TrainingReportDetails): string {
  if (!(network instanceof Network)) throw new DeltapropError('network', `expected a Network, got ${describeValue(network)}`);
  // Only null means "no history": undefined is more likely a forgotten argument than a choice.
  const checkedHistory = history === null ? null : resolveHistory(history);
  const resolved = resolveDetails(details, checkedHistory === null ? 'Model report' : 'Training report');
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
${summarySection(network, checkedHistory, resolved)}
${trainingSection(checkedHistory)}
${modelSection(network, resolved.optimizer)}
${resultsSection(checkedHistory, resolved.evaluation)}
${testSection(resolved.test)}
${dataSection(resolved.data)}
${runSection(network, resolved.timing, resolved.date)}
</main>
<footer>Made by deltaprop ${version}. This page is one file and loads nothing.</footer>
</body>
</html>
`;
}
