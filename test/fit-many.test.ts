// Network.fitMany, from its promise: each network ends exactly as its own
// fit() would have left it (parameters to the bit, history, callbacks),
// whatever the thread count and whoever it trains beside; abort, early
// stopping, checkpoints, divergence and errors stay with their network; bad
// tasks are refused before anything trains.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AbortError, DeltapropError, Network, setThreads } from '../src/index.js';
import type { ChunkSource, FitOptions, FitTask, History } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import type { BackendName } from './helpers/backends.js';
import { randomRows, seededUniform } from './helpers/data.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
afterEach(() => setThreads(1));

interface Case {
  make: () => Network;
  inputs: number[][];
  targets: number[][];
  options: FitOptions;
}

/** Network i: its own size, data, seed and options (a mix, so that neighbours differ in every way). */
function caseOf(i: number, backend: BackendName): Case {
  const next = seededUniform(100 + i);
  const inputs = 3 + (i % 4);
  const rows = 40 + 23 * i;
  const X = randomRows(rows, inputs, next);
  const T = X.map((r) => [r.reduce((a, b) => a + b, 0) > 0 ? 0.9 : 0.1]);
  const optimizers: FitOptions['optimizer'][] = ['sgd', { type: 'sgd', momentum: 0.9 }, 'adam', { type: 'rmsprop' }];
  return {
    make: () =>
      new Network({
        inputs,
        layers: [
          { units: 4 + i, activation: i % 2 === 0 ? 'tanh' : 'relu' },
          { units: 1, activation: 'sigmoid' },
        ],
        seed: i + 1,
        backend,
      }),
    inputs: X,
    targets: T,
    options: { epochs: 3 + (i % 3), batchSize: 4 + 3 * i, learningRate: 0.05, optimizer: optimizers[i % optimizers.length], ...(i % 3 === 2 ? { shuffle: false } : {}) },
  };
}

