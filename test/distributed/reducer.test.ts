// The reducer table (native/mpi/reducer_api.h) that the main addon's
// backprop sums its gradient buckets through, driven as the main addon
// drives it (start per bucket, then wait_all, from a libuv worker thread) by
// the MPI addon's test-only checkReducer.
import { expect, it } from 'vitest';
import { releaseSuite } from '../release/prerequisites.js';
import { missingMpi, mpirun, MPI_TEST_TIMEOUT_MS } from './mpirun.js';

releaseSuite('the reducer table under mpirun -np 3', missingMpi(), () => {
  it(
    'sums each bucket in place, round after round, while the event loop runs',
    async () => {
      const job = await mpirun(3, 'reducer.js');
      expect(job.status, job.output).toBe(0);
      expect(job.reports).toHaveLength(3);
      for (const r of job.reports) {
        expect(r.size).toBe(3);
        expect(r.rounds).toHaveLength(2);
        for (const round of r.rounds) expect(round).toMatchObject({ status: 0, message: '', error: 0 });
      }
    },
    MPI_TEST_TIMEOUT_MS,
  );
});
