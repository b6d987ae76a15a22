// What fit does when it trains one model over several processes
// (options.distributed, a world from require('deltaprop/distributed')):
// checks that every process trains the same thing and that it can, makes
// every process start from rank 0's state, sums each epoch's figures over
// the processes, and makes every process stop (or fail) together. The minibatches themselves
// run in the native engine (train.h's DataParallel), which sums each
// gradient over the processes layer by layer through the world's reducer.
import type { EpochJob } from '../backend/types.js';
import { DeltapropError, describeValue } from '../errors.js';
import type { OptimizerState } from './optimizer-state.js';

/** What fit needs of a world from `distributed.init()`. */
export interface DataParallelWorld {
  readonly rank: number;
  readonly size: number;
  /** In place, summed over every process. */
  allreduceSum(values: Float64Array): Promise<void>;
  /** In place, rank `root`'s values on every process. */
  broadcast(values: Float64Array, root?: number): Promise<void>;
  /** Resolves when every process passed the same fields, else rejects on every process alike. */
  agree(fields: Record<string, number>): Promise<void>;
  /** The reducer the native engine sums gradients through (an External of the MPI addon). */
  nativeReducer(): unknown;
}

const METHODS = ['allreduceSum', 'broadcast', 'agree', 'nativeReducer'] as const;

/** options.distributed checked: the world when it has more than one process, else null (a plain fit). */
export function resolveDistributed(value: unknown): DataParallelWorld | null {
  if (value === undefined || value === null) return null;
  const world = value as Partial<DataParallelWorld>;
  const valid =
    typeof value === 'object' &&
    Number.isInteger(world.rank) &&
    Number.isInteger(world.size) &&
    world.size! >= 1 &&
    world.rank! >= 0 &&
    world.rank! < world.size! &&
    METHODS.every((m) => typeof (world as Record<string, unknown>)[m] === 'function');
  if (!valid) {
    throw new DeltapropError('options.distributed', `expected the world of require('deltaprop/distributed').init(), got ${describeValue(value)}`);
  }
  return world.size === 1 ? null : (world as DataParallelWorld);
}

const refuse = (why: string): never => {
  throw new DeltapropError('options.distributed', why);
};

/** fitSync cannot even agree (it cannot wait): refused at once. */
export function refuseSync(async: boolean): void {
  if (!async) refuse('fitSync cannot train over several processes (each step waits for the others): use fit');
}

/** What a data-parallel fit cannot do, refused once every process agreed on it, so on every process alike. */
export function refuseUnsupported({ engine, dropout, streamed, weighted }: Agreement['refusals']): void {
  if (engine !== 'native') refuse(`training over several processes needs the native engine, and this network uses the ${engine} engine`);
  if (weighted) refuse('training over several processes has no row weights yet (sampleWeight, classWeight)');
  if (dropout) refuse('training over several processes has no dropout yet: each process would draw masks for rows the others hold');
  if (streamed) refuse('training over several processes needs the rows in memory on every process (a ChunkSource is not supported yet)');
}

/** A 53-bit digest of numbers (FNV-1a over their float64 bytes), to compare shapes and settings across processes. */
function digest(values: ArrayLike<number>): number {
  const bytes = new Uint8Array(Float64Array.from(values).buffer);
  let hash = 0xcbf29ce484222325n;
  for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return Number(hash & 0x1fffffffffffffn);
}

/** The digest of a JSON-able value (settings objects), as `digest` of its text's code units. */
function digestOf(value: unknown): number {
  const text = JSON.stringify(value) ?? 'undefined';
  return digest(Array.from(text, (c) => c.charCodeAt(0)));
}

/**
 * A checksum of values that equal arrays give alike, in any engine: a sum
 * and a position-weighted sum, so that other values or the same values in
 * another order differ (almost surely), at one pass's cost.
 */
export class Checksum {
  #sum = 0;
  #weighted = 0;
  #at = 0;

  add(values: Float64Array): this {
    for (let i = 0; i < values.length; i++, this.#at++) {
      this.#sum += values[i];
      this.#weighted += values[i] * ((this.#at % 251) + 1);
    }
    return this;
  }

