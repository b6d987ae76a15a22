// Files that are not regular files, at every place deltaprop writes (save,
// checkpoints, the files the CLI writes) and reads (load): devices (also
// through a link), FIFOs, sockets, folders, dangling links and link loops are
// refused with a DeltapropError before anything is written or read, and
// leave what is there as it was; a link to a regular file is written
// through. Saves from several threads to one path at once all succeed.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, ftruncateSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeltapropError, Network } from '../src/index.js';
import { writeFileAtomic } from '../src/persistence/files.js';
import { BACKENDS } from './helpers/backends.js';
import { errorOf } from './helpers/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'deltaprop-files-'));
const at = (name: string) => path.join(dir, name);
let server: net.Server;

beforeAll(async () => {
  execFileSync('mkfifo', [at('fifo')]);
  mkdirSync(at('folder'));
  symlinkSync('/dev/null', at('null-link'));
  symlinkSync(at('nowhere'), at('dangling'));
  symlinkSync(at('loop-b'), at('loop-a'));
  symlinkSync(at('loop-a'), at('loop-b'));
  server = net.createServer();
  await new Promise<void>((resolve) => server.listen(at('socket'), resolve));
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What is at a path, to check that a refused write left it as it was. */
function entry(file: string): string {
  const s = lstatSync(file);
  return [s.isSymbolicLink(), s.isFile(), s.isDirectory(), s.isFIFO(), s.isSocket(), s.isCharacterDevice(), s.size, s.mtimeMs].join();
}

const TARGETS: [string, string, RegExp][] = [
  ['/dev/null', '/dev/null', /is a character device: deltaprop writes regular files only/],
  ['a link to /dev/null', 'null-link', /is a character device \(through the link to "\/dev\/null"\)/],
  ['a FIFO', 'fifo', /is a FIFO \(named pipe\)/],
  ['a socket', 'socket', /is a socket/],
  ['a folder', 'folder', /is a directory/],
  ['a dangling link', 'dangling', /is a symbolic link to nothing \(a dangling link\)/],
  ['a loop of links', 'loop-a', /is a loop of symbolic links/],
];

const network = (backend: 'js' | 'native') => new Network({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'binary-cross-entropy', seed: 1, backend });

describe.each(BACKENDS)('writing on %s', (backend) => {
  it.each(TARGETS)('save, a checkpoint and writeFileAtomic refuse %s, and leave it as it was', (_name, target, message) => {
    const file = target.startsWith('/') ? target : at(target);
    const before = entry(file);
    const files = readdirSync(dir).sort();
    const net = network(backend);
    for (const [call, argument] of [
      [() => net.save(file), 'path'],
      [() => net.fitSync([[0, 1]], [1], { epochs: 1, checkpoint: { path: file } }), 'options.checkpoint.path'],
      [() => writeFileAtomic(file, 'text', '--report'), '--report'],
    ] as const) {
      const e = errorOf(call);
      expect(e).toBeInstanceOf(DeltapropError);
      expect((e as DeltapropError).argument).toBe(argument);
      expect(e.message).toMatch(message);
    }
    expect(entry(file)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(files);
    // The checkpoint was refused before training: the network was not touched.
    expect(net.params).toEqual(network(backend).params);
  });

  it('a link to a regular file is written through (the link stays a link)', () => {
    const real = at(`real-${backend}.dpm`);
    writeFileSync(real, 'old');
    symlinkSync(real, at(`link-${backend}.dpm`));
    const net = network(backend);
    net.save(at(`link-${backend}.dpm`));
    expect(lstatSync(at(`link-${backend}.dpm`)).isSymbolicLink()).toBe(true);
    expect(Network.load(real).params).toEqual(net.params);
  });
});

describe('reading', () => {
  it.each([
    ['/dev/zero', '/dev/zero', /is a character device, not a file deltaprop can read/],
    ['a FIFO nobody writes to (no blocking)', 'fifo', /is a FIFO \(named pipe\), not a file/],
    ['a socket', 'socket', /is a socket, not a file/],
    ['a folder', 'folder', /is a directory, not a file/],
  ])('load refuses %s at once', (_name, target, message) => {
    const file = target.startsWith('/') ? target : at(target);
    const started = performance.now();
    const e = errorOf(() => Network.load(file));
    expect(e).toBeInstanceOf(DeltapropError);
    expect(e.message).toMatch(message);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("a file larger than any network's JSON is refused by its size, without reading it (a sparse 4 GB file)", () => {
    const file = at('huge.json');
    const fd = openSync(file, 'w');
    writeFileSync(fd, '{"format":');
    ftruncateSync(fd, 4 * 2 ** 30);
    closeSync(fd);
    // In a child under a small heap: reading it would fail there, a refusal by size does not.
    const result = spawnSync(
      process.execPath,
      [
        '--max-old-space-size=64',
        '-e',
        `
      try { require(${JSON.stringify(path.resolve(__dirname, '..', 'dist', 'index.js'))}).Network.load(${JSON.stringify(file)}); }
      catch (e) { console.log(e.name + ': ' + e.message); }`,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^DeltapropError: path: ".*huge\.json" is not a model file: it does not start as one, and its 4294967296 bytes are more than any network's JSON text/);
  });

  it('a model file with bytes appended is refused by its size', () => {
    const file = at('extended.dpm');
    network('js').save(file);
    writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.alloc(100)]));
    expect(errorOf(() => Network.load(file)).message).toMatch(/declares \d+ bytes in all, but the file has \d+ \(truncated or extended\)/);
  });
});

describe('saves from several threads to one path at once', () => {
  it('all succeed, the file loads, and no temporary file is left', async () => {
    const file = at('shared.dpm');
    const script = `
      const { parentPort, workerData } = require('node:worker_threads');
      const { Network } = require(workerData.dist);
      const net = new Network({ inputs: 3, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'identity' }], seed: workerData.seed, backend: 'js' });
      let failures = 0;
      for (let i = 0; i < 40; i++) { try { net.save(workerData.file); } catch (e) { failures++; parentPort.postMessage(e.message); } }
      parentPort.postMessage({ failures });`;
    const dist = path.resolve(__dirname, '..', 'dist', 'index.js');
    const results = await Promise.all(
      [1, 2, 3, 4].map(
        (seed) =>
          new Promise<{ failures: number; messages: string[] }>((resolve, reject) => {
            const worker = new Worker(script, { eval: true, workerData: { dist, file, seed } });
            const messages: string[] = [];
            worker.on('message', (m) => (typeof m === 'string' ? messages.push(m) : resolve({ ...m, messages })));
            worker.on('error', reject);
          }),
      ),
    );
    expect(results.map((r) => r.messages)).toEqual([[], [], [], []]);
    expect(results.map((r) => r.failures)).toEqual([0, 0, 0, 0]);
    const loaded = Network.load(file);
    expect(loaded.inputs).toBe(3);
    expect(readdirSync(dir).filter((name) => name.startsWith('.shared.dpm.'))).toEqual([]);
  });

  it("a save removes the temporary files of a dead process, and never a live one's", () => {
    const file = at('orphans.dpm');
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout.trim());
    writeFileSync(at(`.orphans.dpm.${deadPid}.0.0123456789abcdef.tmp`), 'left by a killed process');
    writeFileSync(at(`.orphans.dpm.${deadPid}.1700000000000.tmp`), 'left by deltaprop 0.2');
    writeFileSync(at(`.orphans.dpm.${process.ppid}.3.fedcba9876543210.tmp`), 'a live process is writing');
    network('js').save(file);
    expect(existsSync(at(`.orphans.dpm.${deadPid}.0.0123456789abcdef.tmp`))).toBe(false);
    expect(existsSync(at(`.orphans.dpm.${deadPid}.1700000000000.tmp`))).toBe(false);
    expect(existsSync(at(`.orphans.dpm.${process.ppid}.3.fedcba9876543210.tmp`))).toBe(true);
    expect(statSync(file).isFile()).toBe(true);
  });
});
