// The prebuilt binaries need no newer C and C++ runtimes than the README
// promises: glibc 2.34 and the libstdc++ of GCC 9 (GLIBCXX_3.4.26). Read from
// the symbol versions each binary requires, so a toolchain or code change
// that raises the floor fails here instead of on a user's server.
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { missingPrebuild, prebuildPath, releaseSuite } from './prerequisites.js';

const BASELINE = { GLIBC: '2.34', GLIBCXX: '3.4.26' };

/** The highest version of each runtime the binary requires, from readelf's version-needs table. */
function requiredVersions(binary: string): Record<string, string> {
  const result = spawnSync('readelf', ['--version-info', '--wide', binary], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`readelf failed: ${result.stderr}`);
  const highest: Record<string, string> = {};
  for (const [, library, version] of result.stdout.matchAll(/Name: (GLIBC|GLIBCXX)_([\d.]+)/g)) {
    if (highest[library] === undefined || compareVersions(version, highest[library]) > 0) highest[library] = version;
  }
  return highest;
}

function compareVersions(a: string, b: string): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  }
  return 0;
}

for (const arch of ['x64', 'arm64'] as const) {
  releaseSuite(`linux-${arch} prebuild`, missingPrebuild(arch), () => {
    it(`requires at most glibc ${BASELINE.GLIBC} and GLIBCXX_${BASELINE.GLIBCXX}`, () => {
      const required = requiredVersions(prebuildPath(arch));
      expect(Object.keys(required).sort()).toEqual(['GLIBC', 'GLIBCXX']);
      for (const [library, version] of Object.entries(required)) {
        expect(compareVersions(version, BASELINE[library as keyof typeof BASELINE]), `${library}_${version}`).toBeLessThanOrEqual(0);
      }
    });
  });
}
