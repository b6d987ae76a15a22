// Every ISA's kernels against the portable generic ones, in one process
// (switching the ISA between computations), and results against the thread
// count. ISAs this CPU cannot run are listed by name as not testable here.
import { afterAll, describe, expect, it } from 'vitest';
import { backend, Network, setThreads } from '../src/index.js';
import { getBackend, nativeEngine } from '../src/backend/index.js';
import { ActivationCode } from '../src/backend/types.js';
import { BACKENDS } from './helpers/backends.js';
import { randomArray, randomRows, seededUniform } from './helpers/data.js';

const X86_ISAS = ['generic', 'sse2', 'avx2', 'avx512'];
const ARM_ISAS = ['generic', 'neon'];
const KNOWN = process.arch === 'arm64' ? ARM_ISAS : X86_ISAS;

const hasNative = BACKENDS.includes('native');
const supported = hasNative ? nativeEngine()!.info().supportedIsas : [];

describe.runIf(hasNative)('instruction sets', () => {
  it('run on the ISA DELTAPROP_ISA asks for (each CI run sets one), else the best one', () => {
    expect(backend.isa).toBe(process.env.DELTAPROP_ISA || supported.at(-1));
  });

  for (const isa of KNOWN.filter((name) => !supported.includes(name))) {
    it.skip(`${isa}: not testable here (this CPU lacks it)`, () => {});
  }

  const engine = nativeEngine()!;
  const native = getBackend('native', 'test');
  const initial = engine.info().isa;
  afterAll(() => engine.setIsa(initial));

  /** Runs `compute` on `isa` and on generic; returns both results. */
  function onBoth<T>(isa: string, compute: () => T): [T, T] {
    engine.setIsa(isa);
    const result = compute();
    engine.setIsa('generic');
    const reference = compute();
    engine.setIsa(initial);
    return [result, reference];
  }

  // Odd sizes around every block edge: single elements, partial micro-tiles,
  // shapes that take the direct path, the packed path, and the parallel one.
  const SHAPES: [number, number, number][] = [
    [1, 1, 1],
    [3, 7, 5],
    [13, 17, 9],
    [37, 129, 300],
    [130, 9, 257],
    [200, 250, 300],
  ];

  describe.each(supported.filter((isa) => isa !== 'generic'))('%s agrees with generic', (isa) => {
    it.each([
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ])('gemm transA=%s transB=%s, padded strides', (ta, tb) => {
      const next = seededUniform(77);
      for (const [m, n, k] of SHAPES) {
        const pad = 3;
        const lda = (ta ? m : k) + pad;
        const ldb = (tb ? k : n) + pad;
        const ldc = n + pad;
        const A = randomArray((ta ? k : m) * lda, next);
        const B = randomArray((tb ? n : k) * ldb, next);
        const C0 = randomArray(m * ldc, next);
        const [C, reference] = onBoth(isa, () => {
          const out = C0.slice();
          native.gemm(ta, tb, m, n, k, 1.5, A, lda, B, ldb, 0.5, out, ldc);
          return out;
        });
        // Summation orders differ (FMA, blocking): each element within (k + 2)·ε of the sum of |terms|, ≤ (k + 2)·ε·(1.5·k + 0.5) here.
        const bound = 2 * (k + 2) * Number.EPSILON * (1.5 * k + 0.5);
        C.forEach((c, i) => expect(Math.abs(c - reference[i])).toBeLessThanOrEqual(bound));
        // The padding between rows of C is never written.
        for (let i = 0; i < m; i++) for (let j = n; j < ldc; j++) expect(C[i * ldc + j]).toBe(C0[i * ldc + j]);
      }
    });

    it.each([ActivationCode.identity, ActivationCode.sigmoid, ActivationCode.tanh, ActivationCode.relu, ActivationCode.softmax])('forwardLayer with activation %i, and backpropDelta', (activation) => {
      const next = seededUniform(activation + 5);
      const [rows, fanIn, fanOut] = [33, 19, 23];
      const input = randomArray(rows * fanIn, next);
      const W = randomArray(fanIn * fanOut, next);
      const b = randomArray(fanOut, next);
      const [out, reference] = onBoth(isa, () => {
        const o = new Float64Array(rows * fanOut);
        native.forwardLayer(rows, fanIn, fanOut, input, W, b, activation, o);
        return o;
      });
      out.forEach((x, i) => expect(Math.abs(x - reference[i])).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(reference[i]))));
      if (activation === ActivationCode.softmax) return;
      const deltaNext = randomArray(rows * fanOut, next);
      const [delta, deltaReference] = onBoth(isa, () => {
        const d = new Float64Array(rows * fanIn);
        native.backpropDelta(rows, fanIn, fanOut, deltaNext, W, activation, reference.subarray(0, rows * fanIn), d);
        return d;
      });
      delta.forEach((x, i) => expect(Math.abs(x - deltaReference[i])).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(deltaReference[i]))));
    });

    it('gradients and two epochs of training on a random network', () => {
      const next = seededUniform(11);
      const X = randomRows(150, 40, next);
      const T = randomRows(150, 6, next, 0, 1);
      const make = () =>
        new Network({
          inputs: 40,
          layers: [
            { units: 70, activation: 'tanh' },
            { units: 6, activation: 'sigmoid' },
          ],
          l2: 0.01,
          seed: 3,
          backend: 'native',
        });
      const [grads, gradsReference] = onBoth(isa, () => make().gradients(X, T).grads);
      const scale = Math.max(...gradsReference.map(Math.abs));
      grads.forEach((g, i) => expect(Math.abs(g - gradsReference[i])).toBeLessThanOrEqual(1e-12 * scale));
      const [params, paramsReference] = onBoth(isa, () => {
        const net = make();
        net.fitSync(X, T, { epochs: 2, batchSize: 32, learningRate: 0.1, momentum: 0.5 });
        return net.params;
      });
      params.forEach((p, i) => expect(Math.abs(p - paramsReference[i])).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(paramsReference[i]))));
    });
  });

  describe('threads', () => {
    const threads = backend.threads;
    afterAll(() => setThreads(threads));

    it('give the same bits whatever their number (each element of C is summed by one thread, in one order)', () => {
      const next = seededUniform(21);
      const X = randomRows(512, 200, next);
      const T = randomRows(512, 10, next, 0, 1);
      const train = (n: number) => {
        setThreads(n);
        const net = new Network({
          inputs: 200,
          layers: [
            { units: 300, activation: 'sigmoid' },
            { units: 10, activation: 'sigmoid' },
          ],
          seed: 9,
          backend: 'native',
        });
        net.fitSync(X, T, { epochs: 2, batchSize: 128, learningRate: 0.05, momentum: 0.9 });
        return Array.from(net.params);
      };
      const one = train(1);
      expect(train(2)).toEqual(one);
      expect(train(3)).toEqual(one);
    });

    it('are reported and can be set from JS, within range', () => {
      setThreads(3);
      expect(backend.threads).toBe(3);
      expect(() => setThreads(0)).toThrow(/^threads: expected an integer in \[1, 256\], got 0/);
      expect(() => setThreads(1.5)).toThrow(/^threads:/);
    });
  });
});
