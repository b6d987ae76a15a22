// The world's collectives under mpirun, on 2 and 3 processes: each sum
// against the one computed here, broadcast, agree, and the agreement check's
// mismatch, which every process must report alike.
import { expect, it } from 'vitest';
import { releaseSuite } from '../release/prerequisites.js';
import { missingMpi, mpirun, MPI_TEST_TIMEOUT_MS } from './mpirun.js';

for (const np of [2, 3]) {
  releaseSuite(`collectives under mpirun -np ${np}`, missingMpi(), () => {
    it(
      'allreduceSum, broadcast and agree give what was computed without MPI',
      async () => {
        const job = await mpirun(np, 'collectives.js');
        expect(job.status, job.output).toBe(0);
        expect(job.reports.map((r) => r.rank)).toEqual([...Array(np).keys()]);
        for (const r of job.reports) {
          expect(r.size).toBe(np);
          // Every sum here is of values exact in binary, in any order: no rounding at all.
          expect(r.sums, job.output).toEqual({ 0: 0, 1: 0, 1000: 0, [1 << 18]: 0 });
          expect(r.together).toBe(0);
          expect(r.broadcastOk).toBe(true);
          expect(r.rejected).toMatch(/^root: expected an integer in \[0, \d\]/);
        }
        console.log(
          `np ${np}: allreduce of 8 B ${job.reports.map((r) => r.smallMicros.toFixed(1)).join(' / ')} µs, ` +
            `of 2 MiB ${job.reports.map((r) => r.largeMicros.toFixed(0)).join(' / ')} µs (medians per rank)`,
        );
      },
      MPI_TEST_TIMEOUT_MS,
    );

    it(
      'agree: when one process differs, every process gets the same DISTRIBUTED_MISMATCH',
      async () => {
        const job = await mpirun(np, 'agree-mismatch.js', { MISMATCH_RANK: String(np - 1) });
        expect(job.status, job.output).toBe(0);
        expect(job.reports).toHaveLength(np);
        const [first] = job.reports;
        expect(first.values).toMatchObject({
          code: 'DISTRIBUTED_MISMATCH',
          deltapropError: true,
          message: 'fields: the processes disagree on batchSize (from 32 to 33), inputs (from 10 to 784)',
        });
        expect(first.names).toMatchObject({ code: 'DISTRIBUTED_MISMATCH', message: 'fields: the processes pass different field names (each passes 2)' });
        for (const r of job.reports) {
          expect(r.values).toEqual(first.values);
          expect(r.names).toEqual(first.names);
          expect(r.sumAfter).toBe(np); // a mismatch leaves the world usable
        }
      },
      MPI_TEST_TIMEOUT_MS,
    );
  });
}
