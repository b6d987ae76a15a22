// Runs a fixture under mpirun the way CI can afford: it can never hang (the
// world's own deadlines, mpirun --timeout, and a kill timer around mpirun for
// its whole process group), and every line is kept for the failure message.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MPI_ADDON_FILE } from '../../src/distributed/addon.js';
import { ROOT } from '../release/prerequisites.js';

export const FIXTURES = path.join(__dirname, 'fixtures');
const JOB_LIMIT_SECONDS = 90;
const KILL_AFTER_MS = (JOB_LIMIT_SECONDS + 15) * 1000;
/** A test's timeout that outlasts the kill timer. */
export const MPI_TEST_TIMEOUT_MS = KILL_AFTER_MS + 10_000;

function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => fs.existsSync(path.join(dir, program)));
}

/** Why the MPI tests cannot run here, or null when they can. */
export function missingMpi(): string | null {
  if (!onPath('mpirun')) return 'no mpirun: apt-get install openmpi-bin libopenmpi-dev';
  if (!fs.existsSync(path.join(ROOT, MPI_ADDON_FILE))) return `no ${MPI_ADDON_FILE}: run npm run build:mpi`;
  if (!fs.existsSync(path.join(ROOT, 'dist', 'distributed.js'))) return 'no dist/distributed.js: run npm run build:ts';
  return null;
}

export interface Job {
  status: number | null;
  signal: NodeJS.Signals | null;
  /** Each process's report: the JSON lines of stdout. */
  reports: Array<Record<string, any>>;
  output: string;
  /** When mpirun started and ended (Date.now()). */
  started: number;
  ended: number;
}

/** `mpirun -np <np> node fixtures/<fixture>`, with `env` added to the environment. */
export function mpirun(np: number, fixture: string, env: Record<string, string> = {}): Promise<Job> {
  const started = Date.now();
  const child = spawn('mpirun', ['--oversubscribe', '--timeout', String(JOB_LIMIT_SECONDS), '-np', String(np), process.execPath, path.join(FIXTURES, fixture)], {
    cwd: ROOT,
    env: { ...process.env, ...env, OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so that the kill timer reaches every rank
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const killer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), KILL_AFTER_MS);
  return new Promise((resolve) => {
    child.on('close', (status, signal) => {
      clearTimeout(killer);
      const reports = stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
      reports.sort((a, b) => a.rank - b.rank);
      resolve({ status, signal, reports, output: `--- stdout\n${stdout}\n--- stderr\n${stderr}`, started, ended: Date.now() });
    });
  });
}