  get value(): number {
    return digest([this.#sum, this.#weighted, this.#at]);
  }
}

/**
 * What every process must agree on before training: whatever decides a
 * step or when training stops. A process that differed in any would train
 * another model, or stop alone and leave the others waiting.
 */
export interface Agreement {
  layout: { sizes: Int32Array; activations: Int32Array; bias: boolean };
  objective: ArrayLike<number>;
  optimizer: Float64Array;
  parameters: number;
  stateValues: number;
  steps: number;
  rows: number;
  inputWidth: number;
  outputWidth: number;
  /** Checksums of the training rows and targets, and of the validation rows (0: none). */
  data: number;
  validation: number;
  inputScaling: number;
  /** The learning-rate schedule and where it stands, earlyStopping, checkpoint and validationSplit. */
  schedule: unknown;
  stopping: unknown;
  batchSize: number;
  epochs: number;
  shuffle: boolean;
  clipNorm: number;
  /** The native kernels' ISA: the steps round alike only on the same one. */
  isa: string;
  /** What a data-parallel fit refuses: agreed first, so that every process refuses alike. */
  refusals: { engine: string; dropout: boolean; streamed: boolean; weighted: boolean };
}

/** The fields `agree` compares, each a number: a mismatch names the fields that differ. */
export function agreementFields(a: Agreement): Record<string, number> {
  return {
    'network shape': digest([...a.layout.sizes, ...a.layout.activations, a.layout.bias ? 1 : 0]),
    'loss and its settings': digest(a.objective),
    'optimizer and its settings': digest(a.optimizer),
    parameters: a.parameters,
    'optimizer state values': a.stateValues,
    'optimizer steps taken': a.steps,
    rows: a.rows,
    'input width': a.inputWidth,
    'output width': a.outputWidth,
    'the training rows (a checksum)': a.data,
    'the validation rows (a checksum)': a.validation,
    'input scaling': a.inputScaling,
    'learning-rate schedule': digestOf(a.schedule),
    'earlyStopping and checkpoint': digestOf(a.stopping),
    batchSize: a.batchSize,
    epochs: a.epochs,
    shuffle: a.shuffle ? 1 : 0,
    clipNorm: a.clipNorm,
    'native ISA': digestOf(a.isa),
    engine: digestOf(a.refusals.engine),
    dropout: a.refusals.dropout ? 1 : 0,
    'streamed rows': a.refusals.streamed ? 1 : 0,
    'row weights': a.refusals.weighted ? 1 : 0,
  };
}

/**
 * Rank 0's parameters, optimizer state and shuffling generator on every
 * process: they then visit the same permutation of the rows each epoch and
 * take the same steps.
 */
export async function startAlike(world: DataParallelWorld, params: Float64Array, state: OptimizerState, shuffler: Uint32Array): Promise<void> {
  await world.broadcast(params, 0);
  if (state.buffers.length > 0) await world.broadcast(state.buffers, 0);
  const words = Float64Array.from(shuffler); // uint32 values are exact in float64
  await world.broadcast(words, 0);
  shuffler.set(Array.from(words, (w) => w >>> 0));
}

/** The worlds a fit is training over now: one at a time each, since MPI matches collectives by their order. */
const busy = new WeakSet<DataParallelWorld>();

/** Marks `world` as trained over until the returned function is called; refuses a second fit meanwhile. */
export function occupy(world: DataParallelWorld): () => void {
  if (busy.has(world)) refuse('another fit is training over this world: one fit per world at a time (MPI matches collectives by their order)');
  busy.add(world);
  return () => busy.delete(world);
}

/** The epoch job's part for this process of `world`. */
export function dataParallelJob(world: DataParallelWorld | null): EpochJob['dataParallel'] {
  return world === null ? null : { reducer: world.nativeReducer(), rank: world.rank, ranks: world.size };
}

/** What each process decided at the end of an epoch; any one's decision is every one's. */
export interface EpochVerdict {
  stop: boolean;
  aborted: boolean;
  failed: boolean;
}

/**
 * The processes' decisions at an epoch's end, combined: a process that
 * stopped, was aborted or failed alone would leave the others waiting in
 * their next sum (or, worse, meet their sums with another collective).
 */
export async function decideTogether(world: DataParallelWorld, mine: EpochVerdict): Promise<EpochVerdict> {
  const votes = Float64Array.of(mine.stop ? 1 : 0, mine.aborted ? 1 : 0, mine.failed ? 1 : 0);
  await world.allreduceSum(votes);
  return { stop: votes[0] > 0, aborted: votes[1] > 0, failed: votes[2] > 0 };
}

/** A callback's outcome without a rejection, so that a process whose callback failed still takes part in the vote. */
export function settled(call: () => unknown): Promise<{ value?: unknown; error?: unknown; failed: boolean }> {
  try {
    return Promise.resolve(call()).then(
      (value) => ({ value, failed: false }),
      (error: unknown) => ({ error, failed: true }),
    );
  } catch (error) {
    return Promise.resolve({ error, failed: true });
  }
}

/** An epoch's figures, counted by each process over its own rows, summed over the processes. */
export async function sumOverProcesses(world: DataParallelWorld, totals: { lossSum: number; correct: number; floored: number; rows: number; weightSum: number }): Promise<void> {
  const sums = Float64Array.of(totals.lossSum, totals.correct, totals.floored, totals.rows, totals.weightSum);
  await world.allreduceSum(sums);
  // MPI does not promise every process the same bits of a sum; schedules and
  // early stopping compare these figures, so every process takes rank 0's.
  await world.broadcast(sums, 0);
  [totals.lossSum, totals.correct, totals.floored, totals.rows, totals.weightSum] = sums;
}
