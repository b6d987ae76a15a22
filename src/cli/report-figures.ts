// The CLI's figures as the report's evaluation section takes them.
import type { ReportEvaluation } from '../report.js';
import type { Figures } from './metrics.js';

export function reportEvaluation(f: Figures): ReportEvaluation {
  if (f.task === 'classification') {
    return {
      loss: f.loss,
      accuracy: f.accuracy,
      confusion: f.confusion,
      metrics: { 'balanced accuracy': f.balancedAccuracy, 'macro precision': f.macro.precision, 'macro recall': f.macro.recall, 'macro F1': f.macro.f1, ...(Number.isNaN(f.auc) ? {} : { 'ROC AUC': f.auc }) },
    };
  }
  return { loss: f.loss, metrics: { 'R²': f.r2, RMSE: f.rmse, MAE: f.mae } };
}