const bits = (a: Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

/** What the history says, every number to the bit (and NaN-safe). */
function figures(h: History): unknown {
  return JSON.parse(JSON.stringify(h, (_k, v) => (typeof v === 'number' ? bits(Float64Array.of(v)) : v)));
}

function tasksOf(cases: Case[], networks: Network[]): FitTask[] {
  return cases.map((c, i) => ({ network: networks[i], inputs: c.inputs, targets: c.targets, options: c.options }));
}

describe.each(BACKENDS)('fitMany on %s', (backend) => {
  it.each([1, 2])('%i thread(s): every network ends as its own fit leaves it, to the bit, with the same history', async (threads) => {
    setThreads(threads);
    const cases = Array.from({ length: 6 }, (_, i) => caseOf(i, backend));
    const alone: { params: string; history: ReturnType<typeof figures> }[] = [];
    for (const c of cases) {
      const net = c.make();
      const history = await net.fit(c.inputs, c.targets, c.options);
      alone.push({ params: bits(net.params), history: figures(history) });
    }
    const networks = cases.map((c) => c.make());
    const outcomes = await Network.fitMany(tasksOf(cases, networks));
    outcomes.forEach((o, i) => {
      expect(o.status).toBe('fulfilled');
      expect(bits(networks[i].params)).toBe(alone[i].params);
      expect(figures((o as PromiseFulfilledResult<History>).value)).toEqual(alone[i].history);
    });
  });

  it('a single task, validation, metrics, dropout and weights: as its own fit', async () => {
    const c = caseOf(3, backend);
    const next = seededUniform(5);
    const VX = randomRows(10, 6, next);
    const VT = VX.map((r) => [r[0] > 0 ? 0.9 : 0.1]);
    const weights = Float64Array.from(c.inputs, (_r, i) => 1 + (i % 3));
    const options: FitOptions = { ...c.options, validation: { inputs: VX, targets: VT }, metrics: ['r2'], sampleWeight: weights };
    const makeNet = () =>
      new Network({
        inputs: 6,
        layers: [
          { units: 5, activation: 'tanh', dropout: 0.2 },
          { units: 1, activation: 'sigmoid' },
        ],
        seed: 3,
        backend,
      });
    const solo = makeNet();
    const expected = figures(await solo.fit(c.inputs, c.targets, options));
    const net = makeNet();
    const [outcome] = await Network.fitMany([{ network: net, inputs: c.inputs, targets: c.targets, options }]);
    expect(figures((outcome as PromiseFulfilledResult<History>).value)).toEqual(expected);
    expect(bits(net.params)).toBe(bits(solo.params));
  });

  it('a streamed task (a chunk source, options second) trains as its own streamed fit', async () => {
    const c = caseOf(1, backend);
    const source: ChunkSource = () => [0, 20, 40].map((at) => ({ inputs: c.inputs.slice(at, at + 20), targets: c.targets.slice(at, at + 20) }));
    const options: FitOptions = { epochs: 2, batchSize: 8, learningRate: 0.1 };
    const solo = c.make();
    await solo.fit(source, options);
    const net = c.make();
    const other = caseOf(2, backend);
    const otherNet = other.make();
    const outcomes = await Network.fitMany([
      { network: net, inputs: source, options },
      { network: otherNet, inputs: other.inputs, targets: other.targets, options: other.options },
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(bits(net.params)).toBe(bits(solo.params));
  });

  it('onEpoch and early stopping belong to each network: its own epochs, its own stop', async () => {
    const cases = [0, 1, 2].map((i) => caseOf(i, backend));
    const seen: number[][] = [[], [], []];
    const optionsOf = (i: number): FitOptions => ({
      ...cases[i].options,
      epochs: 12,
      validation: { inputs: cases[i].inputs.slice(0, 10), targets: cases[i].targets.slice(0, 10) },
      earlyStopping: { patience: i + 1, monitor: 'validationLoss', restoreBest: true, minDelta: 1e-3 },
      onEpoch: (info) => {
        seen[i].push(info.epoch);
      },
    });
    const alone: { params: string; epochs: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const net = cases[i].make();
      const h = await net.fit(cases[i].inputs, cases[i].targets, { ...optionsOf(i), onEpoch: undefined });
      alone.push({ params: bits(net.params), epochs: h.epochs });
    }
    const networks = cases.map((c) => c.make());
    const outcomes = await Network.fitMany(cases.map((c, i) => ({ network: networks[i], inputs: c.inputs, targets: c.targets, options: optionsOf(i) })));
    for (let i = 0; i < 3; i++) {
      const h = (outcomes[i] as PromiseFulfilledResult<History>).value;
      expect(h.epochs).toBe(alone[i].epochs);
      expect(seen[i]).toEqual(Array.from({ length: alone[i].epochs }, (_v, e) => e)); // epochs count from 0 in EpochInfo
      expect(bits(networks[i].params)).toBe(alone[i].params);
    }
    // Early stopping did stop some of them, each at its own epoch.
    expect(alone.some((a) => a.epochs < 12)).toBe(true);
    expect(new Set(alone.map((a) => a.epochs)).size).toBeGreaterThan(1);
  });

  it('an abort, a divergence and a bad option reject their own task only; the others train as alone', async () => {
    const cases = [0, 1, 2, 3].map((i) => caseOf(i, backend));
    const controller = new AbortController();
    const networks = cases.map((c) => c.make());
    const startOf = bits(networks[1].params);
    const tasks: FitTask[] = [
      {
        network: networks[0],
        inputs: cases[0].inputs,
        targets: cases[0].targets,
        options: {
          ...cases[0].options,
          epochs: 50,
          signal: controller.signal,
          onEpoch: (info) => {
            if (info.epoch === 2) controller.abort();
          },
        },
      },
      { network: networks[1], inputs: cases[1].inputs, targets: cases[1].targets.map(() => [1e300]), options: { ...cases[1].options, optimizer: 'sgd', learningRate: 1e300 } },
      { network: networks[2], inputs: cases[2].inputs, targets: cases[2].targets, options: { ...cases[2].options, batchSize: 0 } },
      { network: networks[3], inputs: cases[3].inputs, targets: cases[3].targets, options: cases[3].options },
    ];
    const outcomes = await Network.fitMany(tasks);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected', 'fulfilled']);
    const reasons = outcomes.map((o) => (o.status === 'rejected' ? o.reason : null));
    expect(reasons[0]).toBeInstanceOf(AbortError);
    expect(reasons[1]).toBeInstanceOf(DeltapropError);
    expect((reasons[1] as Error).message).toMatch(/diverged|not finite|non-finite/i);
    expect(bits(networks[1].params)).toBe(startOf); // rolled back to the start of the epoch: the first
    expect((reasons[2] as Error).message).toMatch(/^options\.batchSize: /);
    const solo = cases[3].make();
    await solo.fit(cases[3].inputs, cases[3].targets, cases[3].options);
    expect(bits(networks[3].params)).toBe(bits(solo.params));
    // Every network is usable again.
    for (const net of networks) expect(net.predict([Array(net.inputs).fill(0)]).rows).toBe(1);
  });

  it('checkpoints are each network’s own', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'deltaprop-fitmany-'));
    dirs.push(dir);
    const cases = [0, 1].map((i) => caseOf(i, backend));
    const networks = cases.map((c) => c.make());
    await Network.fitMany(cases.map((c, i) => ({ network: networks[i], inputs: c.inputs, targets: c.targets, options: { ...c.options, checkpoint: { path: path.join(dir, `net${i}.dpm`) } } })));
    for (let i = 0; i < 2; i++) {
      const loaded = Network.load(path.join(dir, `net${i}.dpm`));
      expect(bits(loaded.params)).toBe(bits(networks[i].params));
    }
  });

  it('a network already training elsewhere rejects its task; the rest train', async () => {
    const cases = [0, 1].map((i) => caseOf(i, backend));
    const networks = cases.map((c) => c.make());
    const elsewhere = networks[0].fit(cases[0].inputs, cases[0].targets, cases[0].options);
    const outcomes = await Network.fitMany(tasksOf(cases, networks));
    await elsewhere;
    expect(outcomes[0].status).toBe('rejected');
    expect(((outcomes[0] as PromiseRejectedResult).reason as Error).message).toMatch(/while fit\(\) is training this network/);
    expect(outcomes[1].status).toBe('fulfilled');
  });
});

