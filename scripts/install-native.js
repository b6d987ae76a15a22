'use strict';
// npm "install" hook: load a prebuilt binary or build the addon from source.
// A failed build must not fail `npm install`: the library then runs on its
// pure-TypeScript engine. Set DELTAPROP_REQUIRE_NATIVE=1 to make it fatal
// (CI does, so that a broken native build cannot pass unnoticed), and
// DELTAPROP_BUILD_FROM_SOURCE=1 to build from source even where a prebuilt
// binary would load (npm's own build-from-source config still works, but
// npm 11 warns that it will not in its next major version).
//
// Where mpicc is on the PATH, it then builds the optional MPI addon
// (native/mpi, for deltaprop/distributed) from source; its failure is never
// fatal (deltaprop/distributed then says how to build it).
//
// npm hides what install scripts print, so a failure and the end of the
// build's output go to build/deltaprop-install.json, which `deltaprop info`
// shows (a later install that succeeds removes it); the MPI addon's go to
// native/mpi/build/deltaprop-mpi-install.json, beside its build, which the
// error of require('deltaprop/distributed') points to.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

/**
 * Runs a build, quietly: its output is echoed only when it fails (a set-up
 * that works prints nothing of node-gyp's). Records a failure in `record` (a
 * path in the package), removes the record on success.
 */
function build(command, args, env, record, details) {
  const result = spawnSync(command, args, {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 << 20,
  });
  if (result.status !== 0) {
    process.stdout.write(result.stdout ?? '');
    process.stderr.write(result.stderr ?? '');
  }
  const recordFile = path.join(root, record);
  try {
    if (result.status !== 0) {
      const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
      fs.mkdirSync(path.dirname(recordFile), { recursive: true });
      fs.writeFileSync(
        recordFile,
        `${JSON.stringify(
          {
            date: new Date().toISOString(),
            node: process.version,
            ...details,
            exitCode: result.status,
            // The end of the output: where a failed compiler says why.
            output: output.split('\n').slice(-40).join('\n'),
          },
          null,
          2,
        )}\n`,
      );
    } else {
      fs.rmSync(recordFile, { force: true });
    }
  } catch {
    // A read-only package folder: the record is a convenience, the install still stands.
  }
  return result.status;
}

/** node-gyp as node-gyp-build finds it: the installed package, else the one npm puts on the PATH of install scripts. */
function nodeGyp() {
  try {
    const pkg = require('node-gyp/package.json');
    const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['node-gyp'];
    return [process.execPath, [path.join(path.dirname(require.resolve('node-gyp/package.json')), bin)]];
  } catch {
    return ['node-gyp', []];
  }
}

function onPath(program) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, program), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const fromSource = process.env.DELTAPROP_BUILD_FROM_SOURCE === '1' || process.env.npm_config_build_from_source === 'true';
const bin = path.join(path.dirname(require.resolve('node-gyp-build/package.json')), 'bin.js');
const status = build(process.execPath, [bin], { ...process.env, ...(fromSource ? { npm_config_build_from_source: 'true' } : {}) }, path.join('build', 'deltaprop-install.json'), { fromSource });

if (onPath('mpicc')) {
  const [gyp, gypArgs] = nodeGyp();
  const mpiStatus = build(gyp, [...gypArgs, 'rebuild', '--directory', path.join('native', 'mpi')], process.env, path.join('native', 'mpi', 'build', 'deltaprop-mpi-install.json'), {
    addon: 'native/mpi',
  });
  if (mpiStatus !== 0) {
    console.warn(
      `deltaprop: the optional MPI addon could not be built (exit code ${mpiStatus}); deltaprop/distributed will not load ` +
        '(see native/mpi/build/deltaprop-mpi-install.json). The rest of deltaprop is unaffected.',
    );
  }
}

if (status !== 0) {
  const required = process.env.DELTAPROP_REQUIRE_NATIVE === '1';
  console.warn(
    `deltaprop: the native addon could not be built (exit code ${status}); ` +
      (required ? 'DELTAPROP_REQUIRE_NATIVE=1, so this is an error.' : 'deltaprop will use its pure-TypeScript engine (run `npx deltaprop info` to see why).'),
  );
  process.exit(required ? 1 : 0);
}
