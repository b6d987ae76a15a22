// The release tarball, packed as a release does it (scripts/pack-release.js),
// for the tests of the published package.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CHILD_TIMEOUT_MS } from '../helpers/node.js';
import { ROOT } from './prerequisites.js';

/** The paths the release tarball holds (scripts/pack-release.js --list). */
export function packedFiles(): string[] {
  return JSON.parse(packRelease(['--list']));
}

/** Packs the release tarball (dist/ and the prebuilds must be built) into `dir`, as a release does; returns its path. */
export function packTarball(dir: string): string {
  return packRelease(['--destination', dir]).trim();
}

function packRelease(args: string[]): string {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts/pack-release.js'), ...args], { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS });
  if (result.status !== 0) throw new Error(`scripts/pack-release.js ${args.join(' ')} failed (${result.status ?? result.error?.message}):\n${result.stderr}`);
  return result.stdout;
}

/** Unpacks a tarball into `dir`; returns the package's folder. */
export function unpackTarball(tarball: string, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const result = spawnSync('tar', ['-xzf', tarball, '-C', dir], { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS });
  if (result.status !== 0) throw new Error(`tar failed: ${result.stderr}`);
  return path.join(dir, 'package');
}
