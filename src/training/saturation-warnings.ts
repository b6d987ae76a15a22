import type { TrainingContext } from './context.js';
import type { EpochEnd, EpochStep } from './epoch-end.js';
import { saturatedLayers, saturationWarning } from './saturation.js';

/** The step that warns of saturated layers (src/training/saturation.ts), each layer once a fit. */
export class SaturationWarnings implements EpochStep {
  readonly pausesFirst = true;
  readonly #warned = new Set<number>();

  constructor(private readonly ctx: TrainingContext) {}

  afterEpoch({ info }: EpochEnd): void {
    const { layout, objective, params, inputScaling } = this.ctx;
    const warnings = saturatedLayers(layout, objective.loss, params, inputScaling !== null)
      .filter((s) => !this.#warned.has(s.layer))
      .map((s) => (this.#warned.add(s.layer), saturationWarning(s, info.learningRate)));
    if (warnings.length > 0) info.warnings = warnings;
  }
}
