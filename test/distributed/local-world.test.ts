// deltaprop/distributed without a launcher: a world of one process that never
// calls MPI, and one world per process.
import path from 'node:path';
import { expect, it } from 'vitest';
import { runNode } from '../helpers/node.js';
import { releaseSuite, ROOT } from '../release/prerequisites.js';
import { FIXTURES, missingMpi } from './mpirun.js';

/** No launcher's variables, as in a plain `node script.js`. */
const WITHOUT_LAUNCHER = Object.fromEntries(
  Object.keys(process.env)
    .filter((key) => /^(OMPI_|PMIX_|PMI_|SLURM_)/.test(key))
    .map((key) => [key, undefined]),
);

releaseSuite('init without a launcher', missingMpi(), () => {
  it('gives rank 0 of 1 without MPI, collectives that change nothing, and one world per process', () => {
    const result = runNode([path.join(FIXTURES, 'local.js')], { cwd: ROOT, env: WITHOUT_LAUNCHER });
    expect(result.status, result.stderr).toBe(0);
    const r = JSON.parse(result.stdout);
    expect(r).toMatchObject({ rank: 0, size: 1, keys: ['rank', 'size'], sameWorld: true, buffer: [1.5, -2, 3], reduced: { status: 0, message: '' } });
    // MPI_Init without a launcher forks an orted daemon: none may appear.
    expect(r.childProcesses).toEqual([]);
    expect(r.otherOptions).toMatchObject({ deltapropError: true, message: 'options.timeoutSeconds: the world is initialized already, with 20; got 5' });
    expect(r.badRoot).toMatchObject({ deltapropError: true, message: 'root: expected an integer in [0, 0], got 1' });
    expect(r.badBuffer).toMatchObject({ deltapropError: true, message: 'buffer: expected a Float64Array, got an array of length 2' });
    expect(r.badField).toMatchObject({ deltapropError: true, message: 'fields.batchSize: expected a finite number, got NaN' });
    expect(r.afterFinalize).toMatchObject({ deltapropError: true, code: 'DISTRIBUTED_FINALIZED' });
    expect(r.initAfterFinalize).toMatchObject({ deltapropError: true, code: 'DISTRIBUTED_FINALIZED' });
  });
});
