// The end of an epoch as a list of steps (src/training/fit-loop.ts runs
// them in order): divergence, saturation, the figures, the history, the
// schedule, early stopping, checkpoints, onEpoch. A new end-of-epoch policy
// is a new step.
import type { Totals } from './totals.js';
import type { EpochInfo, History } from './fit-options.js';
import type { Work } from './work.js';

/** One epoch's end as the steps see it: its figures, filled in step by step, and what they decided. */
export class EpochEnd {
  /** Set by a step (or the other processes) to end the fit after this epoch. */
  stop = false;
  /** A step's failure held until the processes training together have all heard of it (see Coordinator). */
  failure: { error: unknown } | null = null;

  constructor(
    /** The loop's own count (from 0): `info` is the user's to change once onEpoch has it. */
    readonly epoch: number,
    readonly info: EpochInfo,
    readonly done: Totals,
    readonly history: History,
  ) {}

  /** Ends the fit after this epoch; with early stopping, whatever stopped it is the stopped epoch. */
  requestStop(): void {
    this.stop = true;
    if (this.history.stoppedEpoch !== undefined) this.history.stoppedEpoch = this.epoch;
  }
}

/** Something each epoch ends with. */
export interface EpochStep {
  /**
   * Whether an async fit may pause before this step when its work has held
   * the thread long enough: set on the steps that pass over the parameters
   * or the rows; the light ones after them run in the same turn.
   */
  readonly pausesFirst?: boolean;
  /** Before the epoch trains (to remember where it started). */
  beforeEpoch?(epoch: number): void;
  /** After it trained: may add to the epoch's figures, ask the fit to stop, or fail. */
  afterEpoch(end: EpochEnd): Generator<Work, void, unknown> | void;
  /** After the last epoch, when the fit ends without an error. */
  afterFit?(): void;
}
