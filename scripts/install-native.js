'use strict';
// npm "install" hook: load a prebuilt binary or build the addon from source.
// A failed build must not fail `npm install`: the library then runs on its
// pure-TypeScript engine. Set DELTAPROP_REQUIRE_NATIVE=1 to make it fatal
// (CI does, so that a broken native build cannot pass unnoticed).
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const bin = path.join(path.dirname(require.resolve('node-gyp-build/package.json')), 'bin.js');
const result = spawnSync(process.execPath, [bin], { stdio: 'inherit', cwd: path.join(__dirname, '..') });
if (result.status !== 0) {
  const required = process.env.DELTAPROP_REQUIRE_NATIVE === '1';
  console.warn(
    `deltaprop: the native addon could not be built (exit code ${result.status}); ` +
      (required ? 'DELTAPROP_REQUIRE_NATIVE=1, so this is an error.' : 'deltaprop will use its pure-TypeScript engine.'),
  );
  process.exit(required ? 1 : 0);
}
