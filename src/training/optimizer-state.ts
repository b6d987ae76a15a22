// The optimizer state that belongs to a network between fit calls and in its
// saved form: the optimizer it was made by, that optimizer's buffers
// (velocities or moments), the steps taken, and the learning-rate schedule
// with its position. A fit continues it when it uses the same optimizer
// (type and settings) and starts it afresh otherwise; a changed schedule
// starts only the schedule's position afresh.
import type { OptimizerJob } from '../backend/types.js';
import type { ResolvedOptimizer } from '../optimizers.js';
import { optimizerCode, optimizerSettings, sameOptimizer, stateSlots } from '../optimizers.js';
import type { ResolvedSchedule, SchedulePosition } from './schedules.js';
import { sameSchedule, startPosition } from './schedules.js';

export interface OptimizerState {
  readonly optimizer: ResolvedOptimizer;
  /** stateSlots(optimizer) buffers of the parameters' layout, one after another. */
  readonly buffers: Float64Array;
  /** Minibatch steps taken (Adam's t of the last step). */
  steps: number;
  schedule: ResolvedSchedule;
  position: SchedulePosition;
}

/** The state a fit with this optimizer and schedule trains on, given the network's (or null). */
export function continueOrStart(previous: OptimizerState | null, optimizer: ResolvedOptimizer, schedule: ResolvedSchedule, parameters: number): OptimizerState {
  if (previous === null || !sameOptimizer(previous.optimizer, optimizer)) {
    return { optimizer, buffers: new Float64Array(stateSlots(optimizer) * parameters), steps: 0, schedule, position: startPosition(schedule) };
  }
  if (!sameSchedule(previous.schedule, schedule)) {
    previous.schedule = schedule;
    previous.position = startPosition(schedule);
  }
  return previous;
}

/** The optimizer as the engines take it, at the state's current step. */
export function optimizerJob(state: OptimizerState): OptimizerJob {
  return { code: optimizerCode(state.optimizer), settings: optimizerSettings(state.optimizer), state: state.buffers, stepsTaken: state.steps };
}

/** A copy that later training does not change (early stopping keeps the best epoch's). */
export function cloneOptimizerState(state: OptimizerState): OptimizerState {
  return {
    optimizer: state.optimizer,
    buffers: Float64Array.from(state.buffers),
    steps: state.steps,
    schedule: state.schedule,
    position: { ...state.position },
  };
}
