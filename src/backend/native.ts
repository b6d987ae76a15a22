// Loads the native addon and adapts it to the Backend contract. Its only other
// job is to keep the reason the addon did not load, so that users are told why
// they are on the js engine instead of being left to guess.
import path from 'node:path';
import loadAddon from 'node-gyp-build';
import { DeltapropError } from '../errors.js';
import { fromReducerMessage } from '../distributed/errors.js';
import type { AbortFlag, Backend, EpochJob, EpochResult, InputScaling, Layout, Objective, OptimizerJob, OwnedTrainingData, TrainingData } from './types.js';

/** The native engine's settings: the ISA its kernels use and its thread pool. */
export interface EngineInfo {
  isa: string;
  supportedIsas: string[];
  threads: number;
}

/** The functions exported by native/addon (argument order as in the Backend contract). */
interface Addon {
  engineInfo(): EngineInfo;
  setIsa(name: string): void;
  setThreads(threads: number): void;
  vectorExp(x: Float64Array, y: Float64Array): void;
  peakProbe(iterations: number, threads: number): number;
  overlaps(a: Float64Array, aSpan: number, b: Float64Array, bSpan: number): boolean;
  gemm: Backend['gemm'];
  forwardLayer: Backend['forwardLayer'];
  backpropDelta: Backend['backpropDelta'];
  outputDelta(rows: number, cols: number, loss: number, reduction: number, activation: number, F: Float64Array, T: Float64Array, delta: Float64Array, weights: Float64Array | null): number;
  optimizerStep(...args: [sizes: Int32Array, activations: Int32Array, bias: boolean, ...optimizer: OptimizerArgs, learningRate: number, grads: Float64Array, params: Float64Array]): void;
  constants: NativeConstants;
  forward(sizes: Int32Array, activations: Int32Array, bias: boolean, params: Float64Array, inputs: Float64Array, rows: number, outputs: Float64Array[], ...scaling: ScalingArgs): void;
  gradients(
    sizes: Int32Array,
    activations: Int32Array,
    bias: boolean,
    loss: number,
    reduction: number,
    l2: number,
    params: Float64Array,
    inputs: Float64Array,
    targets: Float64Array,
    rows: number,
    grads: Float64Array,
    ...scalingAndWeights: [...scaling: ScalingArgs, weights: Float64Array | null]
  ): number;
  /** Its setRows takes weights exactly when made weighted (the argument may be left out otherwise). */
  TrainingData: new (rows: number, inputWidth: number, outputWidth: number, weighted: boolean) => OwnedTrainingData;
  AbortFlag: new () => AbortFlag;
  trainEpoch(...args: EpochArgs): EpochResult;
  trainEpochAsync(...args: EpochArgs): Promise<EpochResult>;
  trainEpochsAsync(epochs: EpochArgs[], threads: number): Promise<(EpochResult | Error)[]>;
  trainEpochDataParallel(...args: [...EpochArgs, unknown, number, number]): Promise<EpochResult>;
}

/** The limits and codes the addon was built with (compared with the TypeScript copies by a test). */
export interface NativeConstants {
  maxUnits: number;
  maxParameters: number;
  maxThreads: number;
  activations: Record<string, number>;
  losses: Record<string, number>;
  reductions: Record<string, number>;
  optimizers: Record<string, number>;
  optimizerSettings: string[];
  epochArguments: string[];
}

type OptimizerArgs = [optimizer: number, optimizerSettings: Float64Array, optimizerState: Float64Array, stepsTaken: number];

type ScalingArgs = [inputShift: Float64Array | null, inputSpread: Float64Array | null];

/** Borrowed rows: the sync trainEpoch reads the arrays themselves for the length of the call (and copies the weights). */
interface BorrowedData extends TrainingData {
  readonly borrowed: { inputs: Float64Array; targets: Float64Array; weights: Float64Array | null };
}

/**
 * The epoch functions' arguments, in order: the addon's kEpochArgNames
 * (native/addon/epoch_args.h), which it exports as constants.epochArguments;
 * test/epoch-args.test.ts compares the two, and checks that epochArgs puts
 * each value where this list names it.
 */
