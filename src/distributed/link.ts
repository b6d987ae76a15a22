import type { MpiAddon } from './addon.js';

/** What a World runs its collectives over: MPI through the addon, or nothing at all for a world of one process. */
export interface Link {
  readonly rank: number;
  readonly size: number;
  /** In place, over every process; settles once the progress thread is done with it (it may reject with the addon's error). */
  allreduce(buffer: Float64Array, op: 'sum' | 'min'): Promise<void>;
  broadcast(buffer: Float64Array, root: number): Promise<void>;
  /** The reducer table for the main addon (native/mpi/reducer_api.h), as a tagged External. */
  reducer(): unknown;
  finalize(): 'done' | 'broken' | 'busy';
}

export function mpiLink(addon: MpiAddon, rank: number, size: number): Link {
  return {
    rank,
    size,
    allreduce: (buffer, op) => addon.allreduce(buffer, op),
    broadcast: (buffer, root) => addon.broadcast(buffer, root),
    reducer: () => addon.reducer(),
    finalize: () => addon.finalize(),
  };
}

/** One process: every sum and broadcast is its input; MPI is never called. */
export function localLink(addon: MpiAddon): Link {
  return {
    rank: 0,
    size: 1,
    allreduce: async () => {},
    broadcast: async () => {},
    reducer: () => addon.localReducer(),
    finalize: () => 'done',
  };
}
