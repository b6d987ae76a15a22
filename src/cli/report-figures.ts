// The CLI's figures as the report's evaluation section takes them, and the
// report written.
import { writeFileAtomic } from '../persistence/files.js';
import type { ReportEvaluation } from '../report/report.js';
import type { Figures } from './metrics.js';
import { writeOrSay } from './paths.js';

/**
 * The figures a report shows, or null when their loss is not finite (a row
 * whose prediction overflows: a huge value in a validation row). The report
 * takes finite figures only; a figure that is not one is left out (the
 * history's validation loss shows it as ∞ at its epoch).
 */
export function reportEvaluation(f: Figures): ReportEvaluation | null {
  if (!Number.isFinite(f.loss)) return null;
  const finite = (metrics: Record<string, number>) => Object.fromEntries(Object.entries(metrics).filter(([, x]) => Number.isFinite(x)));
  if (f.task === 'classification') {
    return {
      loss: f.loss,
      ...(Number.isFinite(f.accuracy) ? { accuracy: f.accuracy } : {}),
      confusion: f.confusion,
      metrics: finite({ 'balanced accuracy': f.balancedAccuracy, 'macro precision': f.macro.precision, 'macro recall': f.macro.recall, 'macro F1': f.macro.f1, 'ROC AUC': f.auc }),
    };
  }
  return { loss: f.loss, metrics: finite({ 'R²': f.r2, RMSE: f.rmse, MAE: f.mae }) };
}

/** Builds the page and writes it to `file` (given by --report); a failure of either is one line, followed by `kept`. */
export function writeReport(what: string, file: string, page: () => string, kept?: string): void {
  writeOrSay(what, file, () => writeFileAtomic(file, [Buffer.from(page())], '--report'), kept);
}
