// npm pack, as a release does it, for the tests of the published package.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CHILD_TIMEOUT_MS } from '../helpers/node.js';
import { ROOT } from './prerequisites.js';

function npm(args: string[], cwd: string): string {
  const result = spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: CHILD_TIMEOUT_MS });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${result.status ?? result.error?.message}):\n${result.stderr}`);
  return result.stdout;
}

/** The paths npm would put in the tarball. */
export function packedFiles(): string[] {
  const [report] = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT));
  return report.files.map((file: { path: string }) => file.path).sort();
}

/** Packs the repository (dist/ must be built) into `dir`; returns the tarball's path. */
export function packTarball(dir: string): string {
  const [report] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT));
  return path.join(dir, report.filename);
}

/** Unpacks a tarball into `dir`; returns the package's folder. */
export function unpackTarball(tarball: string, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const result = spawnSync('tar', ['-xzf', tarball, '-C', dir], { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS });
  if (result.status !== 0) throw new Error(`tar failed: ${result.stderr}`);
  return path.join(dir, 'package');
}
