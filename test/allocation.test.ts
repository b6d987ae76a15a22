// Allocations that fail. Under an address-space limit (ulimit -v) or a small
// JavaScript heap (--max-old-space-size) a process can die inside V8 (a heap
// out-of-memory abort, a fault in the garbage collector, "Failed to reserve
// virtual memory" when the js engine starts its worker) instead of throwing.
// Each case here runs in a child process of the built package (dist/, as
// test/persistence.test.ts does) under such limits, and must end with exit
// status 0, having either done its work or printed a DeltapropError that
// names the argument and the size: never a signal or a V8 fatal error.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKENDS } from './helpers/backends.js';
import { CHILD_TIMEOUT_MS } from './helpers/node.js';

const DIST = path.resolve(__dirname, '..', 'dist', 'index.js');

// Every case, by name; `backend` picks the engine. The case's own data is
// made first, outside it: a failure there says nothing of the library.
const CHILD = `
const dp = require(process.argv[2]);
const [kase, backend, file] = process.argv.slice(3);
const net = (inputs, units, options = {}) => new dp.Network({ inputs, layers: units.map((u, i) => ({ units: u, activation: i === units.length - 1 ? 'identity' : 'relu' })), seed: 1, backend, ...options });
const rows = (n, cols) => ({ rows: n, cols, data: new Float64Array(n * cols) });
const SETUP = {
  gemm: () => ({ C: new Float64Array(1e8).fill(NaN), a: new Float64Array(1e4), b: new Float64Array(1e4) }),
};
const CASES = {
  network: () => net(46340, [46340], { bias: false }),
  matrix: () => dp.matrix(32768, 32768),
  predict: () => net(8, [4096, 1]).predict(rows(30000, 8)),
  fitSync: () => net(8, [4096, 1]).fitSync(rows(8000, 8), rows(8000, 1), { batchSize: 8000 }),
  fit: () => net(8, [4096, 1]).fit(rows(8000, 8), rows(8000, 1), { batchSize: 8000 }),
  fitSmall: () => net(4, [8, 1]).fit(rows(64, 4), rows(64, 1), { epochs: 2 }),
  gradients: () => net(8, [4096, 1]).gradients(rows(20000, 8), rows(20000, 1)),
  stream: () => net(784, [10]).fitSync(() => [{ inputs: rows(8, 784), targets: rows(8, 10) }], { shuffleBuffer: 2 ** 20 }),
  save: () => net(6000, [6000], { bias: false }).save(file),
  toJSON: () => net(3000, [3000], { bias: false }).toJSON().params.length,
  toONNX: () => net(3000, [3000], { bias: false }).toONNX().length,
  toFunction: () => net(1500, [1500], { bias: false }).toFunction().length,
  gemm: ({ C, a, b }) => dp.gemm(false, false, 10000, 10000, 1, 1, a, 1, b, 10000, 1, C, 10000, { backend }),
};
let data;
try {
  data = SETUP[kase]?.();
} catch (e) {
  console.log(JSON.stringify({ setup: e.message }));
  process.exit(0);
}
Promise.resolve(data).then(CASES[kase]).then(
  () => console.log(JSON.stringify({ ok: true })),
  (e) => console.log(JSON.stringify({ ok: false, name: e.name, argument: e.argument, message: e.message })),
);
`;

type Outcome = { ok: true } | { ok: false; name: string; argument?: string; message: string } | { setup: string };

const dir = mkdtempSync(path.join(tmpdir(), 'deltaprop-allocation-'));
const script = path.join(dir, 'child.js');
writeFileSync(script, CHILD);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A limit to run under: the address space in KiB (ulimit -v), or the JavaScript heap in MiB. */
type Limit = { addressSpaceKiB: number } | { heapMiB: number };

const describeLimit = (limit: Limit) => ('addressSpaceKiB' in limit ? `ulimit -v ${limit.addressSpaceKiB}` : `--max-old-space-size=${limit.heapMiB}`);

/** Runs a case in a child under the limit; it must end by itself, with status 0 and no V8 fatal error. */
function run(kase: string, backend: string, limit: Limit): Outcome {
  const args = [script, DIST, kase, backend, path.join(dir, `${kase}-${backend}.bin`)];
  const result =
    'addressSpaceKiB' in limit
      ? spawnSync('sh', ['-c', `ulimit -v ${limit.addressSpaceKiB}; exec "$0" "$@"`, process.execPath, ...args], { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS })
      : spawnSync(process.execPath, [`--max-old-space-size=${limit.heapMiB}`, ...args], { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS });
  const where = `${kase} on ${backend} under ${describeLimit(limit)}: ${result.stderr}`;
  expect(result.error, where).toBeUndefined();
  expect(result.signal, where).toBeNull();
  expect(result.status, where).toBe(0);
  expect(result.stderr, where).not.toMatch(/fatal|out of memory|Segmentation|Aborted|terminate called|Failed to reserve/i);
  const outcome = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Outcome;
  if ('ok' in outcome && !outcome.ok) {
    expect(outcome.name, `${where} ${outcome.message}`).toBe('DeltapropError');
    // The size asked for, and what there was.
    expect(outcome.message, where).toMatch(/\d(\.\d)? (GiB|MiB|KiB)/);
  }
  return outcome;
}

