'use strict';
// Packs the release tarball: the files package.json's "files" lists, as they
// are built (dist/ by npm run build:ts, prebuilds/ by npm run
// build:prebuilds), with a package.json holding only what a user needs. The
// repository's own package.json is private (npm publish refuses it) and keeps
// its development scripts, devDependencies and policies; the published one
// keeps only the scripts a user runs (USER_SCRIPTS), so that npm (11 lists a
// tarball's `prepare` among the install scripts a user must approve) asks a
// user to approve nothing but the install hook. The files are staged in a fresh folder: the
// repository is never rewritten, so packs may run side by side (the tests do).
//
//   node scripts/pack-release.js [--destination DIR] [--list]
//
// Prints the tarball's path (default folder .cache/release), or with --list
// the paths it holds, as JSON, without packing. Then: npm publish <tarball>.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

/** The prebuilt binaries every release carries (npm run build:prebuilds). */
const PREBUILDS = ['prebuilds/linux-x64/deltaprop.glibc.node', 'prebuilds/linux-arm64/deltaprop.glibc.node', 'prebuilds/win32-x64/deltaprop.node'];

/** What a user's npm and node read of package.json; the rest is the repository's. */
const PUBLISHED_FIELDS = ['name', 'version', 'description', 'license', 'main', 'bin', 'types', 'files', 'exports', 'engines', 'gypfile', 'scripts', 'dependencies', 'optionalDependencies', 'binary'];
/**
 * The scripts a user runs: the install hook, and build:mpi, which the
 * library's messages tell a user to run to build the optional MPI addon (not
 * an install script: npm runs it only when asked).
 */
const USER_SCRIPTS = ['install', 'build:mpi'];

/** The published package.json, from the repository's. */
function publishedManifest(repository) {
  const manifest = Object.fromEntries(PUBLISHED_FIELDS.filter((field) => field in repository).map((field) => [field, repository[field]]));
  manifest.scripts = Object.fromEntries(Object.entries(repository.scripts ?? {}).filter(([name]) => USER_SCRIPTS.includes(name)));
  return manifest;
}

function npm(args, cwd) {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The repository's files npm packs ("files", package.json, README, LICENSE), relative paths. */
function packedPaths() {
  const [report] = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT));
  return report.files.map((file) => file.path).sort();
}

function checkBuilt() {
  const missing = ['dist/index.js', ...PREBUILDS].filter((file) => !fs.existsSync(path.join(ROOT, file)));
  if (missing.length > 0) {
    throw new Error(`pack-release: missing ${missing.join(', ')}: run npm run build:ts and npm run build:prebuilds first`);
  }
}

/** Stages the release in a fresh folder and packs it into `destination`; returns the tarball's path. */
function packRelease(destination) {
  checkBuilt();
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'deltaprop-release-'));
  try {
    for (const file of packedPaths()) {
      fs.mkdirSync(path.dirname(path.join(stage, file)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, file), path.join(stage, file));
    }
    const repository = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(publishedManifest(repository), null, 2)}\n`);
    fs.mkdirSync(destination, { recursive: true });
    const [report] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', path.resolve(destination)], stage));
    return path.join(path.resolve(destination), report.filename);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

module.exports = { packRelease, packedPaths, publishedManifest, PREBUILDS };

if (require.main === module) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--destination');
  try {
    if (args.includes('--list')) console.log(JSON.stringify(packedPaths(), null, 2));
    else console.log(packRelease(at >= 0 ? args[at + 1] : path.join(ROOT, '.cache', 'release')));
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
