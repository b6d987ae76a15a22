// What deltaprop/distributed exports (src/distributed.ts re-exports it
// whole, after loading the addon).
import { loadMpiAddon } from './addon.js';
import type { InitOptions } from './options.js';
import { initWorld } from './session.js';
import type { World } from './world.js';

/**
 * Joins the processes that an MPI launcher (mpirun, mpiexec, srun) started,
 * from its environment: this process is `rank` of `size`. Without a launcher
 * it returns a world of one process and never calls MPI. Once per process: a
 * second call returns the same world.
 */
export function init(options?: InitOptions): Promise<World> {
  return initWorld(loadMpiAddon(), options);
}

export { DistributedError } from './errors.js';
export type { DistributedErrorCode } from './errors.js';
export type { InitOptions } from './options.js';
export type { World } from './world.js';