export const EPOCH_ARGUMENTS = [
  'sizes',
  'activations',
  'bias',
  'loss',
  'reduction',
  'l2',
  'params',
  'optimizer',
  'optimizerSettings',
  'optimizerState',
  'stepsTaken',
  'data',
  'inputs',
  'targets',
  'weights',
  'inputShift',
  'inputSpread',
  'order',
  'batchSize',
  'learningRate',
  'clipNorm',
  'dropout',
  'randomState',
  'abort',
  'lossSumStart',
] as const satisfies readonly (keyof EpochArgValues)[];

/** What each epoch argument holds. */
interface EpochArgValues {
  sizes: Int32Array;
  activations: Int32Array;
  bias: boolean;
  loss: number;
  reduction: number;
  l2: number;
  params: Float64Array;
  optimizer: number;
  optimizerSettings: Float64Array;
  optimizerState: Float64Array;
  stepsTaken: number;
  data: TrainingData | null;
  inputs: Float64Array | null;
  targets: Float64Array | null;
  weights: Float64Array | null;
  inputShift: Float64Array | null;
  inputSpread: Float64Array | null;
  order: Int32Array;
  batchSize: number;
  learningRate: number;
  clipNorm: number;
  dropout: Float64Array | null;
  randomState: Uint32Array;
  abort: AbortFlag | null;
  lossSumStart: number;
}

/** The types of the arguments Names lists, in its order. */
type ArgumentValues<Names extends readonly (keyof EpochArgValues)[]> = { -readonly [I in keyof Names]: EpochArgValues[Names[I]] };

type EpochArgs = ArgumentValues<typeof EPOCH_ARGUMENTS>;

function scalingArgs(scaling: InputScaling | null): ScalingArgs {
  return scaling === null ? [null, null] : [scaling.shift, scaling.spread];
}

function optimizerArgs(o: OptimizerJob): OptimizerArgs {
  return [o.code, o.settings, o.state, o.stepsTaken];
}

/** An epoch job as the addon's positional arguments (test/epoch-args.test.ts checks each position against its name). */
export function epochArgs(job: EpochJob): EpochArgs {
  const { layout: l, objective: o, optimizer: opt } = job;
  const borrowed = (job.data as Partial<BorrowedData>).borrowed;
  // One literal in EPOCH_ARGUMENTS's order: building it by name costs a quarter of a microsecond a call, 6% of the cheapest epoch.
  return [
    l.sizes,
    l.activations,
    l.bias,
    o.loss,
    o.reduction,
    o.l2,
    job.params,
    opt.code,
    opt.settings,
    opt.state,
    opt.stepsTaken,
    borrowed ? null : job.data,
    borrowed?.inputs ?? null,
    borrowed?.targets ?? null,
    borrowed?.weights ?? null,
    job.inputScaling?.shift ?? null,
    job.inputScaling?.spread ?? null,
    job.order,
    job.batchSize,
    job.learningRate,
    job.clipNorm,
    job.dropout,
    job.randomState,
    job.abort,
    job.lossSumStart,
  ];
}

/**
 * `fn`, with the addon's failure to allocate (a std::bad_alloc, or a Promise
 * rejected with one) turned into a DeltapropError that says so.
 */
/** The error a native call failed with, a DeltapropError when it ran out of memory. */
function translated(e: unknown): unknown {
  if (e instanceof Error && /bad_alloc|bad_array_new_length/.test(e.message)) {
    return new DeltapropError('memory', `the native engine could not allocate the memory this call needs (${e.message}); use fewer rows at a time or a smaller network`);
  }
  return e;
}

function allocating<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const translate = (e: unknown): never => {
    throw translated(e);
  };
  return (...args) => {
    try {
      const result = fn(...args);
      return (result instanceof Promise ? result.catch(translate) : result) as R;
    } catch (e) {
      return translate(e);
    }
  };
}

