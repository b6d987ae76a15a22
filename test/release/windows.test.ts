// The win32-x64 prebuilt binary, cross-compiled here with MinGW-w64
// (scripts/build-win32.js), run where it will run: the official node.exe of
// each Node major (scripts/ci/fetch-node-builds.js), under wine. The packed
// tarball is installed with --ignore-scripts into an empty project, as npm
// would on Windows minus the install hook (npm itself is not run under
// wine); node.exe there must pick prebuilds/win32-x64, and compute the same
// gradients and training runs as the Linux build does on this CPU, on each
// ISA the CPU has (where vector code meets the Windows ABI: alignment, calling
// convention). The numbers come from windows/numbers.js, run by both.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHILD_TIMEOUT_MS, runNode } from '../helpers/node.js';
import { missingNodeBuilds, nodeExecutable, nodeVersions } from './node-builds.js';
import { packTarball } from './pack.js';
import { missingReleaseTarball, prebuildFile, releaseSuite } from './prerequisites.js';
import { missingWine, preparePrefix, stopWine, WINE_TIMEOUT_MS, wineNode, wineVersion, windowsPath } from './wine.js';

const NUMBERS_SCRIPT = path.join(__dirname, 'windows', 'numbers.js');
const TOLERANCE = 1e-12;
// The same thread count on both sides (results do not depend on it, but a comparison of builds should not either).
const THREADS = '2';

/**
 * Node majors whose node.exe does not start under wine 8.0: V8 (Node 24)
 * reserves address space for its tables with VirtualAlloc2 placeholders
 * (MEM_RESERVE_PLACEHOLDER), which wine 8.0 refuses with
 * ERROR_INVALID_PARAMETER. A test checks that they still fail, so that a
 * wine which runs them is noticed and they are added.
 */
const NOT_UNDER_WINE: Record<string, RegExp> = {
  '24': /Fatal process out of memory: SegmentedTable::InitializeTable/,
};

const versions = nodeVersions('win-x64');
const runnable = versions.filter((version) => !(version.split('.')[0] in NOT_UNDER_WINE));

interface Numbers {
  platform: string;
  node: string;
  backend: { name: string; nativeError: string | null; isa: string | null; supportedIsas: string[]; threads: number };
  binary: string;
  gradients: { loss: number; grads: number[]; worstRelativeError: number }[];
  runs: { name: string; loss: number[]; params: number[]; predictions: number[] }[];
  error?: string;
}

function missingPrerequisite(): string | null {
  return missingNodeBuilds('win-x64') ?? missingWine() ?? missingReleaseTarball();
}

