// The figures a training report shows of a model's evaluation, as the
// report's details give them (checked by check-figures.ts).

/** counts[actual][predicted]: how many rows of class `labels[actual]` the network called `labels[predicted]`. */
export interface ConfusionMatrix {
  labels: string[];
  counts: number[][];
}

/** Figures measured after training, e.g. by `network.evaluate` on a test set. */
export interface ReportEvaluation {
  loss: number;
  /** A fraction in [0, 1]. */
  accuracy?: number;
  /** Classification: rows = actual class, columns = predicted class. */
  confusion?: ConfusionMatrix;
  /** Any other named figures, e.g. `{ rmse, mae, r2 }` for a regression (an `r2` or `R²` is shown in the summary). */
  metrics?: Record<string, number>;
}

/** One class's scores on the test set. */
export interface ReportClass {
  /** The class's name; with a confusion matrix, the classes are its labels in its order. */
  label: string;
  /** Fractions in [0, 1]. */
  precision: number;
  recall: number;
  f1: number;
  /** The class's rows in the test set (their total weight when the rows are weighted). */
  support: number;
}

/** Figures of the model on a test set: its own section of the report, its headline figure in the summary. */
export interface ReportTest extends ReportEvaluation {
  /** Rows of the test set. */
  rows: number;
  /** Where the rows came from, e.g. a file name. */
  source?: string;
  /** Each class's precision, recall, F1 and support (the report adds their macro and weighted averages). */
  classes?: ReportClass[];
}
