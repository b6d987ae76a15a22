import { performance } from 'node:perf_hooks';
import type { Activation } from './activations.js';
import { activationCode } from './activations.js';
import type { BackendName } from './backend/index.js';
import { BACKEND_NAMES, backend as engines, getBackend } from './backend/index.js';
import type { LayerOffsets } from './backend/layout.js';
import { l2Penalty, layerOffsets, parameterCount } from './backend/layout.js';
import type { ActivationCode, Backend, EpochJob, EpochResult, InputScaling, Layout, Objective } from './backend/types.js';
import { EpochBatcher } from './training/epoch-batcher.js';
import { readFitTasks } from './training/fit-many.js';
import { DeltapropError, describeValue } from './errors.js';
import type { ChunkSource, FitOptions, History, ResolvedFit } from './training/fit-options.js';
import { resolveFitOptions } from './training/fit-options.js';
import { initialiseParams } from './init.js';
import type { Targets } from './labels.js';
import type { Loss, Reduction } from './losses.js';
import { lossCode, reductionCode } from './losses.js';
import { batchNormaliser } from './backend/js/loss.js';
import type { Matrix, MatrixLike } from './matrix.js';
import { MAX_ELEMENTS, matrix, toDataMatrix, toMatrix } from './matrix.js';
import { accuracyDenominator, countCorrect, hasAccuracy } from './backend/js/metrics.js';
import type { OnnxOptions } from './export/onnx.js';
import { exportedNetwork, resolveOnnxOptions, toOnnxBytes } from './export/onnx.js';
import type { OptimizerState } from './training/optimizer-state.js';
import type { Init, NetworkConfig, NetworkOptions, PendingConfig, TableNetworkOptions } from './options.js';
import { checkParameterCount, isBuilt, MAX_UNITS, resolveNetworkOptions } from './options.js';
import { Random, RandomStream } from './random.js';
import { BLOCK_ROWS, RowData } from './rows.js';
import type { InputScalingKind } from './scaling.js';
import { computeScaling, scalingSteps } from './scaling.js';
import type { Steps } from './steps.js';
import { runSteps } from './steps.js';
import type { NetworkJSON } from './persistence/serialize.js';
import { checkWritablePath } from './persistence/files.js';
import { readNetworkFile, writeModelFile } from './persistence/model-file.js';
import type { Metadata } from './persistence/metadata.js';
import type { SavedNetwork } from './persistence/saved-network.js';
import { decodeNetworkJSON, encodeNetworkJSON } from './persistence/serialize.js';
import type { TrainingRows, Validation } from './training/context.js';
import { fitLoop } from './training/fit-loop.js';
import { isPromise, paced, resumed } from './training/work.js';
import type { Work } from './training/work.js';
import type { FunctionOptions } from './export/to-function.js';
import { resolveFunctionOptions, toFunctionSource } from './export/to-function.js';
import { allocateFloat64, allocationError, checkHeap, checkMemory } from './memory.js';
import { checkInteger, checkKnownKeys, checkObject, checkOneOf, readNumbers } from './validate.js';
import type { MetricName } from './table/metrics.js';
import type { MetricTask } from './table/network-metrics.js';
import { checkMetricNames, measureOutputs } from './table/network-metrics.js';
import type { ReadingNetwork } from './table/network-data.js';
import { readChunk, readData, readRows, readTrainingData } from './table/network-data.js';
import { learnSchema, learnScaling } from './table/adapt.js';
import { classCount, classProbabilities, predictedIndices } from './table/classes.js';
import type { Schema } from './table/columns.js';
import { schemaWidth } from './table/columns.js';
import { Encoder } from './table/encode.js';
import type { Label } from './table/label-order.js';
import type { TableLike } from './table/table-rows.js';
import { TableRows } from './table/table-rows.js';
import type { LayerView } from './layer-view.js';

export type { LayerView };

export interface Gradients {
  /** The loss of the batch, L2 term included. */
  loss: number;
  /** dLoss/dparams, laid out like `network.params`. */
  grads: Float64Array;
  /** Per-layer views into `grads`. */
  layers: { weights: Matrix; biases: Float64Array | null }[];
}

export interface Evaluation {
  loss: number;
  /** For sigmoid (threshold 0.5) and softmax (argmax) outputs. */
  accuracy?: number;
  /** The metrics asked for (options.metrics), over every row. */
  metrics?: Partial<Record<MetricName, number>>;
}

/** How long one run of a forward pass of fit's figures (validation, metrics) should take: a pause can come after each. */
const FORWARD_MS = 2;

/**
 * Up to this many values, the hidden activations of predict and evaluate
 * (computed, then dropped) live in buffers the network keeps for the next
 * call of as many rows: a server's one-row predict then allocates only its
 * output. Larger calls allocate, so as not to hold their memory afterwards.
 */
const KEPT_HIDDEN_VALUES = 1 << 16;

/** Parameters #restore hands to the constructor, which adopts them instead of allocating and initialising its own. */
let restoredParams: Float64Array | null = null;

/** What exists once the input width is known: the layout and the parameters. */
interface Body {
  readonly layout: Layout;
  readonly offsets: LayerOffsets[];
  readonly params: Float64Array;
  readonly layers: readonly LayerView[];
}

