// The packed tarball installed into an empty project, as a user would:
// (a) normally (where mpicc is on the PATH, the install also builds the
// optional MPI addon), (b) with --ignore-scripts, (c) without prebuilds and
// with no compiler on PATH. Each says which engine loads and trains the same
// seeded network: (a) and (b) on the prebuilt binary, to the bit alike; (c)
// on the js engine with no error, agreeing with them to rounding.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHILD_TIMEOUT_MS, runNode } from '../helpers/node.js';
import { binWithoutToolchain, installInto, npmCli, userEnv } from './install.js';
import { packTarball, unpackTarball } from './pack.js';
import { missingReleaseTarball, prebuildFile, releaseSuite, ROOT } from './prerequisites.js';
import { normwiseDifference } from '../helpers/compare.js';
import { MPI_ADDON_FILE } from '../../src/distributed/addon.js';

interface Trained {
  backend: 'native' | 'js';
  nativeError: string | null;
  isa: string | null;
  sameModule: boolean;
  binary: string | null;
  loss: number;
  accuracy: number;
  params: number[];
}

const INSTALL_TIMEOUT = 180_000;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'deltaprop-install-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function train(dir: string): Trained {
  const result = runNode(['train.mjs'], { cwd: dir, env: userEnv() });
  if (result.status !== 0) throw new Error(`train.mjs failed:\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

releaseSuite('installing the packed tarball', missingReleaseTarball(), () => {
  let tarball = '';
  let withoutPrebuilds = '';
  const trained: Record<string, Trained> = {};

  beforeAll(() => {
    tarball = packTarball(work);
    const unpacked = unpackTarball(tarball, path.join(work, 'stripped'));
    fs.rmSync(path.join(unpacked, 'prebuilds'), { recursive: true });
    withoutPrebuilds = path.join(work, 'deltaprop-without-prebuilds.tgz');
    const tar = spawnSync('tar', ['-czf', withoutPrebuilds, '-C', path.dirname(unpacked), 'package'], { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS });
    if (tar.status !== 0) throw new Error(tar.stderr);
  }, INSTALL_TIMEOUT);

  describe.sequential('cases', () => {
    it(
      '(a) npm install: the install script finds the prebuilt binary and compiles nothing of it (only the MPI addon, where mpicc is on the PATH)',
      () => {
        const { dir, status, output } = installInto(path.join(work, 'normal'), tarball, [], userEnv());
        expect(status, output).toBe(0);
        expect(output).toContain('node scripts/install-native.js');
        // The builds that succeed (the MPI addon's, where mpicc is on the PATH) print nothing of node-gyp's.
        expect(output).not.toMatch(/gyp (info|verb|http)|CXX\(target\)/);
        expect(fs.existsSync(path.join(dir, 'node_modules/deltaprop/build'))).toBe(false);
        const mpicc = spawnSync('sh', ['-c', 'command -v mpicc'], { encoding: 'utf8' }).status === 0;
        expect(fs.existsSync(path.join(dir, 'node_modules/deltaprop', MPI_ADDON_FILE)), output).toBe(mpicc);
        trained.normal = train(dir);
        expect(trained.normal).toMatchObject({ backend: 'native', nativeError: null, sameModule: true, accuracy: 1 });
        expect(trained.normal.binary).toBe(path.join(dir, 'node_modules/deltaprop', prebuildFile('x64')));
      },
      INSTALL_TIMEOUT,
    );

    it(
      '(b) npm install --ignore-scripts: the prebuilt binary loads all the same',
      () => {
        const { dir, status, output } = installInto(path.join(work, 'ignore-scripts'), tarball, ['--ignore-scripts'], userEnv());
        expect(status, output).toBe(0);
        expect(output).not.toContain('node scripts/install-native.js');
        trained.ignoreScripts = train(dir);
        expect(trained.ignoreScripts).toMatchObject({ backend: 'native', nativeError: null, sameModule: true });
        expect(trained.ignoreScripts.binary).toBe(path.join(dir, 'node_modules/deltaprop', prebuildFile('x64')));
        expect(trained.normal, 'case (a) must have passed').toBeDefined();
        expect(trained.ignoreScripts.params).toEqual(trained.normal.params);
      },
      INSTALL_TIMEOUT,
    );

    it(
      '(c) no prebuilds and no compiler: install succeeds, the js engine runs, same training result',
      () => {
        // PATH holds node and a shell and nothing else: no python, make or g++ for node-gyp.
        const bin = binWithoutToolchain(path.join(work, 'bin-without-toolchain'), process.execPath);
        const { dir, status, output } = installInto(path.join(work, 'no-toolchain'), withoutPrebuilds, [], userEnv(bin));
        expect(status, output).toBe(0);
        expect(output).toContain('deltaprop will use its pure-TypeScript engine');
        trained.noToolchain = train(dir);
        expect(trained.noToolchain).toMatchObject({ backend: 'js', isa: null, binary: null, sameModule: true, accuracy: 1 });
        expect(trained.noToolchain.nativeError).toMatch(/No native build was found/);
        expect(trained.normal, 'case (a) must have passed').toBeDefined();
        expect(normwiseDifference(trained.normal.params, trained.noToolchain.params)).toBeLessThan(1e-10);
      },
      INSTALL_TIMEOUT,
    );

    it(
      '(c) deltaprop info then says why: the engine did not load, and what the failed build printed (which npm hides)',
      () => {
        const info = runNode([path.join(work, 'no-toolchain/node_modules/deltaprop/bin/deltaprop.js'), 'info'], { cwd: path.join(work, 'no-toolchain'), env: userEnv() });
        expect(info.status, info.stderr).toBe(0);
        expect(info.stdout).toMatch(/^backend: js$/m);
        expect(info.stdout).toMatch(/^native engine not loaded: .*No native build was found/m);
        expect(info.stdout).toMatch(/could not build the native addon \(exit code [1-9]\d*\); its output ended with:/);
        expect(info.stdout).toMatch(/gyp|python|make/i);
      },
      INSTALL_TIMEOUT,
    );

    it(
      '(d) DELTAPROP_BUILD_FROM_SOURCE=1 npm rebuild: a source build is attempted (here with CXX=false, so it fails), with no npm config warning',
      () => {
        const dir = path.join(work, 'normal');
        const env = { ...userEnv(), DELTAPROP_BUILD_FROM_SOURCE: '1', CXX: 'false' };
        const result = spawnSync(process.execPath, [npmCli(), 'rebuild', 'deltaprop', '--foreground-scripts'], { cwd: dir, env, encoding: 'utf8', timeout: CHILD_TIMEOUT_MS });
        const output = `${result.stdout}\n${result.stderr}`;
        expect(result.status, output).toBe(0);
        expect(output).not.toMatch(/Unknown (env|user|project|cli) config/);
        expect(output).toContain('deltaprop: the native addon could not be built');
        // Through the command npm linked (package.json's bin), as `npx deltaprop` runs it.
        const info = spawnSync(path.join(dir, 'node_modules/.bin/deltaprop'), ['info', '--json'], { cwd: dir, env: userEnv(), encoding: 'utf8', timeout: CHILD_TIMEOUT_MS });
        expect(info.status, info.stderr).toBe(0);
        const facts = JSON.parse(info.stdout);
        // The prebuilt binary still loads; the failed source build is on record.
        expect(facts).toMatchObject({ backend: 'native', nativeError: null, failedInstall: { fromSource: true } });
        expect(facts.failedInstall.exitCode).toBeGreaterThan(0);
      },
      INSTALL_TIMEOUT,
    );

    it(
      'a TypeScript project compiles against the installed types under strict, as ESM and as CommonJS',
      () => {
        const dir = path.join(work, 'normal');
        fs.copyFileSync(path.join(dir, 'consumer.ts'), path.join(dir, 'consumer.mts'));
        fs.renameSync(path.join(dir, 'consumer.ts'), path.join(dir, 'consumer.cts'));
        const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
        const common = [
          '--strict',
          '--noEmit',
          '--module',
          'nodenext',
          '--moduleResolution',
          'nodenext',
          '--target',
          'es2022',
          '--types',
          'node',
          '--typeRoots',
          path.join(ROOT, 'node_modules/@types'),
        ];
        for (const file of ['consumer.mts', 'consumer.cts']) {
          const result = spawnSync(process.execPath, [tsc, ...common, file], { cwd: dir, encoding: 'utf8', timeout: CHILD_TIMEOUT_MS });
          expect(result.status, `${file}: ${result.stdout}${result.stderr}`).toBe(0);
        }
      },
      INSTALL_TIMEOUT,
    );
  });
});
