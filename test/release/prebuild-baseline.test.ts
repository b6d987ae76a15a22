// The prebuilt binaries need no newer C and C++ runtimes than the README
// promises: glibc 2.34 and the libstdc++ of GCC 11 (GLIBCXX_3.4.26 and
// CXXABI_1.3.13, the latter from std::exception_ptr). Read from the symbol
// versions each binary requires, so a toolchain or code change that raises
// the floor, or needs a runtime not listed here, fails here instead of on a
// user's server.
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { missingPrebuild, prebuildPath, releaseSuite } from './prerequisites.js';

const BASELINE: Record<string, string> = { GLIBC: '2.34', GLIBCXX: '3.4.26', CXXABI: '1.3.13', GCC: '3.0' };

/** The highest version of each runtime the binary requires, from readelf's version-needs table. */
function requiredVersions(binary: string): Record<string, string> {
  const result = spawnSync('readelf', ['--version-info', '--wide', binary], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`readelf failed: ${result.stderr}`);
  const highest: Record<string, string> = {};
  for (const [, library, version] of result.stdout.matchAll(/Name: ([A-Z]+)_([\d.]+)/g)) {
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
    it(`requires at most ${Object.entries(BASELINE)
      .map(([name, version]) => `${name}_${version}`)
      .join(', ')}`, () => {
      const required = requiredVersions(prebuildPath(arch));
      expect(Object.keys(required).filter((name) => !(name in BASELINE))).toEqual([]);
      expect(Object.keys(required)).toContain('GLIBC');
      for (const [name, version] of Object.entries(required)) {
        expect(compareVersions(version, BASELINE[name]), `${name}_${version}`).toBeLessThanOrEqual(0);
      }
    });
  });
}