const refusal = (outcome: Outcome) => ('ok' in outcome && !outcome.ok ? outcome : null);

const GiB = 1024 * 1024; // in KiB, as ulimit -v counts
// A Node process with the addon loaded maps about 1 GiB of address space
// before it does anything; these leave it nothing, some room, and more.
const TIGHT = { addressSpaceKiB: Math.round(1.6 * GiB) };
const SOME = { addressSpaceKiB: Math.round(2.4 * GiB) };
const MORE = { addressSpaceKiB: Math.round(3.2 * GiB) };

// The allocations do not depend on the ISA: the ISA projects skip this file's repeats.
describe.skipIf(process.env.DELTAPROP_ISA !== undefined && process.env.DELTAPROP_ISA !== '')('allocation failures end in DeltapropErrors', () => {
  it('a 17 GB network and a 32768 × 32768 matrix are refused before anything is allocated, naming the size', () => {
    for (const limit of [TIGHT, SOME, MORE]) {
      const network = refusal(run('network', 'js', limit));
      expect(network?.argument).toBe('options.layers');
      expect(network?.message).toMatch(
        /^options\.layers: the 2147395600 parameters would take about 16\.0 GiB of buffers, more than the .* this process has left under its address-space limit \(ulimit -v\)/,
      );
      const matrix = refusal(run('matrix', 'js', limit));
      expect(matrix?.argument).toBe('rows');
      expect(matrix?.message).toMatch(/a 32768 × 32768 matrix would take about 8\.0 GiB/);
    }
  }, 120_000);

  describe.each(BACKENDS)('on %s', (backend) => {
    it.each(['predict', 'gradients', 'fitSync', 'fit', 'save', 'toONNX'])(
      '%s ends in its result or a DeltapropError under any address-space limit',
      (kase) => {
        const outcomes = [TIGHT, SOME, MORE].map((limit) => run(kase, backend, limit));
        // With no room at all, the work is refused; with room, it is done.
        expect(refusal(outcomes[0])).not.toBeNull();
        expect(outcomes[2]).toEqual({ ok: true });
      },
      300_000,
    );

    it("a streamed fit's buffer beyond the memory is refused, naming options.shuffleBuffer", () => {
      for (const limit of [TIGHT, SOME]) {
        const outcome = refusal(run('stream', backend, limit));
        expect(outcome?.argument).toBe('options.shuffleBuffer');
        expect(outcome?.message).toMatch(/a stream buffer of 1048576 rows would take about 6\.2 GiB/);
      }
    }, 120_000);

    it('toJSON and toFunction refuse work the JavaScript heap cannot hold, before it starts', () => {
      for (const heapMiB of [24, 48]) {
        for (const kase of ['toJSON', 'toFunction']) {
          const outcome = refusal(run(kase, backend, { heapMiB }));
          expect(outcome?.argument, kase).toBe('network');
          expect(outcome?.message, kase).toMatch(/of JavaScript heap, more than the .* this process has left \(node's --max-old-space-size sets the limit\)/);
        }
      }
      expect(run('toJSON', backend, { heapMiB: 256 })).toEqual({ ok: true });
      expect(run('toFunction', backend, { heapMiB: 512 })).toEqual({ ok: true });
      for (const kase of ['predict', 'fitSync', 'save', 'toONNX']) expect(run(kase, backend, { heapMiB: 24 }), kase).toEqual({ ok: true });
    }, 300_000);
  });

  it.runIf(BACKENDS.includes('js'))(
    'the js engine does not start its worker thread where the address space has no room for one',
    () => {
      const outcome = refusal(run('fitSmall', 'js', TIGHT));
      expect(outcome?.argument).toBe('memory');
      expect(outcome?.message).toMatch(/a worker thread needs about 900\.0 MiB of address space, and this process has .* left under its limit \(ulimit -v\); raise the limit, or train with fitSync/);
      expect(run('fitSmall', 'js', MORE)).toEqual({ ok: true });
    },
    120_000,
  );

  it.runIf(BACKENDS.includes('native'))(
    "the native gemm's copy of a non-finite beta·C that cannot be allocated is a DeltapropError",
    () => {
      const outcome = run('gemm', 'native', SOME);
      expect('setup' in outcome, JSON.stringify(outcome)).toBe(false);
      expect(refusal(outcome)?.argument).toBe('memory');
      expect(refusal(outcome)?.message).toMatch(/^memory: gemm could not allocate its working buffers \(std::bad_alloc\): its packed panels, and 762\.9 MiB for a copy of C/);
    },
    120_000,
  );
});
