// The addon in worker_threads: several workers load it at once (no "Module
// did not self-register"), train concurrently, each with its own engine state
// (ISA and thread count are per thread, not shared globals), and get the
// results the main thread gets.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { BACKENDS } from './helpers/backends.js';
import { runNode } from './helpers/node.js';
import { normwiseDifference } from './helpers/compare.js';

const root = path.resolve(__dirname, '..');

// Runs in each worker and in the main thread: trains one seeded network (the
// async fit, whose epochs run on the addon's own worker) and reports it.
const TRAIN = `
  const dp = require(${JSON.stringify(root)});
  async function train(isa, threads) {
    const engine = require(${JSON.stringify(path.join(root, 'dist/backend/index.js'))}).nativeEngine();
    engine.setIsa(isa);
    dp.setThreads(threads);
    const net = new dp.Network({ inputs: 6, layers: [{ units: 40, activation: 'sigmoid' }, { units: 3, activation: 'sigmoid' }], seed: 5 });
    const X = Array.from({ length: 64 }, (_, i) => Array.from({ length: 6 }, (_, j) => Math.sin(i * 7 + j)));
    const T = X.map((row) => [row[0] > 0 ? 1 : 0, row[1] > 0 ? 1 : 0, row[2] > row[3] ? 1 : 0]);
    await net.fit(X, T, { epochs: 30, batchSize: 16, learningRate: 0.5, momentum: 0.9 });
    const info = engine.info();
    return { backend: dp.backend.name, isa: info.isa, threads: info.threads, params: Array.from(net.params) };
  }
`;

const SCRIPT = `
  const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
  ${TRAIN}
  if (isMainThread) {
    (async () => {
      const isas = ${JSON.stringify(['generic'])}.concat(require(${JSON.stringify(root)}).backend.supportedIsas);
      // Each worker picks its own ISA and thread count at the same time as the others.
      const settings = [0, 1, 2, 3].map((i) => ({ isa: isas[i % isas.length], threads: 1 + (i % 2) }));
      const workers = settings.map((s) => new Promise((resolve, reject) => {
        const worker = new Worker(__filename, { workerData: s });
        worker.once('message', resolve);
        worker.once('error', reject);
      }));
      const fromWorkers = await Promise.all(workers);
      const main = await train(isas.at(-1), 2);
      console.log(JSON.stringify({ settings, fromWorkers, main }));
    })().catch((e) => { console.error(e); process.exit(1); });
  } else {
    train(workerData.isa, workerData.threads).then((r) => parentPort.postMessage(r));
  }
`;

it.runIf(BACKENDS.includes('native'))('four workers load the addon at once, keep their own ISA and threads, and train alike', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'deltaprop-workers-')), 'workers.js');
  fs.writeFileSync(file, SCRIPT);
  const result = runNode([file], { env: { DELTAPROP_BACKEND: 'native', DELTAPROP_ISA: undefined } });
  fs.rmSync(path.dirname(file), { recursive: true });
  expect(result.status, result.stderr).toBe(0);
  const { settings, fromWorkers, main } = JSON.parse(result.stdout);
  fromWorkers.forEach((seen: { backend: string; isa: string; threads: number; params: number[] }, i: number) => {
    expect(seen).toMatchObject({ backend: 'native', ...settings[i] });
    // Another ISA rounds differently; the same ISA gives the same bits whatever the threads.
    expect(normwiseDifference(main.params, seen.params)).toBeLessThan(1e-10);
  });
  const sameIsaAsMain = fromWorkers.filter((seen: { isa: string }) => seen.isa === main.isa);
  for (const seen of sameIsaAsMain) expect(seen.params).toEqual(main.params);
});
