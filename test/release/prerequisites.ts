// The release checks need things a plain `npm install` does not provide: the
// prebuilt binaries (npm run build:prebuilds), the arm64 cross tools and Node
// and wine (scripts/ci/install-cross-tools.sh), the official Node.js builds
// (scripts/ci/fetch-node-builds.js), cmake-js's sanitizer build. .ci/run
// provides them all and sets DELTAPROP_REQUIRE_RELEASE_CHECKS=1, which turns
// a missing one into a failure. Elsewhere the check is listed by name as not
// testable here, never passed silently.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'vitest';

export const ROOT = path.resolve(__dirname, '../..');
export const releaseChecksRequired = process.env.DELTAPROP_REQUIRE_RELEASE_CHECKS === '1';

/** The prebuilt binaries: linux-x64 and linux-arm64 (by their architecture, as node-gyp calls it), and win32-x64. */
export type Prebuild = 'x64' | 'arm64' | 'win32-x64';

/**
 * Where npm run build:prebuilds puts a binary, relative to the package: the
 * Linux ones tagged glibc (never offered on musl), the Windows one untagged.
 */
export function prebuildFile(target: Prebuild): string {
  return target === 'win32-x64' ? 'prebuilds/win32-x64/deltaprop.node' : `prebuilds/linux-${target}/deltaprop.glibc.node`;
}

export function prebuildPath(target: Prebuild): string {
  return path.join(ROOT, prebuildFile(target));
}

/** The reason the prebuild for `target` cannot be tested, or null when it is there. */
export function missingPrebuild(target: Prebuild): string | null {
  return fs.existsSync(prebuildPath(target)) ? null : `no ${path.relative(ROOT, prebuildPath(target))}: run npm run build:prebuilds`;
}

/** The files scripts/pack-release.js refuses to pack without (every prebuilt binary): its own list. */
const RELEASE_PREBUILDS: string[] = createRequire(__filename)('../../scripts/pack-release.js').PREBUILDS;

/** Why the release tarball cannot be packed here, or null when it can. */
export function missingReleaseTarball(): string | null {
  const missing = RELEASE_PREBUILDS.find((file) => !fs.existsSync(path.join(ROOT, file)));
  return missing === undefined ? null : `no ${missing}, which the release tarball needs: run npm run build:prebuilds`;
}

/**
 * describe(name, body) when nothing is missing; otherwise a skipped test that
 * says what is missing, or, where the release checks are required, a failing one.
 */
export function releaseSuite(name: string, missing: string | null, body: () => void): void {
  if (missing === null) {
    describe(name, body);
  } else if (releaseChecksRequired) {
    it(`${name}: prerequisites`, () => {
      throw new Error(`${missing} (DELTAPROP_REQUIRE_RELEASE_CHECKS=1)`);
    });
  } else {
    it.skip(`${name}: not testable here (${missing})`, () => {});
  }
}
