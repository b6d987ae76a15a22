// "Nothing lost, nothing crashed": every save is atomic (a failed or killed
// save leaves the old file as it was), every network round-trips to the bit
// at every size through save/load and toJSON/fromJSON, and load rejects
// every truncated, corrupted, edited or hostile file with a DeltapropError,
// without allocating what a hostile header declares.
//
// The child processes (file-size limit, kill -9, dropped privileges) run the
// built package (dist/), as test/backend-selection.test.ts does.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkJSON, NetworkOptions } from '../src/index.js';
import { DeltapropError, Network } from '../src/index.js';
import { pieces } from '../src/persistence/model-file.js';
import { BACKENDS } from './helpers/backends.js';
import { errorOf } from './helpers/errors.js';
import { randomRows, seededUniform } from './helpers/data.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const root = path.resolve(__dirname, '..');
const DIST = path.join(root, 'dist', 'index.js');

// ---------------------------------------------------------------- helpers

/** The bytes of a Float64Array (a view, no copy): compared with Buffer.equals, that is bit for bit. */
const bytesOf = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const sameBits = (a: Float64Array, b: Float64Array) => a.length === b.length && bytesOf(a).equals(bytesOf(b));
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest();
const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** The first index where two arrays differ in bits, for readable failures. */
function firstBitDifference(a: Float64Array, b: Float64Array): string | null {
  if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
  if (sameBits(a, b)) return null;
  const x = new BigUint64Array(a.buffer, a.byteOffset, a.length);
  const y = new BigUint64Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return `index ${i}: ${a[i]} vs ${b[i]}`;
  return 'unknown';
}

