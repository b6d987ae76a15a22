import type { EpochEnd, EpochStep } from './epoch-end.js';
import type { FitRun } from './fit-run.js';
import { advance } from './schedules.js';

/** The step that moves the learning-rate schedule on by an epoch (a plateau schedule watches its figure). */
export class ScheduleStep implements EpochStep {
  constructor(private readonly run: FitRun) {}

  afterEpoch({ info }: EpochEnd): void {
    advance(this.run.fit.learningRate, this.run.state.position, info);
  }
}
