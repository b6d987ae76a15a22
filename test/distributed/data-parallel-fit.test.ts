// Data-parallel fit under mpirun against one process (issue 15): K processes
// with batchSize B must end with the parameters of one process with batch
// K·B over the same order of rows, to 1e-12 relative (normwise), after 3
// epochs. The reference is the library's own one-process fit, an
// independent path: it fuses each gradient into its step, scales δ before
// backprop, and sums no gradient across processes. Then what must fail does:
// a process killed mid-fit, and processes that disagree on the network.
// There, the process that fails first holds mpirun (fixtures/report.js
// holdLauncher) until every report the test waits for is written: mpirun
// SIGTERMs and SIGKILLs the others 1 and 2 s after a failure, which a process
// slowed down by the machine's load could otherwise not outrun.
import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import * as deltaprop from '../../src/index.js';
import { releaseSuite } from '../release/prerequisites.js';
import { missingMpi, mpirun, MPI_TEST_TIMEOUT_MS, ranksExcept, type JobOptions } from './mpirun.js';

const { network, rows, fitOptions } = createRequire(__filename)('./fixtures/data-parallel-case.js') as {
  network(dp: typeof deltaprop, c: Case, hidden?: number): deltaprop.Network;
  rows(dp: typeof deltaprop, c: Case): { X: deltaprop.Matrix; T: deltaprop.Matrix };
  fitOptions(c: Case, batchSize: number): deltaprop.FitOptions;
};
const missing = missingMpi();

interface Case {
  name: string;
  inputs: number;
  outputs: number;
  rows: number;
  batchSize: number;
  loss: string;
  reduction: 'mean' | 'sum';
  l2: number;
  optimizer: unknown;
  learningRate: number;
  clipNorm?: number;
  epochs?: number;
  killRank?: number;
  otherHidden?: number;
  otherInputs?: number;
  otherLearningRate?: number;
  otherRows?: boolean;
  stopRank?: number;
  throwRank?: number;
  secondFit?: boolean;
  progress?: boolean;
}

// Rows not a multiple of K·B, so the last global minibatch is short and some processes have no rows in it.
const CASES: Case[] = [
  { name: 'SGD with momentum, mse, L2', inputs: 4, outputs: 3, rows: 50, batchSize: 4, loss: 'mse', reduction: 'mean', l2: 1e-3, optimizer: { type: 'sgd', momentum: 0.9 }, learningRate: 0.2 },
  { name: 'Adam, cross-entropy, clipNorm', inputs: 5, outputs: 3, rows: 47, batchSize: 5, loss: 'cross-entropy', reduction: 'mean', l2: 0, optimizer: 'adam', learningRate: 0.01, clipNorm: 0.5 },
  { name: 'Adam, summed mse', inputs: 3, outputs: 2, rows: 41, batchSize: 3, loss: 'mse', reduction: 'sum', l2: 1e-4, optimizer: 'adam', learningRate: 0.005 },
];

/** What one process reported: its trained parameters and history, or the error its fit rejected with. */
interface RankResult {
  rank: number;
  params?: number[];
  loss?: number[];
  size?: number;
  epochs?: number;
  secondFit?: string;
  error?: { name: string; code?: string; message: string; deltapropError: boolean };
  seconds?: number;
  diverged?: { epoch: number; minibatch: number | null };
}

async function runRanks(ranks: number, c: Case, options: JobOptions = {}) {
  const job = await mpirun(ranks, 'data-parallel-fit.js', { DP_CASE: JSON.stringify(c) }, options);
  return { ...job, results: job.reports as RankResult[] };
}

/** Rank 0's result, once every process reported the very same parameters and losses. */
async function trained(ranks: number, c: Case): Promise<RankResult> {
  const job = await runRanks(ranks, c);
  expect(job.status, job.output).toBe(0);
  expect(job.results.map((r) => r.rank)).toEqual([...Array(ranks).keys()]);
  for (const other of job.results.slice(1)) {
    expect(other.params).toEqual(job.results[0].params);
    expect(other.loss).toEqual(job.results[0].loss);
  }
  return job.results[0];
}

