// require('deltaprop/distributed') and import: without the MPI addon, a
// DeltapropError that says how to build it; with it, one module instance.
import path from 'node:path';
import { expect, it } from 'vitest';
import { runNode } from '../helpers/node.js';
import { releaseSuite, ROOT } from '../release/prerequisites.js';
import { missingMpi } from './mpirun.js';

const report = `
  const e = globalThis.error;
  console.log(JSON.stringify({ name: e?.name, code: e?.code, message: e?.message, deltapropError: e instanceof DeltapropError }));
`;

it('without the MPI addon, require and import throw DISTRIBUTED_UNAVAILABLE, saying how to build it', () => {
  const missing = { DELTAPROP_MPI_ADDON: path.join(ROOT, 'no-such-build', 'deltaprop_mpi.node') };
  const required = runNode(
    [
      '-e',
      `
    const { DeltapropError } = require('deltaprop');
    try { require('deltaprop/distributed'); } catch (e) { globalThis.error = e; }
    ${report}`,
    ],
    { cwd: ROOT, env: missing },
  );
  const imported = runNode(
    [
      '--input-type=module',
      '-e',
      `
    import { DeltapropError } from 'deltaprop';
    try { await import('deltaprop/distributed'); } catch (e) { globalThis.error = e; }
    ${report}`,
    ],
    { cwd: ROOT, env: missing },
  );
  for (const result of [required, imported]) {
    expect(result.status, result.stderr).toBe(0);
    const error = JSON.parse(result.stdout);
    expect(error).toMatchObject({ name: 'DeltapropError', code: 'DISTRIBUTED_UNAVAILABLE', deltapropError: true });
    expect(error.message).toMatch(/^deltaprop\/distributed: needs the optional MPI addon .*no-such-build.*, and it is not built\./);
    expect(error.message).toContain('npm run build:mpi');
    expect(error.message).toContain('apt-get install openmpi-bin libopenmpi-dev');
  }
});

releaseSuite('deltaprop/distributed with the MPI addon', missingMpi(), () => {
  it('require and import give the same exports, the same objects', () => {
    const result = runNode(
      [
        '--input-type=module',
        '-e',
        `
      import { createRequire } from 'node:module';
      const cjs = createRequire(import.meta.url)('deltaprop/distributed');
      const esm = await import('deltaprop/distributed');
      const names = (m) => Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule').sort();
      console.log(JSON.stringify({ cjs: names(cjs), esm: names(esm), same: names(cjs).every((k) => cjs[k] === esm[k]) }));
    `,
      ],
      { cwd: ROOT },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ cjs: ['DistributedError', 'init'], esm: ['DistributedError', 'init'], same: true });
  });
});
