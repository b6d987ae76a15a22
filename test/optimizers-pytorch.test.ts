// fit's optimizers (sgd with momentum / Nesterov, adam, adamw, rmsprop),
// learning-rate schedules and gradient clipping against PyTorch: the same
// networks, data and initial parameters trained with torch.optim in float64,
// minibatches in order, must end at the same parameters to 1e-10 relative.
// The reference runs are in test/fixtures/optimizers/reference.json, written by
// make_reference.py next to it (run by hand, never in CI; it also checks
// torch's results against a numpy transcription of the same formulas).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Network } from '../src/index.js';
import type { FitOptions, NetworkOptions } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';

type Schedule = { type: 'step' | 'exponential' | 'cosine'; [setting: string]: number | string };
type Optimizer = string | { type: string; [setting: string]: number | string | boolean };

interface ReferenceRun {
  name: string;
  fit: { epochs: number; batchSize: number; learningRate: number | Schedule; optimizer?: Optimizer; clipNorm?: number };
  finalParams: number[];
  learningRates: number[];
  clippedSteps?: number;
  steps?: number;
}

interface ReferenceNetwork {
  name: string;
  options: { inputs: number; layers: { units: number; activation: string }[]; loss: string; reduction: string; l2: number };
  inputs: number[][];
  targets: number[][];
  initialParams: number[];
  runs: ReferenceRun[];
}

const fixture = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'optimizers', 'reference.json'), 'utf8')) as { generatedBy: string; torch: string; networks: ReferenceNetwork[] };

const PARAM_TOLERANCE = 1e-10; // per element, relative to max(|torch|, 1e-3)
const SCALE_FLOOR = 1e-3;
const RATE_TOLERANCE = 1e-15; // relative: a few ulps, for pow vs repeated products

/** Names flat index i in deltaprop's layout, e.g. "layer 1 W[2][0]" or "layer 0 b[3]". */
function paramName(options: ReferenceNetwork['options'], i: number): string {
  let fanIn = options.inputs;
  for (const [layer, { units }] of options.layers.entries()) {
    if (i < fanIn * units) return `layer ${layer} W[${Math.floor(i / units)}][${i % units}]`;
    i -= fanIn * units;
    if (i < units) return `layer ${layer} b[${i}]`;
    i -= units;
    fanIn = units;
  }
  return `index past the end (${i})`;
}

/** The element where got and want disagree most, measured as |got − want| / max(|want|, floor). */
function worstElement(got: ArrayLike<number>, want: number[]): { index: number; got: number; want: number; error: number } {
  if (got.length !== want.length) throw new Error(`length ${got.length}, expected ${want.length}`);
  let worst = { index: -1, got: NaN, want: NaN, error: 0 };
  for (let i = 0; i < want.length; i++) {
    const error = Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), SCALE_FLOOR);
    // `!(error <= worst)` so that a NaN counts as the worst.
    if (!(error <= worst.error)) worst = { index: i, got: got[i], want: want[i], error };
  }
  return worst;
}

function optimizerType(optimizer: Optimizer | undefined): string {
  if (optimizer === undefined) return 'sgd';
  return typeof optimizer === 'string' ? optimizer : optimizer.type;
}

describe('the PyTorch optimizer fixture', () => {
  it('has at least two networks, each with sgd, momentum, nesterov, adam, adamw and rmsprop runs', () => {
    expect(fixture.networks.length).toBeGreaterThanOrEqual(2);
    for (const network of fixture.networks) {
      const has = (test: (run: ReferenceRun) => boolean) => network.runs.some(test);
      const settings = (run: ReferenceRun) => (typeof run.fit.optimizer === 'object' ? run.fit.optimizer : {}) as Record<string, unknown>;
      const kinds = {
        sgd: has((r) => optimizerType(r.fit.optimizer) === 'sgd' && !settings(r).momentum),
        momentum: has((r) => optimizerType(r.fit.optimizer) === 'sgd' && Number(settings(r).momentum) > 0 && !settings(r).nesterov),
        nesterov: has((r) => optimizerType(r.fit.optimizer) === 'sgd' && settings(r).nesterov === true),
        adam: has((r) => optimizerType(r.fit.optimizer) === 'adam'),
        adamw: has((r) => optimizerType(r.fit.optimizer) === 'adamw'),
        rmsprop: has((r) => optimizerType(r.fit.optimizer) === 'rmsprop'),
      };
      expect(kinds, network.name).toEqual({ sgd: true, momentum: true, nesterov: true, adam: true, adamw: true, rmsprop: true });
    }
  });

  it('covers schedules and clipping, with a run that clips on most steps and one that never clips', () => {
    const runs = fixture.networks.flatMap((n) => n.runs);
    const scheduleTypes = new Set(runs.map((r) => (typeof r.fit.learningRate === 'object' ? r.fit.learningRate.type : 'constant')));
    expect([...scheduleTypes].sort()).toEqual(['constant', 'cosine', 'exponential', 'step']);
    const clipRuns = runs.filter((r) => r.fit.clipNorm !== undefined);
    expect(clipRuns.some((r) => r.clippedSteps! > r.steps! / 2 && r.clippedSteps! < r.steps!)).toBe(true);
    expect(clipRuns.some((r) => r.clippedSteps === 0)).toBe(true);
  });

  it('every reference run moved the parameters far beyond the tolerance (a no-op cannot pass)', () => {
    for (const network of fixture.networks) {
      for (const run of network.runs) {
        expect(worstElement(run.finalParams, network.initialParams).error, `${network.name} / ${run.name}`).toBeGreaterThan(1e-3);
      }
    }
  });
});

describe.each(BACKENDS)('optimizers match PyTorch on %s', (backend) => {
  for (const network of fixture.networks) {
    describe(network.name, () => {
      it.each(network.runs.map((run) => [run.name, run] as const))('%s', (_name, run) => {
        const net = new Network({ ...network.options, seed: 1, backend } as unknown as NetworkOptions);
        expect(net.params.length, 'parameter count').toBe(network.initialParams.length);
        net.params.set(network.initialParams);

        const history = net.fitSync(network.inputs, network.targets, { ...run.fit, shuffle: false } as unknown as FitOptions);

        // Training did something (on top of the fixture's own check).
        expect(worstElement(net.params, network.initialParams).error, 'parameters moved').toBeGreaterThan(1e-3);

        const worst = worstElement(net.params, run.finalParams);
        const where = worst.index < 0 ? 'none' : `${paramName(network.options, worst.index)} (index ${worst.index})`;
        expect(worst.error, `worst element ${where}: deltaprop ${worst.got}, PyTorch ${worst.want}, relative error ${worst.error.toExponential(3)}`).toBeLessThanOrEqual(PARAM_TOLERANCE);

        const rates = (history as unknown as { learningRate?: number[] }).learningRate;
        expect(rates, 'history.learningRate').toBeDefined();
        expect(rates!.length, 'one learning rate per epoch').toBe(run.learningRates.length);
        for (const [epoch, want] of run.learningRates.entries()) {
          expect(Math.abs(rates![epoch] - want) / want, `learning rate of epoch ${epoch}: ${rates![epoch]}, expected ${want}`).toBeLessThanOrEqual(RATE_TOLERANCE);
        }
      });
    });
  }
});
