// The training loop shared by fit() and fitSync(): written once as a
// generator that yields work (an epoch job for the engine, or a value to
// wait for: a Promise from onEpoch, the next chunk of an async source) and
// receives its result, so the synchronous and asynchronous drivers differ
// only in how they do a piece of work.
import { performance } from 'node:perf_hooks';
import type { AbortFlag, Backend, EpochJob, EpochResult, InputScaling, Layout, Objective, OwnedTrainingData, TrainingData } from '../backend/types.js';
import { ReductionCode } from '../backend/types.js';
import { l2Penalty, layerOffsets } from '../backend/layout.js';
import { AbortError, DeltapropError, DivergenceError } from '../errors.js';
import type { EpochVerdict } from './data-parallel.js';
import { agreementFields, Checksum, dataParallelJob, decideTogether, occupy, refuseSync, refuseUnsupported, settled, startAlike, sumOverProcesses } from './data-parallel.js';
import { backend } from '../backend/index.js';
import type { Chunk, ChunkSource, EpochInfo, History, ResolvedFit, WatchedFigure } from './fit-options.js';
import { risesWhenBetter } from './fit-options.js';
import type { Matrix } from '../matrix.js';
import { accuracyDenominator, hasAccuracy } from '../backend/js/metrics.js';
import type { OptimizerState } from './optimizer-state.js';
import { cloneOptimizerState, continueOrStart, optimizerJob } from './optimizer-state.js';
import type { Random } from '../random.js';
import type { RowData } from '../rows.js';
import type { Steps } from '../steps.js';
import type { MetricName } from '../table/metrics.js';
import type { TableRows } from '../table/table-rows.js';
import { BLOCK_ROWS } from '../rows.js';
import { advance, rateAt } from './schedules.js';
import type { EpochStart } from './divergence.js';
import { divergence, epochStart, likelyCause, rollBack } from './divergence.js';
import { saturatedLayers, saturationWarning } from './saturation.js';

/** A piece of work for the driver: run an epoch job, or wait for a value (`what` names it for fitSync's error). */
export type Work = { kind: 'epoch'; job: EpochJob } | { kind: 'wait'; value: unknown; what: string };

/** What the loop needs of a network. */
export interface TrainingContext {
  engine: Backend;
  layout: Layout;
  objective: Objective;
  params: Float64Array;
  shuffler: Random;
  /** Each layer's dropout rate, or null when no layer has one. */
  dropout: Float64Array | null;
  /** The generator of the dropout masks, advanced by the engines. */
  dropoutRandom: Random;
  inputScaling: InputScaling | null;
  /** The network's optimizer state (null: none yet), and where the loop puts the one it trains on. */
  optimizerState: OptimizerState | null;
  setOptimizerState(state: OptimizerState | null): void;
  /** Loss (weighted by `weights`, when given), accuracy where defined and the named metrics (unweighted) on rows, as evaluate() reports them; predicted a block at a time. */
  evaluate(inputs: RowData, targets: Matrix, weights: Float64Array | null, metrics: readonly MetricName[]): Steps<{ loss: number; accuracy?: number; metrics?: Partial<Record<MetricName, number>> }>;
  /** The named metrics of the network's outputs on rows (unweighted), predicted a block at a time. */
  measure(inputs: RowData, targets: Matrix, metrics: readonly MetricName[]): Steps<Partial<Record<MetricName, number>>>;
  /** The network's atomic save. */
  save(path: string): void;
  /** 'training' while an epoch runs (every call refused), 'between' around callbacks (reads allowed). */
  setPhase(phase: 'training' | 'between'): void;
  /** Checks and converts one chunk of a streamed data set. */
  readChunk(chunk: unknown, index: number): { inputs: Float64Array; targets: Matrix; weights: Float64Array | null; rows: number };
}

/**
 * The training rows: in memory (with one weight a row, or null; and a table
 * network's rows as given, or null), or streamed from a ChunkSource once per epoch.
 */