async function oneProcess(c: Case, ranks: number) {
  const net = network(deltaprop, c);
  const { X, T } = rows(deltaprop, c);
  const history = await net.fit(X, T, fitOptions(c, ranks * c.batchSize));
  return { params: Array.from(net.params), loss: history.loss };
}

function normwiseError(actual: number[], expected: number[]): number {
  let diff = 0,
    size = 0;
  expected.forEach((e, i) => {
    diff = Math.max(diff, Math.abs(actual[i] - e));
    size = Math.max(size, Math.abs(e));
  });
  return diff / size;
}

releaseSuite('a data-parallel fit over mpirun equals one process with the global batch', missing, () => {
  for (const ranks of [2, 3]) {
    for (const c of CASES) {
      it(
        `${ranks} processes, ${c.name}`,
        async () => {
          const together = await trained(ranks, c);
          const alone = await oneProcess(c, ranks);
          expect(together.size).toBe(ranks);
          expect(normwiseError(together.params!, alone.params)).toBeLessThanOrEqual(1e-12);
          expect(normwiseError(together.loss!, alone.loss)).toBeLessThanOrEqual(1e-12);
          // Training happened: the parameters moved from their start.
          expect(normwiseError(alone.params, Array.from(network(deltaprop, c).params))).toBeGreaterThan(1e-3);
        },
        MPI_TEST_TIMEOUT_MS,
      );
    }
  }
});

