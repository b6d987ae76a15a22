// The coordinator of a data-parallel fit (options.distributed): every
// process agrees on what decides the steps and the stop before training,
// starts from rank 0's state, sums each epoch's figures, and stops, aborts
// or fails together at each epoch's end (a process that did any of these
// alone would leave the others waiting in their next sum). The helpers it
// uses are in src/training/data-parallel.ts.
import { backend } from '../backend/index.js';
import { DeltapropError } from '../errors.js';
import { AbortError } from './abort-error.js';
import type { Matrix } from '../matrix.js';
import type { RowData } from '../rows.js';
import type { Steps } from '../steps.js';
import type { FitSetup } from './context.js';
import type { Coordinator } from './coordinator.js';
import type { DataParallelWorld, EpochVerdict } from './data-parallel.js';
import { agreementFields, Checksum, decideTogether, occupy, refuseSync, refuseUnsupported, settled, startAlike, sumOverProcesses } from './data-parallel.js';
import type { EpochEnd } from './epoch-end.js';
import { optimizerJob } from './optimizer-state.js';
import type { Totals } from './totals.js';
import { paced } from './work.js';
import type { Work } from './work.js';

/** A checksum of rows and their targets, block by block (rows are converted or encoded a block at a time). */
function* rowsChecksum(inputs: RowData, targets: Matrix): Steps<number> {
  const sum = new Checksum();
  yield* inputs.eachBlock((block) => sum.add(block));
  return sum.add(targets.data).value;
}

/**
 * Every process agreeing on what decides the steps and the stop (and on what
 * it refuses, so that all refuse alike), then taking rank 0's state.
 */
function* startTogether(world: DataParallelWorld, { ctx, rows, validation, fit, state, async }: FitSetup): Generator<Work, void, unknown> {
  refuseSync(async);
  const job = optimizerJob(state);
  const { loss, reduction, l2 } = ctx.objective;
  const refusals = { engine: ctx.engine.name, dropout: ctx.dropout !== null, streamed: rows.kind === 'stream', weighted: rows.kind === 'rows' && rows.weights !== null };
  const scaling = ctx.inputScaling === null ? 0 : new Checksum().add(ctx.inputScaling.shift).add(ctx.inputScaling.spread).value;
  const data = rows.kind === 'rows' ? yield* paced(rowsChecksum(rows.inputs, rows.targets), async) : 0;
  const validated = validation === null ? 0 : yield* paced(rowsChecksum(validation.inputs, validation.targets), async);
  const fields = agreementFields({
    layout: ctx.layout,
    objective: [loss, reduction, l2],
    optimizer: Float64Array.of(job.code, ...job.settings),
    parameters: ctx.params.length,
    stateValues: state.buffers.length,
    steps: state.steps,
    rows: rows.kind === 'rows' ? rows.inputs.rows : 0,
    inputWidth: ctx.layout.sizes[0],
    outputWidth: ctx.layout.sizes[ctx.layout.sizes.length - 1],
    data,
    validation: validated,
    inputScaling: scaling,
    schedule: [fit.learningRate, state.position],
    stopping: [fit.earlyStopping, fit.checkpoint, fit.validationSplit],
    batchSize: fit.batchSize,
    epochs: fit.epochs,
    shuffle: fit.shuffle,
    clipNorm: fit.clipNorm,
    isa: backend.isa ?? 'none',
    refusals,
  });
  yield { kind: 'wait', value: world.agree(fields), what: 'checking that every process trains the same network on the same data' };
  refuseUnsupported(refusals);
  yield { kind: 'wait', value: startAlike(world, ctx.params, state, ctx.shuffler.words), what: "taking rank 0's parameters" };
}

/** The processes of `world` training one model; refuses a second fit over the same world meanwhile. */
export function together(world: DataParallelWorld): Coordinator {
  const vacate = occupy(world);
  return {
    alone: false,
    writesFiles: world.rank === 0,
    start: (setup) => startTogether(world, setup),
    *addUp(totals: Totals) {
      yield { kind: 'wait', value: sumOverProcesses(world, totals), what: "adding up the processes' epochs" };
    },
    attempt(end, action) {
      try {
        action();
      } catch (error) {
        end.failure = { error }; // told to the other processes first (decide)
      }
    },
    *ask(end, what, callback) {
      const outcome = (yield { kind: 'wait', value: settled(callback), what }) as Awaited<ReturnType<typeof settled>>;
      if (outcome.failed) end.failure = { error: outcome.error };
      return outcome.value;
    },
    *decide(end: EpochEnd, aborted: boolean) {
      const verdict = (yield {
        kind: 'wait',
        value: decideTogether(world, { stop: end.stop, aborted, failed: end.failure !== null }),
        what: 'deciding with the other processes whether to go on',
      }) as EpochVerdict;
      if (end.failure !== null) throw end.failure.error;
      if (verdict.failed) throw new DeltapropError('options.distributed', `another process's fit failed at the end of epoch ${end.epoch} (its onEpoch or checkpoint threw); this one stops with it`);
      if (verdict.aborted) throw new AbortError(end.history, 0);
      if (verdict.stop && !end.stop) end.requestStop();
    },
    release: vacate,
  };
}
