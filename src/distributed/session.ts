// The process's one world. MPI can be initialized once per process, so a
// second init returns the same world, and none can follow a finalize.
import { DeltapropError } from '../errors.js';
import type { MpiAddon } from './addon.js';
import { DistributedError, fromAddon } from './errors.js';
import { detectLauncher } from './launcher.js';
import { localLink, mpiLink } from './link.js';
import { resolveInitOptions, type ResolvedInitOptions } from './options.js';
import { failOnSigterm } from './sigterm.js';
import { World } from './world.js';

let current: { options: ResolvedInitOptions; world: World } | null = null;
let finalized = false;

export async function initWorld(addon: MpiAddon, options: unknown): Promise<World> {
  const resolved = resolveInitOptions(options);
  if (finalized) {
    throw new DistributedError('DISTRIBUTED_FINALIZED', 'init', 'this process has finalized its world already (MPI can be initialized once per process)');
  }
  if (current !== null) {
    if (current.options.timeoutSeconds !== resolved.timeoutSeconds) {
      throw new DeltapropError('options.timeoutSeconds', `the world is initialized already, with ${current.options.timeoutSeconds}; got ${resolved.timeoutSeconds}`);
    }
    return current.world;
  }
  current = { options: resolved, world: openWorld(addon, resolved) };
  return current.world;
}

function openWorld(addon: MpiAddon, options: ResolvedInitOptions): World {
  const ended = (): void => {
    finalized = true;
  };
  const launcher = detectLauncher();
  // No launcher, or a job of one: no MPI at all (see launcher.ts).
  if (launcher === null || launcher.size === 1) return new World(localLink(addon), ended);
  let info: { rank: number; size: number };
  try {
    info = addon.init(options.timeoutSeconds);
  } catch (e) {
    throw fromAddon(e, 'init');
  }
  const removeListener = info.size > 1 ? failOnSigterm((message) => addon.terminate(message)) : () => {};
  return new World(mpiLink(addon, info.rank, info.size), () => {
    removeListener();
    ended();
  });
}
