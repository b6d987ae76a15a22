import { DivergenceError } from '../errors.js';
import type { EpochEnd, EpochStep } from './epoch-end.js';
import type { EpochRunner } from './epoch-runner.js';
import type { FitRun } from './fit-run.js';
import type { EpochStart } from './divergence.js';
import { divergence, epochStart, likelyCause, rollBack } from './divergence.js';
import type { Work } from './work.js';

/**
 * The step that stops a fit whose values diverged (src/training/divergence.ts):
 * it names the minibatch where they did, rolls the network back to the
 * epoch's start and throws a DivergenceError.
 */
export class DivergenceCheck implements EpochStep {
  readonly pausesFirst = true;
  #start: EpochStart | null = null;

  constructor(
    private readonly run: FitRun,
    private readonly runner: EpochRunner,
  ) {}

  beforeEpoch(): void {
    const { ctx, state } = this.run;
    this.#start = epochStart(ctx.params, state, ctx.dropoutRandom);
  }

  // A plain method on the usual path: a generator object an epoch is a measurable share of a tiny network's epoch.
  afterEpoch({ epoch, info, done }: EpochEnd): Generator<Work, void, unknown> | void {
    const { ctx, state } = this.run;
    const why = divergence(info.loss, done.floored, ctx.params, state, this.#start!.rms);
    if (why !== null) return this.#stop(epoch, info.learningRate, why);
  }

  /** Names where the values diverged, rolls the network back and throws. */
  *#stop(epoch: number, learningRate: number, why: string): Generator<Work, void, unknown> {
    const { ctx, state, rows, coordinator } = this.run;
    const start = this.#start!;
    // The replay runs a minibatch at a time, which processes training together cannot do alone.
    const where = rows.kind === 'rows' && coordinator.alone ? yield* this.runner.locate(start, rows.inputs, learningRate) : null;
    rollBack(start, ctx.params, state, ctx.dropoutRandom);
    const cause = likelyCause(where?.largestInput ?? 0, ctx.inputScaling, learningRate);
    throw new DivergenceError(cause.argument, epoch, where?.minibatch ?? null, where?.why ?? why, cause.advice);
  }
}
