// The optimizers: their names, settings and checks, and the JS reference of
// each step, mirrored name for name by native/kernels/optimizer.h (the
// element-wise arithmetic there is in optimizer_rows.h). For a gradient g
// (weights and biases alike unless said; it already holds the L2 term):
//   sgd      V := μV + g; W := W − ηV, or with Nesterov W := W − η(g + μV);
//            without momentum W := W − ηg
//   adam     m := β₁m + (1−β₁)g, v := β₂v + (1−β₂)g²,
//            W := W − (η/(1−β₁ᵗ))·m / (√v·(1/√(1−β₂ᵗ)) + ε), t counting steps from 1
//   adamw    W := W·(1 − ηλ) on weights only (never biases), then the Adam step
//   rmsprop  v := αv + (1−α)g², W := W − η·g/(√v + ε)
// Each element takes these operations in this order, as in torch.optim.
import type { LayerOffsets } from './backend/layout.js';
import { OPTIMIZER_SETTINGS, OptimizerCode } from './backend/types.js';
import type { OptimizerJob } from './backend/types.js';
import { DeltapropError, describeValue } from './errors.js';
import { checkBoolean, checkKnownKeys, checkNumber, checkObject, checkOneOf } from './validate.js';

export const OPTIMIZERS = ['sgd', 'adam', 'adamw', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export interface SgdOptions {
  type: 'sgd';
  /** μ in [0, 1); default 0. */
  momentum?: number;
  /** Default false; needs momentum > 0. */
  nesterov?: boolean;
}

export interface AdamOptions {
  type: 'adam';
  /** In [0, 1); default 0.9. */
  beta1?: number;
  /** In [0, 1); default 0.999. */
  beta2?: number;
  /** > 0; default 1e-8. */
  epsilon?: number;
}

export interface AdamWOptions extends Omit<AdamOptions, 'type'> {
  type: 'adamw';
  /** λ ≥ 0 (weights only, never biases); default 0.01. */
  weightDecay?: number;
}

export interface RmsPropOptions {
  type: 'rmsprop';
  /** In [0, 1); default 0.99. */
  alpha?: number;
  /** > 0; default 1e-8. */
  epsilon?: number;
}

/** What fit's `optimizer` option takes: a name (every setting at its default) or an object. */
export type OptimizerOptions = OptimizerName | SgdOptions | AdamOptions | AdamWOptions | RmsPropOptions;

/** An optimizer with every setting it has resolved (and none it lacks): what a network stores. */
export type ResolvedOptimizer =
  | { type: 'sgd'; momentum: number; nesterov: boolean }
  | { type: 'adam'; beta1: number; beta2: number; epsilon: number }
  | { type: 'adamw'; beta1: number; beta2: number; epsilon: number; weightDecay: number }
  | { type: 'rmsprop'; alpha: number; epsilon: number };

type Settings = Record<(typeof OPTIMIZER_SETTINGS)[number], number>;

/** The defaults of every setting, and what a setting an optimizer lacks reads as on the engines' side. */
const DEFAULTS: Settings = { momentum: 0, nesterov: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01, alpha: 0.99 };

const SETTINGS_OF: Record<OptimizerName, readonly (keyof Settings)[]> = {
  sgd: ['momentum', 'nesterov'],
  adam: ['beta1', 'beta2', 'epsilon'],
  adamw: ['beta1', 'beta2', 'epsilon', 'weightDecay'],
  rmsprop: ['alpha', 'epsilon'],
};

const unitInterval = { min: 0, max: 1, maxExclusive: true };

function checkSetting(name: string, key: keyof Settings, value: unknown): number | boolean {
  switch (key) {
    case 'nesterov': return checkBoolean(name, value);
    case 'epsilon': return checkNumber(name, value, { min: 0, minExclusive: true });
    case 'weightDecay': return checkNumber(name, value, { min: 0 });
    default: return checkNumber(name, value, unitInterval);
  }
}

/**
 * fit's `optimizer` and `momentum` options as one resolved optimizer.
 * `momentum` is shorthand for SGD's momentum: it may not be given with
 * another optimizer, nor with an SGD object that sets momentum itself.
 */
export function resolveOptimizer(value: unknown, momentum: unknown): ResolvedOptimizer {
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  if (value !== undefined && typeof value !== 'string' && !isObject) {
    throw new DeltapropError('options.optimizer', `expected one of ${OPTIMIZERS.map((o) => `'${o}'`).join(', ')} or an object { type, ...settings }, got ${describeValue(value)}`);
  }
  const spec: Record<string, unknown> = isObject ? (value as Record<string, unknown>) : { type: value ?? 'sgd' };
  const type = checkOneOf(isObject ? 'options.optimizer.type' : 'options.optimizer', spec.type, OPTIMIZERS);
  const known = SETTINGS_OF[type];
  if (isObject) checkKnownKeys('options.optimizer', spec, ['type', ...known]);
  if (momentum !== undefined) {
    if (type !== 'sgd') {
      throw new DeltapropError('options.momentum', `is SGD's setting, but options.optimizer is '${type}'; remove options.momentum`);
    }
    if (spec.momentum !== undefined) {
      throw new DeltapropError('options.momentum', 'given twice, here and as options.optimizer.momentum; give it once');
    }
  }
  const resolved: Record<string, unknown> = { type };
  for (const key of known) {
    const given = key === 'momentum' && momentum !== undefined ? momentum : spec[key];
    const settingName = key === 'momentum' && momentum !== undefined ? 'options.momentum' : `options.optimizer.${key}`;
    resolved[key] = given === undefined ? (key === 'nesterov' ? false : DEFAULTS[key]) : checkSetting(settingName, key, given);
  }
  if (resolved.nesterov === true && resolved.momentum === 0) {
    throw new DeltapropError('options.optimizer.nesterov', 'Nesterov momentum needs a momentum > 0, got momentum 0');
  }
  return resolved as ResolvedOptimizer;
}

/** Checks an optimizer read back from a saved network (`name` is where it was found). */
export function checkResolvedOptimizer(name: string, value: unknown): ResolvedOptimizer {
  const o = checkObject(name, value);
  const type = checkOneOf(`${name}.type`, o.type, OPTIMIZERS);
  checkKnownKeys(name, o, ['type', ...SETTINGS_OF[type]]);
  for (const key of SETTINGS_OF[type]) {
    if (o[key] === undefined) throw new DeltapropError(`${name}.${key}`, `expected the setting the network saved, got undefined`);
    checkSetting(`${name}.${key}`, key, o[key]);
  }
  return o as ResolvedOptimizer;
}

export function sameOptimizer(a: ResolvedOptimizer | null, b: ResolvedOptimizer): boolean {
  return a !== null && a.type === b.type && SETTINGS_OF[b.type].every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}

/** The settings as the engines take them: OPTIMIZER_SETTINGS in order, defaults for those this optimizer lacks. */
export function optimizerSettings(optimizer: ResolvedOptimizer): Float64Array {
  const o = optimizer as Record<string, unknown>;
  return Float64Array.from(OPTIMIZER_SETTINGS, (key) => {
    const value = o[key];
    if (value === undefined) return DEFAULTS[key];
    return typeof value === 'boolean' ? Number(value) : (value as number);
  });
}

export function optimizerCode(optimizer: ResolvedOptimizer): OptimizerCode {
  return OptimizerCode[optimizer.type];
}

/** How many buffers of the parameters' layout the optimizer keeps: V for SGD with momentum; m and v for Adam(W); v for RMSprop. */
export function stateSlots(optimizer: ResolvedOptimizer): number {
  switch (optimizer.type) {
    case 'sgd': return optimizer.momentum !== 0 ? 1 : 0;
    case 'adam':
    case 'adamw': return 2;
    case 'rmsprop': return 1;
  }
}

// ---------------------------------------------------------------- the steps

/** One step's settings and the constants derived from η and t, computed once (as native make_step does). */
interface OptimizerStep {
  code: OptimizerCode;
  settings: Settings;
  learningRate: number;
  /** adam, adamw: η / (1 − β₁ᵗ) */
  stepSize: number;
  /** adam, adamw: 1 / √(1 − β₂ᵗ) */
  inverseSqrtCorrection2: number;
  /** adamw: 1 − ηλ */
  decayFactor: number;
}

/** base^exponent by squaring: the multiplications of native power(), so both engines get the same bias corrections. */
function power(base: number, exponent: number): number {
  let result = 1;
  for (let square = base, e = exponent; e > 0; e = Math.floor(e / 2), square *= square) if (e % 2 === 1) result *= square;
  return result;
}

/** The last settings object built, and the values it was built from: a tiny network takes a step every microsecond or so. */
let lastSettings: { values: Float64Array; settings: Settings } | null = null;

/** The settings array as an object, rebuilt only when its values change. */
function settingsOf(values: Float64Array): Settings {
  if (lastSettings === null || lastSettings.values.length !== values.length || lastSettings.values.some((x, i) => !Object.is(x, values[i]))) {
    lastSettings = { values: Float64Array.from(values), settings: Object.fromEntries(OPTIMIZER_SETTINGS.map((key, i) => [key, values[i]])) as Settings };
  }
  return lastSettings.settings;
}

function makeStep(optimizer: OptimizerJob, learningRate: number, t: number): OptimizerStep {
  const settings = settingsOf(optimizer.settings);
  const adam = optimizer.code === OptimizerCode.adam || optimizer.code === OptimizerCode.adamw;
  return {
    code: optimizer.code,
    settings,
    learningRate,
    stepSize: adam ? learningRate / (1 - power(settings.beta1, t)) : learningRate,
    inverseSqrtCorrection2: adam ? 1 / Math.sqrt(1 - power(settings.beta2, t)) : 1,
    decayFactor: optimizer.code === OptimizerCode.adamw ? 1 - learningRate * settings.weightDecay : 1,
  };
}

/**
 * The step of parameters [start, end) of params from grads; state holds
 * `slots` buffers of `parameters` values (see stateSlots). Weights take
 * AdamW's decay, biases never.
 */
function applyStep(
  step: OptimizerStep, kind: 'weights' | 'biases', start: number, end: number,
  grads: Float64Array, params: Float64Array, state: Float64Array, parameters: number,
): void {
  const { learningRate: lr, settings: s } = step;
  switch (step.code) {
    case OptimizerCode.sgd: {
      if (state.length === 0) {
        for (let i = start; i < end; i++) params[i] = params[i] - lr * grads[i];
        return;
      }
      for (let i = start; i < end; i++) {
        const v = s.momentum * state[i] + grads[i];
        state[i] = v;
        params[i] = params[i] - lr * (s.nesterov ? grads[i] + s.momentum * v : v);
      }
      return;
    }
    case OptimizerCode.adam:
    case OptimizerCode.adamw: {
      const decay = step.code === OptimizerCode.adamw && kind === 'weights';
      for (let i = start; i < end; i++) {
        const g = grads[i];
        const p = decay ? params[i] * step.decayFactor : params[i];
        const m = s.beta1 * state[i] + (1 - s.beta1) * g;
        const v = s.beta2 * state[parameters + i] + (1 - s.beta2) * g * g;
        state[i] = m;
        state[parameters + i] = v;
        params[i] = p - step.stepSize * (m / (Math.sqrt(v) * step.inverseSqrtCorrection2 + s.epsilon));
      }
      return;
    }
    case OptimizerCode.rmsprop: {
      for (let i = start; i < end; i++) {
        const g = grads[i];
        const v = s.alpha * state[i] + (1 - s.alpha) * g * g;
        state[i] = v;
        params[i] = params[i] - lr * (g / (Math.sqrt(v) + s.epsilon));
      }
      return;
    }
  }
}

/** Step number t (from 1) over a whole gradient buffer, layer by layer: weights, then biases. */
export function stepParameters(
  offsets: readonly LayerOffsets[], optimizer: OptimizerJob, t: number, learningRate: number, grads: Float64Array, params: Float64Array,
): void {
  const step = makeStep(optimizer, learningRate, t);
  for (const o of offsets) {
    applyStep(step, 'weights', o.weights, o.weights + o.fanIn * o.fanOut, grads, params, optimizer.state, params.length);
    if (o.biases >= 0) applyStep(step, 'biases', o.biases, o.biases + o.fanOut, grads, params, optimizer.state, params.length);
  }
}

/**
 * g := g·c/(‖g‖ + 1e-6) when that factor is below 1, ‖g‖ the L2 norm of the
 * whole gradient (torch.nn.utils.clip_grad_norm_'s rule).
 */
export function clipGradientNorm(grads: Float64Array, maxNorm: number): void {
  let squares = 0;
  for (let i = 0; i < grads.length; i++) squares += grads[i] * grads[i];
  const factor = maxNorm / (Math.sqrt(squares) + 1e-6);
  if (factor < 1) for (let i = 0; i < grads.length; i++) grads[i] *= factor;
}
