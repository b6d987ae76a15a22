/** What the engine calls of one epoch did, added up. */
export class Totals {
  lossSum = 0;
  correct = 0;
  floored = 0;
  rows = 0;
  /** Σ of the rows' weights: rows when unweighted. */
  weightSum = 0;

  /** The data loss on evaluate()'s scale: averaged over the rows' weights for 'mean', else the sum. */
  dataLoss(mean: boolean): number {
    return mean ? this.lossSum / this.weightSum : this.lossSum;
  }
}
