// One epoch's training through the engine: over rows in memory (copied once
// into the engine's buffer when an async fit needs it), or over a stream of
// chunks collected in a shuffle buffer; split into slices when onProgress
// is told; and the replay of an epoch that diverged, a minibatch at a time.
import type { AbortFlag, EpochJob, EpochResult, InputScaling, OwnedTrainingData, TrainingData } from '../backend/types.js';
import { DeltapropError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import type { RowData } from '../rows.js';
import { BLOCK_ROWS } from '../rows.js';
import type { Steps } from '../steps.js';
import type { TrainingContext } from './context.js';
import type { Coordinator } from './coordinator.js';
import { dataParallelJob } from './data-parallel.js';
import type { EpochStart } from './divergence.js';
import { divergence, rollBack } from './divergence.js';
import type { Chunk, ChunkSource, ResolvedFit } from './fit-options.js';
import type { OptimizerState } from './optimizer-state.js';
import { optimizerJob } from './optimizer-state.js';
import { Totals } from './totals.js';
import { isPromise, paced } from './work.js';
import type { Work } from './work.js';

/** What a chunk that an abort overtook reads as. */
const ABORTED = Symbol('aborted');

/** At most this many onProgress calls per epoch: each splits the epoch's engine call. */
const PROGRESS_CALLS = 100;

export class EpochRunner {
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
    private readonly ctx: TrainingContext,
    private readonly fit: ResolvedFit,
    private readonly state: OptimizerState,
    private readonly coordinator: Coordinator,
    private readonly abort: AbortFlag | null,
    private readonly async: boolean,
  ) {
    this.#dataParallel = dataParallelJob(fit.distributed);
    this.#stepRows = fit.batchSize * (fit.distributed?.size ?? 1);
  }

  private job(data: TrainingData, order: Int32Array, batchSize: number, learningRate: number, lossSumStart: number): EpochJob {
    const { ctx, fit } = this;
    return {
      layout: ctx.layout,
      objective: ctx.objective,
      params: ctx.params,
      optimizer: optimizerJob(this.state),
      data,
      order,
      batchSize,
      learningRate,
      clipNorm: fit.clipNorm,
      inputScaling: ctx.inputScaling,
      dropout: ctx.dropout,
      randomState: ctx.dropoutRandom.words,
      abort: this.abort,
      lossSumStart,
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
    const adding = this.coordinator.addUp(total);
    if (adding) yield* adding;
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
    yield* paced(copy(), true, this.coordinator.alone ? this.fit.signal : null);
    return owned;
  }

  /** A pending chunk, or ABORTED as soon as fit's signal is raised (processes training together abort at an epoch's end instead). */
  #unlessAborted<T>(pending: Promise<T>): Promise<T | typeof ABORTED> {
    const signal = this.coordinator.alone ? this.fit.signal : null;
    if (signal === null) return pending;
    return new Promise((resolve, reject) => {
      if (signal.aborted) resolve(ABORTED);
      const onAbort = () => resolve(ABORTED);
      signal.addEventListener('abort', onAbort, { once: true });
      // Settling twice is a no-op: a chunk that comes after the abort is dropped, and its failure handled here, never unhandled.
      pending.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
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
      left.forEach((row, i) => {
        if (row !== i) buffer.copyRows(i, row, 1);
      });
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
        const weights = this.#streamWeighted ? (chunk.weights ?? new Float64Array(chunk.rows).fill(1)) : null;
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
        if (isPromise(closing))
          closing.then(
            () => undefined,
            () => undefined,
          );
      }
    }
    yield* trainBuffer.call(this, true);
    if (total.rows === 0 && !this.aborted) throw new DeltapropError('source', 'returned no rows for this epoch');
    return total;
  }
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

/** The iterator of this epoch's chunks, sync or async. */
function openChunks(source: ChunkSource): { next(): IteratorResult<Chunk> | Promise<IteratorResult<Chunk>>; return?(): unknown } {
  const iterable = source() as Partial<Iterable<Chunk> & AsyncIterable<Chunk>> | null;
  if (iterable && typeof iterable[Symbol.asyncIterator] === 'function') return iterable[Symbol.asyncIterator]!();
  if (iterable && typeof iterable[Symbol.iterator] === 'function') return iterable[Symbol.iterator]!();
  throw new DeltapropError('source', 'expected a function that returns an iterable or async iterable of { inputs, targets } chunks');
}
