// The cmake-js Debug build with AddressSanitizer and UndefinedBehaviorSanitizer
// (npm run build:sanitize) runs the native test subset clean, on every ISA
// this CPU supports. Node itself is not instrumented, so the ASan runtime is
// preloaded; any finding aborts the process (-fno-sanitize-recover=all).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { missingReleaseTarball, releaseSuite, ROOT } from './prerequisites.js';
import { stagePackage, SUBSET_SCRIPT, subsetSummary } from './stage.js';

const SANITIZED = path.join(ROOT, 'build-sanitize/Debug/deltaprop.node');
const TIMEOUT = 180_000;

/** The ASan runtime g++ links against, to preload into an uninstrumented node. */
const ASAN_RUNTIME = spawnSync('g++', ['-print-file-name=libasan.so'], { encoding: 'utf8' }).stdout?.trim() ?? '';

/** The shared libraries a binary needs, from its dynamic section. */
function neededLibraries(binary: string): string[] {
  const result = spawnSync('readelf', ['--dynamic', '--wide', binary], { encoding: 'utf8' });
  return [...result.stdout.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((match) => match[1]);
}

function missingPrerequisite(): string | null {
  if (!fs.existsSync(SANITIZED)) return `no ${path.relative(ROOT, SANITIZED)}: run npm run build:sanitize`;
  if (ASAN_RUNTIME === '' || !fs.existsSync(ASAN_RUNTIME)) return 'no libasan.so from g++';
  // It runs against the staged release package.
  return missingReleaseTarball();
}

function runSanitized(stage: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, [SUBSET_SCRIPT, stage], {
    encoding: 'utf8',
    timeout: TIMEOUT,
    env: {
      PATH: process.env.PATH,
      LD_PRELOAD: ASAN_RUNTIME,
      ASAN_OPTIONS: 'abort_on_error=1:detect_leaks=1',
      UBSAN_OPTIONS: 'print_stacktrace=1',
      DELTAPROP_BACKEND: 'native',
      ...env,
    },
  });
  return { status: result.status, signal: result.signal, output: `${result.stdout}\n${result.stderr}` };
}

releaseSuite('sanitizer build (ASan + UBSan)', missingPrerequisite(), () => {
  let work = '';
  let stage = '';
  let isas: string[] = [];
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'deltaprop-sanitize-'));
    stage = stagePackage(work);
    // node-gyp-build prefers build/ to prebuilds/; without prebuilds nothing else can load.
    fs.rmSync(path.join(stage, 'prebuilds'), { recursive: true, force: true });
    fs.mkdirSync(path.join(stage, 'build/Debug'), { recursive: true });
    fs.copyFileSync(SANITIZED, path.join(stage, 'build/Debug/deltaprop.node'));
    const probe = spawnSync(process.execPath, ['-p', `JSON.stringify(require(${JSON.stringify(stage)}).backend.supportedIsas)`], {
      encoding: 'utf8',
      timeout: TIMEOUT,
      env: { PATH: process.env.PATH, LD_PRELOAD: ASAN_RUNTIME, ASAN_OPTIONS: 'detect_leaks=0' },
    });
    if (probe.status !== 0) throw new Error(`the sanitizer build does not load: ${probe.stderr}`);
    isas = JSON.parse(probe.stdout);
  }, TIMEOUT);
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('is instrumented: it needs the ASan and UBSan runtimes', () => {
    const needed = neededLibraries(SANITIZED);
    expect(
      needed.some((library) => library.startsWith('libasan.so')),
      needed.join(', '),
    ).toBe(true);
    expect(
      needed.some((library) => library.startsWith('libubsan.so')),
      needed.join(', '),
    ).toBe(true);
  });

  it(
    'runs the native test subset clean on every ISA this CPU supports',
    () => {
      expect(isas.length).toBeGreaterThan(0);
      for (const isa of isas) {
        const { status, signal, output } = runSanitized(stage, { DELTAPROP_ISA: isa });
        expect({ isa, status, signal }, `${subsetSummary(output)}\n${output}`).toEqual({ isa, status: 0, signal: null });
        expect(output).not.toMatch(/AddressSanitizer|LeakSanitizer|runtime error:/);
        expect(output).toMatch(/native subset: [1-9]\d* passed, 0 failed/);
      }
    },
    TIMEOUT,
  );
});