export type TrainingRows =
  | { kind: 'rows'; inputs: RowData; targets: Matrix; weights: Float64Array | null; table: TableRows | null }
  | { kind: 'stream'; source: ChunkSource };

/** The validation rows (their values checked as they are read), with the weights of their loss (or null). */
export interface Validation {
  inputs: RowData;
  targets: Matrix;
  weights: Float64Array | null;
}

/** What a chunk that an abort overtook reads as. */
const ABORTED = Symbol('aborted');

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
  yield { kind: 'wait', value: new Promise((resolve) => setImmediate(() => setImmediate(resolve))), what: 'fit\'s own work' };
  if (signal?.aborted) throw new AbortError(NO_EPOCHS(), 0);
}

/** Runs steps (src/steps.ts) inside fit's loop, pausing between them when due; fitSync runs them straight. */
export function* paced<T>(steps: Steps<T>, async: boolean, signal: AbortSignal | null = null): Generator<Work, T, unknown> {
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    yield* pauseIfDue(async, signal);
  }
}

/** What a watched figure is in an epoch's info. */
function figureOf(info: EpochInfo, watched: WatchedFigure): number {
  if ('figure' in watched) return watched.figure === 'loss' ? info.loss : watched.figure === 'validationLoss' ? info.validationLoss! : info.validationAccuracy!;
  return (watched.validation ? info.validationMetrics : info.metrics)![watched.metric]!;
}

/** The best-so-far of one monitored figure. */
class Watch {
  best: number;
  readonly #rises: boolean;
  constructor(readonly watched: WatchedFigure, readonly minDelta = 0) {
    this.#rises = risesWhenBetter(watched);
    this.best = this.#rises ? -Infinity : Infinity;
  }

  /** Records the epoch's figure; true when it improved on the best (a NaN never does). */
  update(info: EpochInfo): boolean {
    const figure = figureOf(info, this.watched);
    const better = this.#rises ? figure > this.best + this.minDelta : figure < this.best - this.minDelta;
    if (!better) return false;
    this.best = figure;
    return true;
  }
}

/** A checksum of rows and their targets, block by block (rows are converted or encoded a block at a time). */
function* rowsChecksum(inputs: RowData, targets: Matrix): Steps<number> {
  const sum = new Checksum();
  yield* inputs.eachBlock((block) => sum.add(block));
  return sum.add(targets.data).value;
}

/**
 * A data-parallel fit's start: every process agreeing on what decides the
 * steps and the stop (and on what it refuses, so that all refuse alike),
 * then taking rank 0's state.
 */
function* startTogether(
  ctx: TrainingContext, rows: TrainingRows, validation: Validation | null, fit: ResolvedFit,
  state: OptimizerState, async: boolean,
): Generator<Work, void, unknown> {
  const world = fit.distributed!;
  refuseSync(async);
  const job = optimizerJob(state);
  const { loss, reduction, l2 } = ctx.objective;
  const refusals = { engine: ctx.engine.name, dropout: ctx.dropout !== null, streamed: rows.kind === 'stream', weighted: rows.kind === 'rows' && rows.weights !== null };
  const scaling = ctx.inputScaling === null ? 0 : new Checksum().add(ctx.inputScaling.shift).add(ctx.inputScaling.spread).value;
  const data = rows.kind === 'rows' ? yield* paced(rowsChecksum(rows.inputs, rows.targets), async) : 0;
  const validated = validation === null ? 0 : yield* paced(rowsChecksum(validation.inputs, validation.targets), async);
  const fields = agreementFields({
    layout: ctx.layout, objective: [loss, reduction, l2], optimizer: Float64Array.of(job.code, ...job.settings),
    parameters: ctx.params.length, stateValues: state.buffers.length, steps: state.steps,
    rows: rows.kind === 'rows' ? rows.inputs.rows : 0, inputWidth: ctx.layout.sizes[0],
    outputWidth: ctx.layout.sizes[ctx.layout.sizes.length - 1], data,
    validation: validated,
    inputScaling: scaling, schedule: [fit.learningRate, state.position], stopping: [fit.earlyStopping, fit.checkpoint, fit.validationSplit],
    batchSize: fit.batchSize, epochs: fit.epochs, shuffle: fit.shuffle, clipNorm: fit.clipNorm, isa: backend.isa ?? 'none', refusals,
  });
  yield { kind: 'wait', value: world.agree(fields), what: 'checking that every process trains the same network on the same data' };
  refuseUnsupported(refusals);
  yield { kind: 'wait', value: startAlike(world, ctx.params, state, ctx.shuffler.words), what: "taking rank 0's parameters" };
}

