// deltaprop info: the version, the engine in use, its ISA and threads, and
// why the native engine did not load when it did not (including the last
// install's outcome, which npm hides); whether the optional MPI addon of
// deltaprop/distributed is built, and why its install failed if it did.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backend } from '../backend/index.js';
import { MPI_INSTALL_RECORD, mpiAddonPath } from '../distributed/addon.js';
import { packageVersion } from '../persistence/version.js';
import type { Output } from './output.js';
import { writeOut } from './output.js';
import { printable } from './text.js';

const ROOT = path.join(__dirname, '..', '..');

/** What scripts/install-native.js records when the native build failed. */
interface FailedInstall {
  date: string;
  fromSource: boolean;
  exitCode: number | null;
  output: string;
}

function failedInstall(record: string): FailedInstall | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, record), 'utf8')) as FailedInstall;
  } catch {
    return null;
  }
}

/** The install's failure in words, and the end of the compiler's output. */
function describeFailure(what: string, install: FailedInstall, fix: string): string[] {
  return [
    `the install of ${install.date} could not build ${what}${install.fromSource ? ' from source' : ''} (exit code ${install.exitCode}); its output ended with:`,
    ...install.output
      .trimEnd()
      .split('\n')
      .map((line) => `  ${line}`),
    fix,
  ];
}

export function info(json: boolean, io: Output): number {
  const install = failedInstall(path.join('build', 'deltaprop-install.json'));
  const mpiInstall = failedInstall(MPI_INSTALL_RECORD);
  const mpiAddon = mpiAddonPath();
  const facts = {
    version: packageVersion(),
    backend: backend.name,
    isa: backend.isa,
    supportedIsas: backend.supportedIsas,
    threads: backend.threads,
    nativeError: backend.nativeError,
    failedInstall: install,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.availableParallelism(),
    mpiAddon: { path: mpiAddon, built: fs.existsSync(mpiAddon), failedInstall: mpiInstall },
  };
  if (json) {
    writeOut(io, `${JSON.stringify(facts)}\n`);
    return 0;
  }
  const lines = [`deltaprop ${facts.version} on Node ${facts.node} (${facts.platform}, ${facts.cpus} CPUs)`, `backend: ${facts.backend}`];
  if (backend.name === 'native') {
    lines.push(`ISA: ${facts.isa} (supported: ${facts.supportedIsas.join(', ')})`, `threads: ${facts.threads}`);
  }
  if (facts.nativeError) lines.push(`native engine not loaded: ${facts.nativeError}`);
  if (install !== null) lines.push(...describeFailure('the native addon', install, 'fix the cause, then: DELTAPROP_BUILD_FROM_SOURCE=1 npm rebuild deltaprop'));
  lines.push(
    facts.mpiAddon.built
      ? `MPI addon (deltaprop/distributed): built, ${mpiAddon}`
      : 'MPI addon (deltaprop/distributed): not built (install Open MPI or MPICH with its development files, then: npm run build:mpi)',
  );
  if (mpiInstall !== null) lines.push(...describeFailure('the MPI addon', mpiInstall, 'fix the cause, then: npm run build:mpi'));
  // The install's recorded output (a compiler's, coloured perhaps) and paths are data: their control characters escaped.
  writeOut(io, `${lines.map(printable).join('\n')}\n`);
  return 0;
}
