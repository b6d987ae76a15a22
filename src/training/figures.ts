// An epoch's figures beyond its loss: accuracy (from the engine's counts),
// the metrics over the training rows, and the validation figures, each as
// evaluate() reports them.
import { accuracyDenominator, hasAccuracy } from '../backend/js/metrics.js';
import { ReductionCode } from '../backend/types.js';
import { l2Penalty, layerOffsets } from '../backend/layout.js';
import type { TrainingContext } from './context.js';
import type { EpochInfo } from './fit-options.js';
import type { FitRun } from './fit-run.js';
import type { EpochEnd, EpochStep } from './epoch-end.js';
import type { Totals } from './totals.js';
import { paced } from './work.js';
import type { Work } from './work.js';

/** The epoch's training loss on evaluate()'s scale: the minibatches' data losses, and the L2 term of the weights at its end. */
export function epochLoss(ctx: TrainingContext, done: Totals): number {
  return done.dataLoss(ctx.objective.reduction === ReductionCode.mean) + l2Penalty(layerOffsets(ctx.layout), ctx.params, ctx.objective, done.weightSum);
}

/** The step that measures accuracy, metrics and the validation figures. */
export class EpochFigures implements EpochStep {
  readonly pausesFirst = true;
  readonly #output: number;
  constructor(private readonly run: FitRun) {
    this.#output = run.ctx.layout.activations[run.ctx.layout.activations.length - 1];
  }

  // A generator only when there are rows to measure: a tiny network's epoch would feel one each epoch.
  afterEpoch({ info, done }: EpochEnd): Generator<Work, void, unknown> | void {
    const { ctx, rows, validation, fit } = this.run;
    const { sizes } = ctx.layout;
    if (hasAccuracy(this.#output)) info.accuracy = done.correct / accuracyDenominator(this.#output, done.rows, sizes[sizes.length - 1]);
    if ((fit.metrics.length > 0 && rows.kind === 'rows') || validation) return this.#measure(info);
  }

  /** The metrics over the training rows and the validation figures, paced. */
  *#measure(info: EpochInfo): Generator<Work, void, unknown> {
    const { ctx, rows, validation, fit, async } = this.run;
    if (fit.metrics.length > 0 && rows.kind === 'rows') info.metrics = yield* paced(ctx.measure(rows.inputs, rows.targets, fit.metrics), async);
    if (validation) {
      const v = yield* paced(ctx.evaluate(validation.inputs, validation.targets, validation.weights, fit.metrics), async);
      info.validationLoss = v.loss;
      if (v.accuracy !== undefined) info.validationAccuracy = v.accuracy;
      if (v.metrics !== undefined) info.validationMetrics = v.metrics;
    }
  }
}