releaseSuite('a data-parallel fit that cannot go on fails on every process', missing, () => {
  const base = CASES[0];

  for (const ranks of [2, 3]) {
    it(
      `${ranks} processes, one SIGKILLed after its first epoch: the others reject with a DistributedError (they saw it die), and mpirun fails`,
      async () => {
        const c: Case = { ...base, rows: 4000, epochs: 40, killRank: ranks - 1 };
        const run = await runRanks(ranks, c, { hold: true, reportsFrom: ranksExcept(ranks, ranks - 1) });
        expect(run.status).not.toBe(0);
        expect(
          run.results.map((result) => result.rank),
          run.output,
        ).toEqual([...Array(ranks - 1).keys()]);
        for (let r = 0; r < ranks - 1; r++) {
          const survivor = run.results[r];
          expect(survivor?.error, `rank ${r}:\n${run.output}`).toBeDefined();
          expect(survivor!.error!.deltapropError).toBe(true);
          // Seen by watching the peers, not by a deadline (30 s) nor by mpirun's SIGTERM (held until the reports).
          expect(survivor!.error!.code, run.output).toBe('DISTRIBUTED_PEER_DIED');
          // A safety net: normally a fraction of a second after the survivor's own first epoch.
          expect(survivor!.seconds, `safety net: rank ${r} failed ${survivor!.seconds} s after its first epoch\n${run.output}`).toBeLessThan(15);
        }
      },
      MPI_TEST_TIMEOUT_MS,
    );

    it(
      `${ranks} processes that disagree on the network's shape: every one rejects with the same DISTRIBUTED_MISMATCH before any step`,
      async () => {
        const run = await runRanks(ranks, { ...base, otherHidden: 7 }, { hold: true });
        expect(run.status).not.toBe(0);
        expect(run.results, run.output).toHaveLength(ranks);
        const messages = run.results.map((result, r) => {
          expect(result?.error, `rank ${r}:\n${run.output}`).toBeDefined();
          expect(result!.error!.deltapropError).toBe(true);
          expect(result!.error!.code).toBe('DISTRIBUTED_MISMATCH');
          expect(result!.seconds).toBe(0); // no epoch ended
          return result!.error!.message;
        });
        expect(messages[0]).toMatch(/network shape/);
        expect(new Set(messages).size).toBe(1);
      },
      MPI_TEST_TIMEOUT_MS,
    );
  }

  for (const [what, change, named] of [
    ['the learning rate', { otherLearningRate: 0.3 }, /learning-rate schedule/],
    ['the rows (same shape, other values)', { otherRows: true }, /the training rows/],
  ] as const) {
    it(
      `processes that disagree on ${what}: DISTRIBUTED_MISMATCH on every one, naming it`,
      async () => {
        const run = await runRanks(2, { ...base, ...change }, { hold: true });
        expect(run.results, run.output).toHaveLength(2);
        for (const result of run.results) {
          expect(result.error?.code, run.output).toBe('DISTRIBUTED_MISMATCH');
          expect(result.error!.message).toMatch(named);
        }
      },
      MPI_TEST_TIMEOUT_MS,
    );
  }

  for (const progress of [false, true]) {
    it(
      `processes whose training diverges${progress ? ' (epochs split by onProgress)' : ''}: every one rejects with the same DeltapropError, back at the same parameters`,
      async () => {
        // 1e6 makes the parameters run away within the first epoch on every process alike: their gradients are summed.
        const c: Case = { ...base, learningRate: 1e6, progress };
        const run = await runRanks(2, c, { hold: true });
        expect(run.status).not.toBe(0);
        expect(run.results, run.output).toHaveLength(2);
        const start = Array.from(network(deltaprop, c).params); // rank 0's, which fit gives every process
        for (const result of run.results) {
          expect(result.error?.deltapropError, run.output).toBe(true);
          expect(result.error!.message).toMatch(/^options\.learningRate: training diverged in epoch 0 /);
          // Where in the epoch is unknown: finding it replays minibatches, which one process cannot do alone.
          expect(result.diverged).toEqual({ epoch: 0, minibatch: null });
          expect(result.params).toEqual(start);
        }
        expect(run.results[1].error!.message).toBe(run.results[0].error!.message);
      },
      MPI_TEST_TIMEOUT_MS,
    );
  }

  it(
    'a second fit over a world that is training is refused, and the first one goes on',
    async () => {
      const run = await runRanks(2, { ...base, secondFit: true });
      expect(run.status, run.output).toBe(0);
      for (const r of run.results) {
        expect(r.secondFit).toMatch(/another fit is training over this world/);
        expect(r.epochs).toBe(3);
      }
    },
    MPI_TEST_TIMEOUT_MS,
  );

  it(
    'one process whose onEpoch says stop: every process stops after that epoch, with the same parameters',
    async () => {
      const run = await runRanks(3, { ...base, stopRank: 1 });
      expect(run.status, run.output).toBe(0);
      expect(run.results.map((r) => r.epochs)).toEqual([1, 1, 1]);
      expect(run.results[2].params).toEqual(run.results[0].params);
    },
    MPI_TEST_TIMEOUT_MS,
  );

  it(
    'one process whose onEpoch throws: it rejects with its error, every other with a DeltapropError saying so',
    async () => {
      const run = await runRanks(3, { ...base, throwRank: 2 }, { hold: true });
      expect(run.results, run.output).toHaveLength(3);
      expect(run.results[2].error!.message).toBe('onEpoch failed here');
      for (const r of run.results.slice(0, 2)) {
        expect(r.error!.deltapropError).toBe(true);
        expect(r.error!.message).toMatch(/another process's fit failed at the end of epoch 0/);
      }
    },
    MPI_TEST_TIMEOUT_MS,
  );

  it(
    'processes that disagree on the width of the data: DISTRIBUTED_MISMATCH on every one, naming the input width',
    async () => {
      const run = await runRanks(2, { ...base, otherInputs: 5 }, { hold: true });
      expect(run.results, run.output).toHaveLength(2);
      run.results.forEach((result, r) => {
        expect(result?.error?.code, `rank ${r}:\n${run.output}`).toBe('DISTRIBUTED_MISMATCH');
        expect(result!.error!.message).toMatch(/input width/);
      });
    },
    MPI_TEST_TIMEOUT_MS,
  );
});
