import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// The suite runs once as is (native on the best ISA the CPU has, and js),
// then once more per lower ISA this CPU supports, with DELTAPROP_ISA set, so
// every native path is tested on this machine. ISAs the CPU lacks are named as
// "not testable here" by test/isa.test.ts. Without a native build there are
// no ISA runs (and the native tests fail, unless DELTAPROP_TEST_BACKENDS=js).
function lowerIsas(): string[] {
  try {
    const addon = createRequire(import.meta.url)('node-gyp-build')(import.meta.dirname) as {
      engineInfo(): { supportedIsas: string[] };
    };
    return addon.engineInfo().supportedIsas.slice(0, -1);
  } catch {
    return [];
  }
}

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // The JSON report is what .ci/run reads its pass/fail counts from.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      { extends: true, test: { name: 'default', include: ['test/**/*.test.ts'] } },
      ...lowerIsas().map((isa) => ({
        extends: true,
        // The release checks (test/release) pick their own ISAs and binaries;
        // the file formats (test/persistence), the MPI world
        // (test/distributed), the lint checks (test/lint) and the API reference do not depend on an ISA.
        test: {
          name: `isa:${isa}`,
          include: ['test/**/*.test.ts'],
          exclude: ['test/release/**', 'test/persistence.test.ts', 'test/distributed/**', 'test/lint.test.ts', 'test/api-reference.test.ts'],
          env: { DELTAPROP_ISA: isa },
        },
      })),
    ],
  },
});