export function* fitLoop(
  ctx: TrainingContext, rows: TrainingRows, validation: Validation | null, fit: ResolvedFit, async: boolean,
): Generator<Work, History, unknown> {
  const state = continueOrStart(ctx.optimizerState, fit.optimizer, fit.learningRate, ctx.params.length);
  ctx.setOptimizerState(state);
  const world = fit.distributed;
  const vacate = world === null ? null : occupy(world);
  try {
    if (world !== null) yield* startTogether(ctx, rows, validation, fit, state, async);
    return yield* trainEpochs(ctx, rows, validation, fit, state, async, world);
  } finally {
    vacate?.();
  }
}

/** The epochs of a fit, with what each ends with: figures, validation, schedules, early stopping, checkpoints, onEpoch. */
function* trainEpochs(
  ctx: TrainingContext, rows: TrainingRows, validation: Validation | null, fit: ResolvedFit,
  state: OptimizerState, async: boolean, world: ResolvedFit['distributed'],
): Generator<Work, History, unknown> {
  const output = ctx.layout.activations[ctx.layout.activations.length - 1];
  const accuracy = hasAccuracy(output);
  const history: History = { epochs: 0, loss: [], learningRate: [] };
  if (accuracy) history.accuracy = [];
  if (fit.metrics.length > 0 && rows.kind === 'rows') history.metrics = Object.fromEntries(fit.metrics.map((m) => [m, []]));
  if (validation) {
    history.validationLoss = [];
    if (accuracy) history.validationAccuracy = [];
    if (fit.metrics.length > 0) history.validationMetrics = Object.fromEntries(fit.metrics.map((m) => [m, []]));
  }
  const stopping = fit.earlyStopping === null ? null : new Watch(fit.earlyStopping.watched, fit.earlyStopping.minDelta);
  let best: { params: Float64Array; state: OptimizerState } | null = null;
  let sinceBest = 0;
  if (fit.earlyStopping) {
    history.bestEpoch = -1;
    history.stoppedEpoch = null;
  }
  const checkpointWatch = fit.checkpoint?.watched ? new Watch(fit.checkpoint.watched) : null;
  // Each layer's saturation is told once a fit (saturation.ts).
  const warnedLayers = new Set<number>();

  const abort: AbortFlag | null = fit.signal === null ? null : ctx.engine.createAbortFlag();
  const onAbort = () => abort!.abort();
  fit.signal?.addEventListener('abort', onAbort, { once: true });
  if (fit.signal?.aborted) abort!.abort();

  // Processes training together are aborted together, at an epoch's end (decideTogether): an epoch cut short on one alone would leave the others waiting.
  const epochs = new EpochRunner(ctx, fit, state, world === null ? abort : null, async);
  try {
    for (let epoch = 0; epoch < fit.epochs; epoch++) {
      if (abort?.aborted && world === null) throw new AbortError(history, 0);
      const learningRate = rateAt(fit.learningRate, state.position);
      const start = epochStart(ctx.params, state, ctx.dropoutRandom);
      if (fit.onProgress) {
        const onProgress = fit.onProgress;
        const mean = ctx.objective.reduction === ReductionCode.mean;
        epochs.report = (done, minibatches, totalMinibatches) => onProgress({
          epoch, minibatches, totalMinibatches, rows: done.rows, loss: mean ? done.lossSum / done.weightSum : done.lossSum,
        });
      }
      const done: Totals = rows.kind === 'rows'
        ? yield* epochs.inMemory(rows.inputs, rows.targets, rows.weights, learningRate)
        : yield* epochs.streamed(rows.source, learningRate);
      if (epochs.aborted) throw new AbortError(history, epochs.minibatches);
      const mean = ctx.objective.reduction === ReductionCode.mean;
      const loss = (mean ? done.lossSum / done.weightSum : done.lossSum) + l2Penalty(layerOffsets(ctx.layout), ctx.params, ctx.objective, done.weightSum);
      // The epoch's result came back: each piece of work after it may be the one that makes a pause due.
      yield* pauseIfDue(async);
      const why = divergence(loss, done.floored, ctx.params, state, start.rms);
      if (why !== null) {
        // The replay runs a minibatch at a time, which processes training together cannot do alone.
        const where = rows.kind === 'rows' && fit.distributed === null ? yield* epochs.locate(start, rows.inputs, learningRate) : null;
        rollBack(start, ctx.params, state, ctx.dropoutRandom);
        const cause = likelyCause(where?.largestInput ?? 0, ctx.inputScaling, learningRate);
        throw new DivergenceError(cause.argument, epoch, where?.minibatch ?? null, where?.why ?? why, cause.advice);
      }
      yield* pauseIfDue(async);
      const info: EpochInfo = { epoch, loss, learningRate };
      const warnings = saturatedLayers(ctx.layout, ctx.objective.loss, ctx.params, ctx.inputScaling !== null)
        .filter((s) => !warnedLayers.has(s.layer)).map((s) => (warnedLayers.add(s.layer), saturationWarning(s, learningRate)));
      if (warnings.length > 0) info.warnings = warnings;
      yield* pauseIfDue(async);
      if (accuracy) info.accuracy = done.correct / accuracyDenominator(output, done.rows, ctx.layout.sizes[ctx.layout.sizes.length - 1]);
      if (fit.metrics.length > 0 && rows.kind === 'rows') info.metrics = yield* paced(ctx.measure(rows.inputs, rows.targets, fit.metrics), async);
      if (validation) {
        const v = yield* paced(ctx.evaluate(validation.inputs, validation.targets, validation.weights, fit.metrics), async);
        info.validationLoss = v.loss;
        if (v.accuracy !== undefined) info.validationAccuracy = v.accuracy;
        if (v.metrics !== undefined) info.validationMetrics = v.metrics;
      }
      record(history, info);
      advance(fit.learningRate, state.position, info);

      let stop = false;
      if (stopping !== null) {
        if (stopping.update(info)) {
          history.bestEpoch = epoch;
          sinceBest = 0;
          if (fit.earlyStopping!.restoreBest) best = { params: Float64Array.from(ctx.params), state: cloneOptimizerState(state) };
        } else if (++sinceBest >= fit.earlyStopping!.patience) {
          history.stoppedEpoch = epoch;
          stop = true;
        }
      }
      // Every process has the same parameters: rank 0 alone writes them.
      const writes = world === null || world.rank === 0;
      let failure: { error: unknown } | null = null;
      if (fit.checkpoint !== null && (epoch + 1) % fit.checkpoint.every === 0 && (checkpointWatch === null || checkpointWatch.update(info)) && writes) {
        try {
          ctx.save(fit.checkpoint.path);
        } catch (error) {
          if (world === null) throw error;
          failure = { error };  // told to the other processes first (decideTogether)
        }
      }
      if (fit.onEpoch && failure === null) {
        const onEpoch = fit.onEpoch;
        let answer: unknown;
        if (world === null) answer = yield { kind: 'wait', value: onEpoch(info), what: 'options.onEpoch' };
        else {
          const outcome = (yield { kind: 'wait', value: settled(() => onEpoch(info)), what: 'options.onEpoch' }) as Awaited<ReturnType<typeof settled>>;
          if (outcome.failed) failure = { error: outcome.error };
          answer = outcome.value;
        }
        if (answer === false) {
          stop = true;
          if (fit.earlyStopping) history.stoppedEpoch = epoch;
        }
      }
      if (world !== null) {
        const verdict = (yield {
          kind: 'wait', value: decideTogether(world, { stop, aborted: abort?.aborted ?? false, failed: failure !== null }), what: 'deciding with the other processes whether to go on',
        }) as EpochVerdict;
        if (failure !== null) throw failure.error;
        if (verdict.failed) throw new DeltapropError('options.distributed', `another process's fit failed at the end of epoch ${epoch} (its onEpoch or checkpoint threw); this one stops with it`);
        if (verdict.aborted) throw new AbortError(history, 0);
        if (verdict.stop && !stop && fit.earlyStopping) history.stoppedEpoch = epoch;
        stop = verdict.stop;
      }
      if (stop) break;
    }
    if (best !== null && history.bestEpoch !== history.epochs - 1) {
      ctx.params.set(best.params);
      ctx.setOptimizerState(best.state);
      history.restoredEpoch = history.bestEpoch;
    }
    return history;
  } finally {
    fit.signal?.removeEventListener('abort', onAbort);
    epochs.release();
  }
}

