// Runs a fixture under mpirun the way CI can afford: it can never hang (the
// world's own deadlines, mpirun --timeout, and a kill timer around mpirun for
// its whole process group), and every line is kept for the failure message.
//
// Each process reports to the test in a file of its own (fixtures/report.js),
// not through mpirun's output forwarding: after a process dies or exits
// non-zero, mpirun sends the others SIGTERM 1 s later and SIGKILL 1 s after
// that, forwarding no output while it waits, so a report that had to get
// through mpirun, or be written within those 2 s, depended on the machine's
// load. A test that needs reports after a failure asks for `hold`: the
// process that fails first stops mpirun (SIGSTOP, fixtures/report.js
// holdLauncher), and mpirun is resumed here once every report the test waits
// for is written. What mpirun then does (its exit status, its messages) is
// still checked, after the reports, whatever the load.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MPI_ADDON_FILE } from '../../src/distributed/addon.js';
import { ROOT } from '../release/prerequisites.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export const FIXTURES = path.join(__dirname, 'fixtures');
const JOB_LIMIT_SECONDS = 90;
const KILL_AFTER_MS = (JOB_LIMIT_SECONDS + 15) * 1000;
/** A test's timeout that outlasts the kill timer. */
export const MPI_TEST_TIMEOUT_MS = KILL_AFTER_MS + 10_000;
/**
 * How long mpirun stays stopped at most, waiting for the reports: a safety
 * net for a fixture that never reports (the reports come within a second, or
 * at the world's deadline). Its expiry is written into the job's output.
 */
const HOLD_LIMIT_MS = 60_000;
/** How often the reports' folder is looked at while mpirun is held. */
const HOLD_POLL_MS = 20;

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
  /** Each process's reports (the files fixtures/report.js writes), by rank, in the order each process wrote them. */
  reports: Array<Record<string, Any>>;
  /** mpirun's stdout and stderr, the reports, and what the safety nets did, if anything. */
  output: string;
  /** When mpirun started and ended (Date.now()). */
  started: number;
  ended: number;
}

export interface JobOptions {
  /**
   * The fixture stops mpirun before what would make mpirun end the job (a
   * death, a hang, a non-zero exit), and it is resumed once every rank of
   * `reportsFrom` has reported.
   */
  hold?: boolean;
  /** The ranks whose reports the test waits for (with `hold`). */
  reportsFrom?: number[];
}

/** Every rank from 0 to np − 1 except those given. */
export function ranksExcept(np: number, ...left: number[]): number[] {
  return [...Array(np).keys()].filter((rank) => !left.includes(rank));
}

const REPORT_FILE = /^rank(\d+)-(\d+)-(\d+)\.json$/;

function readReports(dir: string): Array<Record<string, Any>> {
  const files = fs.readdirSync(dir).flatMap((name) => {
    const match = REPORT_FILE.exec(name);
    return match === null ? [] : [{ name, rank: Number(match[1]), sequence: Number(match[3]) }];
  });
  files.sort((a, b) => a.rank - b.rank || a.sequence - b.sequence);
  return files.map(({ name }) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')));
}

function reportedRanks(dir: string): Set<number> {
  return new Set(
    fs.readdirSync(dir).flatMap((name) => {
      const match = REPORT_FILE.exec(name);
      return match === null ? [] : [Number(match[1])];
    }),
  );
}

/** `mpirun -np <np> node fixtures/<fixture>`, with `env` added to the environment. */
export function mpirun(np: number, fixture: string, env: Record<string, string> = {}, options: JobOptions = {}): Promise<Job> {
  const reportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deltaprop-mpi-reports-'));
  const started = Date.now();
  const child = spawn('mpirun', ['--oversubscribe', '--timeout', String(JOB_LIMIT_SECONDS), '-np', String(np), process.execPath, path.join(FIXTURES, fixture)], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      OMPI_ALLOW_RUN_AS_ROOT: '1',
      OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1',
      DELTAPROP_TEST_REPORTS: reportsDir,
      ...(options.hold ? { DELTAPROP_TEST_HOLD_LAUNCHER: '1' } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so that the kill timer reaches every rank
  });
  let stdout = '';
  let stderr = '';
  const notes: string[] = [];
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const killer = setTimeout(() => {
    notes.push(`safety net: mpirun's process group was SIGKILLed ${KILL_AFTER_MS} ms after its start (mpirun --timeout ${JOB_LIMIT_SECONDS} did not end it)`);
    process.kill(-child.pid!, 'SIGKILL');
  }, KILL_AFTER_MS);
  let closed = false;
  let resume: NodeJS.Timeout | null = null;
  if (options.hold) {
    const awaited = options.reportsFrom ?? [...Array(np).keys()];
    // Waits for the reports (files), not for a time: mpirun stays stopped as
    // long as it takes a loaded machine to write them.
    resume = setInterval(() => {
      if (closed) return;
      const reported = reportedRanks(reportsDir);
      const missing = awaited.filter((rank) => !reported.has(rank));
      const expired = Date.now() - started > HOLD_LIMIT_MS;
      if (missing.length > 0 && !expired) return;
      if (missing.length > 0) {
        notes.push(`safety net: mpirun was resumed ${HOLD_LIMIT_MS} ms after its start without the reports of rank(s) ${missing.join(', ')}`);
      }
      clearInterval(resume!);
      resume = null;
      process.kill(child.pid!, 'SIGCONT'); // harmless if no process stopped it
    }, HOLD_POLL_MS);
  }
  return new Promise((resolve) => {
    child.on('close', (status, signal) => {
      closed = true;
      clearTimeout(killer);
      if (resume !== null) clearInterval(resume);
      const reports = readReports(reportsDir);
      fs.rmSync(reportsDir, { recursive: true, force: true });
      const output = [
        `--- stdout\n${stdout}`,
        `--- stderr\n${stderr}`,
        `--- reports\n${reports.map((r) => JSON.stringify(r)).join('\n')}`,
        ...(notes.length > 0 ? [`--- safety nets\n${notes.join('\n')}`] : []),
      ].join('\n');
      resolve({ status, signal, reports, output, started, ended: Date.now() });
    });
  });
}
