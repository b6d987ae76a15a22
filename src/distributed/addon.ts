// Loads the optional MPI addon (native/mpi), and says how to build it when it
// is not there. It is built apart from the main addon, from source, against
// the machine's MPI, so it is often absent; nothing else in deltaprop needs it.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DistributedError } from './errors.js';

/** The functions exported by native/mpi/addon.cc. Every call of them is checked by src/distributed first. */
export interface MpiAddon {
  init(timeoutSeconds: number): { rank: number; size: number; threadLevel: string; library: string };
  allreduce(buffer: Float64Array, op: 'sum' | 'min'): Promise<void>;
  broadcast(buffer: Float64Array, root: number): Promise<void>;
  terminate(message: string): void;
  finalize(): 'done' | 'broken' | 'busy';
  reducer(): unknown;
  localReducer(): unknown;
  /** For tests: start() on each buffer, then wait_all(), from a libuv worker thread. */
  checkReducer(reducer: unknown, buffers: Float64Array[]): Promise<{ status: number; message: string }>;
  /** Index = the addon's Failure value; [0] is '' (none). */
  failureCodes: string[];
}

/** This file is src/distributed/addon.ts or dist/distributed/addon.js, two folders below the package root. */
const packageRoot = path.resolve(__dirname, '..', '..');
/** Where `npm run build:mpi` (node-gyp in native/mpi) puts the addon. */
export const MPI_ADDON_FILE = 'native/mpi/build/Release/deltaprop_mpi.node';
/** Where the install script records why its build of the MPI addon failed. */
export const MPI_INSTALL_RECORD = 'native/mpi/build/deltaprop-mpi-install.json';

/** The addon to load: DELTAPROP_MPI_ADDON, when set, names another build of it. */
export function mpiAddonPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.DELTAPROP_MPI_ADDON ? path.resolve(env.DELTAPROP_MPI_ADDON) : path.join(packageRoot, MPI_ADDON_FILE);
}

export function loadMpiAddon(file: string = mpiAddonPath()): MpiAddon {
  try {
    return createRequire(__filename)(file) as MpiAddon;
  } catch (e) {
    const reason = fs.existsSync(file) ? `it does not load: ${(e as Error).message.split('\n')[0]}` : 'it is not built';
    const record = path.join(packageRoot, MPI_INSTALL_RECORD);
    const lastInstall = fs.existsSync(record) ? ` The install script's build of it failed: see ${record}.` : '';
    throw new DistributedError(
      'DISTRIBUTED_UNAVAILABLE',
      'deltaprop/distributed',
      `needs the optional MPI addon ${file}, and ${reason}.${lastInstall} Install Open MPI or MPICH with its ` +
        'development files (Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev), then run `npm run build:mpi` ' +
        'in the deltaprop package folder, or `npm rebuild deltaprop` with mpicc on the PATH.',
    );
  }
}
