// options.onEpoch: the user's callback after each epoch, awaited; `false`
// stops the fit.
import type { FitRun } from './fit-run.js';
import type { EpochEnd, EpochStep } from './epoch-end.js';
import type { FitOptions } from './fit-options.js';
import type { Work } from './work.js';

export class OnEpoch implements EpochStep {
  constructor(
    private readonly run: FitRun,
    private readonly onEpoch: NonNullable<FitOptions['onEpoch']>,
  ) {}

  *afterEpoch(end: EpochEnd): Generator<Work, void, unknown> {
    // A step that failed already (a checkpoint, together with other processes) skips the callback.
    if (end.failure !== null) return;
    // Called as a plain function, never as a method of this step (its `this` is undefined).
    const onEpoch = this.onEpoch;
    const answer = yield* this.run.coordinator.ask(end, 'options.onEpoch', () => onEpoch(end.info));
    if (answer === false) end.requestStop();
  }
}
