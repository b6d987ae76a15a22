// A package folder as npm would install it, built from the packed tarball,
// for running the native test subset against one particular binary.
import fs from 'node:fs';
import path from 'node:path';
import { packTarball, unpackTarball } from './pack.js';
import { ROOT } from './prerequisites.js';

/** Packs and unpacks the package into `dir` with its runtime dependency; returns its folder. */
export function stagePackage(dir: string): string {
  const unpacked = unpackTarball(packTarball(dir), dir);
  fs.cpSync(path.join(ROOT, 'node_modules/node-gyp-build'), path.join(unpacked, 'node_modules/node-gyp-build'), { recursive: true });
  return unpacked;
}

export const SUBSET_SCRIPT = path.join(ROOT, 'test/native-subset/run.js');

/** The subset's own count line, for the test's failure message. */
export function subsetSummary(output: string): string {
  return output.match(/native subset: .*/)?.[0] ?? 'no summary printed';
}
