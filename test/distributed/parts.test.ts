// The parts of deltaprop/distributed that need no MPI: finding the launcher,
// the options, the agreement check's logic (over a stand-in for MPI), the
// loader's error, and the failure codes against the addon's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeltapropError } from '../../src/errors.js';
import { loadMpiAddon, mpiAddonPath, MPI_ADDON_FILE } from '../../src/distributed/addon.js';
import { agreeOn } from '../../src/distributed/agree.js';
import { DistributedError, FAILURE_CODES, fromAddon, fromReducerMessage } from '../../src/distributed/errors.js';
import { detectLauncher } from '../../src/distributed/launcher.js';
import type { Link } from '../../src/distributed/link.js';
import { resolveInitOptions } from '../../src/distributed/options.js';
import { errorOf } from '../helpers/errors.js';
import { releaseSuite, ROOT } from '../release/prerequisites.js';
import { missingMpi } from './mpirun.js';

describe('detectLauncher', () => {
  it('reads the launchers’ own variables, and finds none in a plain environment', () => {
    expect(detectLauncher({})).toBeNull();
    expect(detectLauncher({ PATH: '/usr/bin', SLURM_NTASKS: '4', SLURM_PROCID: '0' })).toBeNull(); // a batch script, not a task
    expect(detectLauncher({ OMPI_COMM_WORLD_SIZE: '3', OMPI_COMM_WORLD_RANK: '1', PMIX_RANK: '1' })).toEqual({ variable: 'OMPI_COMM_WORLD_SIZE', size: 3 });
    expect(detectLauncher({ PMI_SIZE: '2', PMI_RANK: '0' })).toEqual({ variable: 'PMI_SIZE', size: 2 });
    expect(detectLauncher({ SLURM_STEP_NUM_TASKS: '8', SLURM_PROCID: '5' })).toEqual({ variable: 'SLURM_STEP_NUM_TASKS', size: 8 });
    expect(detectLauncher({ PMIX_RANK: '0' })).toEqual({ variable: 'PMIX_RANK', size: null });
    expect(detectLauncher({ OMPI_COMM_WORLD_SIZE: '1' })).toEqual({ variable: 'OMPI_COMM_WORLD_SIZE', size: 1 });
  });
});

describe('init options', () => {
  it('default to a 20 s deadline and take one in (0, 600]', () => {
    expect(resolveInitOptions(undefined)).toEqual({ timeoutSeconds: 20 });
    expect(resolveInitOptions({})).toEqual({ timeoutSeconds: 20 });
    expect(resolveInitOptions({ timeoutSeconds: 0.5 })).toEqual({ timeoutSeconds: 0.5 });
    expect(resolveInitOptions({ timeoutSeconds: 600 })).toEqual({ timeoutSeconds: 600 });
  });

  it('reject anything else with a DeltapropError naming the option', () => {
    for (const bad of [0, -1, 600.5, NaN, Infinity, '5', null]) {
      const error = errorOf(() => resolveInitOptions({ timeoutSeconds: bad }));
      expect(error).toBeInstanceOf(DeltapropError);
      expect(error.message).toMatch(/^options\.timeoutSeconds: expected a finite number > 0 and ≤ 600, got /);
    }
    expect(errorOf(() => resolveInitOptions({ timeout: 5 })).message).toBe('options.timeout: unknown option; expected one of timeoutSeconds');
    expect(errorOf(() => resolveInitOptions(5)).message).toBe('options: expected an options object, got 5');
  });
});

/** A stand-in for MPI: this process's MIN allreduce against the other processes' buffers. */
function linkWith(others: Array<() => Float64Array>): Link {
  return {
    rank: 0,
    size: others.length + 1,
    allreduce: async (buffer, op) => {
      expect(op).toBe('min');
      const theirs = others.map((other) => other());
      buffer.forEach((v, i) => (buffer[i] = Math.min(v, ...theirs.map((t) => t[i]))));
    },
    broadcast: async () => {},
    reducer: () => null,
    finalize: () => 'done',
  };
}

/** Another process passing `fields`: its buffers for agree's two collectives, the names' and then the values'. */
function processPassing(fields: Record<string, number>): () => Float64Array {
  const names = Object.keys(fields).sort();
  const values = names.map((name) => fields[name]);
  const buffers = [shapeOf(names), Float64Array.from([...values, ...values.map((v) => -v)])];
  let call = 0;
  return () => buffers[call++];
}

