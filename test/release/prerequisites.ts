// The release checks need things a plain `npm install` does not provide: the
// prebuilt binaries (npm run build:prebuilds), the arm64 cross tools and Node
// (scripts/ci/install-cross-tools.sh), cmake-js's sanitizer build. .ci/run
// provides them all and sets DELTAPROP_REQUIRE_RELEASE_CHECKS=1, which turns
// a missing one into a failure. Elsewhere the check is listed by name as not
// testable here, never passed silently.
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';

export const ROOT = path.resolve(__dirname, '../..');
export const releaseChecksRequired = process.env.DELTAPROP_REQUIRE_RELEASE_CHECKS === '1';

/** Where npm run build:prebuilds puts the binary for `arch`, relative to the package (tagged glibc: never offered on musl). */
export function prebuildFile(arch: 'x64' | 'arm64'): string {
  return `prebuilds/linux-${arch}/deltaprop.glibc.node`;
}

export function prebuildPath(arch: 'x64' | 'arm64'): string {
  return path.join(ROOT, prebuildFile(arch));
}

/** The reason the prebuild for `arch` cannot be tested, or null when it is there. */
export function missingPrebuild(arch: 'x64' | 'arm64'): string | null {
  return fs.existsSync(prebuildPath(arch)) ? null : `no ${path.relative(ROOT, prebuildPath(arch))}: run npm run build:prebuilds`;
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
