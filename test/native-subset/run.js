'use strict';
// The native test subset.
//
// The vitest suite cannot run against every native binary we ship: the arm64
// prebuild is exercised under qemu-user with Debian's Node 18 (no vitest, and
// 20-50x slower than native), and the AddressSanitizer build needs a plain
// `node` process with the sanitizer preloaded. This script is the check for
// those binaries: plain CommonJS, node: builtins only, deterministic (its own
// seeded PRNG), small enough to finish in seconds natively. Every reference
// value is computed here independently (naive loops, finite differences or
// the js backend), never taken from the native result.
//
// Run it against a folder holding the built package (package.json, dist/ and
// a binary that node-gyp-build finds):
//
//   DELTAPROP_BACKEND=native node test/native-subset/run.js <packageRoot>
//   DELTAPROP_BACKEND=native DELTAPROP_ISA=generic node test/native-subset/run.js <packageRoot>
//
// It prints `ok <name>` or `FAIL <name>: <why>` per check, then a summary, and
// exits with 1 if any check failed.

const assert = require('node:assert/strict');
const dp = require('./package-under-test');
const { describeError } = require('./support');
const { gemmSmallShapes, gemmLargeShapes, gemmInvalidInputs } = require('./gemm-checks');
const { parityNativeVsJs, asyncFitEqualsSync, callsDuringFitRejected, finiteDifferenceGradients, threadCountIndependence } = require('./training-checks');
const { badNetworkInputs, badAsyncFitInputs, xorLearns } = require('./input-checks');

const CHECKS = [
  ['gemm: small, odd and degenerate shapes, all transposes, padding, offsets, beta', gemmSmallShapes],
  ['gemm: large shapes (packed and threaded paths)', gemmLargeShapes],
  ['gemm: invalid inputs throw DeltapropError', gemmInvalidInputs],
  ['network: native agrees with js', parityNativeVsJs],
  ['network: async fit equals fitSync to the bit', asyncFitEqualsSync],
  ['network: calls during async fit are rejected', callsDuringFitRejected],
  ['network: gradients match central differences', finiteDifferenceGradients],
  ['threads: results do not depend on the thread count', threadCountIndependence],
  ['network: bad inputs throw DeltapropError', badNetworkInputs],
  ['network: bad inputs to async fit are rejected', badAsyncFitInputs],
  ['network: XOR learns', xorLearns],
];

function checkBackend() {
  assert.equal(dp.backend.name, 'native', `backend.name (nativeError: ${dp.backend.nativeError})`);
  const requestedIsa = process.env.DELTAPROP_ISA;
  if (requestedIsa) assert.equal(dp.backend.isa, requestedIsa, 'backend.isa vs DELTAPROP_ISA');
  console.log(`isa ${dp.backend.isa}, supported [${dp.backend.supportedIsas.join(', ')}], threads ${dp.backend.threads}`);
}

async function main() {
  checkBackend();
  let passed = 0;
  let failed = 0;
  for (const [name, check] of CHECKS) {
    try {
      await check();
      console.log(`ok ${name}`);
      passed++;
    } catch (error) {
      const message = error instanceof assert.AssertionError ? error.message : describeError(error);
      console.log(`FAIL ${name}: ${message}`);
      failed++;
    }
  }
  console.log(`native subset: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`native subset: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  },
);