/** Rows as predict, evaluate, gradients and fit take them: a numeric matrix, or a table network's rows (objects or arrays in column order). */
export type Inputs = MatrixLike | TableLike;

/** Options of evaluate() and gradients(). */
export interface WeightOptions {
  /** One weight ≥ 0 per row: the loss is Σ wᵢ lᵢ (divided by Σ wᵢ for reduction 'mean'). */
  sampleWeight?: readonly number[] | Float64Array;
}

/** Options of evaluate(). */
export interface EvaluateOptions extends WeightOptions {
  /** Metrics to compute over the whole set (see `metrics`), returned in `metrics`. */
  metrics?: MetricName[];
}

/** One network's training in Network.fitMany: what its own fit() would take. */
export interface FitTask {
  network: Network;
  /** Rows, or a chunk source (then without targets). */
  inputs: Inputs | ChunkSource;
  targets?: Targets;
  options?: FitOptions;
}

/** A feed-forward network trained by backpropagation. */
export class Network {
  readonly outputs: number;
  readonly loss: Loss;
  readonly reduction: Reduction;
  readonly bias: boolean;
  readonly l2: number;
  readonly seed: number;
  readonly init: Init;
  /** 'standard' or 'minmax' when the network scales its inputs, else null. */
  readonly inputScaling: InputScalingKind | null;
  /** options.metadata (frozen), or null. */
  readonly metadata: Metadata | null;
  /** The engine this network runs on. */
  readonly backend: BackendName;

  readonly #config: PendingConfig;
  readonly #engine: Backend;
  readonly #objective: Objective;
  /** Each layer's dropout rate, or null when no layer has one. */
  readonly #dropout: Float64Array | null;
  /** Null until the input width is known: a table network learns it with its columns. */
  #body: Body | null = null;
  /** A table network's encoder of rows, once its schema is learned. */
  #encoder: Encoder | null = null;
  /** What reading rows, targets and weights needs of this network (src/table/network-data.ts). */
  readonly #reading: ReadingNetwork;
  #shuffler: Random;
  #dropoutRandom: Random;
  #optimizerState: OptimizerState | null = null;
  /** The statistics of options.inputScaling, once adapt() or the first fit computed them. */
  #scaling: InputScaling | null = null;
  /** What runs: nothing, an epoch (every call refused), or fit's own work between epochs (reads allowed). */
  #phase: 'idle' | 'training' | 'between' = 'idle';
  /** The hidden activations' buffers of the last call of predict or evaluate, when small (see KEPT_HIDDEN_VALUES). */
  #keptHidden: { rows: number; data: Float64Array[] } | null = null;

