// The official node.exe run under wine (scripts/ci/install-cross-tools.sh
// installs wine), for the checks of the Windows binary. A prefix of the
// project's own, 64-bit, reporting Windows 10 (wine's default, Windows 7,
// is one Node refuses: it needs 8.1 or later).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './prerequisites.js';

const PREFIX = path.join(ROOT, '.cache', 'wine');
const READY = path.join(PREFIX, 'deltaprop-prefix-ready');
export const WINE_TIMEOUT_MS = 180_000;

/** wine's environment: the prefix, no debug channels, and no debugger started for a crashing program (that takes seconds). */
function wineEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, WINEPREFIX: PREFIX, WINEARCH: 'win64', WINEDEBUG: '-all', WINEDLLOVERRIDES: 'winedbg.exe=d', ...extra };
}

/** The reason wine cannot run here, or null. */
export function missingWine(): string | null {
  const result = spawnSync('wine', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? null : 'no wine: run scripts/ci/install-cross-tools.sh';
}

/** wine's version line (`wine-8.0 (Debian 8.0~repack-4)`). */
export function wineVersion(): string {
  return spawnSync('wine', ['--version'], { encoding: 'utf8' }).stdout.trim();
}

/**
 * Runs a program under wine. Its stdout and stderr go through files in `dir`:
 * wine's node cannot write to a Unix pipe, and wineboot leaves services
 * running that would hold a pipe open. Environment variables reach the
 * Windows process as they are.
 */
function wine(args: string[], dir: string, env: Record<string, string> = {}) {
  const outFile = path.join(dir, 'wine.out');
  const errFile = path.join(dir, 'wine.err');
  const out = fs.openSync(outFile, 'w');
  const err = fs.openSync(errFile, 'w');
  try {
    const result = spawnSync('wine', args, { env: wineEnv(env), stdio: ['ignore', out, err], timeout: WINE_TIMEOUT_MS });
    if (result.error) throw result.error;
    return { status: result.status, stdout: fs.readFileSync(outFile, 'utf8'), stderr: fs.readFileSync(errFile, 'utf8') };
  } finally {
    fs.closeSync(out);
    fs.closeSync(err);
  }
}

/** Creates the prefix the first time (about 4 s); `dir` takes wine's output. */
export function preparePrefix(dir: string): void {
  if (fs.existsSync(READY)) return;
  for (const args of [
    ['wineboot', '--init'],
    ['winecfg', '-v', 'win10'],
  ]) {
    const result = wine(args, dir);
    if (result.status !== 0) throw new Error(`wine ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  }
  fs.writeFileSync(READY, '');
}

/** A Unix path as the Windows programs see it (wine maps / to drive Z:). */
export function windowsPath(unixPath: string): string {
  return `Z:${unixPath.replaceAll('/', '\\')}`;
}

/** node.exe under wine, with its output through files in `dir`. */
export function wineNode(nodeExe: string, args: string[], dir: string, env: Record<string, string> = {}) {
  return wine([nodeExe, ...args], dir, env);
}

/** Ends the prefix's wineserver and every wine process it holds. */
export function stopWine(): void {
  spawnSync('wineserver', ['-k'], { env: wineEnv({}), timeout: WINE_TIMEOUT_MS });
}
