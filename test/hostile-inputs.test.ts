// Inputs that lie or that ask for too much: look-alike Float64Arrays, values
// that change between two reads, requests whose buffers could not fit, and
// the messages for a few of them.
import { describe, expect, it } from 'vitest';
import { DeltapropError, Network, gemm, matrix, setThreads } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { errorOf } from './helpers/errors.js';

/** A Float64Array subclass whose length claims more than it has. */
class Liar extends Float64Array {
  override get length(): number {
    return 1 << 30;
  }
}

const lookAlikes = (): [string, unknown][] => [
  ['a Proxy of a Float64Array', new Proxy(new Float64Array(4), {})],
  ["an object with Float64Array's prototype", Object.create(Float64Array.prototype)],
  ["a plain object with Float64Array's fields", { length: 4, buffer: new ArrayBuffer(32), byteOffset: 0, BYTES_PER_ELEMENT: 8 }],
];

describe.each(BACKENDS)('hostile inputs on %s', (backend) => {
  it.each(lookAlikes())('gemm refuses %s', (_name, fake) => {
    const C = new Float64Array(4);
    expect(() => gemm(false, false, 2, 2, 2, 1, fake as Float64Array, 2, new Float64Array(4), 2, 0, C, 2, { backend })).toThrow(/^A: expected a Float64Array/);
    expect(() => gemm(false, false, 2, 2, 2, 1, new Float64Array(4), 2, new Float64Array(4), 2, 0, fake as Float64Array, 2, { backend })).toThrow(/^C: expected a Float64Array/);
  });

  it('a subclass that lies about its length is read at its real length: the lie cannot make gemm write past it', () => {
    const C = new Liar(4);
    const out = new Float64Array(C.buffer); // the memory C really has
    // m = 3 rows would need 6 elements; C really has 4, whatever its length getter says.
    expect(() => gemm(false, false, 3, 2, 2, 1, new Float64Array(6), 2, new Float64Array(4), 2, 0, C, 2, { backend })).toThrow(/^C: expected at least 6 elements .* got 4/);
    gemm(false, false, 2, 2, 2, 1, Float64Array.of(1, 2, 3, 4), 2, Float64Array.of(1, 0, 0, 1), 2, 0, C, 2, { backend });
    expect(Array.from(out)).toEqual([1, 2, 3, 4]);
  });

  it.runIf(BACKENDS.includes('native'))('gemm refuses C sharing memory with A or B, by address: a SharedArrayBuffer and its clone are one memory', () => {
    const shared = new SharedArrayBuffer(8 * 8);
    const clone = structuredClone(shared);
    expect(clone).not.toBe(shared);
    const C = new Float64Array(shared, 0, 4);
    const A = new Float64Array(clone, 16, 4); // overlaps C's last two elements
    expect(() => gemm(false, false, 2, 2, 2, 1, A, 2, new Float64Array(4), 2, 0, C, 2, { backend })).toThrow(/^C: expected memory separate from A/);
    expect(() => gemm(false, false, 2, 2, 2, 1, new Float64Array(4), 2, A, 2, 0, C, 2, { backend })).toThrow(/^C: expected memory separate from B/);
    const apart = new Float64Array(clone, 32, 4); // the same memory block, but past C
    gemm(false, false, 2, 2, 2, 1, apart, 2, new Float64Array(4), 2, 0, C, 2, { backend });
  });

  it('gemm resolves its options before it checks the data: a getter there cannot change what was checked', () => {
    const A = new Float64Array(4);
    const options = {
      get backend() {
        A.fill(NaN);
        return backend;
      },
    };
    const C = new Float64Array(4);
    gemm(false, false, 2, 2, 2, 1, A, 2, Float64Array.of(1, 0, 0, 1), 2, 0, C, 2, options);
    // The getter ran first; the product then saw (and checked) the NaNs it wrote, as the same call with NaN data does.
    expect(Number.isNaN(C[0])).toBe(true);
  });

  it('matrices are read through their real Float64Array, once', () => {
    const net = new Network({ inputs: 2, layers: [{ units: 1, activation: 'identity' }], seed: 1, backend });
    for (const [, fake] of lookAlikes()) {
      expect(() => net.predict({ rows: 2, cols: 2, data: fake as Float64Array })).toThrow(/^inputs\.data: expected a Float64Array/);
    }
    expect(() => net.predict({ rows: 2, cols: 2, data: new Liar(3) })).toThrow(/^inputs\.data: expected 4 elements \(2 × 2\), got 3/);
    let reads = 0;
    const shifty = {
      get rows() {
        reads++;
        return reads === 1 ? 1 : 1000;
      },
      cols: 2,
      data: new Float64Array(2),
    };
    expect(net.predict(shifty).rows).toBe(1);
    expect(reads).toBe(1);
    expect(() => matrix(1, 4, new Liar(2))).toThrow(/^data: expected 4 elements/);
  });

  it('setBiases reads the length and each value once', () => {
    const net = new Network({ inputs: 2, layers: [{ units: 3, activation: 'identity' }], seed: 1, backend });
    let lengthReads = 0;
    const biases = {
      get length() {
        lengthReads++;
        return lengthReads === 1 ? 3 : 2 ** 32 - 1;
      },
      0: 1,
      1: 2,
      2: 3,
    };
    net.setBiases(0, biases);
    expect(Array.from(net.layers[0].biases!)).toEqual([1, 2, 3]);
    expect(lengthReads).toBe(1);
    net.setBiases(0, new Liar(3)); // a genuine Float64Array of 3 (its own length getter is ignored)
    expect(Array.from(net.layers[0].biases!)).toEqual([0, 0, 0]);
  });

  it('gradients and fit check their memory need before allocating', async () => {
    // 1 → 2^24 → 1: a 1,000-row batch needs 1000 × 2^24 values per buffer (134 GB in all).
    const net = new Network({
      inputs: 1,
      layers: [
        { units: 2 ** 24, activation: 'relu' },
        { units: 1, activation: 'identity' },
      ],
      seed: 1,
      backend,
    });
    const X = { rows: 1000, cols: 1, data: new Float64Array(1000) };
    const T = { rows: 1000, cols: 1, data: new Float64Array(1000) };
    const before = process.memoryUsage().rss;
    expect(() => net.gradients(X, T)).toThrow(/^inputs: 1000 rows at a time need a 1000 × 16777216 buffer/);
    expect(() => net.fitSync(X, T, { batchSize: 1000 })).toThrow(/^options\.batchSize: 1000 rows at a time need/);
    await expect(net.fit(X, T, { batchSize: 1000 })).rejects.toThrow(DeltapropError);
    expect(() => net.predict(X)).toThrow(/^inputs: 1000 rows at a time/);
    // 100 rows stay under the index limit but not under this machine's memory (100 × 2^24 × 8 B × 2 = 26.8 GB).
    expect(() => net.gradients({ rows: 100, cols: 1, data: new Float64Array(100) }, { rows: 100, cols: 1, data: new Float64Array(100) })).toThrow(/GiB of buffers, more than this machine's/);
    expect(process.memoryUsage().rss - before).toBeLessThan(2 ** 30);
  });

  it('messages describe what was given', () => {
    expect(errorOf(() => new Network({ inputs: 2, layers: {} as never })).message).toMatch(/got an object$/);
    expect(errorOf(() => setThreads('2' as never)).message).toBe('threads: expected an integer in [1, 256], got "2"');
  });
});

describe.runIf(BACKENDS.includes('native'))('a thread count far beyond the cores', () => {
  it('trains alike, and the engine works on after the count comes down again', () => {
    const rows = 256;
    const X = { rows, cols: 96, data: Float64Array.from({ length: rows * 96 }, (_, i) => Math.sin(i * 0.1)) };
    const T = Int32Array.from({ length: rows }, (_, r) => r % 4);
    const train = () => {
      const net = new Network({
        inputs: 96,
        layers: [
          { units: 160, activation: 'relu' },
          { units: 4, activation: 'softmax' },
        ],
        loss: 'cross-entropy',
        seed: 3,
        backend: 'native',
      });
      net.fitSync(X, T, { epochs: 2, batchSize: 128 });
      return Array.from(net.params);
    };
    setThreads(2);
    const two = train();
    setThreads(256);
    const many = train();
    setThreads(2);
    const again = train();
    expect(many).toEqual(two);
    expect(again).toEqual(two);
  });
});
