// The optimizers: their names, settings and checks. Each step's JS reference
// is src/backend/js/optimizer.ts, mirrored name for name by
// native/kernels/optimizer.h (the element-wise arithmetic there is in
// optimizer_rows.h). For a gradient g
// (weights and biases alike unless said; it already holds the L2 term):
//   sgd      V := μV + g; W := W − ηV, or with Nesterov W := W − η(g + μV);
//            without momentum W := W − ηg
//   adam     m := β₁m + (1−β₁)g, v := β₂v + (1−β₂)g²,
//            W := W − (η/(1−β₁ᵗ))·m / (√v·(1/√(1−β₂ᵗ)) + ε), t counting steps from 1
//   adamw    W := W·(1 − ηλ) on weights only (never biases), then the Adam step
//   rmsprop  v := αv + (1−α)g², W := W − η·g/(√v + ε)
// Each element takes these operations in this order, as in torch.optim.
import { OPTIMIZER_SETTINGS, OptimizerCode } from './backend/types.js';
import type { OptimizerSettings } from './backend/types.js';
import { DeltapropError, describeValue } from './errors.js';
import { checkBoolean, checkKnownKeys, checkNumber, checkObject, checkOneOf } from './validate.js';

export const OPTIMIZERS = ['sgd', 'adam', 'adamw', 'rmsprop'] as const;
/**
 * The optimizer that updates the weights.
 * @useDeclaredType
 */
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

type Settings = OptimizerSettings;

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
    case 'nesterov':
      return checkBoolean(name, value);
    case 'epsilon':
      return checkNumber(name, value, { min: 0, minExclusive: true });
    case 'weightDecay':
      return checkNumber(name, value, { min: 0 });
    default:
      return checkNumber(name, value, unitInterval);
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
    case 'sgd':
      return optimizer.momentum !== 0 ? 1 : 0;
    case 'adam':
    case 'adamw':
      return 2;
    case 'rmsprop':
      return 1;
  }
}
