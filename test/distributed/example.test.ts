// examples/distributed-mnist.js, run as docs/distributed.md says, under mpirun with 2
// processes: it trains, rank 0 reports a test accuracy close to the
// one-process example's (97% with batch 64; here the global batch is 128).
import path from 'node:path';
import { expect, it } from 'vitest';
import { releaseSuite } from '../release/prerequisites.js';
import { FIXTURES, missingMpi, mpirun, MPI_TEST_TIMEOUT_MS } from './mpirun.js';

releaseSuite('examples/distributed-mnist.js under mpirun -np 2', missingMpi(), () => {
  it(
    'trains over 2 processes and rank 0 reports at least 95% test accuracy',
    async () => {
      const job = await mpirun(2, path.relative(FIXTURES, path.join(__dirname, '..', '..', 'examples', 'distributed-mnist.js')));
      expect(job.status, job.output).toBe(0);
      expect(job.output).toMatch(/2 processes, global batch 128: 3 epochs/);
      const accuracy = Number(/test accuracy: ([\d.]+)%/.exec(job.output)?.[1]);
      expect(accuracy, job.output).toBeGreaterThanOrEqual(95);
      console.log(`distributed-mnist.js, 2 processes: ${accuracy}% test accuracy`);
    },
    MPI_TEST_TIMEOUT_MS,
  );
});