/** What load does with the file: 'ok', or the error's type and message. */
function loadOutcome(file: string): { ok: true; net: Network } | { ok: false; error: unknown } {
  try {
    return { ok: true, net: Network.load(file) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** A line describing why an outcome is not a DeltapropError rejection, or null if it is one. */
function notRejected(label: string, outcome: ReturnType<typeof loadOutcome>, message?: RegExp): string | null {
  if (outcome.ok) return `${label}: loaded without an error`;
  const e = outcome.error;
  if (!(e instanceof DeltapropError)) return `${label}: ${(e as Error)?.constructor?.name} ${(e as Error)?.message}`;
  if (message && !message.test(e.message)) return `${label}: message ${JSON.stringify(e.message)} does not match ${message}`;
  return null;
}

/** The pieces of a model file (see src/persistence/model-file.ts). */
interface ModelParts {
  version: number;
  header: Record<string, Any>;
  /** The sections' bytes: everything between the padding and the checksum. */
  data: Buffer;
}

function parseModel(file: Buffer): ModelParts {
  const headerLength = file.readUInt32LE(12);
  return {
    version: file.readUInt32LE(8),
    header: JSON.parse(file.subarray(16, 16 + headerLength).toString('utf8')),
    data: Buffer.from(file.subarray(align8(16 + headerLength), file.length - 32)),
  };
}

/**
 * A model file from its pieces. `checksum`: 'fix' recomputes the SHA-256 over
 * everything before it, otherwise those 32 bytes are used as they are (e.g.
 * the original file's).
 */
function buildModel(parts: { version?: number; header: unknown; headerText?: string; headerLength?: number; data: Uint8Array }, checksum: 'fix' | Uint8Array = 'fix'): Buffer {
  const header = Buffer.from(parts.headerText ?? JSON.stringify(parts.header), 'utf8');
  const prefix = Buffer.alloc(16);
  prefix.write('DPMODEL\n', 0, 'latin1');
  prefix.writeUInt32LE(parts.version ?? 1, 8);
  prefix.writeUInt32LE(parts.headerLength ?? header.length, 12);
  const padding = Buffer.alloc(align8(16 + header.length) - 16 - header.length);
  const body = Buffer.concat([prefix, header, padding, parts.data]);
  return Buffer.concat([body, checksum === 'fix' ? sha256(body) : checksum]);
}

const tempFilesIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

/** A small network with everything a file can hold: optimizer state (adam), dropout, input scaling. */
function fullNetwork(backend: 'js' | 'native', extra: Partial<NetworkOptions> = {}): { net: Network; X: number[][]; T: number[][] } {
  const next = seededUniform(77);
  const X = randomRows(24, 3, next, -5, 40);
  const T = X.map(([a, b]) => (a + b > 20 ? [1, 0] : [0, 1]));
  const net = new Network({
    inputs: 3,
    layers: [
      { units: 5, activation: 'relu', dropout: 0.3 },
      { units: 2, activation: 'softmax' },
    ],
    loss: 'cross-entropy',
    inputScaling: 'standard',
    seed: 4242,
    backend,
    ...extra,
  });
  net.fitSync(X, T, { epochs: 3, batchSize: 5, optimizer: 'adam', learningRate: 0.01 });
  return { net, X, T };
}

const dirs: string[] = [];
function scratch(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `deltaprop-persist-${name}-`));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) {
    try {
      chmodSync(dir, 0o755);
    } catch {
      // gone already
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A child script: builds a network from argv and saves it over a path, reporting on stdout. */
const CHILD_SAVE = `
const { createHash } = require('node:crypto');
const { Network } = require(${JSON.stringify(DIST)});
const [file, inputs, units, seed] = process.argv.slice(2);
if (process.env.DROP_UID) { process.setgid(Number(process.env.DROP_UID)); process.setuid(Number(process.env.DROP_UID)); }
const net = new Network({ inputs: Number(inputs), layers: [{ units: Number(units), activation: 'tanh' }, { units: 1, activation: 'identity' }], seed: Number(seed) });
const p = net.params;
const hash = createHash('sha256').update(Buffer.from(p.buffer, p.byteOffset, p.byteLength)).digest('hex');
process.stdout.write('saving\\n');
const started = process.hrtime.bigint();
try {
  net.save(file);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(JSON.stringify({ saved: true, ms, hash }) + '\\n');
} catch (e) {
  process.stdout.write(JSON.stringify({ saved: false, name: e.name, message: e.message }) + '\\n');
}
`;

function childScript(dir: string): string {
  const file = path.join(dir, 'child-save.js');
  writeFileSync(file, CHILD_SAVE);
  return file;
}

const lastJsonLine = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

// ---------------------------------------------------------------- atomic saves

describe('every save is atomic', () => {
  it('a save that hits the file-size limit (ulimit -f, EFBIG) leaves the old file untouched and no temporary file', () => {
    const dir = scratch('ulimit');
    const script = childScript(dir);
    const file = path.join(dir, 'model.bin');
    const old = new Network({
      inputs: 2,
      layers: [
        { units: 2, activation: 'tanh' },
        { units: 1, activation: 'identity' },
      ],
      seed: 1,
    });
    old.params[0] = -0;
    old.params[1] = 5e-324;
    old.save(file);
    const oldBytes = readFileSync(file);

    // The child's network, saved here once to know its file's exact size and bytes.
    const reference = path.join(dir, 'reference.bin');
    new Network({
      inputs: 20,
      layers: [
        { units: 200, activation: 'tanh' },
        { units: 1, activation: 'identity' },
      ],
      seed: 3,
    }).save(reference);
    const newBytes = readFileSync(reference);
    rmSync(reference);
    const blocksOfNew = newBytes.length / 512;
    expect(blocksOfNew).toBeGreaterThan(8);

    const run = (blocks: number) => {
      const result = spawnSync('sh', ['-c', `ulimit -f ${blocks}; exec "$0" "$@"`, process.execPath, script, file, '20', '200', '3'], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.status, result.stderr).toBe(0); // SIGXFSZ is ignored by node: the write fails with EFBIG instead
      return lastJsonLine(result.stdout);
    };

    // Limits inside the prefix, the header, the sections, and just short of the whole file.
    for (const blocks of [0, 1, 2, 4, Math.floor(blocksOfNew / 2), Math.floor(blocksOfNew) - 1, Math.floor(blocksOfNew)]) {
      expect(blocks * 512).toBeLessThan(newBytes.length);
      const report = run(blocks);
      expect(report.saved, `limit ${blocks} blocks`).toBe(false);
      expect(report.name).toBe('DeltapropError');
      expect(report.message).toContain(JSON.stringify(file));
      expect(report.message).toMatch(/EFBIG|too large/);
      expect(readFileSync(file).equals(oldBytes), `old file changed at limit ${blocks}`).toBe(true);
      expect(readdirSync(dir).sort()).toEqual(['child-save.js', 'model.bin']);
      const back = Network.load(file);
      expect(sameBits(back.params, old.params)).toBe(true);
      expect(Object.is(back.params[0], -0)).toBe(true);
    }

    // Control: with room for the whole file, the same child replaces it.
    const report = run(Math.ceil(blocksOfNew));
    expect(report.saved).toBe(true);
    expect(readFileSync(file).equals(newBytes)).toBe(true);
    expect(tempFilesIn(dir)).toEqual([]);
  });

  it('kill -9 in the middle of saving a 180 MB model: the file always loads, as the old network or the new one', async () => {
    const dir = scratch('kill');
    const script = childScript(dir);
    const file = path.join(dir, 'model.bin');
    const old = new Network({
      inputs: 3,
      layers: [
        { units: 4, activation: 'tanh' },
        { units: 1, activation: 'identity' },
      ],
      seed: 11,
    });
    old.save(file);
    const oldBytes = readFileSync(file);
    const args = [script, file, '3000', '7500', '21']; // 3000·7500 + 7500 + 7500 + 1 ≈ 22.5M parameters, 180 MB

    /** When to SIGKILL the child: never, this long after it says it is saving, or as soon as its temporary file is written to. */
    type Kill = null | number | 'temporary file';
    const runChild = (kill: Kill) =>
      new Promise<{ killed: boolean; report: Any }>((resolve, reject) => {
        // Watched before the child starts, so the temporary file's creation cannot slip past: inotify, not a timer.
        const watcher =
          kill === 'temporary file'
            ? watch(dir, (_event, name) => {
                if (name?.endsWith('.tmp')) child.kill('SIGKILL');
              })
            : null;
        const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        let timer: NodeJS.Timeout | undefined;
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (typeof kill === 'number' && timer === undefined && out.includes('saving\n')) {
            timer = setTimeout(() => child.kill('SIGKILL'), kill);
          }
        });
        child.stderr.on('data', (chunk: Buffer) => {
          err += chunk.toString();
        });
        child.on('error', reject);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          watcher?.close();
          const done = out.split('\n').find((l) => l.startsWith('{'));
          if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child failed (${code}, ${signal}): ${err}`));
          else resolve({ killed: signal === 'SIGKILL', report: done ? JSON.parse(done) : null });
        });
      });

    // Calibration: one save that runs to the end tells how long a save takes and what the new parameters are.
    const calibration = await runChild(null);
    expect(calibration.report.saved).toBe(true);
    const saveMs: number = calibration.report.ms;
    const newHash: string = calibration.report.hash;
    const newBytesHash = sha256(readFileSync(file)).toString('hex');
    expect(saveMs).toBeGreaterThan(100); // long enough for timed kills to land inside it

    // One kill certainly inside the write (its temporary file exists, the rename has not happened), then kills at
    // moments spread over the save's length, which land wherever the machine's load puts them: every outcome must load.
    const next = seededUniform(99);
    const kills: Kill[] = ['temporary file', ...[0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.3].map((f) => Math.round((f + 0.08 * next()) * saveMs))];
    const outcomes: string[] = [];
    for (const kill of kills) {
      writeFileSync(file, oldBytes); // the older, smaller model is at the path before every attempt
      const { killed } = await runChild(kill);
      const leftovers = tempFilesIn(dir);
      for (const f of leftovers) rmSync(path.join(dir, f)); // a killed process cannot remove its temporary file
      const bytes = readFileSync(file);
      const loaded = Network.load(file); // never partial: it loads, whatever it is
      let which: string;
      if (bytes.equals(oldBytes)) {
        which = 'old';
        expect(sameBits(loaded.params, old.params)).toBe(true);
      } else {
        which = 'new';
        expect(sha256(bytes).toString('hex')).toBe(newBytesHash);
        expect(loaded.inputs).toBe(3000);
        expect(sha256(bytesOf(loaded.params)).toString('hex')).toBe(newHash);
      }
      outcomes.push(`${typeof kill === 'number' ? `${kill} ms` : kill}: ${killed ? 'killed' : 'finished'}, ${leftovers.length} temporary file(s), ${which}`);
      if (leftovers.length > 0) expect(which, outcomes.at(-1)).toBe('old');
    }
    // The kill inside the write left its temporary file, and the path still held the old model.
    expect(outcomes[0], outcomes.join('\n')).toBe('temporary file: killed, 1 temporary file(s), old');
  }, 120_000);

  describe.each(BACKENDS)('on %s', (backend) => {
    const dir = scratch(`fail-${backend}`);
    const net = new Network({
      inputs: 3,
      layers: [
        { units: 4, activation: 'tanh' },
        { units: 2, activation: 'sigmoid' },
      ],
      seed: 5,
      backend,
    });

    it('saving into a folder that does not exist fails with a DeltapropError naming the path, leaving nothing', () => {
      const targets = [path.join(dir, 'missing', 'model.bin'), path.join(dir, 'missing', 'deeper', 'model.bin'), path.join(dir, 'missing-too', 'model.json')];
      for (const target of targets) {
        const error = errorOf(() => net.save(target));
        expect(error).toBeInstanceOf(DeltapropError);
        expect((error as Error).message).toContain(JSON.stringify(target));
        expect((error as Error).message).toMatch(/ENOENT|no such file/);
      }
      expect(readdirSync(dir)).toEqual([]);
    });

    it('saving under a regular file, or over a folder, fails with a DeltapropError naming the path, leaving nothing', () => {
      const plain = path.join(dir, 'plain.txt');
      writeFileSync(plain, 'not a folder');
      const under = path.join(plain, 'model.bin');
      const e1 = errorOf(() => net.save(under));
      expect(e1).toBeInstanceOf(DeltapropError);
      expect((e1 as Error).message).toContain(JSON.stringify(under));

      const folder = path.join(dir, 'a-folder');
      mkdirSync(folder);
      writeFileSync(path.join(folder, 'inside'), 'x');
      const e2 = errorOf(() => net.save(folder));
      expect(e2).toBeInstanceOf(DeltapropError);
      expect((e2 as Error).message).toContain(JSON.stringify(folder));
      expect(readdirSync(dir).sort()).toEqual(['a-folder', 'plain.txt']);
      expect(readdirSync(folder)).toEqual(['inside']);
      expect(readFileSync(plain, 'utf8')).toBe('not a folder');
      rmSync(plain);
      rmSync(folder, { recursive: true });
    });

    it('saving into a folder that is not writable fails with a DeltapropError naming the path; the old file stays', () => {
      const locked = path.join(dir, 'locked');
      mkdirSync(locked);
      const file = path.join(locked, 'model.bin');
      net.save(file);
      const before = readFileSync(file);
      chmodSync(dir, 0o755);
      chmodSync(locked, 0o555);
      try {
        const other = new Network({
          inputs: 3,
          layers: [
            { units: 9, activation: 'tanh' },
            { units: 2, activation: 'sigmoid' },
          ],
          seed: 6,
          backend,
        });
        for (const target of [file, path.join(locked, 'new.bin')]) {
          let report: { saved: boolean; name?: string; message?: string };
          if (process.getuid?.() === 0) {
            // root writes anywhere: drop to nobody in a child to meet a folder it may not write.
            const script = path.join(dir, 'child-save.js');
            writeFileSync(script, CHILD_SAVE);
            chmodSync(script, 0o644);
            const result = spawnSync(process.execPath, [script, target, '3', '9', '6'], {
              encoding: 'utf8',
              timeout: 60_000,
              env: { ...process.env, DROP_UID: '65534' },
            });
            expect(result.status, result.stderr).toBe(0);
            report = lastJsonLine(result.stdout);
            rmSync(script);
          } else {
            const error = errorOf(() => other.save(target));
            report = { saved: false, name: error.name, message: error.message };
            expect(error).toBeInstanceOf(DeltapropError);
          }
          expect(report.saved).toBe(false);
          expect(report.name).toBe('DeltapropError');
          expect(report.message).toContain(JSON.stringify(target));
          expect(report.message).toMatch(/EACCES|permission denied/i);
          expect(readdirSync(locked)).toEqual(['model.bin']);
          expect(readFileSync(file).equals(before)).toBe(true);
        }
        expect(sameBits(Network.load(file).params, net.params)).toBe(true);
      } finally {
        chmodSync(locked, 0o755);
        rmSync(locked, { recursive: true });
      }
    });

    it('refuses to save NaN or ±Infinity parameters, and the old file at that path stays untouched', () => {
      const file = path.join(dir, 'finite.bin');
      net.save(file);
      const before = readFileSync(file);
      const fresh = path.join(dir, 'never-written.bin');
      for (const bad of [NaN, Infinity, -Infinity]) {
        for (const index of [0, 7, net.params.length - 1]) {
          const broken = Network.fromJSON(net.toJSON(), { backend });
          broken.params[index] = bad;
          for (const target of [file, fresh]) {
            const error = errorOf(() => broken.save(target));
            expect(error, `${bad} at ${index}`).toBeInstanceOf(DeltapropError);
            expect((error as Error).message).toContain(`params[${index}]`);
            expect((error as Error).message).toContain(String(bad));
          }
          expect(readFileSync(file).equals(before)).toBe(true);
          expect(readdirSync(dir).filter((f) => f !== 'finite.bin')).toEqual([]);
          broken.params[index] = 0.5;
          broken.save(file);
          expect(Network.load(file).params[index]).toBe(0.5);
          writeFileSync(file, before);
        }
      }
      expect(sameBits(Network.load(file).params, net.params)).toBe(true);
      rmSync(file);
    });
  });
});

// ---------------------------------------------------------------- round trips

describe.each(BACKENDS)('round trips on %s', (backend) => {
  const dir = scratch(`roundtrip-${backend}`);

  const sizes: [string, NetworkOptions, number][] = [
    ['1 parameter', { inputs: 1, layers: [{ units: 1, activation: 'identity' }], bias: false, seed: 1 }, 1],
    [
      '~1000 parameters',
      {
        inputs: 10,
        layers: [
          { units: 50, activation: 'tanh' },
          { units: 10, activation: 'sigmoid' },
        ],
        seed: 2,
      },
      1060,
    ],
    [
      '> 800,000 parameters (784-1024-10)',
      {
        inputs: 784,
        layers: [
          { units: 1024, activation: 'relu' },
          { units: 10, activation: 'softmax' },
        ],
        loss: 'cross-entropy',
        seed: 3,
      },
      814_090,
    ],
  ];

  it.each(sizes)('%s: save/load and toJSON/fromJSON are exact to the bit, −0 and subnormals included', (_name, options, count) => {
    const net = new Network({ ...options, backend });
    expect(net.params.length).toBe(count);
    const specials = [-0, 5e-324, -5e-324, 2.2250738585072e-309, -1.5e-310, 2.2250738585072014e-308, 1.7976931348623157e308, -1e-300];
    const n = net.params.length;
    specials.forEach((x, i) => {
      if (i < n) net.params[Math.floor((i * (n - 1)) / Math.max(1, specials.length - 1))] = x;
    });
    if (n === 1) expect(Object.is(net.params[0], -0)).toBe(true);

    const file = path.join(dir, `size-${count}.bin`);
    net.save(file);
    const loaded = Network.load(file, { backend });
    expect(firstBitDifference(loaded.params, net.params)).toBeNull();

    const text = JSON.stringify(net);
    const fromText = Network.fromJSON(text, { backend });
    expect(firstBitDifference(fromText.params, net.params)).toBeNull();
    const fromObject = Network.fromJSON(JSON.parse(text) as NetworkJSON, { backend });
    expect(firstBitDifference(fromObject.params, net.params)).toBeNull();

    // toJSON's text through a file loads too.
    const jsonFile = path.join(dir, `size-${count}.json`);
    writeFileSync(jsonFile, text);
    expect(firstBitDifference(Network.load(jsonFile, { backend }).params, net.params)).toBeNull();
    for (const key of ['inputs', 'outputs', 'loss', 'reduction', 'bias', 'l2', 'seed', 'init'] as const) {
      expect(loaded[key]).toEqual(net[key]);
      expect(fromText[key]).toEqual(net[key]);
    }
    rmSync(file);
    rmSync(jsonFile);
  });

  const full: [string, Partial<NetworkOptions>, object][] = [
    ['adam, dropout, standard scaling', {}, { optimizer: 'adam', learningRate: 0.01 }],
    [
      'adamw, two dropout layers, minmax scaling',
      {
        layers: [
          { units: 6, activation: 'tanh', dropout: 0.2 },
          { units: 4, activation: 'relu', dropout: 0.5 },
          { units: 2, activation: 'softmax' },
        ],
        inputScaling: 'minmax',
      },
      { optimizer: 'adamw', learningRate: 0.01 },
    ],
    ['sgd with momentum and a step schedule', {}, { optimizer: { type: 'sgd', momentum: 0.9, nesterov: true }, learningRate: { type: 'step', initial: 0.05, gamma: 0.5, every: 2 } }],
    ['rmsprop, l2, sum reduction', { l2: 0.01, reduction: 'sum' }, { optimizer: 'rmsprop', learningRate: 0.001 }],
  ];

  it.each(full)('%s: optimizer state, dropout and shuffling generators and scaling survive, so training goes on identically', (_name, extra, fit) => {
    const { net, X, T } = fullNetwork(backend, extra);
    net.fitSync(X, T, { epochs: 2, batchSize: 5, ...fit });
    const file = path.join(dir, 'full.bin');
    net.save(file);
    const copies = {
      load: Network.load(file, { backend }),
      fromJSONText: Network.fromJSON(JSON.stringify(net), { backend }),
      fromJSONObject: Network.fromJSON(net.toJSON(), { backend }),
      // Loading is engine-independent: a file written by one engine trains on in the other... as the other would.
      jsonOfLoad: Network.fromJSON(JSON.stringify(Network.load(file, { backend })), { backend }),
    };
    const reference = net.toJSON();
    expect(reference.optimizer).not.toBeNull();
    expect(reference.inputScaling).not.toBeNull();
    for (const [how, copy] of Object.entries(copies)) {
      expect(copy.toJSON(), how).toEqual(reference);
      expect(copy.scaling).toEqual(net.scaling);
      expect(Array.from(copy.predict(X).data), how).toEqual(Array.from(net.predict(X).data));
    }
    net.fitSync(X, T, { epochs: 2, batchSize: 5, ...fit });
    for (const [how, copy] of Object.entries(copies)) {
      copy.fitSync(X, T, { epochs: 2, batchSize: 5, ...fit });
      expect(firstBitDifference(copy.params, net.params), how).toBeNull();
      expect(copy.toJSON(), how).toEqual(net.toJSON());
    }
    rmSync(file);
  });

  it('a file saved by the other engine loads here to the same bits', () => {
    const other = backend === 'js' ? 'native' : 'js';
    if (!BACKENDS.includes(other)) return;
    const { net } = fullNetwork(other);
    const file = path.join(dir, 'other-engine.bin');
    net.save(file);
    const here = Network.load(file, { backend });
    expect(here.toJSON()).toEqual(net.toJSON());
    rmSync(file);
  });

  it('deltaprop 0.1 files (JSON version 1, no optimizer, no dropout state) load via load() and fromJSON()', () => {
    const cases: NetworkOptions[] = [
      {
        inputs: 3,
        layers: [
          { units: 5, activation: 'relu' },
          { units: 2, activation: 'softmax' },
        ],
        loss: 'cross-entropy',
        seed: 8,
      },
      {
        inputs: 2,
        layers: [
          { units: 3, activation: 'tanh' },
          { units: 1, activation: 'sigmoid' },
        ],
        loss: 'binary-cross-entropy',
        bias: false,
        l2: 0.5,
        seed: 9,
      },
      { inputs: 4, layers: [{ units: 1, activation: 'identity' }], reduction: 'sum', init: 'he', seed: 10 },
    ];
    cases.forEach((options, k) => {
      const net = new Network({ ...options, backend });
      const X = randomRows(8, options.inputs, seededUniform(k));
      const T = net.predict(X).data.map((x) => Math.min(1, Math.max(0, x + 0.1)));
      if (options.loss !== 'cross-entropy')
        net.fitSync(
          X,
          Array.from({ length: 8 }, (_, i) => Array.from(T.slice(i * net.outputs, (i + 1) * net.outputs))),
          { epochs: 1 },
        );
      net.params[0] = -0;
      const doc = net.toJSON() as unknown as Record<string, unknown>;
      delete doc.optimizer;
      delete doc.dropoutState;
      delete doc.inputScaling;
      doc.version = 1;
      const text = JSON.stringify(doc);
      const file = path.join(dir, `v1-${k}.json`);
      writeFileSync(file, text);
      for (const copy of [Network.load(file, { backend }), Network.fromJSON(text, { backend }), Network.fromJSON(doc as unknown as NetworkJSON, { backend })]) {
        expect(firstBitDifference(copy.params, net.params)).toBeNull();
        expect(copy.seed).toBe(net.seed);
        expect(copy.l2).toBe(net.l2);
        expect(Array.from(copy.predict(X).data)).toEqual(Array.from(net.predict(X).data));
        // It is a whole network: it trains and saves in today's format.
        copy.fitSync(
          X,
          Array.from({ length: 8 }, () => Array.from({ length: net.outputs }, (_, j) => (j === 0 ? 1 : 0))),
          { epochs: 1 },
        );
        expect(copy.toJSON().version).toBe(2);
      }
      rmSync(file);
    });
  });

  it("a JSON file with a UTF-8 byte-order mark loads (today's and 0.1's), and so does such text in fromJSON", () => {
    const { net } = fullNetwork(backend);
    const doc = net.toJSON();
    const v1 = { ...doc, version: 1 } as Record<string, unknown>;
    delete v1.optimizer;
    delete v1.dropoutState;
    delete v1.inputScaling;
    (v1.config as Record<string, unknown>) = { ...doc.config, inputScaling: undefined, layers: doc.config.layers.map(({ units, activation }) => ({ units, activation })) };
    for (const [name, value] of [
      ['v2', doc],
      ['v1', v1],
    ] as const) {
      for (const pretty of [false, true]) {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        const file = path.join(dir, `bom-${name}.json`);
        writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
        const loaded = Network.load(file, { backend });
        expect(firstBitDifference(loaded.params, net.params)).toBeNull();
        expect(firstBitDifference(Network.fromJSON('\ufeff' + text, { backend }).params, net.params)).toBeNull();
        if (name === 'v2') expect(loaded.toJSON()).toEqual(doc);
        rmSync(file);
      }
    }
  });

  it('fromJSON (and load of a JSON file) rejects unknown top-level keys with a DeltapropError naming the key', () => {
    const doc = new Network({ inputs: 2, layers: [{ units: 1, activation: 'identity' }], seed: 1, backend }).toJSON();
    for (const key of ['extra', 'Params', 'weights', 'optimiser', '__proto__x', 'version2']) {
      const bad = { ...doc, [key]: 1 };
      for (const input of [bad, JSON.stringify(bad)]) {
        const error = errorOf(() => Network.fromJSON(input as NetworkJSON, { backend }));
        expect(error, key).toBeInstanceOf(DeltapropError);
        expect((error as Error).message).toContain(key);
      }
      const file = path.join(dir, 'unknown-key.json');
      writeFileSync(file, JSON.stringify(bad));
      const error = errorOf(() => Network.load(file, { backend }));
      expect(error).toBeInstanceOf(DeltapropError);
      expect((error as Error).message).toContain(key);
      rmSync(file);
    }
  });
});

describe.runIf(BACKENDS.includes('native'))("a network beyond toJSON's limit (60 million parameters, native)", () => {
  it('toJSON throws a DeltapropError pointing to save; save/load round-trips it to the bit', () => {
    const dir = scratch('huge');
    const net = new Network({ inputs: 6000, layers: [{ units: 10000, activation: 'identity' }], bias: false, seed: 17, backend: 'native' });
    expect(net.params.length).toBe(60_000_000);
    const n = net.params.length;
    net.params[0] = -0;
    net.params[1] = 5e-324;
    net.params[n >> 1] = -2.2250738585072e-309;
    net.params[n - 1] = -0;
    net.params[n - 2] = 1.7976931348623157e308;

    const error = errorOf(() => net.toJSON());
    expect(error).toBeInstanceOf(DeltapropError);
    expect((error as Error).message).toMatch(/save/);
    expect(errorOf(() => JSON.stringify(net))).toBeInstanceOf(DeltapropError);

    const file = path.join(dir, 'huge.bin');
    net.save(file);
    expect(statSync(file).size).toBeGreaterThan(480_000_000);
    expect(tempFilesIn(dir)).toEqual([]);
    const loaded = Network.load(file, { backend: 'native' });
    expect(loaded.params.length).toBe(n);
    expect(sameBits(loaded.params, net.params)).toBe(true);
    expect(Object.is(loaded.params[n - 1], -0)).toBe(true);
    rmSync(file);
  }, 90_000);
});

describe('the byte pieces save writes and load reads', () => {
  it('cover parameters beyond 2³² bytes (the largest networks: ~17 GB), piece by piece, in order', () => {
    // One Uint8Array cannot span more than 2³² bytes; bench/largest-model.js
    // round-trips a network of 2³¹ − 128 parameters through save and load.
    const n = 2 ** 29 + 3; // 4 GiB + 24 bytes: the pages are never touched, so this costs no memory
    const values = new Float64Array(n);
    values[0] = 1.5;
    values[n - 1] = -2.25;
    const views = [...pieces(values)];
    expect(views.reduce((sum, v) => sum + v.byteLength, 0)).toBe(8 * n);
    let offset = 0;
    for (const view of views) {
      expect(view.buffer).toBe(values.buffer);
      expect(view.byteOffset).toBe(offset);
      offset += view.byteLength;
    }
    const last = views[views.length - 1];
    expect(new Float64Array(last.buffer, last.byteOffset + last.byteLength - 8, 1)[0]).toBe(-2.25);
    expect(new Float64Array(views[0].buffer, 0, 1)[0]).toBe(1.5);
  });
});

// ---------------------------------------------------------------- hostile files

describe('load rejects damaged, edited and hostile files with a DeltapropError', () => {
  const dir = scratch('hostile');
  let small: Buffer; // a small model file with every section: params, adam buffers, scaling shift and spread
  let smallNet: Network;
  let medium: Buffer; // ~1.9 MB
  const probe = path.join(dir, 'probe.bin');
  const outcomeOf = (bytes: Uint8Array) => {
    writeFileSync(probe, bytes);
    return loadOutcome(probe);
  };

  beforeAll(() => {
    smallNet = fullNetwork('js').net;
    smallNet.save(probe);
    small = readFileSync(probe);
    const m = new Network({
      inputs: 784,
      layers: [
        { units: 100, activation: 'relu' },
        { units: 10, activation: 'softmax' },
      ],
      loss: 'cross-entropy',
      seed: 5,
      backend: 'js',
    });
    const next = seededUniform(3);
    m.fitSync(
      randomRows(16, 784, next),
      Array.from({ length: 16 }, (_, i) => i % 10),
      { epochs: 1, batchSize: 16, optimizer: 'adam' },
    );
    m.save(probe);
    medium = readFileSync(probe);
  });

  it('my reading of the format is right: rebuilding a file from its parts gives the same bytes, and it loads', () => {
    for (const file of [small, medium]) {
      const parts = parseModel(file);
      expect(parts.version).toBe(1);
      expect(buildModel(parts).equals(file)).toBe(true);
      expect(buildModel(parts, file.subarray(file.length - 32)).equals(file)).toBe(true);
    }
    const parts = parseModel(small);
    expect(parts.header.sections).toEqual([32, 64, 3, 3]);
    // A consistent edit with its checksum fixed is a valid file: the fixed-checksum cases below test the checks, not my checksum.
    const data = Buffer.from(parts.data);
    data.writeDoubleLE(0.125, 0);
    const edited = outcomeOf(buildModel({ ...parts, data }));
    expect(edited.ok).toBe(true);
    if (edited.ok) expect(edited.net.params[0]).toBe(0.125);
    const reseeded = outcomeOf(buildModel({ ...parts, header: { ...parts.header, config: { ...parts.header.config, seed: 99 } } }));
    expect(reseeded.ok && reseeded.net.seed).toBe(99);
  });

  it('truncated at every byte of a small file, every byte of the first 200 of a larger one and a spread through the rest', () => {
    const failures: string[] = [];
    for (let at = 0; at < small.length; at++) {
      const f = notRejected(`small truncated to ${at}`, outcomeOf(small.subarray(0, at)));
      if (f) failures.push(f);
    }
    const offsets = new Set<number>();
    for (let at = 0; at < 200; at++) offsets.add(at);
    const next = seededUniform(8);
    for (let k = 0; k < 60; k++) offsets.add(200 + Math.floor(next() * (medium.length - 200)));
    for (const at of [medium.length - 1, medium.length - 31, medium.length - 32, medium.length - 33, medium.length - 8]) offsets.add(at);
    for (const at of offsets) {
      const f = notRejected(`medium truncated to ${at}`, outcomeOf(medium.subarray(0, at)));
      if (f) failures.push(f);
    }
    // Truncated in place (the way a full disk leaves a file), and extended by a byte.
    copyFileSync(probe, probe + '.x');
    writeFileSync(probe, medium);
    truncateSync(probe, medium.length - 1000);
    const f1 = notRejected('truncated in place', loadOutcome(probe), /truncated|ended early/);
    if (f1) failures.push(f1);
    for (const extra of [Buffer.from([0]), Buffer.alloc(8), Buffer.alloc(32, 1)]) {
      const f = notRejected(`extended by ${extra.length}`, outcomeOf(Buffer.concat([small, extra])), /truncated or extended|checksum/);
      if (f) failures.push(f);
    }
    rmSync(probe + '.x');
    expect(failures).toEqual([]);
  });

  it('a single flipped bit anywhere (prefix, header, padding, every section, checksum) is rejected', () => {
    const failures: string[] = [];
    const flip = (file: Buffer, at: number, bit: number) => {
      const copy = Buffer.from(file);
      copy[at] ^= 1 << bit;
      return copy;
    };
    for (let at = 0; at < small.length; at++) {
      for (const bit of [at % 8, (at * 5 + 3) % 8]) {
        const f = notRejected(`small bit ${bit} of byte ${at}`, outcomeOf(flip(small, at, bit)));
        if (f) failures.push(f);
      }
    }
    // In the sections and the checksum the damage must be named as such.
    const parts = parseModel(small);
    const dataStart = small.length - 32 - parts.data.length;
    for (let at = dataStart; at < small.length; at += 7) {
      const f = notRejected(`small section/checksum byte ${at}`, outcomeOf(flip(small, at, 6)), /checksum/);
      if (f) failures.push(f);
    }
    const headerLength = small.readUInt32LE(12);
    for (let at = 16 + headerLength; at < dataStart; at++) {
      const f = notRejected(`padding byte ${at}`, outcomeOf(flip(small, at, 0)), /checksum/);
      if (f) failures.push(f);
    }
    const next = seededUniform(12);
    for (let k = 0; k < 40; k++) {
      const at = Math.floor(next() * medium.length);
      const f = notRejected(`medium byte ${at}`, outcomeOf(flip(medium, at, k % 8)));
      if (f) failures.push(f);
    }
    expect(failures).toEqual([]);
  });

  it('edited headers and sections are rejected, with and without the checksum fixed', () => {
    const parts = parseModel(small);
    const P = 32;
    const clone = () => structuredClone(parts.header);
    const withHeader = (edit: (h: Record<string, Any>) => void) => {
      const h = clone();
      edit(h);
      return { ...parts, header: h };
    };
    const withData = (offset: number, value: number) => {
      const data = Buffer.from(parts.data);
      data.writeDoubleLE(value, offset * 8);
      return { ...parts, data };
    };
    const edits: [string, Parameters<typeof buildModel>[0], RegExp][] = [
      [
        'a layer size changed',
        withHeader((h) => {
          h.config.layers[0].units = 6;
        }),
        /sections|header/,
      ],
      [
        'a layer size changed, sections to match',
        withHeader((h) => {
          h.config.layers[0].units = 6;
          h.sections = [3 * 6 + 6 + 6 * 2 + 2, 2 * 38, 3, 3];
        }),
        /bytes in all|truncated|extended/,
      ],
      [
        'inputs changed',
        withHeader((h) => {
          h.config.inputs = 4;
        }),
        /sections|header/,
      ],
      [
        'a layer removed',
        withHeader((h) => {
          h.config.layers.shift();
        }),
        /sections|header|layers/,
      ],
      [
        'a section length changed',
        withHeader((h) => {
          h.sections[0] = 33;
        }),
        /sections/,
      ],
      [
        'a section removed',
        withHeader((h) => {
          h.sections.pop();
        }),
        /sections/,
      ],
      [
        'sections not an array',
        withHeader((h) => {
          h.sections = '32,64,3,3';
        }),
        /sections/,
      ],
      [
        'header version 2',
        withHeader((h) => {
          h.version = 2;
        }),
        /version/,
      ],
      [
        'header format renamed',
        withHeader((h) => {
          h.format = 'deltaprop.network';
        }),
        /version|format/,
      ],
      [
        'a key added',
        withHeader((h) => {
          h.comment = 'hello';
        }),
        /comment/,
      ],
      [
        'a config key added',
        withHeader((h) => {
          h.config.colour = 'red';
        }),
        /colour/,
      ],
      [
        'seed removed',
        withHeader((h) => {
          delete h.config.seed;
        }),
        /seed/,
      ],
      [
        'a bad activation',
        withHeader((h) => {
          h.config.layers[0].activation = 'swish';
        }),
        /activation/,
      ],
      [
        'inputScaling flag dropped',
        withHeader((h) => {
          h.inputScaling = false;
        }),
        /sections|inputScaling/,
      ],
      [
        'inputScaling flag not a boolean',
        withHeader((h) => {
          h.inputScaling = 'yes';
        }),
        /inputScaling/,
      ],
      [
        'config inputScaling removed',
        withHeader((h) => {
          delete h.config.inputScaling;
        }),
        /inputScaling/,
      ],
      [
        'optimizer removed',
        withHeader((h) => {
          h.optimizer = null;
        }),
        /sections/,
      ],
      [
        'optimizer type changed',
        withHeader((h) => {
          h.optimizer.optimizer.type = 'sgd';
        }),
        /optimizer|sections/,
      ],
      [
        'negative steps',
        withHeader((h) => {
          h.optimizer.steps = -1;
        }),
        /steps/,
      ],
      [
        'shuffleState short',
        withHeader((h) => {
          h.shuffleState = [1, 2, 3];
        }),
        /shuffleState/,
      ],
      [
        'dropoutState out of range',
        withHeader((h) => {
          h.dropoutState = [1, 2, 3, 2 ** 32];
        }),
        /dropoutState/,
      ],
      ['header is an array', { ...parts, header: [1, 2] }, /header/],
      ['header is null', { ...parts, header: null }, /header/],
      ['header is not JSON', { ...parts, header: null, headerText: '{"format": "deltaprop.model", ' }, /not JSON/],
      ['header is not UTF-8 JSON', { ...parts, header: null, headerText: '\u0000\u0001\u0002' }, /not JSON/],
      ['prefix version 2', { ...parts, version: 2 }, /version 2/],
      ['prefix version 0', { ...parts, version: 0 }, /version 0/],
      ['header length 8 too long', { ...parts, headerLength: Buffer.byteLength(JSON.stringify(parts.header)) + 8 }, /./],
      ['header length 1 too short', { ...parts, headerLength: Buffer.byteLength(JSON.stringify(parts.header)) - 1 }, /not JSON/],
      ['header length 0', { ...parts, headerLength: 0 }, /not JSON|header/],
      ['a parameter NaN', withData(0, NaN), /NaN/],
      ['a parameter −Infinity', withData(P - 1, -Infinity), /Infinity/],
      ['an optimizer value Infinity', withData(P + 5, Infinity), /Infinity/],
      ['a scaling shift NaN', withData(3 * P, NaN), /NaN|shift/],
      ['a scaling shift −Infinity', withData(3 * P + 1, -Infinity), /Infinity|shift/],
      ['a scaling spread Infinity', withData(3 * P + 4, Infinity), /Infinity|spread/],
      ['a scaling spread 0', withData(3 * P + 3, 0), /spread/],
      ['a scaling spread negative', withData(3 * P + 5, -1), /spread/],
      ['a scaling spread NaN', withData(3 * P + 4, NaN), /spread|NaN/],
    ];
    const original = small.subarray(small.length - 32);
    const failures: string[] = [];
    for (const [name, edited, message] of edits) {
      const f1 = notRejected(`${name} (checksum fixed)`, outcomeOf(buildModel(edited, 'fix')), message);
      if (f1) failures.push(f1);
      const f2 = notRejected(`${name} (checksum not fixed)`, outcomeOf(buildModel(edited, original)));
      if (f2) failures.push(f2);
    }
    expect(failures).toEqual([]);
  });

  it('files declaring huge sizes (with a correct checksum) are rejected quickly, without allocating them', () => {
    const parts = parseModel(small);
    const withHeader = (edit: (h: Record<string, Any>) => void) => {
      const h = structuredClone(parts.header);
      edit(h);
      return buildModel({ ...parts, header: h });
    };
    const bigNet = (h: Record<string, Any>, inputs: number, units: number, bias: boolean) => {
      h.config.inputs = inputs;
      h.config.bias = bias;
      h.config.layers = [{ units, activation: 'identity' }];
      h.config.loss = 'mse';
      const P = (inputs + (bias ? 1 : 0)) * units;
      h.sections = [P, 2 * P, inputs, inputs];
    };
    const cases: [string, Buffer][] = [
      [
        'sections claiming 2^31 values',
        withHeader((h) => {
          h.sections = [2 ** 31, 2 ** 32, 3, 3];
        }),
      ],
      [
        'sections claiming 2^53 values',
        withHeader((h) => {
          h.sections = [2 ** 53, 2 ** 54, 3, 3];
        }),
      ],
      [
        'sections claiming a negative number',
        withHeader((h) => {
          h.sections = [-32, 64, 3, 3];
        }),
      ],
      [
        'a config with layers of 2^24 units',
        withHeader((h) => {
          h.config.layers = [
            { units: 2 ** 24, activation: 'tanh' },
            { units: 2 ** 24, activation: 'softmax' },
          ];
          const P = (3 + 1) * 2 ** 24 + (2 ** 24 + 1) * 2 ** 24;
          h.sections = [P, 2 * P, 3, 3];
        }),
      ],
      [
        'a config of 2^24 inputs',
        withHeader((h) => {
          bigNet(h, 2 ** 24, 100, true);
        }),
      ],
      [
        'a config just under the parameter limit (2^31 − 1), sections to match',
        withHeader((h) => {
          bigNet(h, 32767, 65535, false);
        }),
      ],
      [
        'a config of 1.6 billion parameters, sections to match',
        withHeader((h) => {
          bigNet(h, 40000, 40000, true);
        }),
      ],
      [
        'a header length of 2^32 − 1',
        (() => {
          const b = Buffer.from(small);
          b.writeUInt32LE(0xffffffff, 12);
          return b;
        })(),
      ],
      [
        'a header length of 60 MB in a small file',
        (() => {
          const b = Buffer.from(small);
          b.writeUInt32LE(60 << 20, 12);
          return b;
        })(),
      ],
    ];
    const failures: string[] = [];
    for (const [name, bytes] of cases) {
      writeFileSync(probe, bytes);
      const rss = process.memoryUsage().rss;
      // CPU time, not wall time: a loaded machine must not fail this, work done on the header's word must.
      const start = process.cpuUsage();
      const outcome = loadOutcome(probe);
      const { user, system } = process.cpuUsage(start);
      const ms = (user + system) / 1000;
      const grew = process.memoryUsage().rss - rss;
      const f = notRejected(name, outcome);
      if (f) failures.push(f);
      if (ms > 1000) failures.push(`${name}: took ${Math.round(ms)} ms of CPU`);
      if (grew > 256e6) failures.push(`${name}: rss grew by ${Math.round(grew / 1e6)} MB`);
    }
    expect(failures).toEqual([]);
  });

  it('garbage, empty files, folders, JSON that is not a network and the bare magic are rejected', () => {
    const failures: string[] = [];
    const check = (label: string, bytes: Uint8Array | string, message?: RegExp) => {
      const f = notRejected(label, outcomeOf(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes), message);
      if (f) failures.push(f);
    };
    const next = seededUniform(31);
    const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
    for (let k = 0; k < 40; k++) check(`garbage #${k}`, randomBytes(1 + Math.floor(next() * 5000)));
    const magic = Buffer.from('DPMODEL\n', 'latin1');
    for (let k = 0; k < 20; k++) check(`magic + garbage #${k}`, Buffer.concat([magic, randomBytes(Math.floor(next() * 3000))]));
    for (let k = 0; k < 20; k++) {
      // A plausible prefix (version 1, a header length that fits) over garbage.
      const rest = randomBytes(64 + Math.floor(next() * 3000));
      const prefix = Buffer.alloc(8);
      prefix.writeUInt32LE(1, 0);
      prefix.writeUInt32LE(Math.floor(next() * rest.length), 4);
      check(`magic + version 1 + garbage #${k}`, Buffer.concat([magic, prefix, rest]));
    }
    check('an empty file', '');
    check('the bare magic', magic);
    check('the magic and a version', Buffer.concat([magic, Buffer.from([1, 0, 0, 0])]));
    check('the magic, version, header length 0 and 32 zero bytes', Buffer.concat([magic, Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]), Buffer.alloc(32)]));
    check('the magic and 40 zero bytes', Buffer.concat([magic, Buffer.alloc(40)]));
    check('half the magic', 'DPMO');
    check('a byte-order mark alone', Buffer.from([0xef, 0xbb, 0xbf]));
    check('whitespace', '  \n\t ');
    check('invalid UTF-8', Buffer.from([0xff, 0xfe, 0x7b, 0x7d]));
    const doc = smallNet.toJSON();
    for (const text of [
      '{}',
      '[]',
      'null',
      '42',
      '"text"',
      'true',
      '{"format":"deltaprop.network"}',
      '{"format":"deltaprop.network","version":2}',
      JSON.stringify({ network: doc }),
      JSON.stringify([doc]),
      JSON.stringify({ ...doc, params: undefined }),
      JSON.stringify({ ...doc, config: null }),
      JSON.stringify({ ...doc, config: { ...doc.config, layers: [] } }),
      JSON.stringify(doc).slice(0, -1),
      JSON.stringify(doc) + '}',
      JSON.stringify({ ...doc, version: 1, config: { ...doc.config, layers: [{ units: 2 ** 24, activation: 'identity' }] } }),
      JSON.stringify({ ...doc, params: doc.params.slice(0, -4) }),
      JSON.stringify({ ...doc, params: 'AAAA'.repeat(10) }),
    ]) {
      check(`JSON ${text.slice(0, 60)}`, text);
    }
    // A folder, and a path that does not exist: DeltapropErrors naming the path.
    for (const target of [dir, path.join(dir, 'does-not-exist.bin')]) {
      const f = notRejected(`load(${target})`, loadOutcome(target));
      if (f) failures.push(f);
      const e = errorOf(() => Network.load(target));
      if (e instanceof DeltapropError && !e.message.includes(JSON.stringify(target))) failures.push(`load(${target}): message does not name the path: ${e.message}`);
    }
    expect(failures).toEqual([]);
  });

  it("errors about the file's structure name the file", () => {
    const cases: [string, Uint8Array][] = [
      ['truncated', small.subarray(0, small.length - 9)],
      [
        'checksum',
        (() => {
          const b = Buffer.from(small);
          b[b.length - 1] ^= 1;
          return b;
        })(),
      ],
      ['bare magic', Buffer.from('DPMODEL\n', 'latin1')],
    ];
    for (const [name, bytes] of cases) {
      writeFileSync(probe, bytes);
      const e = errorOf(() => Network.load(probe));
      expect(e, name).toBeInstanceOf(DeltapropError);
      expect((e as Error).message, name).toContain(JSON.stringify(probe));
      expect((e as Error).message, name).toMatch(/not a valid deltaprop model file/);
    }
  });
});
