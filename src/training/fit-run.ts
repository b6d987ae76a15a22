import type { FitSetup } from './context.js';
import type { Coordinator } from './coordinator.js';
import type { History } from './fit-options.js';

/** A fit under way: its set-up, who it agrees with, and the history it fills (what the end-of-epoch steps are built from). */
export interface FitRun extends FitSetup {
  readonly coordinator: Coordinator;
  readonly history: History;
}
