// The addon in worker_threads: several workers load it at once (no "Module
// did not self-register"), each picks its own ISA and thread count, and all
// train at the same time. A shared barrier makes the settings overlap, so a
// process-wide setting would show up as a worker running on another's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { BACKENDS } from './helpers/backends.js';
import { normwiseDifference } from './helpers/compare.js';
import { runNode } from './helpers/node.js';

const root = path.resolve(__dirname, '..');
const WORKERS = 4;

// Each worker: load the addon, apply its settings, wait until every worker has
// applied its own, then train one seeded network with the async fit (the
// addon's own worker inside a worker thread) and report what the engine says.
const SCRIPT = `
  const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
  const dp = require(${JSON.stringify(root)});
  const engine = require(${JSON.stringify(path.join(root, 'dist/backend/index.js'))}).nativeEngine();

  async function train({ isa, threads }, barrier) {
    engine.setIsa(isa);
    dp.setThreads(threads);
    if (barrier) {
      Atomics.add(barrier, 0, 1);
      while (Atomics.load(barrier, 0) < ${WORKERS}) Atomics.wait(barrier, 0, Atomics.load(barrier, 0), 10);
    }
    const before = engine.info();
    const net = new dp.Network({ inputs: 6, layers: [{ units: 40, activation: 'sigmoid' }, { units: 3, activation: 'sigmoid' }], seed: 5 });
    const X = Array.from({ length: 64 }, (_, i) => Array.from({ length: 6 }, (_, j) => Math.sin(i * 7 + j)));
    const T = X.map((row) => [row[0] > 0 ? 1 : 0, row[1] > 0 ? 1 : 0, row[2] > row[3] ? 1 : 0]);
    await net.fit(X, T, { epochs: 30, batchSize: 16, learningRate: 0.5, momentum: 0.9 });
    const after = engine.info();
    return { backend: dp.backend.name, before: [before.isa, before.threads], after: [after.isa, after.threads], params: Array.from(net.params) };
  }

  if (isMainThread) {
    (async () => {
      const best = dp.backend.supportedIsas.at(-1);
      const settings = [{ isa: 'generic', threads: 1 }, { isa: 'generic', threads: 2 }, { isa: best, threads: 1 }, { isa: best, threads: 2 }];
      const barrier = new Int32Array(new SharedArrayBuffer(4));
      const fromWorkers = await Promise.all(settings.map((s) => new Promise((resolve, reject) => {
        const worker = new Worker(__filename, { workerData: { settings: s, barrier } });
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error('worker exited with code ' + code + ' before reporting')));
      })));
      const main = await train({ isa: best, threads: 2 }, null);
      console.log(JSON.stringify({ settings, fromWorkers, main }));
    })().catch((e) => { console.error(e); process.exit(1); });
  } else {
    train(workerData.settings, workerData.barrier).then((r) => parentPort.postMessage(r));
  }
`;

interface Seen {
  backend: string;
  before: [string, number];
  after: [string, number];
  params: number[];
}

it.runIf(BACKENDS.includes('native'))('four workers load the addon at once, keep their own ISA and threads, and train alike', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deltaprop-workers-'));
  const file = path.join(dir, 'workers.js');
  fs.writeFileSync(file, SCRIPT);
  const result = runNode([file], { env: { DELTAPROP_BACKEND: 'native', DELTAPROP_ISA: undefined } });
  fs.rmSync(dir, { recursive: true });
  expect(result.status, result.stderr).toBe(0);
  const { settings, fromWorkers, main } = JSON.parse(result.stdout) as {
    settings: { isa: string; threads: number }[];
    fromWorkers: Seen[];
    main: Seen;
  };
  fromWorkers.forEach((seen, i) => {
    const own = [settings[i].isa, settings[i].threads];
    expect({ backend: seen.backend, before: seen.before, after: seen.after }).toEqual({ backend: 'native', before: own, after: own });
  });
  // The thread count never changes the bits; the ISA changes only the rounding.
  const [generic1, generic2, best1, best2] = fromWorkers;
  expect(generic2.params).toEqual(generic1.params);
  expect(best1.params).toEqual(main.params);
  expect(best2.params).toEqual(main.params);
  expect(normwiseDifference(main.params, generic1.params)).toBeLessThan(1e-10);
});
