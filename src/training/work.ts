// The unit of fit's loop: a generator yields work (an epoch job for the
// engine, or a value to wait for: a Promise from onEpoch, the next chunk of an
// async source) and receives its result, so that fit() and fitSync() differ
// only in how they do a piece of work. An async fit also pauses here, so that
// its own work never holds the JavaScript thread for long.
import { performance } from 'node:perf_hooks';
import type { EpochJob } from '../backend/types.js';
import { AbortError } from './abort-error.js';
import type { Steps } from '../steps.js';
import type { History } from './fit-options.js';

/** A piece of work for the driver: run an epoch job, or wait for a value (`what` names it for fitSync's error). */
export type Work = { kind: 'epoch'; job: EpochJob } | { kind: 'wait'; value: unknown; what: string };

/** How long work of fit (its set-up, the figures between epochs) may hold the JavaScript thread before it pauses, in an async fit. */
const PAUSE_MS = 4;

/** A fit that has not finished an epoch, for an AbortError raised during its set-up. */
const NO_EPOCHS = (): History => ({ epochs: 0, loss: [], learningRate: [] });

/**
 * When an async fit last took the JavaScript thread back (its start, or the
 * end of any wait: a pause, an epoch, a callback's Promise). Its work on the
 * thread counts from here, so what runs between two waits (an epoch's end,
 * its checks, its figures) is one stretch, however many steps it is made of.
 */
let resumedAt = performance.now();

/** Called by fit's driver whenever it resumes the loop. */
export function resumed(): void {
  resumedAt = performance.now();
}

/**
 * A pause (a setImmediate: timers and I/O run) when an async fit's work has
 * held the thread for PAUSE_MS since it last took it back; a raised
 * `signal` then ends it with an AbortError (set-up work, before any epoch).
 */
export function* pauseIfDue(async: boolean, signal: AbortSignal | null = null): Generator<Work, void, unknown> {
  if (!async || performance.now() - resumedAt < PAUSE_MS) return;
  // Two turns: a fit resumed by an event (an epoch's end, a worker's message) runs in the loop's poll phase, and one
  // setImmediate would resume it in the same turn's check phase, before any timer.
  yield { kind: 'wait', value: new Promise((resolve) => setImmediate(() => setImmediate(resolve))), what: "fit's own work" };
  if (signal?.aborted) throw new AbortError(NO_EPOCHS(), 0);
}

/** Runs steps (src/steps.ts) inside fit's loop, pausing between them when due; fitSync runs them straight. */
export function* paced<T>(steps: Steps<T>, async: boolean, signal: AbortSignal | null = null): Generator<Work, T, unknown> {
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    yield* pauseIfDue(async, signal);
  }
}

export function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
