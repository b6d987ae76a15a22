// The linux-arm64 prebuilt binary, cross-built on this x86-64 machine, run
// under qemu-user with an arm64 Node 18 (scripts/ci/install-cross-tools.sh):
// it loads from the packed package's prebuilds/ and passes the native test
// subset on NEON and on the generic kernels. One node process per run: under
// qemu, child processes would start the arm64 binary without the emulator.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { missingReleaseTarball, prebuildFile, releaseSuite, ROOT } from './prerequisites.js';
import { stagePackage, SUBSET_SCRIPT, subsetSummary } from './stage.js';

const SYSROOT = path.resolve(ROOT, process.env.DELTAPROP_ARM64_SYSROOT ?? '.cache/arm64-sysroot');
const ARM64_NODE = path.join(SYSROOT, 'usr/bin/node');
const QEMU_TIMEOUT = 180_000;

function missingPrerequisite(): string | null {
  if (spawnSync('qemu-aarch64', ['--version']).status !== 0) return 'no qemu-aarch64: run scripts/ci/install-cross-tools.sh';
  if (!fs.existsSync(ARM64_NODE)) return `no arm64 node in ${SYSROOT}: run scripts/ci/install-cross-tools.sh`;
  return missingReleaseTarball();
}

function underQemu(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync('qemu-aarch64', ['-L', SYSROOT, ARM64_NODE, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
    timeout: QEMU_TIMEOUT,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

releaseSuite('linux-arm64 prebuild under qemu', missingPrerequisite(), () => {
  let work = '';
  let stage = '';
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'deltaprop-arm64-'));
    stage = stagePackage(work);
  }, QEMU_TIMEOUT);
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('is an arm64 Node 18 that runs the tests', () => {
    const { status, output } = underQemu(['-p', 'process.arch + " " + process.version']);
    expect(status, output).toBe(0);
    expect(output).toMatch(/^arm64 v18\./);
  });

  it('loads from prebuilds/linux-arm64 (there is no build/ beside it) and offers NEON', () => {
    expect(fs.existsSync(path.join(stage, 'build'))).toBe(false);
    const script = `
      const path = require(${JSON.stringify(path.join(stage, 'node_modules/node-gyp-build'))}).path(${JSON.stringify(stage)});
      const { backend } = require(${JSON.stringify(stage)});
      console.log(JSON.stringify({ path, name: backend.name, isa: backend.isa, supported: backend.supportedIsas }));`;
    const { status, output } = underQemu(['-e', script]);
    expect(status, output).toBe(0);
    expect(JSON.parse(output)).toEqual({
      path: path.join(stage, prebuildFile('arm64')),
      name: 'native',
      isa: 'neon',
      supported: ['generic', 'neon'],
    });
  });

  for (const isa of ['neon', 'generic']) {
    it(
      `passes the native test subset on ${isa}`,
      () => {
        const { status, output } = underQemu([SUBSET_SCRIPT, stage], { DELTAPROP_BACKEND: 'native', DELTAPROP_ISA: isa });
        expect(status, `${subsetSummary(output)}\n${output}`).toBe(0);
        expect(output).toMatch(/native subset: [1-9]\d* passed, 0 failed/);
      },
      QEMU_TIMEOUT,
    );
  }
});
