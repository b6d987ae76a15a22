// What fit does when it trains one model over several processes
// (options.distributed, a world from require('deltaprop/distributed')):
// checks that it can, makes every process start from rank 0's state, and
// sums each epoch's figures over the processes. The minibatches themselves
// run in the native engine (train.h's DataParallel), which sums each
// gradient over the processes layer by layer through the world's reducer.
import type { EpochJob } from './backend/types.js';
import { DeltapropError, describeValue } from './errors.js';
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
  const valid = typeof value === 'object' && Number.isInteger(world.rank) && Number.isInteger(world.size)
    && world.size! >= 1 && world.rank! >= 0 && world.rank! < world.size!
    && METHODS.every((m) => typeof (world as Record<string, unknown>)[m] === 'function');
  if (!valid) {
    throw new DeltapropError('options.distributed', `expected the world of require('deltaprop/distributed').init(), got ${describeValue(value)}`);
  }
  return world.size === 1 ? null : (world as DataParallelWorld);
}

/** What a data-parallel fit cannot do, refused before anything runs, on every process alike. */
export function refuseUnsupported(engine: string, async: boolean, dropout: boolean, streamed: boolean): void {
  const refuse = (why: string) => { throw new DeltapropError('options.distributed', why); };
  if (!async) refuse('fitSync cannot train over several processes (each step waits for the others): use fit');
  if (engine !== 'native') refuse(`training over several processes needs the native engine, and this network uses the ${engine} engine`);
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

/** What every process must agree on before training: shapes, data, settings. */
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
  batchSize: number;
  epochs: number;
  shuffle: boolean;
  clipNorm: number;
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
    batchSize: a.batchSize,
    epochs: a.epochs,
    shuffle: a.shuffle ? 1 : 0,
    clipNorm: a.clipNorm,
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
  const words = Float64Array.from(shuffler);  // uint32 values are exact in float64
  await world.broadcast(words, 0);
  shuffler.set(Array.from(words, (w) => w >>> 0));
}

/** The epoch job's part for this process of `world`. */
export function dataParallelJob(world: DataParallelWorld | null): EpochJob['dataParallel'] {
  return world === null ? null : { reducer: world.nativeReducer(), rank: world.rank, ranks: world.size };
}

/** An epoch's figures, counted by each process over its own rows, summed over the processes. */
export async function sumOverProcesses(world: DataParallelWorld, totals: { lossSum: number; correct: number; floored: number; rows: number }): Promise<void> {
  const sums = Float64Array.of(totals.lossSum, totals.correct, totals.floored, totals.rows);
  await world.allreduceSum(sums);
  [totals.lossSum, totals.correct, totals.floored, totals.rows] = sums;
}
