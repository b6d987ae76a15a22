// Streamed fits: fit(source, options) with source() returning an iterable (or
// async iterable) of { inputs, targets } chunks. Without shuffling a stream
// must train exactly like the same rows given as arrays, whatever the chunk
// and batch sizes; with shuffling every row must still train once per epoch.
import { describe, expect, it } from 'vitest';
import { DeltapropError, Network } from '../src/index.js';
import type { Matrix } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { maxRelativeDifference, oneHotRows, randomRows, seededUniform } from './helpers/data.js';
import { errorOf } from './helpers/errors.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const N = 100;
const next = seededUniform(555);
const X = randomRows(N, 3, next);
const T = randomRows(N, 2, next, 0, 1);
const C = oneHotRows(N, 3, next);
const L = C.map((r) => r.indexOf(1));
const SIZES = [7, 13, 1, 50];

const bits = (a: ArrayLike<number>) => Array.from(a);

function toM(rows: number[][]): Matrix {
  return { rows: rows.length, cols: rows[0].length, data: Float64Array.from(rows.flat()) };
}

/** Splits rows into chunks of SIZES (cycled); form picks number[][] or Matrix per chunk. */
function chunked(inputs: number[][], targets: number[][] | number[], form: 'arrays' | 'matrices' | 'mixed' = 'arrays') {
  const chunks: Array<{ inputs: unknown; targets: unknown }> = [];
  let at = 0;
  for (let i = 0; at < inputs.length; i++) {
    const size = SIZES[i % SIZES.length];
    const x = inputs.slice(at, at + size);
    const t = targets.slice(at, at + size) as number[][] | number[];
    const asMatrix = form === 'matrices' || (form === 'mixed' && i % 2 === 1);
    const tIsLabels = typeof t[0] === 'number';
    chunks.push({ inputs: asMatrix ? toM(x) : x, targets: asMatrix && !tIsLabels ? toM(t as number[][]) : t });
    at += size;
  }
  return chunks;
}

function countingSource(chunks: unknown[]) {
  const source = () => {
    source.calls++;
    return chunks[Symbol.iterator]();
  };
  source.calls = 0;
  return source;
}

