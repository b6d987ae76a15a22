// The best-so-far of one figure an epoch reports, for early stopping and
// for checkpoints that keep only improvements.
import { risesWhenBetter } from './fit-options.js';
import type { EpochInfo, WatchedFigure } from './fit-options.js';

/** What a watched figure is in an epoch's info. */
function figureOf(info: EpochInfo, watched: WatchedFigure): number {
  if ('figure' in watched) return watched.figure === 'loss' ? info.loss : watched.figure === 'validationLoss' ? info.validationLoss! : info.validationAccuracy!;
  return (watched.validation ? info.validationMetrics : info.metrics)![watched.metric]!;
}

/** The best-so-far of one monitored figure. */
export class Watch {
  best: number;
  readonly #rises: boolean;
  constructor(
    readonly watched: WatchedFigure,
    readonly minDelta = 0,
  ) {
    this.#rises = risesWhenBetter(watched);
    this.best = this.#rises ? -Infinity : Infinity;
  }

  /** Records the epoch's figure; true when it improved on the best (a NaN never does). */
  update(info: EpochInfo): boolean {
    const figure = figureOf(info, this.watched);
    const better = this.#rises ? figure > this.best + this.minDelta : figure < this.best - this.minDelta;
    if (!better) return false;
    this.best = figure;
    return true;
  }
}
