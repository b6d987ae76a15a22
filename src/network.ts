import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import type { Activation } from './activations.js';
import { activationCode } from './activations.js';
import type { BackendName } from './backend/index.js';
import { BACKEND_NAMES, getBackend } from './backend/index.js';
import type { LayerOffsets } from './backend/layout.js';
import { l2Penalty, layerOffsets, parameterCount } from './backend/layout.js';
import type { ActivationCode, Backend, InputScaling, Layout, Objective } from './backend/types.js';
import { DeltapropError, describeValue } from './errors.js';
import type { ChunkSource, FitOptions, History, ResolvedFit } from './fit-options.js';
import { resolveFitOptions } from './fit-options.js';
import { initialiseParams } from './init.js';
import type { Targets } from './labels.js';
import { toTargets } from './labels.js';
import type { Loss, Reduction } from './losses.js';
import { lossCode, reductionCode } from './losses.js';
import type { Matrix, MatrixLike } from './matrix.js';
import { MAX_ELEMENTS, matrix, toDataMatrix, toMatrix } from './matrix.js';
import { accuracyDenominator, countCorrect, hasAccuracy } from './metrics.js';
import type { OnnxOptions } from './onnx.js';
import { exportedNetwork, resolveOnnxOptions, toOnnxBytes } from './onnx.js';
import type { OptimizerState } from './optimizer-state.js';
import type { Init, NetworkConfig, NetworkOptions } from './options.js';
import { countParameters, resolveNetworkOptions } from './options.js';
import { Random, RandomStream } from './random.js';
import { RowData } from './rows.js';
import type { InputScalingKind } from './scaling.js';
import { computeScaling } from './scaling.js';
import type { NetworkJSON } from './serialize.js';
import { readModelFile, startsLikeModelFile, writeModelFile } from './model-file.js';
import type { Metadata } from './metadata.js';
import type { SavedNetwork } from './saved-network.js';
import { decodeNetworkJSON, encodeNetworkJSON } from './serialize.js';
import type { TrainingRows, Work } from './training.js';
import { fitLoop, isPromise } from './training.js';
import { toFunctionSource } from './to-function.js';
import { checkInteger, checkKnownKeys, checkObject, checkOneOf, genuineFloat64Array } from './validate.js';

/** One layer's parameters: views into `network.params` (or, from gradients(), into `grads`). */
export interface LayerView {
  readonly fanIn: number;
  readonly fanOut: number;
  readonly activation: Activation;
  /** fanIn × fanOut, row-major. */
  readonly weights: Matrix;
  /** fanOut values, or null when the network has no biases. */
  readonly biases: Float64Array | null;
}

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
}

/** Read once: os.totalmem() is a system call, and predict of one row checks it (it cost a quarter of a 784-128-10 predict). */
const MACHINE_MEMORY = totalmem();

/** Parameters #restore hands to the constructor, which adopts them instead of allocating and initialising its own. */
let restoredParams: Float64Array | null = null;

/** A feed-forward network trained by backpropagation. */
export class Network {
  readonly inputs: number;
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
  /** Every parameter, one buffer: W(0), b(0), W(1), b(1), ... */
  readonly params: Float64Array;
  readonly layers: readonly LayerView[];

  readonly #config: NetworkConfig;
  readonly #engine: Backend;
  readonly #layout: Layout;
  readonly #objective: Objective;
  readonly #offsets: LayerOffsets[];
  /** Each layer's dropout rate, or null when no layer has one. */
  readonly #dropout: Float64Array | null;
  #shuffler: Random;
  #dropoutRandom: Random;
  #optimizerState: OptimizerState | null = null;
  /** The statistics of options.inputScaling, once adapt() or the first fit computed them. */
  #scaling: InputScaling | null = null;
  /** What runs: nothing, an epoch (every call refused), or fit's own work between epochs (reads allowed). */
  #phase: 'idle' | 'training' | 'between' = 'idle';