function adapt(addon: Addon): Backend {
  return {
    name: 'native',
    gemm: addon.gemm,
    forwardLayer: addon.forwardLayer,
    backpropDelta: addon.backpropDelta,
    outputDelta: (rows, cols, loss, reduction, activation, F, T, delta, weights) => addon.outputDelta(rows, cols, loss, reduction, activation, F, T, delta, weights ?? null),
    optimizerStep: (layout, optimizer, learningRate, grads, params) => addon.optimizerStep(layout.sizes, layout.activations, layout.bias, ...optimizerArgs(optimizer), learningRate, grads, params),
    forward: allocating((layout: Layout, params: Float64Array, inputs: Float64Array, rows: number, outputs: Float64Array[], scaling: InputScaling | null) =>
      addon.forward(layout.sizes, layout.activations, layout.bias, params, inputs, rows, outputs, ...scalingArgs(scaling)),
    ),
    gradients: allocating(
      (
        layout: Layout,
        o: Objective,
        params: Float64Array,
        inputs: Float64Array,
        targets: Float64Array,
        rows: number,
        grads: Float64Array,
        scaling: InputScaling | null,
        weights?: Float64Array | null,
      ) => addon.gradients(layout.sizes, layout.activations, layout.bias, o.loss, o.reduction, o.l2, params, inputs, targets, rows, grads, ...scalingArgs(scaling), weights ?? null),
    ),
    borrowTrainingData: (inputs, targets, rows, weights): BorrowedData => ({ rows, borrowed: { inputs, targets, weights: weights ?? null } }),
    createTrainingData: allocating((rows: number, inputWidth: number, outputWidth: number, weighted?: boolean) => new addon.TrainingData(rows, inputWidth, outputWidth, weighted ?? false)),
    asyncNeedsOwnedData: true,
    createAbortFlag: () => new addon.AbortFlag(),
    trainEpoch: allocating((job: EpochJob) => addon.trainEpoch(...epochArgs(job))),
    trainEpochAsync: allocating((job: EpochJob) =>
      job.dataParallel === null
        ? addon.trainEpochAsync(...epochArgs(job))
        : addon.trainEpochDataParallel(...epochArgs(job), job.dataParallel.reducer, job.dataParallel.rank, job.dataParallel.ranks).catch((e: Error) => {
            throw fromReducerMessage(e.message, 'options.distributed') ?? e;
          }),
    ),
    trainEpochsAsync: allocating(async (jobs: readonly EpochJob[], threads: number) =>
      (await addon.trainEpochsAsync(jobs.map(epochArgs), threads)).map((r) => (r instanceof Error ? (translated(r) as Error) : r)),
    ),
  };
}

/** The native backend and the settings only it has. */
export interface NativeEngine {
  backend: Backend;
  info(): EngineInfo;
  setIsa(name: string): void;
  setThreads(threads: number): void;
  /** y := exp(x) with the vector exp of the active ISA (for its accuracy tests). */
  vectorExp(x: Float64Array, y: Float64Array): void;
  /** GFLOP/s of the widest ISA's multiply-add units on `threads` threads at once (for the benchmarks). */
  peakProbe(iterations: number, threads: number): number;
  /** Whether the first aSpan elements of a and bSpan of b share memory (by address, whatever objects hold it). */
  overlaps(a: Float64Array, aSpan: number, b: Float64Array, bSpan: number): boolean;
  readonly constants: NativeConstants;
}

export type NativeLoad = { engine: NativeEngine; error: null } | { engine: null; error: string };

/** The package root, which holds build/ and prebuilds/ (this file is src/backend or dist/backend). */
const packageRoot = path.resolve(__dirname, '..', '..');

export function loadNative(): NativeLoad {
  try {
    const addon = loadAddon(packageRoot) as Addon;
    return {
      engine: {
        backend: adapt(addon),
        info: () => addon.engineInfo(),
        setIsa: (name) => addon.setIsa(name),
        setThreads: (threads) => addon.setThreads(threads),
        vectorExp: (x, y) => addon.vectorExp(x, y),
        peakProbe: (iterations, threads) => addon.peakProbe(iterations, threads),
        overlaps: (a, aSpan, b, bSpan) => addon.overlaps(a, aSpan, b, bSpan),
        constants: addon.constants,
      },
      error: null,
    };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return {
      engine: null,
      error: `${reason.split('\n')[0]} (rebuild it with \`npm rebuild deltaprop\`, which needs g++, make and python3)`,
    };
  }
}
