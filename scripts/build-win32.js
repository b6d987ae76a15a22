'use strict';
// Cross-compiles the Windows x64 binary on Linux with Debian's MinGW-w64
// (scripts/ci/install-cross-tools.sh installs it) into
// prebuilds/win32-x64/deltaprop.node, where node-gyp-build looks on win32-x64
// (a Node-API build: no ABI tag; no libc tag, which only Linux has).
//
//   node scripts/build-win32.js [--jobs N]
//
// What it compiles comes from binding.gyp, resolved for OS=win and x64
// (scripts/win32/gyp-target.js): the same sources, defines and per-file ISA
// flags as every other build, plus what node-gyp adds to any addon
// (BUILDING_NODE_EXTENSION: Node-API functions are imported;
// NODE_GYP_MODULE_NAME). MinGW specifics:
// - the posix thread model of g++ (the win32 one has no std::mutex or
//   std::thread, which node-addon-api and the thread pool use);
// - the Node-API is imported from node.exe through a delay-load import
//   library made from node-api-headers' .def, with native/win32's hook, so
//   that a renamed node.exe works (as node-gyp arranges for MSVC builds);
// - the C++ runtime and winpthreads linked statically, so the binary needs
//   no DLL beyond Windows' own;
// - -muse-unaligned-vector-move: the assembler writes every aligned vector
//   move as an unaligned one (Windows aligns the stack to 16 bytes only).
// scripts/win32/pe-checks.js then checks the linked file; a binary that fails
// is not written.
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { gypTarget } = require('./win32/gyp-target');
const { binaryProblems } = require('./win32/pe-checks');

const ROOT = path.resolve(__dirname, '..');
const OUTPUT = path.join(ROOT, 'prebuilds', 'win32-x64', 'deltaprop.node');
const HOOK = 'native/win32/delay_load_hook.cc';
const PREFIX = 'x86_64-w64-mingw32-';
const TOOLS = { cxx: `${PREFIX}g++-posix`, dlltool: `${PREFIX}dlltool`, objdump: `${PREFIX}objdump`, nm: `${PREFIX}nm`, strip: `${PREFIX}strip` };
const GYP_VARIABLES = { OS: 'win', target_arch: 'x64' };

/** Stops the build; main removes its scratch folder and prints the message alone. */
function fail(message) {
  throw new Error(message);
}

/** binding.gyp's include dirs, its `<!(node -p "require('X').include_dir")` expansions done in this process. */
function includeDir(entry) {
  const expansion = /^<!\(node -p "require\('([\w@/.-]+)'\)\.include_dir"\)$/.exec(entry);
  if (expansion !== null) return path.resolve(ROOT, require(expansion[1]).include_dir);
  if (entry.startsWith('<')) fail(`binding.gyp's include dir ${entry} is not understood here`);
  return path.resolve(ROOT, entry);
}

/** The compiler invocations: one per source, with its target's flags. */
function compileJobs(scratch) {
  const nodeApi = require('node-api-headers');
  const targets = gypTarget(path.join(ROOT, 'binding.gyp'), 'deltaprop', GYP_VARIABLES);
  const addon = targets[0];
  // The hook is the addon's: it compiles with the addon target's settings.
  addon.sources = [...addon.sources, HOOK];
  return targets.flatMap((target) => {
    const flags = [
      ...target.flags,
      '-Wa,-muse-unaligned-vector-move',
      ...[...target.defines, 'BUILDING_NODE_EXTENSION', 'NODE_GYP_MODULE_NAME=deltaprop'].map((define) => `-D${define}`),
      ...[...target.includeDirs.map(includeDir), nodeApi.include_dir].map((dir) => `-I${dir}`),
    ];
    return target.sources.map((source) => {
      const object = path.join(scratch, `${source.replace(/[/.]/g, '_')}.o`);
      // Paths relative to the root: they end up in the binary (__FILE__), which should not depend on where it was built.
      return { source, object, args: [...flags, '-c', source, '-o', object] };
    });
  });
}

/** Runs the compiles `jobs` at a time; resolves to the failures' output. */
function compileAll(compiles, jobs) {
  const failures = [];
  let next = 0;
  const worker = async () => {
    while (next < compiles.length) {
      const { source, args } = compiles[next++];
      const { status, output } = await new Promise((resolve) => {
        const child = spawn(TOOLS.cxx, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        let text = '';
        child.stdout.on('data', (chunk) => (text += chunk));
        child.stderr.on('data', (chunk) => (text += chunk));
        child.on('close', (code) => resolve({ status: code, output: text }));
        child.on('error', (error) => resolve({ status: -1, output: error.message }));
      });
      // Warnings are shown, as node-gyp shows them.
      if (output !== '') process.stderr.write(output);
      if (status !== 0) failures.push(`${source}: exit code ${status}`);
    }
  };
  return Promise.all(Array.from({ length: jobs }, worker)).then(() => failures);
}

function run(tool, args, cwd = ROOT) {
  // SOURCE_DATE_EPOCH: strip would otherwise stamp the PE header with the time of the build.
  execFileSync(tool, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, SOURCE_DATE_EPOCH: process.env.SOURCE_DATE_EPOCH ?? '0' } });
}

async function main() {
  const jobsFlag = process.argv.indexOf('--jobs');
  const jobs = jobsFlag > 0 ? Number(process.argv[jobsFlag + 1]) : os.availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1) fail('--jobs takes a positive integer');
  for (const tool of Object.values(TOOLS)) {
    try {
      execFileSync(tool, ['--version'], { stdio: 'ignore' });
    } catch {
      fail(`${tool} is missing: run scripts/ci/install-cross-tools.sh`);
    }
  }

  const started = process.hrtime.bigint();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'deltaprop-win32-'));
  try {
    const compiles = compileJobs(scratch);
    const failures = await compileAll(compiles, jobs);
    if (failures.length > 0) fail(`compiling failed:\n  ${failures.join('\n  ')}`);

    // Both work in the scratch folder on fixed names, which reach the binary:
    // dlltool names its symbols after the library's path, ld derives the image base from the output's name.
    run(TOOLS.dlltool, ['--input-def', require('node-api-headers').def_paths.node_api_def, '--dllname', 'node.exe', '--output-delaylib', 'libnode_delay.a'], scratch);
    const objects = compiles.map((compile) => compile.object);
    // No link time in the header (nor, by SOURCE_DATE_EPOCH, strip's): the same sources give the same bytes.
    run(TOOLS.cxx, ['-shared', '-static', '-static-libgcc', '-static-libstdc++', '-o', 'deltaprop.node', ...objects, 'libnode_delay.a', '-Wl,--no-undefined', '-Wl,--no-insert-timestamp'], scratch);
    const linked = path.join(scratch, 'deltaprop.node');
    const { problems, dlls } = binaryProblems(linked, TOOLS);
    if (problems.length > 0) fail(`the linked binary is not fit to ship:\n- ${problems.join('\n- ')}`);

    fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
    run(TOOLS.strip, ['--strip-unneeded', '-o', OUTPUT, linked]);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`built ${OUTPUT} (${fs.statSync(OUTPUT).size} bytes, ${seconds.toFixed(0)} s; imports ${dlls.join(', ')})`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`build-win32: ${error.message}`);
  process.exitCode = 1;
});
