'use strict';
// node scripts/clang-format.js --check | --write
//
// Runs clang-format on the project's C++ (native/ and the fuzzer), with the
// .clang-format at the root: --check changes nothing and fails on any line
// it would change, --write formats in place. clang-format is the npm package
// @wasm-fmt/clang-format, a WebAssembly build: no download at install time,
// and the same binary (so the same output) on every OS and CPU.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const SOURCES = ['native', 'fuzz'];
const CPP = /\.(cc|h)$/;

/** The C++ files under `dir` (relative to the root), build outputs skipped. */
function cppFiles(dir) {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => CPP.test(file) && !file.split(path.sep).some((part) => part === 'build' || part.startsWith('build-')))
    .map((file) => path.join(dir, file));
}

const mode = process.argv[2];
if (mode !== '--check' && mode !== '--write') {
  console.error('usage: node scripts/clang-format.js --check | --write');
  process.exit(2);
}
const files = SOURCES.flatMap(cppFiles).sort();
// A check of no files would pass whatever the sources look like.
if (files.length === 0) {
  console.error(`clang-format: no C++ files found under ${SOURCES.join(', ')}`);
  process.exit(1);
}
const cli = require.resolve('@wasm-fmt/clang-format/clang-format-cli.cjs');
// The style file is named, so a missing one is an error rather than a silent fall-back to LLVM's style.
const style = `--style=file:${path.join(ROOT, '.clang-format')}`;
const args = mode === '--check' ? ['--dry-run', '--Werror', style, ...files] : ['-i', style, ...files];
const run = spawnSync(process.execPath, [cli, ...args], { cwd: ROOT, stdio: 'inherit' });
if (run.error) throw run.error;
if (run.status === 0 && mode === '--check') console.log(`clang-format: ${files.length} files formatted`);
process.exit(run.status ?? 1);
