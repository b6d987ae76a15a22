// The training loop shared by fit() and fitSync(), written once as a
// generator of work (src/training/work.ts). Each epoch trains through the
// engine (src/training/epoch-runner.ts), then runs the steps it ends with
// (src/training/epoch-end.ts), then the coordinator decides with any other
// processes whether the fit goes on (src/training/coordinator.ts).
import type { AbortFlag, Backend, Objective } from '../backend/types.js';
import { ReductionCode } from '../backend/types.js';
import { AbortError } from './abort-error.js';
import { Checkpoint } from './checkpoint.js';
import type { FitSetup, TrainingContext, TrainingRows, Validation } from './context.js';
import { alone } from './coordinator.js';
import { DivergenceCheck } from './divergence-check.js';
import { EarlyStopping } from './early-stopping.js';
import { EpochEnd } from './epoch-end.js';
import type { EpochStep } from './epoch-end.js';
import { EpochRunner } from './epoch-runner.js';
import { epochLoss, EpochFigures } from './figures.js';
import type { BatchProgress, History, ResolvedFit } from './fit-options.js';
import type { FitRun } from './fit-run.js';
import { emptyHistory, recordHistory } from './history.js';
import { OnEpoch } from './on-epoch.js';
import { continueOrStart } from './optimizer-state.js';
import { SaturationWarnings } from './saturation-warnings.js';
import { ScheduleStep } from './schedule-step.js';
import { rateAt } from './schedules.js';
import { together } from './together.js';
import type { Totals } from './totals.js';
import { pauseIfDue } from './work.js';
import type { Work } from './work.js';

export function* fitLoop(ctx: TrainingContext, rows: TrainingRows, validation: Validation | null, fit: ResolvedFit, async: boolean): Generator<Work, History, unknown> {
  const state = continueOrStart(ctx.optimizerState, fit.optimizer, fit.learningRate, ctx.params.length);
  ctx.setOptimizerState(state);
  const setup: FitSetup = { ctx, rows, validation, fit, state, async };
  const coordinator = fit.distributed === null ? alone() : together(fit.distributed);
  let abort: ReturnType<typeof watchSignal> | null = null;
  try {
    abort = watchSignal(ctx.engine, fit.signal);
    yield* coordinator.start(setup);
    return yield* trainEpochs({ ...setup, coordinator, history: emptyHistory(setup) }, abort.flag);
  } finally {
    abort?.release();
    coordinator.release();
  }
}

/** What each epoch ends with, in order. */
function epochSteps(run: FitRun, runner: EpochRunner): EpochStep[] {
  const { fit } = run;
  return [
    new DivergenceCheck(run, runner),
    new SaturationWarnings(run.ctx),
    new EpochFigures(run),
    recordHistory,
    new ScheduleStep(run),
    ...(fit.earlyStopping === null ? [] : [new EarlyStopping(run, fit.earlyStopping)]),
    ...(fit.checkpoint === null ? [] : [new Checkpoint(run, fit.checkpoint)]),
    ...(fit.onEpoch ? [new OnEpoch(run, fit.onEpoch)] : []),
  ];
}

function* trainEpochs(run: FitRun, abort: AbortFlag | null): Generator<Work, History, unknown> {
  const { ctx, rows, fit, state, async, coordinator, history } = run;
  // Processes training together are aborted together, at an epoch's end (decide): an epoch cut short on one alone would leave the others waiting.
  const runner = new EpochRunner(ctx, fit, state, coordinator, coordinator.alone ? abort : null, async);
  const steps = epochSteps(run, runner);
  try {
    for (let epoch = 0; epoch < fit.epochs; epoch++) {
      if (abort?.aborted && coordinator.alone) throw new AbortError(history, 0);
      const learningRate = rateAt(fit.learningRate, state.position);
      for (const step of steps) step.beforeEpoch?.(epoch);
      runner.report = fit.onProgress ? progressReporter(fit.onProgress, ctx.objective, epoch) : null;
      const done = rows.kind === 'rows' ? yield* runner.inMemory(rows.inputs, rows.targets, rows.weights, learningRate) : yield* runner.streamed(rows.source, learningRate);
      if (runner.aborted) throw new AbortError(history, runner.minibatches);
      const end = new EpochEnd(epoch, { epoch, loss: epochLoss(ctx, done), learningRate }, done, history);
      for (const step of steps) {
        // The epoch's result came back: each piece of work after it may be the one that makes a pause due.
        if (step.pausesFirst) yield* pauseIfDue(async);
        const work = step.afterEpoch(end);
        if (work) yield* work;
      }
      const deciding = coordinator.decide(end, abort?.aborted ?? false);
      if (deciding) yield* deciding;
      if (end.stop) break;
    }
    for (const step of steps) step.afterFit?.();
    return history;
  } finally {
    runner.release();
  }
}

/** onProgress told of the epoch so far after each engine call. */
function progressReporter(onProgress: (progress: BatchProgress) => void, objective: Objective, epoch: number) {
  const mean = objective.reduction === ReductionCode.mean;
  return (done: Totals, minibatches: number, totalMinibatches: number | null) =>
    onProgress({
      epoch,
      minibatches,
      totalMinibatches,
      rows: done.rows,
      loss: done.dataLoss(mean),
    });
}

/** The engine's abort flag, raised with fit's signal (null without one); release() stops listening. */
function watchSignal(engine: Backend, signal: AbortSignal | null): { flag: AbortFlag | null; release(): void } {
  if (signal === null) return { flag: null, release() {} };
  const flag = engine.createAbortFlag();
  const onAbort = () => flag.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) flag.abort();
  return { flag, release: () => signal.removeEventListener('abort', onAbort) };
}
