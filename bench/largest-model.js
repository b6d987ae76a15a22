'use strict';
// Saves and loads a network of the largest size the library builds (within
// 128 parameters of 2³¹ − 1, about 17 GB of float64) and checks that the
// parameters come back to the bit, by SHA-256 of their bytes (both copies do
// not fit in memory at once on most machines). Too big for CI; needs
// ~17 GB of RAM and of free disk in the folder given (default: the OS temp).
//
//   node --expose-gc bench/largest-model.js [--dir DIR] [--json]
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const dp = require('deltaprop');

const args = process.argv.slice(2);
const json = args.includes('--json');
const parent = args.includes('--dir') ? args[args.indexOf('--dir') + 1] : os.tmpdir();

// (127 + 1) × (2²⁴ − 1) = 2³¹ − 128: the widest layer allowed (2²⁴ units), with biases.
const inputs = 127;
const units = 2 ** 24 - 1;

function digest(values) {
  const hash = crypto.createHash('sha256');
  const piece = 1 << 24;
  for (let at = 0; at < values.length; at += piece) {
    const part = values.subarray(at, Math.min(values.length, at + piece));
    hash.update(new Uint8Array(part.buffer, part.byteOffset, part.byteLength));
  }
  return hash.digest('hex');
}

function timed(fn) {
  const start = process.hrtime.bigint();
  const value = fn();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

function main() {
  if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');
  const dir = fs.mkdtempSync(path.join(parent, 'deltaprop-largest-'));
  const file = path.join(dir, 'largest.dpm');
  try {
    let net = timed(() => new dp.Network({ inputs, layers: [{ units, activation: 'identity' }], seed: 5 })).value;
    const parameters = net.params.length;
    const before = digest(net.params);
    const save = timed(() => net.save(file));
    const bytes = fs.statSync(file).size;
    net = null;
    global.gc();
    const load = timed(() => dp.Network.load(file));
    const after = digest(load.value.params);
    const result = {
      parameters,
      maxParameters: 2 ** 31 - 1,
      fileBytes: bytes,
      backend: load.value.backend,
      saveSeconds: save.seconds,
      loadSeconds: load.seconds,
      sameBits: before === after,
    };
    if (json) console.log(JSON.stringify(result));
    else {
      console.log(`largest model: ${parameters} parameters (limit ${result.maxParameters}), file ${(bytes / 1e9).toFixed(2)} GB, ${result.backend} backend`);
      console.log(`  save ${save.seconds.toFixed(1)} s, load ${load.seconds.toFixed(1)} s; parameters ${result.sameBits ? 'equal to the bit' : 'DIFFER'} (SHA-256 of their bytes)`);
    }
    if (!result.sameBits) process.exitCode = 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
