// The official Node.js builds scripts/ci/fetch-node-builds.js fetches into
// .cache/node-builds, for the release checks that run the package on them.
import fs from 'node:fs';
import { BUILDS, executable } from '../../scripts/ci/fetch-node-builds.js';

/** The versions of `platform` the release checks run on. */
export function nodeVersions(platform: string): string[] {
  return BUILDS[platform] ?? [];
}

/** The node executable of that build (fetched or not). */
export function nodeExecutable(platform: string, version: string): string {
  return executable(platform, version);
}

/** The reason the builds of `platform` cannot be run, or null when all are there. */
export function missingNodeBuilds(platform: string): string | null {
  const missing = nodeVersions(platform).filter((version) => !fs.existsSync(nodeExecutable(platform, version)));
  return missing.length === 0 ? null : `no Node.js ${missing.join(', ')} for ${platform} in .cache/node-builds: run node scripts/ci/fetch-node-builds.js`;
}
