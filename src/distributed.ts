// deltaprop/distributed: data-parallel training over MPI, through the
// optional MPI addon (native/mpi, `npm run build:mpi`). Loading this module
// loads that addon, so that a missing build is reported at once, by require
// or import, with how to build it.
/**
 * Data-parallel training over MPI: {@link init} joins the processes that
 * mpirun or srun started, and the world it returns goes into fit's
 * `distributed` option. docs/distributed.md describes it.
 * @module deltaprop/distributed
 */
import { loadMpiAddon } from './distributed/addon.js';

loadMpiAddon();

export * from './distributed/api.js';
