'use strict';
// Peers that live in Python: numpy's BLAS for dgemm and PyTorch for training.
// Each runs in its own process so that its thread settings (read from the
// environment at import) can differ from run to run.
const { spawnSync } = require('node:child_process');
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

function runScript(python, script, args, env) {
  const result = spawnSync(python, [path.join(__dirname, '..', 'python', script), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`${script} failed: ${result.stderr.trim().split('\n').pop()}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

function blasThreadEnv(threads) {
  const n = String(threads);
  return { OPENBLAS_NUM_THREADS: n, OMP_NUM_THREADS: n, MKL_NUM_THREADS: n };
}

/** numpy dgemm GFLOP/s per shape (strings 'MxNxK'), on `threads` BLAS threads. */
function numpyDgemm(python, shapes, threads) {
  return runScript(python, 'numpy_dgemm.py', shapes, blasThreadEnv(threads));
}

/**
 * PyTorch float64 samples/s with `optimizer` ('sgd' or 'adam') for every
 * combination of torch threads and BLAS threads up to `cores`; returns the
 * best and all of them.
 */
function torchTraining(python, sizes, batchSize, cores, optimizer = 'sgd') {
  const runs = [];
  for (let torchThreads = 1; torchThreads <= cores; torchThreads++) {
    for (let blasThreads = 1; blasThreads <= cores; blasThreads++) {
      const r = runScript(python, 'torch_train.py', [sizes.join('-'), String(batchSize), String(torchThreads), optimizer], blasThreadEnv(blasThreads));
      runs.push({ torchThreads, blasThreads, samplesPerSecond: r.samples_per_second, version: r.torch });
    }
  }
  const best = runs.reduce((a, b) => (b.samplesPerSecond > a.samplesPerSecond ? b : a));
  return { best, runs };
}

module.exports = { findPython, numpyDgemm, torchTraining };
