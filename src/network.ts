import { readFileSync, writeFileSync } from 'node:fs';
import type { Activation } from './activations.js';
import { activationCode } from './activations.js';
import type { BackendName } from './backend/index.js';
import { BACKEND_NAMES, getBackend } from './backend/index.js';
import type { LayerOffsets } from './backend/layout.js';
import { l2Penalty, layerOffsets, parameterCount } from './backend/layout.js';
import type { ActivationCode, Backend, Layout, Objective } from './backend/types.js';
import { DeltapropError, describeValue } from './errors.js';
import { initialiseParams } from './init.js';
import type { Loss, Reduction } from './losses.js';
import { checkTargetsForLoss, lossCode, reductionCode } from './losses.js';
import type { Matrix, MatrixLike } from './matrix.js';
import { matrix, toDataMatrix, toMatrix } from './matrix.js';
import type { OptimizerState } from './optimizer-state.js';
import type { Init, NetworkConfig, NetworkOptions } from './options.js';
import { countParameters, resolveNetworkOptions } from './options.js';
import { Random, RandomStream } from './random.js';
import type { NetworkJSON } from './serialize.js';
import { FORMAT, VERSION, decodeOptimizerState, decodeParams, encodeOptimizerState, encodeParams, parseEnvelope } from './serialize.js';
import type { FitOptions, History, ResolvedFit } from './training.js';
import { epochLoop, resolveFitOptions } from './training.js';
import { checkInteger, checkObject, checkOneOf } from './validate.js';

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
  #training = false;

  constructor(options: NetworkOptions) {
    const { config, backend } = resolveNetworkOptions(options);
    this.#config = config;
    this.#engine = getBackend(backend, 'options.backend');
    this.backend = this.#engine.name;
    ({ inputs: this.inputs, loss: this.loss, reduction: this.reduction, bias: this.bias, l2: this.l2, seed: this.seed, init: this.init } = config);
    this.outputs = config.layers[config.layers.length - 1].units;
    this.#layout = {
      sizes: Int32Array.from([config.inputs, ...config.layers.map((l) => l.units)]),
      activations: Int32Array.from(config.layers.map((l) => activationCode(l.activation))),
      bias: config.bias,
    };
    this.#objective = { loss: lossCode(config.loss), reduction: reductionCode(config.reduction), l2: config.l2 };
    this.#offsets = layerOffsets(this.#layout);
    this.params = new Float64Array(parameterCount(this.#layout));
    this.layers = this.#views(this.params);
    initialiseParams(this.params, this.#offsets, config.layers.map((l) => l.activation), config.init, config.seed);
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
    const length = (biases as { length?: unknown } | null)?.length;
    if (length !== view.fanOut) throw new DeltapropError('biases', `expected ${view.fanOut} values (fanOut of layer ${layer}), got ${describeValue(length)}`);
    const b = toDataMatrix([Array.from(biases)], 'biases', view.fanOut, `fanOut of layer ${layer}`);
    view.biases.set(b.data);
  }

  /** The outputs for each row of X. */
  predict(inputs: MatrixLike): Matrix {
    const all = this.forward(inputs);
    return all[all.length - 1];
  }

  /** The activation of every layer for each row of X; the last is the output. */
  forward(inputs: MatrixLike): Matrix[] {
    this.#idle('forward');
    return this.#activations(this.#checkInputs(inputs, 'inputs'));
  }

  /** The loss of the batch and its gradient with respect to every parameter, by backpropagation. */
  gradients(inputs: MatrixLike, targets: MatrixLike): Gradients {
    this.#idle('gradients');
    const { inputs: X, targets: T } = this.#checkData(inputs, targets, ['inputs', 'targets']);
    const grads = new Float64Array(this.params.length);
    const loss = this.#engine.gradients(this.#layout, this.#objective, this.params, X.data, T.data, X.rows, grads);
    return { loss, grads, layers: this.#views(grads).map(({ weights, biases }) => ({ weights, biases })) };
  }

  /** The loss (the objective gradients() reports) and, for sigmoid or softmax outputs, the accuracy. */
  evaluate(inputs: MatrixLike, targets: MatrixLike): Evaluation {
    this.#idle('evaluate');
    const { inputs: X, targets: T } = this.#checkData(inputs, targets, ['inputs', 'targets']);
    const F = this.#activations(X)[this.layers.length - 1];
    const result: Evaluation = { loss: this.#lossOf(F, T) };
    const activation = this.layers[this.layers.length - 1].activation;
    if (activation === 'softmax') result.accuracy = argmaxAccuracy(F, T);
    if (activation === 'sigmoid') result.accuracy = thresholdAccuracy(F, T);
    return result;
  }

  /** Trains by minibatch SGD; on the native backend every epoch runs off the JavaScript thread. */
  async fit(inputs: MatrixLike, targets: MatrixLike, options: FitOptions = {}): Promise<History> {
    const { loop, done } = this.#startTraining(inputs, targets, options);
    try {
      let step = loop.next();
      while (!step.done) step = loop.next(await this.#engine.trainEpochAsync(step.value));
      return step.value;
    } finally {
      done();
    }
  }

  /** fit(), synchronously: blocks the thread until training ends. */
  fitSync(inputs: MatrixLike, targets: MatrixLike, options: FitOptions = {}): History {
    const { loop, done } = this.#startTraining(inputs, targets, options);
    try {
      let step = loop.next();
      while (!step.done) step = loop.next(this.#engine.trainEpoch(step.value));
      return step.value;
    } finally {
      done();
    }
  }

  toJSON(): NetworkJSON {
    this.#idle('toJSON');
    return {
      format: FORMAT,
      version: VERSION,
      config: structuredClone(this.#config),
      params: encodeParams(this.params),
      shuffleState: this.#shuffler.state(),
      dropoutState: this.#dropoutRandom.state(),
      optimizer: this.#optimizerState === null ? null : encodeOptimizerState(this.#optimizerState),
    };
  }

  /** Rebuilds a network from toJSON() output (an object or its JSON text). */
  static fromJSON(json: NetworkJSON | string, options: { backend?: BackendName } = {}): Network {
    const opts = checkObject('options', options);
    const backend = opts.backend === undefined ? undefined : checkOneOf('options.backend', opts.backend, BACKEND_NAMES);
    const envelope = parseEnvelope(json);
    // Everything is checked, parameters included, before a network is built.
    const raw = checkObject('json.config', envelope.config);
    if (raw.seed === undefined) throw new DeltapropError('json.config.seed', 'expected the seed toJSON() stores, got undefined');
    if (raw.backend !== undefined) throw new DeltapropError('json.config.backend', 'unknown option; pass the backend to fromJSON instead');
    const { config } = renamingErrors('options', 'json.config', () => resolveNetworkOptions(raw));
    const parameters = countParameters(config);
    const params = decodeParams(envelope.params, parameters);
    const optimizerState = envelope.optimizer === null ? null : decodeOptimizerState(envelope.optimizer, parameters);
    const net = new Network({ ...config, backend });
    net.params.set(params);
    net.#shuffler = Random.fromState(envelope.shuffleState);
    if (envelope.dropoutState !== null) net.#dropoutRandom = Random.fromState(envelope.dropoutState);
    net.#optimizerState = optimizerState;
    return net;
  }

  save(path: string): void {
    checkPath(path);
    const text = JSON.stringify(this.toJSON());
    renamingFileErrors(path, 'write', () => writeFileSync(path, text));
  }

  static load(path: string, options: { backend?: BackendName } = {}): Network {
    checkPath(path);
    return Network.fromJSON(renamingFileErrors(path, 'read', () => readFileSync(path, 'utf8')), options);
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

  #idle(action: string): void {
    if (this.#training) {
      throw new DeltapropError('network', `cannot ${action} while fit() is training this network; await it first`);
    }
  }

  #checkInputs(inputs: MatrixLike, name: string): Matrix {
    return toDataMatrix(inputs, name, this.inputs, 'options.inputs of the network');
  }

  #checkData(inputs: MatrixLike, targets: MatrixLike, [xName, tName]: [string, string]): { inputs: Matrix; targets: Matrix } {
    const X = this.#checkInputs(inputs, xName);
    const T = toDataMatrix(targets, tName, this.outputs, 'units of the output layer');
    if (T.rows !== X.rows) throw new DeltapropError(tName, `expected ${X.rows} rows (one per row of ${xName}), got ${T.rows}`);
    checkTargetsForLoss(this.loss, T, tName);
    return { inputs: X, targets: T };
  }

  /** Every layer's activation for checked inputs. */
  #activations(X: Matrix): Matrix[] {
    const outputs = this.layers.map((l) => matrix(X.rows, l.fanOut));
    this.#engine.forward(this.#layout, this.params, X.data, X.rows, outputs.map((m) => m.data));
    return outputs;
  }

  /** The objective on (F, T): the reduced loss plus the L2 term, as gradients() reports it. */
  #lossOf(F: Matrix, T: Matrix): number {
    const last = this.#layout.activations.length - 1;
    const delta = new Float64Array(F.data.length);
    const { loss, reduction } = this.#objective;
    const data = this.#engine.outputDelta(F.rows, F.cols, loss, reduction, this.#layout.activations[last] as ActivationCode, F.data, T.data, delta);
    return data + l2Penalty(this.#offsets, this.params, this.#objective, F.rows);
  }

  #startTraining(inputs: MatrixLike, targets: MatrixLike, options: FitOptions) {
    this.#idle('fit');
    const data = this.#checkData(inputs, targets, ['inputs', 'targets']);
    const fit: ResolvedFit = resolveFitOptions(options, (x, t, names) => this.#checkData(x, t, names));
    this.#training = true;
    const loop = epochLoop(
      {
        engine: this.#engine,
        layout: this.#layout,
        objective: this.#objective,
        params: this.params,
        shuffler: this.#shuffler,
        dropout: this.#dropout,
        dropoutRandom: this.#dropoutRandom,
        optimizerState: this.#optimizerState,
        setOptimizerState: (state) => { this.#optimizerState = state; },
        lossOn: (X, T) => this.#lossOf(this.#activations(X)[this.layers.length - 1], T),
      },
      data.inputs, data.targets, fit,
    );
    return { loop, done: () => { this.#training = false; } };
  }
}

/** Runs `work`, reporting its DeltapropErrors under `to` instead of `from` (e.g. json.config.loss for options.loss). */
function renamingErrors<T>(from: string, to: string, work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof DeltapropError && e.argument.startsWith(from)) throw new DeltapropError(to + e.argument.slice(from.length), e.detail);
    throw e;
  }
}

function checkPath(path: unknown): asserts path is string {
  if (typeof path !== 'string' || path === '') throw new DeltapropError('path', `expected a file path, got ${describeValue(path)}`);
}

function renamingFileErrors<T>(path: string, action: 'read' | 'write', work: () => T): T {
  try {
    return work();
  } catch (e) {
    throw new DeltapropError('path', `could not ${action} ${JSON.stringify(path)}: ${(e as Error).message}`);
  }
}

function argmax(data: Float64Array, start: number, cols: number): number {
  let best = 0;
  for (let j = 1; j < cols; j++) if (data[start + j] > data[start + best]) best = j;
  return best;
}

function argmaxAccuracy(F: Matrix, T: Matrix): number {
  let correct = 0;
  for (let r = 0; r < F.rows; r++) if (argmax(F.data, r * F.cols, F.cols) === argmax(T.data, r * T.cols, T.cols)) correct++;
  return correct / F.rows;
}

function thresholdAccuracy(F: Matrix, T: Matrix): number {
  let correct = 0;
  for (let i = 0; i < F.data.length; i++) if (F.data[i] >= 0.5 === T.data[i] >= 0.5) correct++;
  return correct / F.data.length;
}