  constructor(options: NetworkOptions | TableNetworkOptions) {
    const { config, backend } = resolveNetworkOptions(options);
    this.#config = config;
    this.#engine = getBackend(backend, 'options.backend');
    this.backend = this.#engine.name;
    ({ loss: this.loss, reduction: this.reduction, bias: this.bias, l2: this.l2, seed: this.seed, init: this.init } = config);
    this.inputScaling = config.inputScaling ?? null;
    this.metadata = config.metadata ?? null;
    this.outputs = config.layers[config.layers.length - 1].units;
    this.#objective = { loss: lossCode(config.loss), reduction: reductionCode(config.reduction), l2: config.l2 };
    const restored = restoredParams;
    restoredParams = null;
    this.#reading = {
      config,
      loss: this.loss,
      outputs: this.outputs,
      width: () => this.#built().layout.sizes[0],
      built: () => this.#body !== null,
      encoder: () => this.#encoder!,
      adapt: (rows) => this.#adaptTable(rows),
    };
    if (config.schema !== undefined) this.#encoder = new Encoder(config.schema);
    if (isBuilt(config)) this.#build(config.inputs, restored);
    this.#shuffler = Random.fromSeed(config.seed, RandomStream.shuffling);
    this.#dropoutRandom = Random.fromSeed(config.seed, RandomStream.dropout);
    this.#dropout = config.layers.some((l) => l.dropout !== undefined) ? Float64Array.from(config.layers, (l) => l.dropout ?? 0) : null;
  }

  /** Allocates (or adopts) the parameters once the input width is known; initialised from the seed as at construction. */
  #build(inputs: number, restored: Float64Array | null = null): void {
    const config = this.#config;
    config.inputs = inputs;
    checkParameterCount(config as NetworkConfig);
    const layout: Layout = {
      sizes: Int32Array.from([inputs, ...config.layers.map((l) => l.units)]),
      activations: Int32Array.from(config.layers.map((l) => activationCode(l.activation))),
      bias: config.bias,
    };
    const offsets = layerOffsets(layout);
    if (restored !== null && restored.length !== parameterCount(layout)) throw new Error('deltaprop: restored parameters of the wrong length');
    const params = restored ?? allocateFloat64('options.layers', parameterCount(layout), `the ${parameterCount(layout)} parameters`, 'build a smaller network');
    if (restored === null)
      initialiseParams(
        params,
        offsets,
        config.layers.map((l) => l.activation),
        config.init,
        config.seed,
      );
    this.#body = {
      layout,
      offsets,
      params,
      layers: viewsOf(
        offsets,
        config.layers.map((l) => l.activation),
        params,
      ),
    };
  }

  /** The layout and parameters; a table network that has not learned its columns has none yet. */
  #built(): Body {
    if (this.#body === null) {
      throw new DeltapropError('network', 'has not learned its input columns yet, so it has no input width or parameters: call net.adapt(rows) or fit it first');
    }
    return this.#body;
  }

  /** Width of an input row as the engines see it (a table network's encoded columns). */
  get inputs(): number {
    return this.#built().layout.sizes[0];
  }

  /** Every parameter, one buffer: W(0), b(0), W(1), b(1), ... */
  get params(): Float64Array {
    return this.#built().params;
  }

  get layers(): readonly LayerView[] {
    return this.#built().layers;
  }

  /** A table network's learned schema (its columns, their kinds, fills and categories), or null. */
  get schema(): Schema | null {
    return this.#config.schema ?? null;
  }

  /** A table network's input columns, in the order array rows give them; null for a network of numeric inputs. */
  get columns(): readonly string[] | null {
    return this.#config.columns?.map((c) => c.name) ?? null;
  }

  /** A classifier's class labels, in output order (given, or learned at the first fit), or null. */
  get classes(): readonly Label[] | null {
    return this.#config.classes === undefined ? null : Object.freeze([...this.#config.classes]);
  }

  /**
   * Forgets the optimizer's state (velocities, moments, step count, the
   * schedule's position): the next fit starts it afresh. Parameters are kept.
   */
  resetOptimizer(): void {
    this.#idle('resetOptimizer');
    this.#optimizerState = null;
  }

  /**
   * Learns from these rows (raw, as users feed them) what fit would learn at
   * the first fit otherwise: the input scaling's statistics and, for a table
   * network, its columns (kinds, fills, categories; once built, only the fills
   * and scaling are learned again: the weights depend on the rest).
   */
  adapt(inputs: Inputs): void {
    this.#idle('adapt');
    if (this.#config.columns !== undefined) {
      runSteps(this.#adaptTable(TableRows.of(inputs, 'inputs', this.columns!)));
      return;
    }
    if (this.inputScaling === null) throw new DeltapropError('network', 'was built without options.inputScaling or options.columns: there is nothing to adapt');
    this.#scaling = computeScaling(this.inputScaling, RowData.of(inputs as MatrixLike, 'inputs', this.inputs, 'options.inputs of the network'));
  }

  /** Learns a table network's columns (and input scaling) from these rows, building it at its first time; steps (src/steps.ts). */
  *#adaptTable(rows: TableRows): Steps<void> {
    const schema = yield* learnSchema(this.#config.columns!, rows, this.#config.schema ?? null);
    const width = schemaWidth(schema);
    if (width > MAX_UNITS)
      throw new DeltapropError('inputs', `encode into ${width} values, more than the ${MAX_UNITS} inputs a network may have: give the categorical columns a smaller maxCategories`);
    this.#config.schema = schema;
    this.#encoder = new Encoder(schema);
    if (this.#body === null) this.#build(width);
    if (this.inputScaling !== null) this.#scaling = yield* learnScaling(this.inputScaling, schema, rows);
  }

  /** The input scaling's statistics (column j is read as (x − shift[j]) / spread[j]), or null before any. */
  get scaling(): { shift: Float64Array; spread: Float64Array } | null {
    return this.#scaling === null ? null : { shift: Float64Array.from(this.#scaling.shift), spread: Float64Array.from(this.#scaling.spread) };
  }

  /** Copies a fanIn × fanOut matrix into layer i's weights. */
  setWeights(layer: number, weights: MatrixLike): void {
    this.#idle('setWeights');
    const view = this.layers[checkInteger('layer', layer, 0, this.layers.length - 1)];
    const W = toMatrix(weights, 'weights');
    if (W.rows !== view.fanIn || W.cols !== view.fanOut) {
      throw new DeltapropError('weights', `expected ${view.fanIn} × ${view.fanOut} for layer ${layer}, got ${W.rows} × ${W.cols}`);
    }
    toDataMatrix(W, 'weights', view.fanOut, 'fanOut');
    view.weights.data.set(W.data);
  }

  /** Copies fanOut values into layer i's biases. */
  setBiases(layer: number, biases: ArrayLike<number>): void {
    this.#idle('setBiases');
    const view = this.layers[checkInteger('layer', layer, 0, this.layers.length - 1)];
    if (view.biases === null) throw new DeltapropError('biases', 'this network was built with bias: false');
    // The length and each value are read once, into a copy that is then checked and used (typed arrays at their real length).
    view.biases.set(readNumbers('biases', biases, view.fanOut, `fanOut of layer ${layer}`));
  }

  /** The outputs for each row. */
  predict(inputs: Inputs): Matrix {
    this.#readable('predict');
    return this.#outputLayer(rowsOf(() => readRows(this.#reading, inputs, 'inputs').matrix()));
  }

  /** A classifier's class of each row (its label, or its index for a network without labels); null where an output is not finite. */
  predictClasses(inputs: Inputs): (Label | null)[] {
    this.#readable('predictClasses');
    const binary = this.#classifier('predictClasses');
    const classes = this.#config.classes;
    return predictedIndices(this.predict(inputs), binary).map((k) => (k === null ? null : classes === undefined ? k : classes[k]));
  }

  /** A classifier's probability of each class (columns in `classes` order): the softmax outputs, or [1 − p, p] for one sigmoid output. */
  predictProba(inputs: Inputs): Matrix {
    this.#readable('predictProba');
    return classProbabilities(this.predict(inputs), this.#classifier('predictProba'));
  }

  /** Whether the output is a single sigmoid (else softmax); an error for a network that is not a classifier. */
  #classifier(action: string): boolean {
    if (classCount(this.loss, this.outputs) === null) {
      throw new DeltapropError('network', `${action}() needs a classifier: a softmax output with loss 'cross-entropy', or one sigmoid output with 'binary-cross-entropy'`);
    }
    return this.loss === 'binary-cross-entropy';
  }

  /** The activation of every layer for each row; the last is the output. */
  forward(inputs: Inputs): Matrix[] {
    this.#readable('forward');
    return this.#activations(rowsOf(() => readRows(this.#reading, inputs, 'inputs').matrix()));
  }

  /** The loss of the batch and its gradient with respect to every parameter, by backpropagation. */
  gradients(inputs: Inputs, targets: Targets, options: WeightOptions = {}): Gradients {
    this.#readable('gradients');
    const o = checkObject('options', options);
    checkKnownKeys('options', o, ['sampleWeight']);
    const data = rowsOf(() => readData(this.#reading, inputs, targets, o.sampleWeight, 'options', ['inputs', 'targets']));
    const { targets: T, weights } = data;
    const X = rowsOf(() => data.inputs.matrix());
    this.#checkMemory(X.rows, true, 'inputs');
    const { layout, params } = this.#built();
    const grads = allocateFloat64('inputs', params.length, 'the gradient', 'this network is too large for this process');
    const loss = this.#engine.gradients(layout, this.#objective, params, X.data, T.data, X.rows, grads, this.#scaling, weights);
    return {
      loss,
      grads,
      layers: viewsOf(
        this.#built().offsets,
        this.#config.layers.map((l) => l.activation),
        grads,
      ).map(({ weights: w, biases }) => ({ weights: w, biases })),
    };
  }

  /** The loss (the objective gradients() reports), for sigmoid or softmax outputs the accuracy, and any metrics asked for. */
  evaluate(inputs: Inputs, targets: Targets, options: EvaluateOptions = {}): Evaluation {
    this.#readable('evaluate');
    const o = checkObject('options', options);
    checkKnownKeys('options', o, ['sampleWeight', 'metrics']);
    const names = o.metrics === undefined ? [] : checkMetricNames('options.metrics', o.metrics, this.#task());
    const { inputs: X, targets: T, weights } = rowsOf(() => readData(this.#reading, inputs, targets, o.sampleWeight, 'options', ['inputs', 'targets']));
    return this.#evaluation(this.#outputLayer(rowsOf(() => X.matrix())), T, weights, names);
  }

  /** What the metrics of this network measure: 'classification' (a classifier), else 'regression'. */
  #task(): MetricTask {
    return classCount(this.loss, this.outputs) === null ? 'regression' : 'classification';
  }
  /**
   * Trains on the rows (or, given a ChunkSource, on the chunks it yields each
   * epoch); every epoch runs off the JavaScript thread (the js engine's on a worker thread).
   */
  async fit(inputs: Inputs | ChunkSource, targets?: Targets | FitOptions, options?: FitOptions): Promise<History> {
    return this.#fitThrough((job) => this.#engine.trainEpochAsync(job), inputs, targets, options);
  }

  /**
   * Trains several networks at once: each as its own `fit(inputs, targets,
   * options)` would, to the bit (its own rows, options, seed, callbacks,
   * early stopping, checkpoints and abort signal), while their epochs share
   * the engine's calls and threads: the native engine trains a network per
   * thread instead of splitting each small product between threads. One
   * network failing (or aborted) leaves the others training. Resolves, once
   * all have ended, to each one's outcome in order, as Promise.allSettled
   * does: `{ status: 'fulfilled', value: history }` or `{ status:
   * 'rejected', reason: error }`. A network may appear once.
   */
  static async fitMany(tasks: readonly FitTask[]): Promise<PromiseSettledResult<History>[]> {
    const read = readFitTasks(tasks, (value): value is Network => value instanceof Network);
    const batchers = new Map<Backend, EpochBatcher>();
    const batcherOf = (engine: Backend): EpochBatcher => {
      if (!batchers.has(engine)) batchers.set(engine, new EpochBatcher(engine, engine.name === 'native' ? engines.threads : 1));
      return batchers.get(engine)!;
    };
    return Promise.allSettled(
      read.map(({ network, inputs, targets, options }) => {
        const batcher = batcherOf(network.#engine);
        const run = (job: EpochJob): Promise<EpochResult> => batcher.run(job);
        // A chunk source takes its options second, as fit() does; the rest is fit()'s to check.
        return targets === undefined
          ? network.#fitThrough(run, inputs as Inputs | ChunkSource, options as FitOptions | undefined)
          : network.#fitThrough(run, inputs as Inputs, targets as Targets, options as FitOptions | undefined);
      }),
    );
  }

  /** fit(), each epoch run by `runEpoch` (the engine's, or fitMany's shared calls). */
  async #fitThrough(runEpoch: (job: EpochJob) => Promise<EpochResult>, inputs: Inputs | ChunkSource, targets?: Targets | FitOptions, options?: FitOptions): Promise<History> {
    this.#idle('fit');
    // Its set-up (checks, the columns and scaling it learns, the copy of the rows) counts as training: every call is refused until the first epoch ends.
    this.#phase = 'training';
    const loop = this.#training(inputs, targets, options, true);
    try {
      resumed();
      let step = loop.next();
      while (!step.done) {
        const work: Work = step.value;
        const answer = work.kind === 'epoch' ? await runEpoch(work.job) : await work.value;
        resumed();
        step = loop.next(answer);
      }
      return step.value;
    } catch (e) {
      throw trainingAllocationError(e);
    } finally {
      // A failed piece of work leaves the loop suspended: close it, so its own clean-up runs.
      loop.return(undefined as never);
      this.#phase = 'idle';
    }
  }

  /** fit(), synchronously: blocks the thread until training ends. */
  fitSync(inputs: Inputs | ChunkSource, targets?: Targets | FitOptions, options?: FitOptions): History {
    this.#idle('fitSync');
    this.#phase = 'training';
    const loop = this.#training(inputs, targets, options, false);
    try {
      let step = loop.next();
      while (!step.done) {
        const work: Work = step.value;
        if (work.kind === 'wait' && isPromise(work.value)) {
          // Settle it quietly: fitSync is not going to wait for it.
          work.value.then(
            () => undefined,
            () => undefined,
          );
          throw new DeltapropError(work.what, 'returned a Promise, which fitSync cannot wait for: use fit() instead');
        }
        step = loop.next(work.kind === 'epoch' ? this.#engine.trainEpoch(work.job) : work.value);
      }
      return step.value;
    } catch (e) {
      throw trainingAllocationError(e);
    } finally {
      loop.return(undefined as never);
      this.#phase = 'idle';
    }
  }

  /** The network as a JSON document (options, parameters, optimizer state, generators, scaling): for small networks; save() holds any. */
  toJSON(): NetworkJSON {
    this.#readable('toJSON');
    // The values as one base64 text (4 characters, one byte each, for 3 bytes) built from a copy of their bytes.
    const values = this.#storedValues();
    checkHeap('network', (values * 32) / 3 + 2 ** 20, `toJSON's text of ${values} values`, 'use net.save(path), which writes any network a piece at a time');
    checkMemory('network', values * 8, `toJSON's copy of ${values} values`, 'use net.save(path), which writes any network a piece at a time');
    return encodeNetworkJSON(this.#saved());
  }

  /**
   * The network as an ONNX model (ModelProto bytes, opset 13) computing what
   * predict() does, input scaling included: input [batch, inputs], output
   * [batch, outputs]. See OnnxOptions and src/export/onnx.ts.
   */
  toONNX(options?: OnnxOptions): Uint8Array {
    this.#readable('toONNX');
    const resolved = resolveOnnxOptions(options, this.layers.length);
    // The parameters' bytes are copied into the tensors, the encoder's buffer and the array returned: about 4 copies at once.
    const bytes = 4 * this.params.length * (resolved.dtype === 'float32' ? 4 : 8);
    checkMemory('network', bytes, "toONNX's buffers", 'this network is too large to export in this process');
    try {
      return toOnnxBytes(exportedNetwork(this.#saved(), this.layers), resolved);
    } catch (e) {
      throw allocationError(e, 'network', bytes, "toONNX's buffers", 'this network is too large to export in this process');
    }
  }

  /**
   * The source of a standalone JavaScript function (no dependencies, the
   * parameters inlined) that predicts as predict() does: it takes one row and
   * returns its outputs, or an array of rows and returns an array of outputs
   * (a table network's rows as objects keyed by column or arrays in column
   * order). With `output: 'classes'` it returns what predictClasses() does.
   * `new Function('return ' + source)()` gives it. See src/export/to-function.ts.
   */
  toFunction(options?: FunctionOptions): string {
    this.#readable('toFunction');
    const resolved = resolveFunctionOptions(options);
    // Each value becomes a string (a few dozen bytes of heap), then part of a layer's literal and of the source: 108 bytes in all measured (2.25M values).
    const values = this.params.length;
    checkHeap('network', 120 * values + 2 ** 20, `toFunction's source of ${values} values`, 'use toONNX() for a network this large');
    return toFunctionSource(exportedNetwork(this.#saved(), this.layers), resolved);
  }

  /** Rebuilds a network from toJSON() output (an object or its JSON text). */
  static fromJSON(json: NetworkJSON | string, options: { backend?: BackendName } = {}): Network {
    return Network.#restore(decodeNetworkJSON(json), loadOptions(options));
  }

  /**
   * Writes the network to a file in the binary model format (any size; a
   * checksum; see src/persistence/model-file.ts), atomically: to a temporary file in the
   * same folder, flushed, then renamed over the old one, so that a crash or a
   * full disk never leaves a half-written file (the old one stays as it was).
   */
  save(path: string): void {
    this.#readable('save');
    checkPath(path);
    const saved = this.#saved();
    renamingFileErrors(path, 'write', () => writeModelFile(path, saved));
  }

  /** Reads a file written by save(), or the JSON of toJSON() (deltaprop 0.1's files included), chosen by its content. */
  static load(path: string, options: { backend?: BackendName } = {}): Network {
    checkPath(path);
    const backend = loadOptions(options);
    return Network.#restore(
      renamingFileErrors(path, 'read', () => readNetworkFile(path)),
      backend,
    );
  }

  /** How many numbers a saved network holds: the parameters and the optimizer's state. */
  #storedValues(): number {
    return this.params.length + (this.#optimizerState?.buffers.length ?? 0);
  }

  /** Everything a file holds of this network. */
  #saved(): SavedNetwork {
    const { params } = this.#built();
    return {
      config: structuredClone(this.#config) as NetworkConfig,
      params,
      shuffleState: this.#shuffler.state(),
      dropoutState: this.#dropoutRandom.state(),
      optimizer: this.#optimizerState,
      inputScaling: this.#scaling,
    };
  }

  static #restore(saved: SavedNetwork, backend: BackendName | undefined): Network {
    // The network takes the loaded buffer itself: a copy would need twice the
    // memory, which the largest networks (17 GB of parameters) do not have.
    restoredParams = saved.params;
    let net: Network;
    try {
      net = new Network({ ...saved.config, backend });
    } finally {
      restoredParams = null;
    }
    net.#shuffler = Random.fromState(saved.shuffleState);
    if (saved.dropoutState !== null) net.#dropoutRandom = Random.fromState(saved.dropoutState);
    net.#optimizerState = saved.optimizer;
    net.#scaling = saved.inputScaling;
    return net;
  }

  /** Refuses `action` (a method name) unless no fit runs: for fit and whatever writes the parameters or state. */
  #idle(action: string): void {
    if (this.#phase !== 'idle') {
      const when = this.#phase === 'between' ? 'inside a fit() callback: only reading the network is allowed there' : 'while fit() is training this network; await it first';
      throw new DeltapropError('network', `cannot call ${action}() ${when}`);
    }
  }

  /** Refuses `action` (a method name) while an epoch runs; between epochs (inside onEpoch) the parameters hold still. */
  #readable(action: string): void {
    if (this.#phase === 'training') {
      throw new DeltapropError('network', `cannot call ${action}() while fit() is training this network; await it first, or call it from onEpoch`);
    }
  }

  /**
   * Refuses work on `rows` rows at a time whose buffers (each layer's
   * activations and, training, its δ, dropout masks and the gradient) could
   * not be indexed or would not fit this machine's memory, before anything
   * is allocated. `name` is the argument that sets `rows`.
   */
  #checkMemory(rows: number, training: boolean, name: string, extraBytes = 0): void {
    // A loop, not spread and map: predict of one row runs this every call.
    const layers = this.layers;
    let widest = 0;
    let perRow = 0;
    for (let i = 0; i < layers.length; i++) {
      widest = Math.max(widest, layers[i].fanOut);
      perRow += layers[i].fanOut * (training ? 2 + (this.#dropout !== null && this.#dropout[i] > 0 ? 2 : 0) : 1);
    }
    if (rows * widest > MAX_ELEMENTS) {
      throw new DeltapropError(name, `${rows} rows at a time need a ${rows} × ${widest} buffer, more than the ${MAX_ELEMENTS} elements either engine indexes; use fewer rows at a time`);
    }
    const bytes = 8 * (rows * perRow + (training ? this.params.length : 0)) + extraBytes;
    checkMemory(name, bytes, `${rows} rows at a time`, 'use fewer rows at a time');
  }

  /** The rows an engine must own to train on: a streamed fit's buffer, or the copy an epoch off this thread trains on. */
  #checkRowBuffer(rows: TrainingRows, fit: ResolvedFit, async: boolean): void {
    const rowBytes = 8 * (this.inputs + this.outputs + 1);
    if (rows.kind === 'stream') {
      const capacity = Math.max(fit.shuffleBuffer, fit.batchSize);
      checkMemory('options.shuffleBuffer', capacity * rowBytes, `a stream buffer of ${capacity} rows`, 'give a smaller options.shuffleBuffer');
    } else if (async && this.#engine.asyncNeedsOwnedData) {
      const count = rows.inputs.rows;
      checkMemory('inputs', count * rowBytes, `fit's own copy of the ${count} rows (an epoch off this thread must own them)`, 'use fitSync, which trains on the rows where they are, or fewer rows');
    }
  }

  /** Every layer's activation for checked inputs (raw: the input scaling is applied as they are read). */
  #activations(X: Matrix): Matrix[] {
    this.#checkMemory(X.rows, false, 'inputs');
    const outputs = this.layers.map((l) => activationBuffer(X.rows, l.fanOut));
    this.#forward(X, outputs);
    return outputs.map((data, l) => matrix(X.rows, this.layers[l].fanOut, data));
  }

  /** The output layer's activation for checked inputs, the hidden layers' in kept buffers when small. */
  #outputLayer(X: Matrix): Matrix {
    this.#checkMemory(X.rows, false, 'inputs');
    const output = activationBuffer(X.rows, this.outputs);
    this.#forward(X, [...this.#hiddenBuffers(X.rows), output]);
    return matrix(X.rows, this.outputs, output);
  }

  /** Buffers for the hidden layers' activations of `rows` rows: the kept ones when they fit. */
  #hiddenBuffers(rows: number): Float64Array[] {
    if (this.#keptHidden?.rows === rows) return this.#keptHidden.data;
    const hidden = this.layers.slice(0, -1);
    const data = hidden.map((l) => activationBuffer(rows, l.fanOut));
    if (rows * hidden.reduce((sum, l) => sum + l.fanOut, 0) <= KEPT_HIDDEN_VALUES) this.#keptHidden = { rows, data };
    return data;
  }

  /** The engine's forward pass into `outputs`, one buffer per layer. */
  #forward(X: Matrix, outputs: Float64Array[]): void {
    try {
      this.#engine.forward(this.#built().layout, this.params, X.data, X.rows, outputs, this.#scaling);
    } catch (e) {
      // The js engine's scaled copy of the rows.
      throw allocationError(e, 'inputs', X.rows * X.cols * 8, `a scaled copy of ${X.rows} rows`, 'use fewer rows at a time');
    }
  }

  /**
   * The outputs for rows, as steps: a block of rows at a time (a table
   * network's rows are encoded block by block, never all at once), each
   * block forwarded in runs of rows sized so that one takes about
   * FORWARD_MS, whatever the engine's speed (the js engine takes 100 ms
   * over 1,024 rows of 784-128-10), so a pause can come between any two.
   */
  *#outputs(X: RowData): Steps<Matrix> {
    const out = matrix(X.rows, this.outputs);
    const scratch = new Float64Array(Math.min(BLOCK_ROWS, X.rows) * X.cols);
    // One row first: the code may be cold, and a run's length is learned from the last one's time.
    let run = 1;
    for (let start = 0; start < X.rows; start += BLOCK_ROWS) {
      const count = Math.min(BLOCK_ROWS, X.rows - start);
      const block = X.block(start, count, scratch);
      for (let at = 0, n: number; at < count; at += n) {
        n = Math.min(run, count - at);
        const began = performance.now();
        const last = this.#outputLayer({ rows: n, cols: X.cols, data: block.subarray(at * X.cols, (at + n) * X.cols) });
        out.data.set(last.data, (start + at) * this.outputs);
        // At most twice the last run: a run timed while the code was still being compiled, or the collector ran, misleads.
        run = Math.max(1, Math.min(BLOCK_ROWS, 2 * n, Math.round((n * FORWARD_MS) / Math.max(performance.now() - began, 0.01))));
        yield;
      }
    }
    return out;
  }

  /** evaluate()'s figures of outputs F for targets T: the loss weighted by `weights`; the metrics too unless `metricsUnweighted` (fit's history, whose metrics never are). */
  #evaluation(F: Matrix, T: Matrix, weights: Float64Array | null, names: readonly MetricName[], metricsUnweighted = false): Evaluation {
    const result: Evaluation = { loss: this.#lossOf(F, T, weights) };
    const output = this.#built().layout.activations[this.layers.length - 1];
    if (hasAccuracy(output)) result.accuracy = countCorrect(output, F.rows, F.cols, F.data, T.data) / accuracyDenominator(output, F.rows, F.cols);
    if (names.length > 0) result.metrics = measureOutputs(names, F, T, this.loss === 'binary-cross-entropy', metricsUnweighted ? null : weights);
    return result;
  }

  /** The objective on (F, T): the (weighted) reduced loss plus the L2 term, as gradients() reports it. */
  #lossOf(F: Matrix, T: Matrix, weights: Float64Array | null): number {
    const { layout, offsets, params } = this.#built();
    const last = layout.activations.length - 1;
    const delta = new Float64Array(F.data.length);
    const { loss, reduction } = this.#objective;
    const data = this.#engine.outputDelta(F.rows, F.cols, loss, reduction, layout.activations[last] as ActivationCode, F.data, T.data, delta, weights);
    return data + l2Penalty(offsets, params, this.#objective, batchNormaliser(F.rows, weights));
  }

  /**
   * A fit as a loop of work (training.ts): it resolves every option, checks
   * the data (learning a classifier's labels and a table network's columns
   * at its first fit) and learns the input scaling, pausing between blocks
   * of rows when async, then trains on exactly what was checked:
   * fit(inputs, targets, options) or fit(source, options).
   */
  *#training(first: Inputs | ChunkSource, second: Targets | FitOptions | undefined, third: FitOptions | undefined, async: boolean): Generator<Work, History, unknown> {
    const streamed = typeof first === 'function';
    const fit: ResolvedFit = resolveFitOptions(streamed ? second : third, streamed, this.#task());
    // A checkpoint that cannot be written is refused now, not after the first epoch's work.
    if (fit.checkpoint !== null) checkWritablePath(fit.checkpoint.path, 'options.checkpoint.path');
    let rows: TrainingRows;
    let validation: Validation | null = null;
    if (streamed) {
      this.#built();
      if (fit.classWeight === 'balanced') throw new DeltapropError('options.classWeight', "'balanced' needs every row's class up front, which a streamed fit does not have: give a weight per class");
      rows = { kind: 'stream', source: first as ChunkSource };
    } else {
      ({ rows, validation } = yield* paced(readTrainingData(this.#reading, first, second as Targets, fit), async, fit.signal));
    }
    if (fit.validation !== null) {
      const v = fit.validation;
      validation = readData(this.#reading, v.inputs, v.targets, v.sampleWeight, 'options.validation', ['options.validation.inputs', 'options.validation.targets']);
    }
    // Validation rows are evaluated every epoch: read (checked, or encoded) once now, so a bad value is refused before training.
    if (validation !== null) validation = { ...validation, inputs: yield* paced(validation.inputs.materialised(), async, fit.signal) };
    for (const [name, watched] of [
      ['options.earlyStopping.monitor', fit.earlyStopping?.watched],
      ['options.checkpoint.monitor', fit.checkpoint?.watched],
    ] as const) {
      if (watched && 'figure' in watched && watched.figure === 'validationAccuracy' && !hasAccuracy(this.#built().layout.activations[this.layers.length - 1])) {
        throw new DeltapropError(name, "'validationAccuracy' needs a sigmoid or softmax output, where evaluate() defines accuracy");
      }
    }
    const trainRows = rows.kind === 'rows' ? rows.inputs.rows : fit.batchSize;
    this.#checkMemory(Math.min(fit.batchSize, trainRows), true, 'options.batchSize');
    this.#checkRowBuffer(rows, fit, async);
    const learnsScaling = this.inputScaling !== null && this.#scaling === null;
    // Rows read more than once (a sync fit's engine call, scaling's passes, each epoch's metrics) are read from one Matrix;
    // an async fit with none of those reads the caller's rows once, into the engine's copy.
    if (rows.kind === 'rows' && (!async || learnsScaling || fit.metrics.length > 0)) {
      rows = { ...rows, inputs: yield* paced(rows.inputs.materialised(), async, fit.signal) };
    }
    if (learnsScaling) {
      if (rows.kind === 'stream') throw new DeltapropError('network', 'a streamed fit cannot compute the input scaling itself: call net.adapt(rows) first');
      const learning = rows.table !== null ? learnScaling(this.inputScaling, this.#config.schema!, rows.table) : scalingSteps(this.inputScaling, rows.inputs);
      this.#scaling = yield* paced(learning, async, fit.signal);
    }
    const { layout, params } = this.#built();
    const binary = this.loss === 'binary-cross-entropy';
    const self = this;
    return yield* fitLoop(
      {
        engine: this.#engine,
        layout,
        objective: this.#objective,
        params,
        shuffler: this.#shuffler,
        dropout: this.#dropout,
        dropoutRandom: this.#dropoutRandom,
        inputScaling: this.#scaling,
        optimizerState: this.#optimizerState,
        setOptimizerState: (state) => {
          this.#optimizerState = state;
        },
        *evaluate(X, T, weights, names) {
          return self.#evaluation(yield* self.#outputs(X), T, weights, names, true);
        },
        *measure(X, T, names) {
          return measureOutputs(names, yield* self.#outputs(X), T, binary, null);
        },
        save: (path) => this.save(path),
        setPhase: (phase) => {
          this.#phase = phase;
        },
        readChunk: (chunk, index) => readChunk(this.#reading, chunk, index, fit),
      },
      rows,
      validation,
      fit,
      async,
    );
  }
}

/** Each layer's views into a buffer laid out like the parameters. */
function viewsOf(offsets: readonly LayerOffsets[], activations: readonly Activation[], buffer: Float64Array): LayerView[] {
  return offsets.map((o, l) => ({
    fanIn: o.fanIn,
    fanOut: o.fanOut,
    activation: activations[l],
    weights: matrix(o.fanIn, o.fanOut, buffer.subarray(o.weights, o.weights + o.fanIn * o.fanOut)),
    biases: o.biases < 0 ? null : buffer.subarray(o.biases, o.biases + o.fanOut),
  }));
}

/**
 * A zeroed buffer for a rows × units activation: the memory of all of a
 * call's activations is checked at once (#checkMemory), and the message of a
 * failure is built only when there is one.
 */
function activationBuffer(rows: number, units: number): Float64Array {
  try {
    return new Float64Array(rows * units);
  } catch (e) {
    throw allocationError(e, 'inputs', rows * units * 8, `a ${rows} × ${units} activation`, 'use fewer rows at a time');
  }
}

/** Reads rows (converted, or a table's encoded) with a buffer that could not be allocated as a DeltapropError naming the inputs. */
function rowsOf<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw allocationError(e, 'inputs', null, 'the buffers of the rows (converted or encoded)', 'give fewer rows at a time');
  }
}

/** A buffer training could not allocate (V8's RangeError) as a DeltapropError; any other error as it is. */
function trainingAllocationError(e: unknown): unknown {
  return allocationError(e, 'memory', null, 'the buffers training needs', 'use fewer rows at a time (options.batchSize, options.shuffleBuffer) or a smaller network');
}

function checkPath(path: unknown): asserts path is string {
  if (typeof path !== 'string' || path === '') throw new DeltapropError('path', `expected a file path, got ${describeValue(path)}`);
}

/** Runs file work, turning the file system's errors into DeltapropErrors that name the file (ours pass as they are). */
function renamingFileErrors<T>(path: string, action: 'read' | 'write', work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof DeltapropError) throw e.argument === 'path' ? new DeltapropError('path', `${JSON.stringify(path)} ${e.detail}`) : e;
    throw new DeltapropError('path', `could not ${action} ${JSON.stringify(path)}: ${(e as Error).message}`);
  }
}

function loadOptions(options: unknown): BackendName | undefined {
  const opts = checkObject('options', options);
  checkKnownKeys('options', opts, ['backend']);
  return opts.backend === undefined ? undefined : checkOneOf('options.backend', opts.backend, BACKEND_NAMES);
}