/** The names' collective's buffer for `names`, built here as agree builds it (count and FNV-1a hash, then their negations). */
function shapeOf(names: string[]): Float64Array {
  let hash = 0x811c9dc5;
  for (const name of names) for (const char of `${name}\0`) hash = Math.imul(hash ^ char.codePointAt(0)!, 0x01000193) >>> 0;
  return Float64Array.from([names.length, hash, -names.length, -hash]);
}

describe('agree (over a stand-in for MPI)', () => {
  it('passes when every process passes the same fields, in any order', async () => {
    await agreeOn(linkWith([processPassing({ b: 2, a: -0.5 })]), { a: -0.5, b: 2 });
  });

  it('names each differing field with its least and greatest value', async () => {
    const link = linkWith([processPassing({ batchSize: 33, layers: 3, rate: 0.01 }), processPassing({ batchSize: 31, layers: 3, rate: 0.02 })]);
    const error = await agreeOn(link, { batchSize: 32, layers: 3, rate: 0.01 }).catch((e) => e);
    expect(error).toBeInstanceOf(DistributedError);
    expect(error.code).toBe('DISTRIBUTED_MISMATCH');
    expect(error.message).toBe('fields: the processes disagree on batchSize (from 31 to 33), rate (from 0.01 to 0.02)');
  });

  it('tells different field names apart before comparing values', async () => {
    const fewer = await agreeOn(linkWith([processPassing({ a: 1 })]), { a: 1, b: 2 }).catch((e) => e);
    expect(fewer.message).toBe('fields: the processes pass different field names (from 1 to 2 of them)');
    const renamed = await agreeOn(linkWith([processPassing({ a: 1, c: 2 })]), { a: 1, b: 2 }).catch((e) => e);
    expect(renamed.message).toBe('fields: the processes pass different field names (each passes 2)');
  });

  it('rejects fields that are not finite numbers, before any collective', async () => {
    const link = linkWith([
      () => {
        throw new Error('no collective may run');
      },
    ]);
    expect((await agreeOn(link, { a: NaN }).catch((e) => e)).message).toBe('fields.a: expected a finite number, got NaN');
    expect((await agreeOn(link, [1]).catch((e) => e)).message).toBe('fields: expected an object of numbers, got an array of length 1');
  });
});

describe('errors', () => {
  it('turn the addon’s failures into DistributedErrors, and leave other errors alone', () => {
    const failure = fromAddon(Object.assign(new Error('late'), { code: 'DISTRIBUTED_TIMEOUT' }), 'allreduceSum');
    expect(failure).toBeInstanceOf(DistributedError);
    expect(failure).toMatchObject({ code: 'DISTRIBUTED_TIMEOUT', message: 'allreduceSum: late', argument: 'allreduceSum' });
    const other = new TypeError('bad');
    expect(fromAddon(other, 'x')).toBe(other);
  });

  it('read a reducer failure back from its message, wherever it ends up', () => {
    const error = fromReducerMessage('deltaprop distributed: DISTRIBUTED_PEER_DIED: the process of rank 1 died', 'fit');
    expect(error).toMatchObject({ code: 'DISTRIBUTED_PEER_DIED', message: 'fit: the process of rank 1 died' });
    expect(fromReducerMessage('something else', 'fit')).toBeNull();
  });
});

describe('loading the MPI addon', () => {
  it('DELTAPROP_MPI_ADDON names another build', () => {
    expect(mpiAddonPath({})).toBe(path.join(ROOT, MPI_ADDON_FILE));
    expect(mpiAddonPath({ DELTAPROP_MPI_ADDON: '/opt/x.node' })).toBe('/opt/x.node');
  });

  it('a file that does not load says so, with how to build the addon', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'deltaprop-mpi-')), 'deltaprop_mpi.node');
    fs.writeFileSync(file, 'not a shared object');
    const error = errorOf(() => loadMpiAddon(file)) as DistributedError;
    expect(error).toBeInstanceOf(DistributedError);
    expect(error.code).toBe('DISTRIBUTED_UNAVAILABLE');
    expect(error.message).toMatch(/, and it does not load: .*npm run build:mpi/);
  });
});

releaseSuite('the MPI addon’s failure codes', missingMpi(), () => {
  it('are the ones src/distributed/errors.ts lists, in the same order', () => {
    expect(loadMpiAddon().failureCodes).toEqual(['', ...FAILURE_CODES]);
  });
});