describe('fitMany across engines', () => {
  it.runIf(BACKENDS.length === 2)('native and js networks in one call: each as its own fit', async () => {
    const cases = [caseOf(0, 'native'), caseOf(1, 'js'), caseOf(2, 'native')];
    const alone: string[] = [];
    for (const c of cases) {
      const net = c.make();
      await net.fit(c.inputs, c.targets, c.options);
      alone.push(bits(net.params));
    }
    const networks = cases.map((c) => c.make());
    const outcomes = await Network.fitMany(tasksOf(cases, networks));
    expect(outcomes.every((o) => o.status === 'fulfilled')).toBe(true);
    networks.forEach((n, i) => expect(bits(n.params)).toBe(alone[i]));
  });
});

describe('fitMany refuses bad tasks before anything trains', () => {
  const c = caseOf(0, BACKENDS[0]);
  const net = c.make();
  const start = bits(net.params);
  const good = { network: net, inputs: c.inputs, targets: c.targets, options: c.options };
  it.each<[string, unknown, RegExp]>([
    ['not an array', { 0: good }, /^tasks: expected an array of tasks/],
    ['a task that is not an object', [good, 3], /^tasks\[1\]: expected an options object, got 3/],
    ['a task without a network', [{ inputs: c.inputs }], /^tasks\[0\]\.network: expected a Network, got undefined/],
    ['a network that is not one', [{ ...good, network: { fit() {} } }], /^tasks\[0\]\.network: expected a Network/],
    ['a network twice', [good, { ...good }], /^tasks\[1\]\.network: is the network of tasks\[0\] too/],
    ['an unknown key', [{ ...good, epochs: 3 }], /^tasks\[0\]\.epochs: unknown option; expected one of network, inputs, targets, options/],
    ['no inputs', [{ network: net }], /^tasks\[0\]\.inputs: expected the rows/],
  ])('%s', async (_name, tasks, message) => {
    const error = await Network.fitMany(tasks as FitTask[]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeltapropError);
    expect((error as Error).message).toMatch(message);
    expect(bits(net.params)).toBe(start);
  });

  it('an empty list trains nothing', async () => {
    expect(await Network.fitMany([])).toEqual([]);
  });
});
