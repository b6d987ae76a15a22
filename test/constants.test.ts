// The limits and codes exist twice, in native/kernels/codes.h (and the
// addon's argument readers) and in the TypeScript layer; the addon exports its
// copy, and this compares the two so that they cannot drift apart.
import { describe, expect, it } from 'vitest';
import { MAX_THREADS, nativeEngine } from '../src/backend/index.js';
import { ActivationCode, LossCode, OPTIMIZER_SETTINGS, OptimizerCode, ReductionCode } from '../src/backend/types.js';
import { MAX_PARAMETERS, MAX_UNITS } from '../src/options.js';
import { BACKENDS } from './helpers/backends.js';

describe.runIf(BACKENDS.includes('native'))('the addon and the TypeScript layer agree on', () => {
  const constants = nativeEngine()!.constants;

  it('the limits', () => {
    expect(constants.maxUnits).toBe(MAX_UNITS);
    expect(constants.maxParameters).toBe(MAX_PARAMETERS);
    expect(constants.maxThreads).toBe(MAX_THREADS);
  });

  it('the activation, loss, reduction and optimizer codes', () => {
    expect(constants.activations).toEqual(ActivationCode);
    expect(constants.losses).toEqual(LossCode);
    expect(constants.reductions).toEqual(ReductionCode);
    expect(constants.optimizers).toEqual(OptimizerCode);
  });

  it('the order of the optimizer settings', () => {
    expect(constants.optimizerSettings).toEqual([...OPTIMIZER_SETTINGS]);
  });
});
