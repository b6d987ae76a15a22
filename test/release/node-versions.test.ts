// The packed tarball on every Node.js version the package promises (the
// official linux-x64 builds scripts/ci/fetch-node-builds.js fetches), each
// installed into its own empty project as a user of that Node would get it.
// npm runs the install script with the first node on the PATH; npm 11 itself
// needs Node 20.17 or later, so this machine's npm does the installing, with
// the Node under test first on the PATH, as that Node's own npm would run
// it. Then, on that Node: the prebuilt binary loads, a seeded network
// trains, saves and loads back alike, as ES module and CommonJS; the same on
// the js engine; `deltaprop info` names the native engine; and the installed
// packages' engines admit it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normwiseDifference } from '../helpers/compare.js';
import { CHILD_TIMEOUT_MS } from '../helpers/node.js';
import { binWithoutToolchain, installInto, npmCli, userEnv } from './install.js';
import { missingNodeBuilds, nodeExecutable, nodeVersions } from './node-builds.js';
import { packTarball } from './pack.js';
import { missingReleaseTarball, prebuildFile, releaseSuite } from './prerequisites.js';

interface RoundTrip {
  node: string;
  backend: 'native' | 'js';
  nativeError: string | null;
  isa: string | null;
  sameModule: boolean;
  binary: string | null;
  accuracy: number;
  params: number[];
  loadedParams: number[];
  predictions: number[];
  loadedPredictions: number[];
}

interface LockedPackage {
  version?: string;
  engines?: { node?: string };
}

const PLATFORM = 'linux-x64';
const TIMEOUT = 240_000;
const PROBE = path.join(__dirname, 'node-probe.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'deltaprop-node-versions-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The installed packages (from the project's package-lock.json) whose engines exclude `version`, as npm would warn of them. */
function enginesExcluding(dir: string, version: string): string[] {
  // npm's own check, given the version under test: npm 11 checks against the node it runs on, which has no setting.
  const { checkEngine } = createRequire(npmCli())('npm-install-checks') as { checkEngine(pkg: object, npm: string | undefined, node: string): void };
  const lock: { packages: Record<string, LockedPackage> } = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
  return Object.entries(lock.packages).flatMap(([where, pkg]) => {
    try {
      checkEngine(pkg, undefined, version);
      return [];
    } catch {
      return [`${where.replace(/^.*node_modules\//, '')}@${pkg.version} needs Node ${pkg.engines?.node}`];
    }
  });
}

/** The node processes the install started (node-probe.js's log): each one's version and script. */
function nodeRuns(log: string): { version: string; script: string | null }[] {
  return fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
}

releaseSuite('the packed tarball on each supported Node.js', missingReleaseTarball() ?? missingNodeBuilds(PLATFORM), () => {
  let tarball = '';
  const native: Record<string, RoundTrip> = {};

  beforeAll(() => {
    tarball = packTarball(work);
  }, TIMEOUT);

  describe.sequential('versions', () => {
    for (const version of nodeVersions(PLATFORM)) {
      it(
        `Node ${version}: the install script runs on it, the prebuilt binary loads, trains, saves and loads; so does the js engine; deltaprop info names the native engine`,
        () => {
          const node = nodeExecutable(PLATFORM, version);
          // Nothing to compile with: the install must find the prebuilt binary (and, with no mpicc, not build the MPI addon).
          const bin = binWithoutToolchain(path.join(work, `bin-${version}`), node);
          const log = path.join(work, `node-runs-${version}.log`);
          const { dir, status, output } = installInto(path.join(work, `node-${version}`), tarball, [], {
            ...userEnv(bin),
            NODE_OPTIONS: `--require ${JSON.stringify(PROBE)}`,
            NODE_PROBE_LOG: log,
          });
          expect(status, output).toBe(0);
          const pkg = path.join(dir, 'node_modules/deltaprop');
          const runs = nodeRuns(log);
          const ranOn = (script: string) => {
            const file = fs.realpathSync(path.join(dir, 'node_modules', script));
            return runs.filter((run) => run.script === file).map((run) => run.version);
          };
          expect(ranOn('deltaprop/scripts/install-native.js')).toEqual([`v${version}`]);
          // node-gyp-build's check that the prebuilt binary loads, run by the PATH's node.
          expect(ranOn('node-gyp-build/build-test.js')).toEqual([`v${version}`]);
          expect(fs.existsSync(path.join(pkg, 'build')), output).toBe(false);

          const roundTrip = (engine: NodeJS.ProcessEnv): RoundTrip => {
            const result = spawnSync(node, ['round-trip.mjs', path.join(dir, `xor-${engine.DELTAPROP_BACKEND ?? 'default'}.dpm`)], {
              cwd: dir,
              env: { ...userEnv(bin), ...engine },
              encoding: 'utf8',
              timeout: CHILD_TIMEOUT_MS,
            });
            expect(result.status, `${result.stderr}${result.error?.message ?? ''}`).toBe(0);
            return JSON.parse(result.stdout);
          };
          const trained = roundTrip({});
          expect(trained).toMatchObject({ node: `v${version}`, backend: 'native', nativeError: null, sameModule: true, binary: path.join(pkg, prebuildFile('x64')), accuracy: 1 });
          expect(trained.loadedParams).toEqual(trained.params);
          expect(trained.loadedPredictions).toEqual(trained.predictions);
          native[version] = trained;

          const js = roundTrip({ DELTAPROP_BACKEND: 'js' });
          expect(js).toMatchObject({ node: `v${version}`, backend: 'js', nativeError: null, sameModule: true, accuracy: 1 });
          expect(js.loadedParams).toEqual(js.params);
          expect(js.loadedPredictions).toEqual(js.predictions);
          expect(normwiseDifference(trained.params, js.params)).toBeLessThan(1e-10);

          // The command npm linked, as `npx deltaprop info` runs it: its #!/usr/bin/env node finds the Node under test.
          const info = spawnSync(path.join(dir, 'node_modules/.bin/deltaprop'), ['info'], { cwd: dir, env: userEnv(bin), encoding: 'utf8', timeout: CHILD_TIMEOUT_MS });
          expect(info.status, info.stderr).toBe(0);
          expect(info.stdout).toContain(` on Node v${version} (linux-x64,`);
          expect(info.stdout).toMatch(/^backend: native$/m);
          expect(info.stdout).not.toMatch(/native engine not loaded/);
          // Last, so that a version that works but is not declared supported fails on this alone.
          expect(enginesExcluding(dir, version)).toEqual([]);
        },
        TIMEOUT,
      );
    }

    it('the prebuilt binary trains the same network to the bit on every version', () => {
      const versions = nodeVersions(PLATFORM);
      expect(Object.keys(native), 'every version must have trained on the native engine').toEqual(versions);
      for (const version of versions.slice(1)) expect(native[version].params, `Node ${version} against ${versions[0]}`).toEqual(native[versions[0]].params);
    });
  });
});
