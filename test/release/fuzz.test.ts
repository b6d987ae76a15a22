// The libFuzzer target over the addon's argument decoding and kernels
// (fuzz/addon_fuzzer.cc, npm run build:fuzz): its committed seeds are valid
// calls of every kind, and a bounded run from them finds nothing. The run is
// about 60 s, as CI affords; docs/decisions.md has the long run's figures.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { releaseSuite, ROOT } from './prerequisites.js';

const FUZZER = path.join(ROOT, 'build-fuzz/addon_fuzzer');
const CORPUS = path.join(ROOT, 'fuzz/corpus');
const SECONDS = 60;
// The fuzzer's Call enum has this many calls; each needs a seed to start from.
const CALLS = 12;

const missing = fs.existsSync(FUZZER) ? null : `no ${path.relative(ROOT, FUZZER)}: run npm run build:fuzz (needs clang)`;

releaseSuite('addon fuzzer', missing, () => {
  it('seeds one valid call of every kind: the checks accept each, and the kernels run', () => {
    const seeds = fs.readdirSync(CORPUS).map((name) => path.join(CORPUS, name));
    const calls = new Set(seeds.map((file) => fs.readFileSync(file)[0] % CALLS));
    expect([...calls].sort((a, b) => a - b)).toEqual([...Array(CALLS).keys()]);
    const run = spawnSync(FUZZER, seeds, { encoding: 'utf8', env: { ...process.env, DELTAPROP_FUZZ_VERBOSE: '1' } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr.match(/^refused: .*$/gm) ?? []).toEqual([]);
    expect(run.stderr.match(/^Executed /gm)?.length).toBe(seeds.length);
  }, 60_000);

  it(
    `finds nothing in ${SECONDS} s from the seeds (ASan, UBSan, timeouts, memory)`,
    () => {
      const findings = fs.mkdtempSync(path.join(os.tmpdir(), 'deltaprop-fuzz-'));
      try {
        const run = spawnSync(path.join(ROOT, 'scripts/run-fuzzer.sh'), [String(SECONDS), findings], { encoding: 'utf8' });
        const report = run.stderr.split('\n').slice(-40).join('\n');
        expect(run.status, report).toBe(0);
        expect(fs.readdirSync(findings), report).toEqual([]);
        const executed = Number(/stat::number_of_executed_units:\s+(\d+)/.exec(run.stderr)?.[1] ?? 0);
        expect(executed, report).toBeGreaterThan(10_000);
      } finally {
        fs.rmSync(findings, { recursive: true, force: true });
      }
    },
    (SECONDS + 60) * 1000,
  );
});