/** Appends an epoch's figures to the history. */
function record(history: History, info: EpochInfo): void {
  history.epochs++;
  history.loss.push(info.loss);
  history.learningRate.push(info.learningRate);
  if (info.accuracy !== undefined) history.accuracy!.push(info.accuracy);
  if (info.validationLoss !== undefined) history.validationLoss!.push(info.validationLoss);
  if (info.validationAccuracy !== undefined) history.validationAccuracy!.push(info.validationAccuracy);
  for (const message of info.warnings ?? []) (history.warnings ??= []).push({ epoch: info.epoch, message });
  for (const [series, figures] of [[history.metrics, info.metrics], [history.validationMetrics, info.validationMetrics]] as const) {
    if (series === undefined || figures === undefined) continue;
    for (const [name, value] of Object.entries(figures)) series[name as MetricName]!.push(value);
  }
}

/** At most this many onProgress calls per epoch: each splits the epoch's engine call. */
const PROGRESS_CALLS = 100;

class EpochRunner {
  /** Set when the abort flag cut an epoch short; minibatches then counts those that ran in it. */
  aborted = false;
  minibatches = 0;
  /** Told after every engine call of the epoch, when fit has onProgress. */
  report: ((done: Totals, minibatches: number, totalMinibatches: number | null) => void) | null = null;
  #data: TrainingData | null = null;
  /** #data when it is the engine's copy rather than the caller's arrays borrowed. */
  #copy: OwnedTrainingData | null = null;
  #buffer: OwnedTrainingData | null = null;
  /** Whether the streamed rows' buffer holds weights (decided by the first chunk read). */
  #streamWeighted: boolean | null = null;
  /** The last in-memory epoch's order of rows, for its replay. */
  #order: Int32Array | null = null;
  readonly #dataParallel: EpochJob['dataParallel'];
  /** Rows per step over every process: the unit in which an epoch's calls are split. */
  readonly #stepRows: number;

