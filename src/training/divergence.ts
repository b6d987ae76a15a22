// Divergence: training that has left the numbers behind. After every epoch
// the loop checks the loss, every parameter and the optimizer's state, and
// stops training on any of:
//   - a non-finite loss, parameter or state value;
//   - a cross-entropy term whose log was floored: an output that gave an
//     observed target a probability of exactly 0 (its true loss is +∞; the
//     reported one only stays finite because the log is floored);
//   - a parameter beyond PARAMETER_BOUND;
//   - parameters that ran away within the epoch: their root mean square grew
//     beyond GROWTH_LIMIT times what it was at the epoch's start (or than 1,
//     if that was smaller).
// The epoch is then replayed a minibatch at a time from its start (the
// shuffle order and the generators are kept, so the replay is the same
// computation) to name the minibatch where it went wrong, and the network is
// rolled back to the start of the epoch, so it stays usable and savable.
//
// Why 1e100: a trained weight is rarely beyond 1e3. The backward pass
// multiplies a weight of every layer it crosses, so weights of 1e100 in three
// layers already make 1e300, at the edge of float64 (1.8e308); by then the
// losses that floor their logarithms (cross-entropies) or saturate (mse on a
// sigmoid or tanh output) still look finite while the network is useless.
// Anything below the bound can still be trained back; beyond it, nothing can.
//
// Why a growth limit of 1e4 per epoch: a step moves a parameter by about η·g.
// For the parameters as a whole to grow ten-thousandfold within one pass
// over the data, the steps must dwarf the parameters themselves, which is
// the mark of a learning rate far beyond the loss's curvature; converging
// training changes the scale of its weights by small factors per epoch. The
// floor of 1 keeps tiny starting weights (or zeros) from raising alarms.
import type { InputScaling } from '../backend/types.js';
import type { OptimizerState } from './optimizer-state.js';
import { cloneOptimizerState } from './optimizer-state.js';
import type { Random } from '../random.js';

export const PARAMETER_BOUND = 1e100;
export const GROWTH_LIMIT = 1e4;

/** The root mean square of the values. */
export function rms(values: Float64Array): number {
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += values[i] * values[i];
  return Math.sqrt(squares / Math.max(1, values.length));
}

/**
 * What makes the values diverged, or null when they are all usable: the
 * loss (sum) and floored terms of what ran, and the parameters' RMS at the
 * epoch's start.
 */
export function divergence(loss: number, floored: number, params: Float64Array, state: OptimizerState, startRms: number): string | null {
  if (!Number.isFinite(loss)) return `the loss became ${loss}`;
  if (floored > 0) return `${floored} of its outputs gave their target a probability of exactly 0 (an infinite loss)`;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (!Number.isFinite(p)) return `parameter ${i} became ${p}`;
    if (Math.abs(p) > PARAMETER_BOUND) return `parameter ${i} grew to ${p.toPrecision(3)}, beyond ${PARAMETER_BOUND}`;
  }
  const now = rms(params);
  if (now > GROWTH_LIMIT * Math.max(startRms, 1)) {
    return `the parameters ran away: their root mean square grew from ${startRms.toPrecision(3)} to ${now.toPrecision(3)} within the epoch`;
  }
  const buffers = state.buffers;
  for (let i = 0; i < buffers.length; i++) {
    if (!Number.isFinite(buffers[i])) return `the optimizer's state became ${buffers[i]}`;
  }
  return null;
}

/** Everything an epoch changes, as it was at the epoch's start. */
export interface EpochStart {
  params: Float64Array;
  state: OptimizerState;
  dropout: Uint32Array;
  rms: number;
}

export function epochStart(params: Float64Array, state: OptimizerState, dropout: Random): EpochStart {
  return { params: Float64Array.from(params), state: cloneOptimizerState(state), dropout: Uint32Array.from(dropout.words), rms: rms(params) };
}

/** Puts the network back to `start` (into the same buffers and objects the training uses). */
export function rollBack(start: EpochStart, params: Float64Array, state: OptimizerState, dropout: Random): void {
  params.set(start.params);
  state.buffers.set(start.state.buffers);
  state.steps = start.state.steps;
  state.position = { ...start.state.position };
  dropout.words.set(start.dropout);
}

/**
 * The likely cause, for the message: inputs far from unit scale (the usual
 * reason with a sane learning rate) or else the learning rate. `largest` is
 * the largest |x| of the rows the failing minibatch read, as the network
 * reads them (after its input scaling, if any).
 */
export function likelyCause(largest: number, scaling: InputScaling | null, learningRate: number): { argument: string; advice: string } {
  if (largest > 1e3) {
    const fix =
      scaling === null ? "scale them: new Network({ ..., inputScaling: 'standard' }) does it from the training data" : 'check the data (even after the input scaling they are far from unit scale)';
    return { argument: 'inputs', advice: `its inputs reach |x| = ${largest.toPrecision(3)}, far from unit scale: ${fix}` };
  }
  return { argument: 'options.learningRate', advice: `with learning rate ${learningRate}: start again with a smaller one` };
}
