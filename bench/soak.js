'use strict';
// A soak: fit, predict, save and load in a loop for a while, sampling RSS,
// to show that nothing leaks. Reports RSS after a warm-up and at the end, and
// the growth between (goal: under 5%).
//
//   node bench/soak.js [--minutes 10] [--json]
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const dp = require('deltaprop');

const args = process.argv.slice(2);
const minutes = Number(args[args.indexOf('--minutes') + 1] ?? 10) || 10;
const json = args.includes('--json');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deltaprop-soak-'));
const file = path.join(dir, 'model.dpm');

const rows = 512;
const X = { rows, cols: 64, data: Float64Array.from({ length: rows * 64 }, (_, i) => Math.sin(i)) };
const labels = Int32Array.from({ length: rows }, (_, r) => r % 10);

async function main() {
  const end = Date.now() + minutes * 60_000;
  const warmUpEnd = Date.now() + Math.min(60_000, minutes * 60_000 * 0.2);
  const samples = [];
  let rounds = 0;
  let afterWarmUp = null;
  while (Date.now() < end) {
    const net = new dp.Network({
      inputs: 64,
      layers: [
        { units: 48, activation: 'relu', dropout: 0.1 },
        { units: 10, activation: 'softmax' },
      ],
      loss: 'cross-entropy',
      seed: rounds,
      inputScaling: 'standard',
    });
    await net.fit(X, labels, { epochs: 3, batchSize: 32, optimizer: 'adam', validationSplit: 0.2 });
    net.fitSync(X, labels, { epochs: 1, batchSize: 64 });
    net.predict(X);
    net.save(file);
    const loaded = dp.Network.load(file);
    loaded.evaluate(X, labels);
    dp.Network.fromJSON(JSON.stringify(loaded.toJSON()));
    rounds++;
    if (rounds % 20 === 0) {
      global.gc?.();
      const rss = process.memoryUsage().rss;
      samples.push({ seconds: (Date.now() - (end - minutes * 60_000)) / 1000, rss });
      if (afterWarmUp === null && Date.now() >= warmUpEnd) afterWarmUp = rss;
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const last = samples.at(-1).rss;
  const base = afterWarmUp ?? samples[0].rss;
  const growth = (last - base) / base;
  const mib = (b) => (b / 2 ** 20).toFixed(1);
  const line = `soak ${minutes} min, ${rounds} rounds (fit async + sync, predict, save, load, evaluate, toJSON/fromJSON): RSS after warm-up ${mib(base)} MiB, at the end ${mib(last)} MiB, growth ${(100 * growth).toFixed(2)}% (goal < 5%: ${growth < 0.05 ? 'met' : 'not met'})`;
  if (json) console.log(JSON.stringify({ minutes, rounds, base, last, growth, samples }));
  else console.log(line);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
