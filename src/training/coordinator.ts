// Who a fit agrees with: a process alone, or the processes of a
// data-parallel fit (src/training/together.ts). Everything a fit must do
// alike on every process goes through the coordinator: the start, each
// epoch's figures, and each epoch's end (stop, abort, failure). The loop
// itself does not know how many processes train.
import type { FitSetup } from './context.js';
import type { EpochEnd } from './epoch-end.js';
import type { Totals } from './totals.js';
import type { Work } from './work.js';

export interface Coordinator {
  /**
   * A process alone: an abort may cut an epoch short, an epoch that diverged
   * can be replayed a minibatch at a time, and a failure throws at once.
   * Processes training together do each only at an epoch's end, together.
   */
  readonly alone: boolean;
  /** Whether this process writes the fit's files (every process has the same parameters: one writes). */
  readonly writesFiles: boolean;
  /** Before the first epoch: whatever the processes must agree on, and the state they start from. */
  start(setup: FitSetup): Generator<Work, void, unknown>;
  /** An epoch's totals, over every process. */
  addUp(totals: Totals): Generator<Work, void, unknown> | null;
  /** Runs a step's action, which may throw. */
  attempt(end: EpochEnd, action: () => void): void;
  /** Calls a callback and waits for its answer (undefined when it failed and the failure waits for decide). */
  ask(end: EpochEnd, what: string, callback: () => unknown): Generator<Work, unknown, unknown>;
  /** The epoch's end: every process's decisions combined into `end` (or thrown). */
  decide(end: EpochEnd, aborted: boolean): Generator<Work, void, unknown> | null;
  /** When the fit ends, whichever way. */
  release(): void;
}

/** A process training alone: nothing to agree on, and every failure thrown where it happens. */
export function alone(): Coordinator {
  return {
    alone: true,
    writesFiles: true,
    *start() {},
    // null, not an empty generator, for the per-epoch calls: a generator object an epoch is a measurable share of a tiny network's epoch.
    addUp: () => null,
    attempt: (_end, action) => action(),
    *ask(_end, what, callback) {
      return yield { kind: 'wait', value: callback(), what };
    },
    // An abort raised during the epoch's end is seen at the next epoch's start (or not at all after the last).
    decide: () => null,
    release() {},
  };
}
