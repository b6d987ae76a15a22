// The JS reference of each optimizer's step (the rules are written out in
// src/optimizers.ts), mirrored name for name by native/kernels/optimizer.h.
import type { LayerOffsets } from '../layout.js';
import { OPTIMIZER_SETTINGS, OptimizerCode } from '../types.js';
import type { OptimizerJob, OptimizerSettings as Settings } from '../types.js';

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
function applyStep(step: OptimizerStep, kind: 'weights' | 'biases', start: number, end: number, grads: Float64Array, params: Float64Array, state: Float64Array, parameters: number): void {
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
export function stepParameters(offsets: readonly LayerOffsets[], optimizer: OptimizerJob, t: number, learningRate: number, grads: Float64Array, params: Float64Array): void {
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
