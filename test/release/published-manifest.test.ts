// The package.json a user installs asks nothing of them beyond the install
// hook (and keeps build:mpi, which the library tells users to run): npm 11 lists every install script of a package (a tarball's
// `prepare` included) for the user to approve. The repository's own
// package.json is private, so that only the release tarball can be published.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHILD_TIMEOUT_MS } from '../helpers/node.js';
import { packTarball, unpackTarball } from './pack.js';
import { missingReleaseTarball, releaseSuite, ROOT } from './prerequisites.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'deltaprop-manifest-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const repository = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

releaseSuite('the published package.json', missingReleaseTarball(), () => {
  // One tarball for every test here: packing it takes a couple of seconds.
  let unpacked = '';
  beforeAll(() => {
    unpacked = unpackTarball(packTarball(work), path.join(work, 'unpacked'));
  });
  const published = () => JSON.parse(fs.readFileSync(path.join(unpacked, 'package.json'), 'utf8'));

  it('has the install hook as its only install script, and none of the repository’s development fields', () => {
    const manifest = published();
    expect(manifest.scripts).toEqual({ install: repository.scripts.install, 'build:mpi': repository.scripts['build:mpi'] });
    for (const field of ['devDependencies', 'private', 'allowScripts', 'devEngines']) expect(manifest, field).not.toHaveProperty(field);
  });

  // The README is left out: it also tells how to set up the repository (npm run example).
  it('has every script the package tells its users to run (npm run …, in its code and native sources)', () => {
    const manifest = published();
    const files = fs.readdirSync(unpacked, { recursive: true, encoding: 'utf8' }).filter((file) => /\.(js|mjs|gyp|cc|h)$/.test(file));
    const told = new Set(files.flatMap((file) => [...fs.readFileSync(path.join(unpacked, file), 'utf8').matchAll(/npm run ([\w:.-]+)/g)].map((m) => m[1])));
    expect(told.size).toBeGreaterThan(0);
    expect([...told].filter((name) => !(name in manifest.scripts))).toEqual([]);
  });

  it('keeps everything a user’s npm and node read, as the repository has it', () => {
    const manifest = published();
    for (const field of ['name', 'version', 'main', 'types', 'bin', 'exports', 'files', 'engines', 'dependencies']) {
      expect(manifest[field], field).toEqual(repository[field]);
    }
  });
});

it('the repository itself cannot be published (only the release tarball can)', () => {
  expect(repository.private).toBe(true);
  // A registry nobody listens on (tried once), with a token: npm refuses a private package whatever the registry says.
  const registry = ['--registry', 'http://127.0.0.1:9/', '--//127.0.0.1:9/:_authToken=unused', '--fetch-retries=0'];
  const result = spawnSync('npm', ['publish', '--ignore-scripts', ...registry], { cwd: ROOT, encoding: 'utf8', timeout: CHILD_TIMEOUT_MS });
  expect(result.status).not.toBe(0);
  expect(result.stderr).toMatch(/EPRIVATE/);
});
