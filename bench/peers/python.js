'use strict';
// Peers that live in Python: numpy's BLAS for dgemm and PyTorch for training.
// Each runs in its own process so that its thread settings (read from the
// environment at import) can differ from run to run.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

// pyenv's python3 usually has numpy from pip; Debian's python3-torch belongs to /usr/bin/python3.
const INTERPRETERS = ['python3', '/usr/bin/python3'];

function findPython(module) {
  for (const python of INTERPRETERS) {
    const probe = spawnSync(python, ['-c', `import ${module}`], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  return null;
}

/**
 * This process's environment without the OpenBLAS settings a machine may set
 * for old builds: OPENBLAS_CORETYPE=Haswell and OPENBLAS_L2_SIZE=512 hold a
 * current numpy to its AVX2 kernels (52 instead of 84 GFLOP/s on an AVX-512
 * machine). Each peer runs with OpenBLAS's own choice or the core type set
 * here, never with one inherited by accident.
 */
function peerEnvironment() {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/** The JSON the script prints last, and the core OpenBLAS says it picked (OPENBLAS_VERBOSE=2), when it says. */
function runScript(python, script, args, env) {
  const result = spawnSync(python, [path.join(__dirname, '..', 'python', script), ...args], {
    encoding: 'utf8',
    env: { ...peerEnvironment(), OPENBLAS_VERBOSE: '2', ...env },
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`${script} failed: ${result.stderr.trim().split('\n').pop()}`);
  const core = /Core: (\S+)/.exec(result.stderr)?.[1] ?? null;
  return { ...JSON.parse(result.stdout.trim().split('\n').pop()), core };
}

/**
 * The OpenBLAS core type of the vector ISA deltaprop runs (DELTAPROP_ISA, as
 * the bench's engine does; else this CPU's widest), so that each side uses
 * the same instructions: SkylakeX for AVX-512, Haswell (Zen on AMD) for
 * AVX2. Debian's OpenBLAS 0.3.21 takes a Sapphire Rapids Xeon for a Prescott
 * (18 instead of 89 GFLOP/s) unless it is told; newer builds detect it
 * themselves, and forcing can slow them, so both are tried and the better kept.
 */
function widestCoreType() {
  let cpuinfo;
  try {
    cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return null;
  }
  const flags = new Set((/^flags\s*:(.*)$/m.exec(cpuinfo)?.[1] ?? '').trim().split(/\s+/));
  const avx2 = /AuthenticAMD/.test(cpuinfo) ? 'Zen' : 'Haswell';
  const isa = process.env.DELTAPROP_ISA;
  if (isa === 'avx2') return flags.has('avx2') ? avx2 : null;
  if (isa === 'sse2' || isa === 'generic') return null;
  if (flags.has('avx512f')) return 'SkylakeX';
  if (flags.has('avx2')) return avx2;
  return null;
}

/**
 * The BLAS settings every Python peer is run with (read once): OpenBLAS's own
 * choice and the core type of deltaprop's ISA forced; with DELTAPROP_ISA
 * naming a narrower ISA than the CPU's, only that core type (OpenBLAS's own
 * choice would run wider instructions than deltaprop is allowed).
 */
let settings = null;
function blasSettings() {
  if (settings === null) {
    const core = widestCoreType();
    const forced = core ? [{ label: `OPENBLAS_CORETYPE=${core}`, env: { OPENBLAS_CORETYPE: core } }] : [];
    settings = process.env.DELTAPROP_ISA === 'avx2' && forced.length > 0 ? forced : [{ label: 'OpenBLAS auto-detect', env: {} }, ...forced];
  }
  return settings;
}

/** The BLAS library a process mapped, named; the reference BLAS flagged, since it is not the peer at its best. */
function blasLibrary(paths) {
  const real = paths.map((p) => fs.realpathSync.native?.(p) ?? p);
  if (real.some((p) => /openblas/i.test(p))) return `OpenBLAS (${path.dirname(real.find((p) => /openblas/i.test(p)))})`;
  if (real.some((p) => /mkl/i.test(p))) return 'MKL';
  if (real.some((p) => /blas/.test(p))) return `the reference BLAS (${real.join(', ')}): NOT at its best, apt-get install libopenblas0-pthread`;
  return 'no BLAS library mapped';
}

/** "<setting> (kernel <core>)": what a figure was measured with. */
const describeSetting = (setting, core) => `${setting.label}${core ? `, kernel ${core}` : ''}`;

function blasThreadEnv(threads) {
  const n = String(threads);
  return { OPENBLAS_NUM_THREADS: n, OMP_NUM_THREADS: n, MKL_NUM_THREADS: n };
}

/** numpy dgemm GFLOP/s per shape (strings 'MxNxK'), on `threads` BLAS threads, under the better BLAS setting for each. */
function numpyDgemm(python, shapes, threads) {
  let best = null;
  for (const setting of blasSettings()) {
    const r = runScript(python, 'numpy_dgemm.py', shapes, { ...blasThreadEnv(threads), ...setting.env });
    r.setting = Object.fromEntries(shapes.map((shape) => [shape, describeSetting(setting, r.core)]));
    if (best === null) {
      best = r;
      continue;
    }
    for (const shape of shapes) {
      if (r.gflops[shape] > best.gflops[shape]) {
        best.gflops[shape] = r.gflops[shape];
        best.setting[shape] = r.setting[shape];
      }
    }
  }
  return best;
}

/**
 * PyTorch float64 samples/s with `optimizer` ('sgd' or 'adam') for every
 * BLAS setting and combination of torch threads and BLAS threads up to
 * `cores`; returns the best and all of them.
 */
function torchTraining(python, sizes, batchSize, cores, optimizer = 'sgd') {
  const runs = [];
  for (const setting of blasSettings()) {
    for (let torchThreads = 1; torchThreads <= cores; torchThreads++) {
      for (let blasThreads = 1; blasThreads <= cores; blasThreads++) {
        const env = { ...blasThreadEnv(blasThreads), ...setting.env };
        const r = runScript(python, 'torch_train.py', [sizes.join('-'), String(batchSize), String(torchThreads), optimizer], env);
        runs.push({ torchThreads, blasThreads, blas: `${describeSetting(setting, r.core)}, ${blasLibrary(r.blas_libraries)}`, samplesPerSecond: r.samples_per_second, version: r.torch });
      }
    }
  }
  const best = runs.reduce((a, b) => (b.samplesPerSecond > a.samplesPerSecond ? b : a));
  return { best, runs };
}

/**
 * PyTorch float64 inference (no_grad): one-row latency (median, p99) and
 * 1,024-row throughput, under every BLAS setting and thread count up to
 * `cores`; the best of each kept, with the setting it came from.
 */
function torchInference(python, sizes, cores) {
  let best = null;
  for (const setting of blasSettings()) {
    for (let threads = 1; threads <= cores; threads++) {
      const r = runScript(python, 'torch_predict.py', [sizes.join('-'), String(threads)], { ...blasThreadEnv(threads), ...setting.env });
      const configuration = `threads: ${threads}; ${describeSetting(setting, r.core)}, ${blasLibrary(r.blas_libraries ?? [])}`;
      best ??= { median: r.median_seconds, p99: r.p99_seconds, rowsPerSecond: r.rows_per_second, latencyConfiguration: configuration, throughputConfiguration: configuration };
      if (r.median_seconds < best.median) Object.assign(best, { median: r.median_seconds, p99: r.p99_seconds, latencyConfiguration: configuration });
      if (r.rows_per_second > best.rowsPerSecond) Object.assign(best, { rowsPerSecond: r.rows_per_second, throughputConfiguration: configuration });
    }
  }
  return best;
}

module.exports = { findPython, numpyDgemm, torchTraining, torchInference, widestCoreType };
