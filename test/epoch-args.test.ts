// trainEpoch and its async forms take 25 positional arguments, whose order is
// written once in C++ (kEpochArgNames, native/addon/epoch_args.h) and once in
// TypeScript (EPOCH_ARGUMENTS, src/backend/native.ts). The addon exports its
// list rather than this test parsing the header: the export is what the built
// binary really reads, positions included, and it needs no C++ parser here.
import path from 'node:path';
import loadAddon from 'node-gyp-build';
import { describe, expect, it } from 'vitest';
import { nativeEngine } from '../src/backend/index.js';
import { EPOCH_ARGUMENTS, epochArgs } from '../src/backend/native.js';
import type { EpochJob } from '../src/backend/types.js';
import { ActivationCode, LossCode, OptimizerCode, ReductionCode } from '../src/backend/types.js';
import { BACKENDS } from './helpers/backends.js';

type Fn = (...args: unknown[]) => unknown;
type Name = (typeof EPOCH_ARGUMENTS)[number];

describe.runIf(BACKENDS.includes('native'))('the epoch arguments', () => {
  const addon = loadAddon(path.resolve(__dirname, '..')) as Record<string, Fn>;

  // One epoch of a 2-3-1 sigmoid network over 4 borrowed rows, plain SGD, by name.
  const valid = (): Record<Name, unknown> => ({
    sizes: Int32Array.of(2, 3, 1),
    activations: Int32Array.of(ActivationCode.sigmoid, ActivationCode.sigmoid),
    bias: true,
    loss: LossCode.mse,
    reduction: ReductionCode.mean,
    l2: 0,
    params: new Float64Array(13).fill(0.1),
    optimizer: OptimizerCode.sgd,
    optimizerSettings: Float64Array.of(0, 0, 0.9, 0.999, 1e-8, 0, 0.99),
    optimizerState: new Float64Array(0),
    stepsTaken: 0,
    data: null,
    inputs: Float64Array.of(0, 0, 0, 1, 1, 0, 1, 1),
    targets: Float64Array.of(0, 1, 1, 0),
    weights: null,
    inputShift: null,
    inputSpread: null,
    order: Int32Array.of(0, 1, 2, 3),
    batchSize: 2,
    learningRate: 0.1,
    clipNorm: 0,
    dropout: null,
    randomState: Uint32Array.of(1, 2, 3, 4),
    abort: null,
    lossSumStart: 0,
  });
  const call = (values: Record<Name, unknown>) => addon.trainEpoch(...EPOCH_ARGUMENTS.map((name) => values[name]));

  it('are the same names in the same order in the addon and in TypeScript', () => {
    expect(nativeEngine()!.constants.epochArguments).toEqual([...EPOCH_ARGUMENTS]);
  });

  it('given in that order, train an epoch', () => {
    expect(call(valid())).toEqual(expect.objectContaining({ minibatches: 2, rows: 4, steps: 2 }));
  });

  // A value no argument accepts, at each position in turn: the addon must
  // blame the name the list gives that position, so its readers read where
  // the list says (the readers that take several arguments in a row too).
  it.each(EPOCH_ARGUMENTS.map((name, i) => [i, name]))('position %i is read as %s', (_, name) => {
    expect(() => call({ ...valid(), [name]: 'not an argument' })).toThrow(`deltaprop native trainEpoch: ${name}: `);
  });
});

// epochArgs writes its call as one literal, for speed: each position must
// hold the value of the job that the list's name there stands for. A marker
// object per name, placed where an EpochJob keeps that value, must come out
// at that name's position (no engine needed: the addon is not called).
describe('epochArgs', () => {
  const markers = new Map(EPOCH_ARGUMENTS.map((name) => [name, { marker: name }]));
  const m = (name: Name) => markers.get(name) as never;
  const job = (data: unknown): EpochJob => ({
    layout: { sizes: m('sizes'), activations: m('activations'), bias: m('bias') },
    objective: { loss: m('loss'), reduction: m('reduction'), l2: m('l2') },
    params: m('params'),
    optimizer: { code: m('optimizer'), settings: m('optimizerSettings'), state: m('optimizerState'), stepsTaken: m('stepsTaken') },
    data: data as never,
    inputScaling: { shift: m('inputShift'), spread: m('inputSpread') },
    order: m('order'),
    batchSize: m('batchSize'),
    learningRate: m('learningRate'),
    clipNorm: m('clipNorm'),
    dropout: m('dropout'),
    randomState: m('randomState'),
    abort: m('abort'),
    lossSumStart: m('lossSumStart'),
    dataParallel: null,
  });
  const expectAt = (args: readonly unknown[], expected: (name: Name) => unknown) => {
    expect(args).toHaveLength(EPOCH_ARGUMENTS.length);
    EPOCH_ARGUMENTS.forEach((name, i) => expect(args[i], name).toBe(expected(name)));
  };

  it("puts each of an engine-owned job's values at its name's position (no borrowed rows)", () => {
    expectAt(epochArgs(job(m('data'))), (name) => (['inputs', 'targets', 'weights'].includes(name) ? null : markers.get(name)));
  });

  it('passes borrowed rows as inputs, targets and weights, and no data object', () => {
    const borrowed = { borrowed: { inputs: m('inputs'), targets: m('targets'), weights: m('weights') } };
    expectAt(epochArgs(job(borrowed)), (name) => (name === 'data' ? null : markers.get(name)));
  });
});
