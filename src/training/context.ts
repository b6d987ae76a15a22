// What fit's loop is given: the network's side of training (TrainingContext),
// the rows it trains and validates on, and the settings of one fit.
import type { Backend, InputScaling, Layout, Objective } from '../backend/types.js';
import type { Matrix } from '../matrix.js';
import type { Random } from '../random.js';
import type { RowData } from '../rows.js';
import type { Steps } from '../steps.js';
import type { MetricName } from '../table/metrics.js';
import type { TableRows } from '../table/table-rows.js';
import type { ChunkSource, ResolvedFit } from './fit-options.js';
import type { OptimizerState } from './optimizer-state.js';

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
export type TrainingRows = { kind: 'rows'; inputs: RowData; targets: Matrix; weights: Float64Array | null; table: TableRows | null } | { kind: 'stream'; source: ChunkSource };

/** The validation rows (their values checked as they are read), with the weights of their loss (or null). */
export interface Validation {
  inputs: RowData;
  targets: Matrix;
  weights: Float64Array | null;
}

/** One fit: what it trains, on what, and how. */
export interface FitSetup {
  readonly ctx: TrainingContext;
  readonly rows: TrainingRows;
  readonly validation: Validation | null;
  readonly fit: ResolvedFit;
  /** The optimizer state the fit trains with (the network's, continued, or a fresh one). */
  readonly state: OptimizerState;
  /** fit (true) or fitSync (false). */
  readonly async: boolean;
}