describe.each(BACKENDS)('streamed fits on %s', (backend) => {
  const sig = {
    inputs: 3,
    layers: [
      { units: 4, activation: 'tanh' as const },
      { units: 2, activation: 'sigmoid' as const },
    ],
    seed: 21,
    backend,
  };
  const soft = {
    inputs: 3,
    layers: [
      { units: 4, activation: 'tanh' as const },
      { units: 3, activation: 'softmax' as const },
    ],
    loss: 'cross-entropy' as const,
    seed: 22,
    backend,
  };
  const base = { epochs: 3, learningRate: 0.3, momentum: 0.6, shuffle: false };

  describe('shuffle: false equals the array fit to the bit', () => {
    const batchSizes = [1, 5, 8, 16, 32, 71, 100, 128];
    for (const form of ['arrays', 'matrices', 'mixed'] as const) {
      it.each(batchSizes)(`chunks as ${form}, batchSize %i`, (batchSize) => {
        const a = new Network(sig);
        const b = new Network(sig);
        const source = countingSource(chunked(X, T, form));
        const ha = a.fitSync(source as Any, { ...base, batchSize } as Any);
        const hb = b.fitSync(X, T, { ...base, batchSize });
        expect(bits(a.params)).toEqual(bits(b.params));
        expect(ha.loss).toEqual(hb.loss);
        expect(ha.epochs).toBe(3);
        expect(source.calls).toBe(3); // once per epoch
      });
    }

    it.each([
      [16, 16],
      [16, 5],
      [8, 8],
      [1, 3],
      [10000, 7],
    ])('with shuffleBuffer %i (batchSize %i)', (shuffleBuffer, batchSize) => {
      const a = new Network(sig);
      const b = new Network(sig);
      const ha = a.fitSync((() => chunked(X, T)) as Any, { ...base, batchSize, shuffleBuffer } as Any);
      const hb = b.fitSync(X, T, { ...base, batchSize });
      expect(bits(a.params)).toEqual(bits(b.params));
      expect(ha.loss).toEqual(hb.loss);
    });

    it.each([6, 32])('targets as class indices (cross-entropy), batchSize %i', (batchSize) => {
      const a = new Network(soft);
      const b = new Network(soft);
      const ha = a.fitSync((() => chunked(X, L, 'mixed')) as Any, { ...base, batchSize } as Any) as Any;
      const hb = b.fitSync(X, C, { ...base, batchSize }) as Any;
      expect(bits(a.params)).toEqual(bits(b.params));
      expect(ha.loss).toEqual(hb.loss);
      expect(ha.accuracy).toEqual(hb.accuracy);
    });

    it('async fit, with validation, with adam', async () => {
      const opts = { epochs: 3, batchSize: 9, learningRate: 0.01, optimizer: 'adam' as const, shuffle: false, validation: { inputs: X.slice(0, 10), targets: T.slice(0, 10) } };
      const a = new Network(sig);
      const b = new Network(sig);
      const ha = await a.fit((() => chunked(X, T, 'matrices')) as Any, opts as Any);
      const hb = b.fitSync(X, T, opts);
      expect(bits(a.params)).toEqual(bits(b.params));
      expect(ha.loss).toEqual(hb.loss);
      expect(ha.validationLoss).toEqual(hb.validationLoss);
      expect(ha.validationLoss![2]).toBe(a.evaluate(X.slice(0, 10), T.slice(0, 10)).loss);
    });

    it('a generator function as the source', () => {
      function* source() {
        yield* chunked(X, T);
      }
      const a = new Network(sig);
      const b = new Network(sig);
      a.fitSync(source as Any, { ...base, batchSize: 12 } as Any);
      b.fitSync(X, T, { ...base, batchSize: 12 });
      expect(bits(a.params)).toEqual(bits(b.params));
    });
  });

  describe('shuffle: true', () => {
    const shuffled = { epochs: 2, batchSize: 8, learningRate: 0.3, shuffle: true };

    it('the same seed gives the same run; shuffling changes it', () => {
      const run = (options: object) => {
        const net = new Network(sig);
        const h = net.fitSync((() => chunked(X, T)) as Any, options as Any);
        return { params: bits(net.params), loss: h.loss };
      };
      for (const shuffleBuffer of [16, 10000]) {
        const a = run({ ...shuffled, shuffleBuffer });
        expect(run({ ...shuffled, shuffleBuffer })).toEqual(a);
        expect(run({ ...shuffled, shuffleBuffer, shuffle: false }).params).not.toEqual(a.params);
      }
    });

    it.each([
      [16, 'mean'],
      [16, 'sum'],
      [8, 'mean'],
      [10000, 'mean'],
      [3, 'sum'],
    ])("every row trains once per epoch (shuffleBuffer %i, %s): with a tiny rate the epoch loss is the array fit's", (shuffleBuffer, reduction) => {
      const options = { ...sig, reduction: reduction as 'mean' };
      const a = new Network(options);
      const b = new Network(options);
      const opts = { epochs: 2, batchSize: 8, learningRate: 1e-15, shuffle: true };
      const ha = a.fitSync((() => chunked(X, T)) as Any, { ...opts, shuffleBuffer } as Any);
      const hb = b.fitSync(X, T, opts);
      expect(ha.loss).toHaveLength(2);
      expect(maxRelativeDifference(ha.loss, hb.loss)).toBeLessThan(1e-12);
      // and it is the loss over all rows, as evaluate() sees them
      expect(maxRelativeDifference([ha.loss[0]], [new Network(options).evaluate(X, T).loss])).toBeLessThan(1e-12);
    });

    it('validation works as before', () => {
      const net = new Network(sig);
      const h = net.fitSync((() => chunked(X, T)) as Any, { ...shuffled, shuffleBuffer: 16, validation: { inputs: X.slice(0, 10), targets: T.slice(0, 10) } } as Any);
      expect(h.validationLoss).toHaveLength(2);
      expect(h.validationLoss![1]).toBe(net.evaluate(X.slice(0, 10), T.slice(0, 10)).loss);
    });

    it('fit and fitSync give the same shuffled run', async () => {
      const a = new Network(sig);
      const b = new Network(sig);
      await a.fit((() => chunked(X, T)) as Any, { ...shuffled, shuffleBuffer: 16 } as Any);
      b.fitSync((() => chunked(X, T)) as Any, { ...shuffled, shuffleBuffer: 16 } as Any);
      expect(bits(a.params)).toEqual(bits(b.params));
    });
  });

  describe('async sources', () => {
    async function* asyncChunks() {
      for (const c of chunked(X, T)) {
        await new Promise((r) => setTimeout(r, 0));
        yield c;
      }
    }

    it('an async generator works with fit (equal to the array fit without shuffling)', async () => {
      let calls = 0;
      const a = new Network(sig);
      const b = new Network(sig);
      const ha = await a.fit(
        (() => {
          calls++;
          return asyncChunks();
        }) as Any,
        { ...base, batchSize: 6 } as Any,
      );
      const hb = b.fitSync(X, T, { ...base, batchSize: 6 });
      expect(calls).toBe(3);
      expect(bits(a.params)).toEqual(bits(b.params));
      expect(ha.loss).toEqual(hb.loss);
    });

    it('an async generator with fitSync is a DeltapropError', () => {
      const net = new Network(sig);
      const before = bits(net.params);
      const e = errorOf(() => net.fitSync(asyncChunks as Any, { ...base, batchSize: 6 } as Any));
      expect(e).toBeInstanceOf(DeltapropError);
      expect(e.message).toMatch(/\bfit\b/);
      expect(bits(net.params)).toEqual(before);
    });
  });

  describe('bad sources', () => {
    const withBadChunk = (bad: { inputs: unknown; targets: unknown }) => () => {
      const chunks = chunked(X, T);
      chunks[2] = bad;
      return chunks;
    };

    it.each([
      ['inputs of the wrong width', { inputs: [[1, 2]], targets: [[0, 1]] }],
      ['targets of the wrong width', { inputs: [[1, 2, 3]], targets: [[0, 1, 0]] }],
      ['NaN in the inputs', { inputs: [[1, NaN, 3]], targets: [[0, 1]] }],
      ['NaN in the targets', { inputs: [[1, 2, 3]], targets: [[0, NaN]] }],
      [
        'mismatched rows',
        {
          inputs: [
            [1, 2, 3],
            [1, 2, 3],
          ],
          targets: [[0, 1]],
        },
      ],
    ])('a chunk with %s is a DeltapropError naming the chunk', async (_name, bad) => {
      for (const mode of ['fitSync', 'fit'] as const) {
        const net = new Network(sig);
        let e: Error | undefined;
        try {
          if (mode === 'fit') await net.fit(withBadChunk(bad) as Any, { ...base, batchSize: 4 } as Any);
          else net.fitSync(withBadChunk(bad) as Any, { ...base, batchSize: 4 } as Any);
        } catch (err) {
          e = err as Error;
        }
        expect(e, mode).toBeInstanceOf(DeltapropError);
        // the third chunk: index 2 (or "chunk 3" counting from one)
        expect(e!.message, mode).toMatch(/chunk\D{0,3}(2|3)\b/i);
        // still usable
        expect(net.predict(X).rows).toBe(N);
      }
    });

    it('validationSplit with a source is a DeltapropError', () => {
      const net = new Network(sig);
      const e = errorOf(() => net.fitSync((() => chunked(X, T)) as Any, { ...base, validationSplit: 0.2 } as Any));
      expect(e).toBeInstanceOf(DeltapropError);
      expect(e.message).toMatch(/validationSplit/);
    });

    it.each([
      ['no chunks', () => []],
      [
        'only empty chunks',
        () => [
          { inputs: [], targets: [] },
          { inputs: { rows: 0, cols: 3, data: new Float64Array(0) }, targets: { rows: 0, cols: 2, data: new Float64Array(0) } },
        ],
      ],
    ])('a source yielding no rows (%s) is a DeltapropError', async (_name, source) => {
      const net = new Network(sig);
      const before = bits(net.params);
      expect(errorOf(() => net.fitSync(source as Any, { ...base } as Any))).toBeInstanceOf(DeltapropError);
      let e: unknown;
      try {
        await net.fit(source as Any, { ...base } as Any);
      } catch (err) {
        e = err;
      }
      expect(e).toBeInstanceOf(DeltapropError);
      expect(bits(net.params)).toEqual(before);
    });
  });
});