  constructor(
    private readonly ctx: TrainingContext, private readonly fit: ResolvedFit, private readonly state: OptimizerState,
    private readonly abort: AbortFlag | null, private readonly async: boolean,
  ) {
    this.#dataParallel = dataParallelJob(fit.distributed);
    this.#stepRows = fit.batchSize * (fit.distributed?.size ?? 1);
  }

  private job(data: TrainingData, order: Int32Array, batchSize: number, learningRate: number, lossSumStart: number): EpochJob {
    const { ctx, fit } = this;
    return {
      layout: ctx.layout, objective: ctx.objective, params: ctx.params, optimizer: optimizerJob(this.state),
      data, order, batchSize, learningRate, clipNorm: fit.clipNorm, inputScaling: ctx.inputScaling,
      dropout: ctx.dropout, randomState: ctx.dropoutRandom.words, abort: this.abort, lossSumStart,
      dataParallel: this.#dataParallel,
    };
  }

  /**
   * Lets go of the engine's copies of the rows when the fit ends: the next
   * fit's copy then reuses the memory (a fresh 26 MB buffer's page faults
   * cost about 20 ms, more than its copy), and the memory does not wait for
   * the garbage collector, which does not see it.
   */
  release(): void {
    this.#copy?.release();
    this.#buffer?.release();
    this.#data = this.#copy = this.#buffer = null;
  }

