// Divergence is caught, rolled back and explained the same way on every path
// of fit: sync and async, one engine call an epoch or sliced by onProgress,
// rows in memory or streamed; whether the parameters run away or the loss
// becomes infinite part-way through an epoch (which a slice then hands the
// next as its starting sum). And saturation, which diverges nothing but stops
// training, is told as a warning, once a layer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltapropError, Network } from '../src/index.js';
import type { FitOptions } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';

const dir = mkdtempSync(path.join(tmpdir(), 'deltaprop-divergence-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const X = Array.from({ length: 96 }, (_, i) => [Math.sin(i), Math.cos(i), Math.sin(2 * i), (i % 3) - 1]);

/** Two ways to diverge: a learning rate that makes the parameters run away, and targets whose squared error overflows part-way through the epoch. */
const CASES = [
  { name: 'runaway parameters', targets: X.map((r) => [r[0] + 1000 * r[1]]), learningRate: 1e3, argument: 'options.learningRate' },
  { name: 'a loss that overflows mid-epoch', targets: X.map((r, i) => [i < 48 ? r[0] : 1e200]), learningRate: 1e-6, argument: /./ },
];

type Path = { name: string; async: boolean; progress: boolean; streamed: boolean };
const PATHS: Path[] = [];
for (const async of [false, true])
  for (const progress of [false, true])
    for (const streamed of [false, true]) {
      PATHS.push({ name: `${async ? 'fit' : 'fitSync'}${progress ? ', onProgress' : ''}${streamed ? ', streamed' : ''}`, async, progress, streamed });
    }

async function run(net: Network, targets: number[][], p: Path, options: FitOptions) {
  const fit: FitOptions = { ...options, ...(p.progress ? { onProgress: () => undefined } : {}) };
  const data = p.streamed ? () => [0, 32, 64].map((at) => ({ inputs: X.slice(at, at + 32), targets: targets.slice(at, at + 32) })) : X;
  if (p.streamed) return p.async ? net.fit(data as () => never, fit) : net.fitSync(data as () => never, fit);
  return p.async ? net.fit(X, targets, fit) : net.fitSync(X, targets, fit);
}

describe.each(BACKENDS)('divergence on %s', (backend) => {
  describe.each(CASES)('$name', ({ targets, learningRate, argument }) => {
    it.each(PATHS)("$name: a DeltapropError, the network rolled back to the epoch's start, usable and savable", async (p) => {
      const net = new Network({
        inputs: 4,
        layers: [
          { units: 8, activation: 'relu' },
          { units: 1, activation: 'identity' },
        ],
        seed: 3,
        backend,
      });
      const start = Float64Array.from(net.params);
      let error: unknown = null;
      try {
        await run(net, targets, p, { epochs: 2, batchSize: 4, learningRate });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DeltapropError);
      const e = error as DeltapropError;
      expect(e.argument).toMatch(argument);
      expect(e.message).toMatch(/training diverged in epoch 0/);
      expect(e.message).toMatch(/back as it was at the start of epoch 0/);
      expect(net.params).toEqual(start);
      net.save(path.join(dir, `${backend}-${p.name}.dpm`));
      expect(
        Number.isFinite(
          net.evaluate(
            X,
            X.map(() => [0]),
          ).loss,
        ),
      ).toBe(true);
    });
  });
});

describe.each(BACKENDS)('saturation on %s', (backend) => {
  const T = X.map((r) => [r[0] + r[1] > 0 ? 1 : 0]);
  const make = (seed: number) =>
    new Network({
      inputs: 4,
      layers: [
        { units: 16, activation: 'tanh' },
        { units: 16, activation: 'tanh' },
        { units: 1, activation: 'sigmoid' },
      ],
      loss: 'mse',
      seed,
      inputScaling: 'standard',
      backend,
    });

  it("a learning rate that saturates the tanh and sigmoid layers without diverging: a warning for each, once, in history and the epoch's info", () => {
    const net = make(2);
    const told: string[][] = [];
    const history = net.fitSync(X, T, {
      epochs: 8,
      batchSize: 16,
      learningRate: 300,
      onEpoch: (info) => {
        told.push(info.warnings ?? []);
      },
    });
    expect(history.epochs).toBe(8);
    const warnings = history.warnings!;
    expect(warnings.map((w) => w.message.match(/^layer (\d+)/)![1])).toEqual(['0', '1', '2']);
    expect(new Set(warnings.map((w) => w.message.match(/^layer (\d+)/)![1])).size).toBe(warnings.length);
    for (const w of warnings) {
      expect(w.message).toMatch(
        /^layer \d+'s (tanh|sigmoid) units are saturated \(their weights' scale √fanIn·RMS\(W\) is \S+, beyond 15\): their gradients vanish and training stalls; start again with a smaller learning rate \(this epoch's was 300\)$/,
      );
      expect(told[w.epoch]).toContain(w.message);
    }
    // The stall is real: the loss no longer moves.
    expect(Math.abs(history.loss[7] - history.loss[6])).toBeLessThan(1e-6);
  });

  it.each([1, 2, 3])('healthy training (seed %i, learning rate 0.5) warns of nothing', (seed) => {
    const history = make(seed).fitSync(X, T, { epochs: 30, batchSize: 16, learningRate: 0.5 });
    expect(history.warnings).toBeUndefined();
  });

  it('the cross-entropies do not stall at a saturated output (δ = f − t): no warning for the output layer there', () => {
    const net = new Network({ inputs: 4, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'binary-cross-entropy', seed: 1, inputScaling: 'standard', backend });
    net.adapt(X);
    // Saturated (scale √4·8 = 16), yet not so far that an output rounds to exactly 0 or 1.
    net.setWeights(0, [[8], [8], [8], [8]]);
    const history = net.fitSync(X, T, { epochs: 1, learningRate: 0.01 });
    expect(history.warnings).toBeUndefined();
  });
});