/** The largest difference between the numbers of two results (relative where they exceed 1; anything else must be equal), and where it is. */
function largestDifference(a: unknown, b: unknown, at = ''): { difference: number; at: string; count: number } {
  if (typeof a === 'number' && typeof b === 'number') {
    return { difference: Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b)), at, count: 1 };
  }
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null || Object.keys(a).length !== Object.keys(b).length) {
    return { difference: Object.is(a, b) ? 0 : Infinity, at: `${at} (${JSON.stringify(a)} against ${JSON.stringify(b)})`, count: 0 };
  }
  let worst = { difference: 0, at: '', count: 0 };
  for (const key of Object.keys(a)) {
    const next = largestDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${at}.${key}`);
    worst = { ...(next.difference > worst.difference ? next : worst), count: worst.count + next.count };
  }
  return worst;
}

releaseSuite('win32-x64 prebuild under wine', missingPrerequisite(), () => {
  let work = '';
  let project = '';
  /** The Linux build's numbers, by DELTAPROP_ISA ('' for the default). */
  const linux: Record<string, Numbers> = {};

  function onLinux(isa: string): Numbers {
    const output = path.join(work, `linux-${isa || 'default'}.json`);
    const result = runNode([NUMBERS_SCRIPT, project, output], { env: { DELTAPROP_ISA: isa, DELTAPROP_THREADS: THREADS } });
    if (result.status !== 0) throw new Error(`numbers.js on Linux (${isa || 'default ISA'}) failed:\n${result.stderr}\n${fs.readFileSync(output, 'utf8')}`);
    return JSON.parse(fs.readFileSync(output, 'utf8'));
  }

  function underWine(version: string, isa: string): Numbers {
    const output = path.join(work, `win-${version}-${isa || 'default'}.json`);
    fs.rmSync(output, { force: true });
    const args = [windowsPath(NUMBERS_SCRIPT), windowsPath(project), windowsPath(output)];
    const result = wineNode(nodeExecutable('win-x64', version), args, work, { DELTAPROP_ISA: isa, DELTAPROP_THREADS: THREADS });
    const written = fs.existsSync(output) ? fs.readFileSync(output, 'utf8') : '';
    if (result.status !== 0) throw new Error(`numbers.js under wine, Node ${version} (${isa || 'default ISA'}) failed (${result.status}):\n${result.stderr}\n${written}`);
    return JSON.parse(written);
  }

  function expectLinuxNumbers(windows: Numbers, isa: string) {
    const { difference, at, count } = largestDifference({ gradients: windows.gradients, runs: windows.runs }, { gradients: linux[isa].gradients, runs: linux[isa].runs });
    expect(count, 'numbers compared').toBeGreaterThan(1000);
    expect(difference, `${isa || 'default ISA'}: largest difference at ${at}`).toBeLessThanOrEqual(TOLERANCE);
  }

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'deltaprop-windows-'));
    project = path.join(work, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer-windows', version: '1.0.0', private: true }));
    const tarball = packTarball(work);
    const install = spawnSync('npm', ['install', tarball, '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: project, encoding: 'utf8', timeout: CHILD_TIMEOUT_MS });
    if (install.status !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
    preparePrefix(work);
    linux[''] = onLinux('');
    for (const isa of linux[''].backend.supportedIsas) linux[isa] = onLinux(isa);
  }, WINE_TIMEOUT_MS);

  afterAll(() => {
    // No wine process may outlive the tests.
    stopWine();
    if (work !== '') fs.rmSync(work, { recursive: true, force: true });
  });

  it('the reference: the Linux build loads from prebuilds/linux-x64, its gradients pass the central-difference check and the training lowers the loss', () => {
    for (const [isa, numbers] of Object.entries(linux)) {
      expect(numbers.binary, isa).toBe(path.join(project, 'node_modules/deltaprop', prebuildFile('x64')));
      expect(numbers.backend, isa).toMatchObject({ name: 'native', nativeError: null, isa: isa || numbers.backend.supportedIsas.at(-1) });
      for (const check of numbers.gradients) expect(check.worstRelativeError, isa).toBeLessThan(1e-6);
      for (const run of numbers.runs) expect(run.loss.at(-1), `${isa} ${run.name}`).toBeLessThan(run.loss[0]);
    }
  });

  for (const [major, failure] of Object.entries(NOT_UNDER_WINE)) {
    for (const version of versions.filter((v) => v.startsWith(`${major}.`))) {
      it(
        `Node ${version} does not start under ${wineVersion()} (V8 needs address-space placeholders); it is left out until it does`,
        () => {
          const result = wineNode(nodeExecutable('win-x64', version), ['-e', '0'], work);
          expect(result.status).not.toBe(0);
          expect(result.stderr).toMatch(failure);
        },
        WINE_TIMEOUT_MS,
      );
    }
  }

  for (const version of runnable) {
    describe.sequential(`Node ${version} (win-x64) under wine`, () => {
      it(
        'loads prebuilds/win32-x64 from the project that installed the tarball (--ignore-scripts): native, on the best of the ISAs the Linux build offers, with its numbers to 1e-12',
        () => {
          const numbers = underWine(version, '');
          expect(numbers).toMatchObject({ platform: 'win32', node: `v${version}` });
          expect(numbers.binary).toBe(windowsPath(path.join(project, 'node_modules/deltaprop', prebuildFile('win32-x64'))));
          expect(numbers.backend).toMatchObject({ name: 'native', nativeError: null, supportedIsas: linux[''].backend.supportedIsas, isa: linux[''].backend.isa });
          for (const check of numbers.gradients) expect(check.worstRelativeError).toBeLessThan(1e-6);
          expectLinuxNumbers(numbers, '');
        },
        WINE_TIMEOUT_MS,
      );

      it(
        'on each ISA the CPU has (DELTAPROP_ISA), the same gradients and training runs as the Linux build to 1e-12',
        () => {
          for (const isa of linux[''].backend.supportedIsas) {
            const numbers = underWine(version, isa);
            expect(numbers.backend.isa).toBe(isa);
            for (const check of numbers.gradients) expect(check.worstRelativeError, isa).toBeLessThan(1e-6);
            expectLinuxNumbers(numbers, isa);
          }
        },
        WINE_TIMEOUT_MS,
      );
    });
  }

  it(
    'loads in a node.exe renamed to something else (its Node-API imports are resolved from the host process, not from a file named node.exe)',
    () => {
      const renamed = path.join(work, 'host-application.exe');
      fs.copyFileSync(nodeExecutable('win-x64', runnable.at(-1)!), renamed);
      const script = `const d = require(${JSON.stringify(windowsPath(path.join(project, 'node_modules/deltaprop')))}); console.log(JSON.stringify([d.backend.name, d.backend.nativeError, process.execPath]));`;
      const result = wineNode(renamed, ['-e', script], work, { DELTAPROP_ISA: '' });
      expect(result.status, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual(['native', null, windowsPath(renamed)]);
    },
    WINE_TIMEOUT_MS,
  );
});
