// The tarball holds what users need and nothing else: the compiled library
// with its types, the prebuilt binaries, and the native sources with
// binding.gyp for a source build. No tests, benchmarks or build trees.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packedFiles } from './pack.js';
import { missingPrebuild, prebuildFile, releaseSuite, ROOT } from './prerequisites.js';

const files = packedFiles();

/** Every file the published package may contain, by pattern. */
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^binding\.gyp$/,
  /^native\/mpi\/binding\.gyp$/,
  /^scripts\/install-native\.js$/,
  /^bin\/deltaprop\.js$/,
  /^dist\/[\w/-]+\.(js|mjs|d\.ts|d\.mts|js\.map)$/,
  /^native\/[\w/-]+\.(cc|h|md)$/,
  /^prebuilds\/linux-(x64|arm64)\/deltaprop\.glibc\.node$/,
  /^prebuilds\/win32-x64\/deltaprop\.node$/,
];

/** The sources binding.gyp compiles, from its own text. */
function gypSources(): string[] {
  const gyp = fs.readFileSync(path.join(ROOT, 'binding.gyp'), 'utf8');
  return [...gyp.matchAll(/"(native\/[\w/.-]+\.cc)"/g)].map((match) => match[1]);
}

describe('npm pack', () => {
  it('contains only the allowed kinds of file', () => {
    expect(files.filter((file) => !ALLOWED.some((pattern) => pattern.test(file)))).toEqual([]);
  });

  it('contains the entry points and their types, for require and import', () => {
    expect(files).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/index.mjs', 'dist/index.d.mts']));
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const targets = [pkg.main, pkg.types, ...JSON.stringify(pkg.exports).match(/\.\/dist\/[^"]+/g)!];
    expect(files).toEqual(expect.arrayContaining(targets.map((target: string) => target.replace(/^\.\//, ''))));
  });

  it('contains every source binding.gyp compiles, and every header beside them', () => {
    const sources = gypSources();
    expect(sources.length).toBeGreaterThan(10);
    expect(files).toEqual(expect.arrayContaining(sources));
    const headers = fs
      .readdirSync(path.join(ROOT, 'native'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.h'))
      .map((file) => `native/${file}`);
    expect(files).toEqual(expect.arrayContaining(headers));
  });

  it('contains no tests, benchmarks, TypeScript sources or build trees', () => {
    const forbidden = files.filter((file) => /^(test|bench|src|build|examples|node_modules|\.ci|\.cache)\//.test(file));
    expect(forbidden).toEqual([]);
  });
});

for (const target of ['x64', 'arm64', 'win32-x64'] as const) {
  releaseSuite(`npm pack: ${path.basename(path.dirname(prebuildFile(target)))} prebuild`, missingPrebuild(target), () => {
    it('is in the tarball', () => {
      expect(files).toContain(prebuildFile(target));
    });
  });
}
