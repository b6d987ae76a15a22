// The core package never depends on MPI: the main addon and its prebuilt
// binaries link no MPI library, and the package's binding.gyp (what the
// install and prebuildify build) compiles nothing of native/mpi; the MPI
// addon has its own native/mpi/binding.gyp.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { missingPrebuild, prebuildPath, releaseSuite, ROOT } from '../release/prerequisites.js';

function neededLibraries(binary: string): string[] {
  const result = spawnSync('readelf', ['--dynamic', '--wide', binary], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`readelf failed: ${result.stderr}`);
  return [...result.stdout.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((match) => match[1]);
}

it("the package's binding.gyp compiles nothing of native/mpi and links no MPI", () => {
  const gyp = fs.readFileSync(path.join(ROOT, 'binding.gyp'), 'utf8');
  expect(gyp).not.toMatch(/native\/mpi\/[\w]+\.cc|mpicc|-lmpi/);
});

const mainAddon = path.join(ROOT, 'build', 'Release', 'deltaprop.node');
releaseSuite('the main addon', fs.existsSync(mainAddon) ? null : 'no build/Release/deltaprop.node: run npm run build:native', () => {
  it('links no MPI library', () => {
    expect(neededLibraries(mainAddon).filter((library) => /mpi/i.test(library))).toEqual([]);
  });
});

for (const arch of ['x64', 'arm64'] as const) {
  releaseSuite(`linux-${arch} prebuild, without MPI`, missingPrebuild(arch), () => {
    it('links no MPI library', () => {
      expect(neededLibraries(prebuildPath(arch)).filter((library) => /mpi/i.test(library))).toEqual([]);
    });
  });
}