  constructor(options: NetworkOptions) {
    const { config, backend } = resolveNetworkOptions(options);
    this.#config = config;
    this.#engine = getBackend(backend, 'options.backend');
    this.backend = this.#engine.name;
    ({ inputs: this.inputs, loss: this.loss, reduction: this.reduction, bias: this.bias, l2: this.l2, seed: this.seed, init: this.init } = config);
    this.inputScaling = config.inputScaling ?? null;
    this.metadata = config.metadata ?? null;
    this.outputs = config.layers[config.layers.length - 1].units;
    this.#layout = {
      sizes: Int32Array.from([config.inputs, ...config.layers.map((l) => l.units)]),
      activations: Int32Array.from(config.layers.map((l) => activationCode(l.activation))),
      bias: config.bias,
    };
    this.#objective = { loss: lossCode(config.loss), reduction: reductionCode(config.reduction), l2: config.l2 };
    this.#offsets = layerOffsets(this.#layout);
    const restored = restoredParams;
    restoredParams = null;
    if (restored !== null && restored.length !== parameterCount(this.#layout)) throw new Error('deltaprop: restored parameters of the wrong length');
    this.params = restored ?? new Float64Array(parameterCount(this.#layout));
    this.layers = this.#views(this.params);
    if (restored === null) initialiseParams(this.params, this.#offsets, config.layers.map((l) => l.activation), config.init, config.seed);
    this.#shuffler = Random.fromSeed(config.seed, RandomStream.shuffling);
    this.#dropoutRandom = Random.fromSeed(config.seed, RandomStream.dropout);
    this.#dropout = config.layers.some((l) => l.dropout !== undefined) ? Float64Array.from(config.layers, (l) => l.dropout ?? 0) : null;
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
   * Computes the input scaling's statistics from these rows (raw, as users
   * feed them), replacing any before; fit does it at the first fit otherwise.
   */
  adapt(inputs: MatrixLike): void {
    this.#idle('adapt');
    if (this.inputScaling === null) throw new DeltapropError('network', 'was built without options.inputScaling: there is nothing to adapt');
    this.#scaling = computeScaling(this.inputScaling, RowData.of(inputs, 'inputs', this.inputs, 'options.inputs of the network'));
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
    // The length and each value are read once, into a copy that is then checked and used.
    const genuine = genuineFloat64Array(biases);
    const length = genuine?.length ?? (biases as { length?: unknown } | null)?.length;
    if (length !== view.fanOut) throw new DeltapropError('biases', `expected ${view.fanOut} values (fanOut of layer ${layer}), got ${describeValue(length)}`);
    const values = new Float64Array(view.fanOut);
    for (let j = 0; j < view.fanOut; j++) {
      const x = genuine !== null ? genuine[j] : (biases as ArrayLike<unknown>)[j];
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new DeltapropError(`biases[${j}]`, `expected a finite number, got ${describeValue(x)}`);
      values[j] = x;
    }
    view.biases.set(values);
  }

  /** The outputs for each row of X. */
  predict(inputs: MatrixLike): Matrix {
    this.#readable('predict');
    const all = this.#activations(this.#checkInputs(inputs, 'inputs'));
    return all[all.length - 1];
  }

  /** The activation of every layer for each row of X; the last is the output. */
  forward(inputs: MatrixLike): Matrix[] {
    this.#readable('forward');
    return this.#activations(this.#checkInputs(inputs, 'inputs'));
  }

  /** The loss of the batch and its gradient with respect to every parameter, by backpropagation. */
  gradients(inputs: MatrixLike, targets: Targets): Gradients {
    this.#readable('gradients');
    const { inputs: X, targets: T } = this.#checkData(inputs, targets, ['inputs', 'targets']);
    this.#checkMemory(X.rows, true, 'inputs');
    const grads = new Float64Array(this.params.length);
    const loss = this.#engine.gradients(this.#layout, this.#objective, this.params, X.data, T.data, X.rows, grads, this.#scaling);
    return { loss, grads, layers: this.#views(grads).map(({ weights, biases }) => ({ weights, biases })) };
  }

  /** The loss (the objective gradients() reports) and, for sigmoid or softmax outputs, the accuracy. */
  evaluate(inputs: MatrixLike, targets: Targets): Evaluation {
    this.#readable('evaluate');
    const { inputs: X, targets: T } = this.#checkData(inputs, targets, ['inputs', 'targets']);
    return this.#evaluateChecked(X, T);
  }

  /**
   * Trains on the rows (or, given a ChunkSource, on the chunks it yields each
   * epoch); every epoch runs off the JavaScript thread (the js engine's on a worker thread).
   */
  async fit(inputs: MatrixLike | ChunkSource, targets?: Targets | FitOptions, options?: FitOptions): Promise<History> {
    const loop = this.#startTraining(inputs, targets, options, true);
    try {
      let step = loop.next();
      while (!step.done) {
        const work: Work = step.value;
        step = loop.next(work.kind === 'epoch' ? await this.#engine.trainEpochAsync(work.job) : await work.value);
      }
      return step.value;
    } finally {
      // A failed piece of work leaves the loop suspended: close it, so its own clean-up runs.
      loop.return(undefined as never);
      this.#phase = 'idle';
    }
  }

  /** fit(), synchronously: blocks the thread until training ends. */
  fitSync(inputs: MatrixLike | ChunkSource, targets?: Targets | FitOptions, options?: FitOptions): History {
    const loop = this.#startTraining(inputs, targets, options, false);
    try {
      let step = loop.next();
      while (!step.done) {
        const work: Work = step.value;
        if (work.kind === 'wait' && isPromise(work.value)) {
          // Settle it quietly: fitSync is not going to wait for it.
          work.value.then(() => undefined, () => undefined);
          throw new DeltapropError(work.what, 'returned a Promise, which fitSync cannot wait for: use fit() instead');
        }
        step = loop.next(work.kind === 'epoch' ? this.#engine.trainEpoch(work.job) : work.value);
      }
      return step.value;
    } finally {
      loop.return(undefined as never);
      this.#phase = 'idle';
    }
  }

  /** The network as a JSON document (options, parameters, optimizer state, generators, scaling): for small networks; save() holds any. */
  toJSON(): NetworkJSON {
    this.#readable('toJSON');
    return encodeNetworkJSON(this.#saved());
  }

  /**
   * The network as an ONNX model (ModelProto bytes, opset 13) computing what
   * predict() does, input scaling included: input [batch, inputs], output
   * [batch, outputs]. See OnnxOptions and src/onnx.ts.
   */
  toONNX(options?: OnnxOptions): Uint8Array {
    this.#readable('toONNX');
    const resolved = resolveOnnxOptions(options, this.layers.length);
    return toOnnxBytes(exportedNetwork(this.#saved(), this.layers), resolved);
  }

  /**
   * The source of a standalone JavaScript function (no dependencies, the
   * parameters inlined) that predicts as predict() does: it takes one row and
   * returns its outputs, or an array of rows and returns an array of outputs.
   * `new Function('return ' + source)()` gives it. See src/to-function.ts.
   */
  toFunction(): string {
    this.#readable('toFunction');
    return toFunctionSource(exportedNetwork(this.#saved(), this.layers));
  }

  /** Rebuilds a network from toJSON() output (an object or its JSON text). */
  static fromJSON(json: NetworkJSON | string, options: { backend?: BackendName } = {}): Network {
    return Network.#restore(decodeNetworkJSON(json), loadOptions(options));
  }

  /**
   * Writes the network to a file in the binary model format (any size; a
   * checksum; see src/model-file.ts), atomically: to a temporary file in the
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
    if (renamingFileErrors(path, 'read', () => startsLikeModelFile(path))) return Network.#restore(renamingFileErrors(path, 'read', () => readModelFile(path)), backend);
    return Network.#restore(decodeNetworkJSON(renamingFileErrors(path, 'read', () => readFileSync(path, 'utf8'))), backend);
  }

  /** Everything a file holds of this network. */
  #saved(): SavedNetwork {
    return {
      config: structuredClone(this.#config),
      params: this.params,
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

  #views(buffer: Float64Array): LayerView[] {
    return this.#offsets.map((o, l) => ({
      fanIn: o.fanIn,
      fanOut: o.fanOut,
      activation: this.#config.layers[l].activation,
      weights: matrix(o.fanIn, o.fanOut, buffer.subarray(o.weights, o.weights + o.fanIn * o.fanOut)),
      biases: o.biases < 0 ? null : buffer.subarray(o.biases, o.biases + o.fanOut),
    }));
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

  #checkInputs(inputs: MatrixLike, name: string): Matrix {
    return RowData.of(inputs, name, this.inputs, 'options.inputs of the network').matrix();
  }

  #checkData(inputs: MatrixLike, targets: Targets, [xName, tName]: [string, string]): { inputs: Matrix; targets: Matrix } {
    const X = this.#checkInputs(inputs, xName);
    const T = this.#checkTargets(targets, tName, X.rows, xName);
    return { inputs: X, targets: T };
  }

  #checkTargets(targets: Targets, name: string, rows: number, inputsName: string): Matrix {
    const T = toTargets(targets, name, this.outputs, this.loss);
    if (T.rows !== rows) throw new DeltapropError(name, `expected ${rows} rows (one per row of ${inputsName}), got ${T.rows}`);
    return T;
  }

  /**
   * Refuses work on `rows` rows at a time whose buffers (each layer's
   * activations and, training, its δ, dropout masks and the gradient) could
   * not be indexed or would not fit this machine's memory, before anything
   * is allocated. `name` is the argument that sets `rows`.
   */
  #checkMemory(rows: number, training: boolean, name: string): void {
    const widest = Math.max(...this.layers.map((l) => l.fanOut));
    if (rows * widest > MAX_ELEMENTS) {
      throw new DeltapropError(name, `${rows} rows at a time need a ${rows} × ${widest} buffer, more than the ${MAX_ELEMENTS} elements either engine indexes; use fewer rows at a time`);
    }
    const perRow = this.layers.reduce((sum, l, i) => sum + l.fanOut * (training ? 2 + (this.#dropout !== null && this.#dropout[i] > 0 ? 2 : 0) : 1), 0);
    const bytes = 8 * (rows * perRow + (training ? this.params.length : 0));
    if (bytes > MACHINE_MEMORY) {
      const gb = (n: number) => (n / 2 ** 30).toFixed(1);
      throw new DeltapropError(name, `${rows} rows at a time need about ${gb(bytes)} GiB of buffers, more than this machine's ${gb(MACHINE_MEMORY)} GiB of memory; use fewer rows at a time`);
    }
  }

  /** Every layer's activation for checked inputs (raw: the input scaling is applied as they are read). */
  #activations(X: Matrix): Matrix[] {
    this.#checkMemory(X.rows, false, 'inputs');
    const outputs = this.layers.map((l) => matrix(X.rows, l.fanOut));
    this.#engine.forward(this.#layout, this.params, X.data, X.rows, outputs.map((m) => m.data), this.#scaling);
    return outputs;
  }

  #evaluateChecked(X: Matrix, T: Matrix): Evaluation {
    const F = this.#activations(X)[this.layers.length - 1];
    const result: Evaluation = { loss: this.#lossOf(F, T) };
    const output = this.#layout.activations[this.layers.length - 1];
    if (hasAccuracy(output)) result.accuracy = countCorrect(output, F.rows, F.cols, F.data, T.data) / accuracyDenominator(output, F.rows, F.cols);
    return result;
  }

  /** The objective on (F, T): the reduced loss plus the L2 term, as gradients() reports it. */
  #lossOf(F: Matrix, T: Matrix): number {
    const last = this.#layout.activations.length - 1;
    const delta = new Float64Array(F.data.length);
    const { loss, reduction } = this.#objective;
    const data = this.#engine.outputDelta(F.rows, F.cols, loss, reduction, this.#layout.activations[last] as ActivationCode, F.data, T.data, delta);
    return data + l2Penalty(this.#offsets, this.params, this.#objective, F.rows);
  }

  /**
   * Resolves every option, then checks the data, then sets the network up to
   * train on exactly what was checked: fit(inputs, targets, options) or
   * fit(source, options).
   */
  #startTraining(first: MatrixLike | ChunkSource, second: Targets | FitOptions | undefined, third: FitOptions | undefined, async: boolean) {
    this.#idle(async ? 'fit' : 'fitSync');
    const streamed = typeof first === 'function';
    const fit: ResolvedFit = resolveFitOptions(streamed ? second : third, streamed);
    for (const [name, monitor] of [['options.earlyStopping.monitor', fit.earlyStopping?.monitor], ['options.checkpoint.monitor', fit.checkpoint?.monitor]]) {
      if (monitor === 'validationAccuracy' && !hasAccuracy(this.#layout.activations[this.layers.length - 1])) {
        throw new DeltapropError(name!, "'validationAccuracy' needs a sigmoid or softmax output, where evaluate() defines accuracy");
      }
    }
    let rows: TrainingRows;
    let validation: { inputs: Matrix; targets: Matrix } | null = null;
    if (streamed) {
      rows = { kind: 'stream', source: first as ChunkSource };
    } else {
      const X = RowData.of(first as MatrixLike, 'inputs', this.inputs, 'options.inputs of the network');
      const T = this.#checkTargets(second as Targets, 'targets', X.rows, 'inputs');
      if (fit.validationSplit > 0) {
        // The last rows, before any shuffling (the Keras convention).
        const trainRows = Math.floor(X.rows * (1 - fit.validationSplit));
        if (trainRows < 1 || trainRows === X.rows) {
          throw new DeltapropError('options.validationSplit', `leaves ${trainRows} of ${X.rows} rows for training: each side needs at least one`);
        }
        validation = { inputs: X.slice(trainRows, X.rows).matrix(), targets: sliceRows(T, trainRows, X.rows) };
        rows = { kind: 'rows', inputs: X.slice(0, trainRows), targets: sliceRows(T, 0, trainRows) };
      } else {
        rows = { kind: 'rows', inputs: X, targets: T };
      }
    }
    if (fit.validation !== null) validation = this.#checkData(fit.validation.inputs, fit.validation.targets, ['options.validation.inputs', 'options.validation.targets']);
    const trainRows = rows.kind === 'rows' ? rows.inputs.rows : fit.batchSize;
    this.#checkMemory(Math.min(fit.batchSize, trainRows), true, 'options.batchSize');
    if (this.inputScaling !== null && this.#scaling === null) {
      if (rows.kind === 'stream') throw new DeltapropError('network', 'a streamed fit cannot compute the input scaling itself: call net.adapt(rows) first');
      this.#scaling = computeScaling(this.inputScaling, rows.inputs);
    }
    this.#phase = 'between';
    return fitLoop(
      {
        engine: this.#engine,
        layout: this.#layout,
        objective: this.#objective,
        params: this.params,
        shuffler: this.#shuffler,
        dropout: this.#dropout,
        dropoutRandom: this.#dropoutRandom,
        inputScaling: this.#scaling,
        optimizerState: this.#optimizerState,
        setOptimizerState: (state) => { this.#optimizerState = state; },
        evaluate: (X, T) => this.#evaluateChecked(X, T),
        save: (path) => this.save(path),
        setPhase: (phase) => { this.#phase = phase; },
        readChunk: (chunk, index) => this.#readChunk(chunk, index),
      },
      rows, validation, fit, async,
    );
  }

  #readChunk(chunk: unknown, index: number): { inputs: Float64Array; targets: Matrix; rows: number } {
    const name = `chunk ${index}`;
    const c = checkObject(name, chunk);
    const X = RowData.of(c.inputs as MatrixLike, `${name}.inputs`, this.inputs, 'options.inputs of the network');
    const T = this.#checkTargets(c.targets as Targets, `${name}.targets`, X.rows, `${name}.inputs`);
    return { inputs: X.matrix().data, targets: T, rows: X.rows };
  }
}

function sliceRows(m: Matrix, start: number, end: number): Matrix {
  return { rows: end - start, cols: m.cols, data: m.data.subarray(start * m.cols, end * m.cols) };
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
