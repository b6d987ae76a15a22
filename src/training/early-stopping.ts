// Early stopping: the fit stops once its watched figure has not improved for
// `patience` epochs, and with restoreBest ends with the best epoch's
// parameters and optimizer state.
import type { FitRun } from './fit-run.js';
import type { EpochEnd, EpochStep } from './epoch-end.js';
import type { ResolvedFit } from './fit-options.js';
import type { OptimizerState } from './optimizer-state.js';
import { cloneOptimizerState } from './optimizer-state.js';
import { Watch } from './watch.js';

export class EarlyStopping implements EpochStep {
  readonly #watch: Watch;
  #sinceBest = 0;
  #best: { params: Float64Array; state: OptimizerState } | null = null;

  constructor(
    private readonly run: FitRun,
    private readonly options: NonNullable<ResolvedFit['earlyStopping']>,
  ) {
    this.#watch = new Watch(options.watched, options.minDelta);
  }

  afterEpoch(end: EpochEnd): void {
    if (this.#watch.update(end.info)) {
      end.history.bestEpoch = end.epoch;
      this.#sinceBest = 0;
      if (this.options.restoreBest) this.#best = { params: Float64Array.from(this.run.ctx.params), state: cloneOptimizerState(this.run.state) };
    } else if (++this.#sinceBest >= this.options.patience) {
      end.requestStop();
    }
  }

  afterFit(): void {
    const { ctx, history } = this.run;
    if (this.#best === null || history.bestEpoch === history.epochs - 1) return;
    ctx.params.set(this.#best.params);
    ctx.setOptimizerState(this.#best.state);
    history.restoredEpoch = history.bestEpoch;
  }
}
