'use strict';
// npm "install" hook: load a prebuilt binary or build the addon from source.
// A failed build must not fail `npm install`: the library then runs on its
// pure-TypeScript engine. Set DELTAPROP_REQUIRE_NATIVE=1 to make it fatal
// (CI does, so that a broken native build cannot pass unnoticed), and
// DELTAPROP_BUILD_FROM_SOURCE=1 to build from source even where a prebuilt
// binary would load (npm's own build-from-source config still works, but
// npm 11 warns that it will not in its next major version).
//
// npm hides what install scripts print, so a failure and the end of the
// build's output go to build/deltaprop-install.json, which `deltaprop info`
// shows (a later install that succeeds removes it).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const fromSource = process.env.DELTAPROP_BUILD_FROM_SOURCE === '1' || process.env.npm_config_build_from_source === 'true';
const bin = path.join(path.dirname(require.resolve('node-gyp-build/package.json')), 'bin.js');
const result = spawnSync(process.execPath, [bin], {
  cwd: root,
  env: { ...process.env, ...(fromSource ? { npm_config_build_from_source: 'true' } : {}) },
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
  maxBuffer: 256 << 20,
});
process.stdout.write(result.stdout ?? '');
process.stderr.write(result.stderr ?? '');

const failed = result.status !== 0;
const recordFile = path.join(root, 'build', 'deltaprop-install.json');
try {
  if (failed) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
    fs.mkdirSync(path.dirname(recordFile), { recursive: true });
    fs.writeFileSync(recordFile, `${JSON.stringify({
      date: new Date().toISOString(),
      node: process.version,
      fromSource,
      exitCode: result.status,
      // The end of the output: where a failed compiler says why.
      output: output.split('\n').slice(-40).join('\n'),
    }, null, 2)}\n`);
  } else {
    fs.rmSync(recordFile, { force: true });
  }
} catch {
  // A read-only package folder: the record is a convenience, the install still stands.
}
if (failed) {
  const required = process.env.DELTAPROP_REQUIRE_NATIVE === '1';
  console.warn(
    `deltaprop: the native addon could not be built (exit code ${result.status}); ` +
      (required ? 'DELTAPROP_REQUIRE_NATIVE=1, so this is an error.' : 'deltaprop will use its pure-TypeScript engine (run `npx deltaprop info` to see why).'),
  );
  process.exit(required ? 1 : 0);
}