  /** Runs one engine call over `order`'s rows of data, adding what it did to `total`. */
  private *run(data: TrainingData, order: Int32Array, learningRate: number, total: Totals): Generator<Work, void, unknown> {
    if (order.length === 0) return;
    // A batch larger than the rows is all of them (and keeps the engines' sizes in range).
    const batchSize = Math.min(this.fit.batchSize, order.length);
    this.ctx.setPhase('training');
    let result: EpochResult;
    try {
      result = (yield { kind: 'epoch', job: this.job(data, order, batchSize, learningRate, total.lossSum) }) as EpochResult;
    } finally {
      this.ctx.setPhase('between');
    }
    this.state.steps += result.steps;
    total.lossSum = result.lossSum;
    total.correct += result.correct;
    total.floored += result.floored;
    total.rows += result.rows;
    total.weightSum += result.weightSum;
    this.minibatches += result.minibatches;
    if (result.minibatches < Math.ceil(order.length / (batchSize * (this.fit.distributed?.size ?? 1)))) this.aborted = true;
  }

  /**
   * run() over the whole order, in slices of whole minibatches when progress
   * is reported. The slices continue one another (steps, generator, the loss
   * sum's order of terms), so the result is that of one call, to the bit.
   */
  private *runReporting(data: TrainingData, order: Int32Array, learningRate: number, total: Totals, known: boolean): Generator<Work, void, unknown> {
    if (this.report === null) return yield* this.run(data, order, learningRate, total);
    const batch = Math.min(this.#stepRows, order.length);
    const minibatches = Math.ceil(order.length / batch);
    const slice = Math.ceil(minibatches / PROGRESS_CALLS) * batch;
    for (let at = 0; at < order.length; at += slice) {
      yield* this.run(data, order.subarray(at, Math.min(order.length, at + slice)), learningRate, total);
      if (this.aborted) return;
      this.report(total, this.minibatches, known ? minibatches : null);
    }
  }

  private order(count: number): Int32Array {
    const order = new Int32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    if (this.fit.shuffle) this.ctx.shuffler.shuffle(order);
    return order;
  }

  /**
   * One epoch over rows held in memory, in one engine call. Every epoch
   * shuffles the identity afresh, so the order depends only on the
   * generator's state: chained fits equal one long fit.
   */
  *inMemory(inputs: RowData, targets: Matrix, weights: Float64Array | null, learningRate: number): Generator<Work, Totals, unknown> {
    if (this.#data === null) this.#data = yield* this.prepare(inputs, targets, weights);
    this.minibatches = 0;
    const total = new Totals();
    this.#order = this.order(inputs.rows);
    yield* this.runReporting(this.#data, this.#order, learningRate, total, true);
    const world = this.fit.distributed;
    if (world !== null) yield { kind: 'wait', value: sumOverProcesses(world, total), what: "adding up the processes' epochs" };
    return total;
  }

  /**
   * Replays the last in-memory epoch from `start` a minibatch at a time and
   * returns the first minibatch after which the values diverged, what went
   * wrong, and the largest |input| that minibatch read (as the network reads
   * it). The same order and generators make it the same computation.
   */
  *locate(start: EpochStart, inputs: RowData, learningRate: number): Generator<Work, { minibatch: number; why: string; largestInput: number } | null, unknown> {
    const order = this.#order!;
    const { ctx, fit } = this;
    rollBack(start, ctx.params, this.state, ctx.dropoutRandom);
    const batch = Math.min(fit.batchSize, order.length);
    for (let m = 0; m * batch < order.length; m++) {
      const rows = order.subarray(m * batch, Math.min(order.length, (m + 1) * batch));
      const total = new Totals();
      yield* this.run(this.#data!, rows, learningRate, total);
      const why = divergence(total.lossSum, total.floored, ctx.params, this.state, start.rms);
      if (why !== null) return { minibatch: m, why, largestInput: largestInput(inputs, rows, ctx.inputScaling) };
    }
    return null;
  }

  /**
   * The rows as the engine trains on them: borrowed, or copied once into its
   * own buffer a block at a time, letting the event loop run between blocks
   * (a large data set would otherwise hold it for a long copy).
   */
  private *prepare(inputs: RowData, targets: Matrix, weights: Float64Array | null): Generator<Work, TrainingData, unknown> {
    const { engine } = this.ctx;
    if (!(this.async && engine.asyncNeedsOwnedData)) return engine.borrowTrainingData(inputs.matrix().data, targets.data, inputs.rows, weights);
    const owned = engine.createTrainingData(inputs.rows, inputs.cols, targets.cols, weights !== null);
    this.#copy = owned;
    // Fresh pages cost more to touch first than to copy into: the engine maps them on its worker, then the copy runs at memory speed.
    yield { kind: 'wait', value: owned.touchPages(), what: "mapping the engine's memory for the rows" };
    // setRows copies the block, so one buffer serves every block converted (or encoded).
    const scratch = new Float64Array(Math.min(BLOCK_ROWS, inputs.rows) * inputs.cols);
    const copy = function* (): Steps<void> {
      for (let start = 0; start < inputs.rows; start += BLOCK_ROWS) {
        const count = Math.min(BLOCK_ROWS, inputs.rows - start);
        const rowWeights = weights?.subarray(start, start + count);
        owned.setRows(start, inputs.block(start, count, scratch), targets.data.subarray(start * targets.cols, (start + count) * targets.cols), count, rowWeights);
        yield;
      }
    };
    // Processes training together abort together, at an epoch's end, never one alone in its set-up.
    yield* paced(copy(), true, this.fit.distributed === null ? this.fit.signal : null);
    return owned;
  }

  /** A pending chunk, or ABORTED as soon as fit's signal is raised (processes training together abort at an epoch's end instead). */
  #unlessAborted<T>(pending: Promise<T>): Promise<T | typeof ABORTED> {
    const signal = this.fit.distributed === null ? this.fit.signal : null;
    if (signal === null) return pending;
    return new Promise((resolve, reject) => {
      if (signal.aborted) resolve(ABORTED);
      const onAbort = () => resolve(ABORTED);
      signal.addEventListener('abort', onAbort, { once: true });
      // Settling twice is a no-op: a chunk that comes after the abort is dropped, and its failure handled here, never unhandled.
      pending.then((value) => { signal.removeEventListener('abort', onAbort); resolve(value); }, (error) => { signal.removeEventListener('abort', onAbort); reject(error); });
    });
  }

  /**
   * One epoch over a ChunkSource. Rows collect in a buffer of shuffleBuffer
   * rows (at least a minibatch); a full buffer is shuffled and trained on,
   * whole minibatches only, and the rows left over start the next buffer. The
   * rest trains at the end of the epoch. Without shuffling this is exactly
   * the minibatches of an in-memory fit over the rows in order.
   */
  *streamed(source: ChunkSource, learningRate: number): Generator<Work, Totals, unknown> {
    const { ctx, fit } = this;
    const capacity = Math.max(fit.shuffleBuffer, fit.batchSize);
    const inputWidth = ctx.layout.sizes[0];
    const outputWidth = ctx.layout.sizes[ctx.layout.sizes.length - 1];
    this.minibatches = 0;
    const total = new Totals();
    let filled = 0;
    const trainBuffer = function* (this: EpochRunner, all: boolean): Generator<Work, void, unknown> {
      const buffer = this.#buffer;
      if (buffer === null) return;
      const order = this.order(filled);
      const trained = all ? filled : filled - (filled % fit.batchSize);
      yield* this.runReporting(buffer, order.subarray(0, trained), learningRate, total, false);
      // Left-over rows move to the front, in ascending position so none is overwritten before it moves.
      const left = Array.from(order.subarray(trained)).sort((a, b) => a - b);
      left.forEach((row, i) => { if (row !== i) buffer.copyRows(i, row, 1); });
      filled = left.length;
    };
    const chunks = openChunks(source);
    let finished = false;
    try {
      for (let index = 0; ; index++) {
        const next = chunks.next();
        const step = (isPromise(next) ? yield { kind: 'wait', value: this.#unlessAborted(next), what: 'the chunk source (an async iterable)' } : next) as IteratorResult<Chunk> | typeof ABORTED;
        // An abort does not wait for a slow or stalled source: the pending chunk is dropped, and the source closed (finally).
        if (step === ABORTED) {
          this.aborted = true;
          return total;
        }
        if (step.done) {
          finished = true;
          break;
        }
        // Waiting for a chunk is a minibatch boundary too.
        if (this.abort?.aborted) this.aborted = true;
        if (this.aborted) return total;
        const chunk = ctx.readChunk(step.value, index);
        // Weighted when the first chunk ever read is: later chunks without weights weigh 1 a row, which trains as unweighted rows do.
        this.#buffer ??= ctx.engine.createTrainingData(capacity, inputWidth, outputWidth, chunk.weights !== null);
        this.#streamWeighted ??= chunk.weights !== null;
        if (chunk.weights !== null && !this.#streamWeighted) {
          throw new DeltapropError(`chunk ${index}.sampleWeight`, 'the first chunk had no weights, and the stream buffer holds no weights: give every chunk weights, or none');
        }
        const weights = this.#streamWeighted ? chunk.weights ?? new Float64Array(chunk.rows).fill(1) : null;
        const buffer = this.#buffer;
        for (let start = 0; start < chunk.rows;) {
          const count = Math.min(capacity - filled, chunk.rows - start);
          const targets = chunk.targets.data.subarray(start * outputWidth, (start + count) * outputWidth);
          buffer.setRows(filled, chunk.inputs.subarray(start * inputWidth, (start + count) * inputWidth), targets, count, weights?.subarray(start, start + count));
          filled += count;
          start += count;
          if (filled === capacity) yield* trainBuffer.call(this, false);
          if (this.aborted) return total;
        }
      }
    } finally {
      // Stopped early (cancelled, or a bad chunk): let the source close its files.
      if (!finished) {
        const closing = chunks.return?.();
        if (isPromise(closing)) closing.then(() => undefined, () => undefined);
      }
    }
    yield* trainBuffer.call(this, true);
    if (total.rows === 0 && !this.aborted) throw new DeltapropError('source', 'returned no rows for this epoch');
    return total;
  }
}

/** What the engine calls of one epoch did, added up. */
class Totals {
  lossSum = 0;
  correct = 0;
  floored = 0;
  rows = 0;
  /** Σ of the rows' weights: rows when unweighted. */
  weightSum = 0;
}

/** The largest |x| of these rows, as the network reads them (scaled, if it scales). */
function largestInput(inputs: RowData, rows: Int32Array, scaling: InputScaling | null): number {
  let largest = 0;
  for (const r of rows) {
    const row = inputs.block(r, 1);
    row.forEach((x, j) => {
      largest = Math.max(largest, Math.abs(scaling === null ? x : (x - scaling.shift[j]) / scaling.spread[j]));
    });
  }
  return largest;
}

export function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** The iterator of this epoch's chunks, sync or async. */
function openChunks(source: ChunkSource): { next(): IteratorResult<Chunk> | Promise<IteratorResult<Chunk>>; return?(): unknown } {
  const iterable = source() as Partial<Iterable<Chunk> & AsyncIterable<Chunk>> | null;
  if (iterable && typeof iterable[Symbol.asyncIterator] === 'function') return iterable[Symbol.asyncIterator]!();
  if (iterable && typeof iterable[Symbol.iterator] === 'function') return iterable[Symbol.iterator]!();
  throw new DeltapropError('source', 'expected a function that returns an iterable or async iterable of { inputs, targets } chunks');
}
