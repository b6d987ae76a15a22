import { it, expect } from 'vitest';
import { Network, crossValidate, trainTestSplit, kFold } from '../src/index.js';
it('probe', async () => {
  const X = Array.from({ length: 20 }, (_, i) => [i % 3, (i * 7) % 5]);
  const y = X.map((r, i) => (i % 2 ? 'a' : 'b'));
  const calls: string[] = [];
  const mk = () => { const n: any = new Network({ inputs: 2, layers: [{ units: 2, activation: 'softmax' }], loss: 'cross-entropy', seed: 1, backend: 'js' } as any);
    for (const m of ['fit', 'fitSync', 'evaluate', 'predict', 'predictProba', 'predictClasses', 'adapt']) { const f = n[m].bind(n); n[m] = (...a: any[]) => { calls.push(m + ' ' + (a[0]?.rows ?? a[0]?.length)); return f(...a); }; }
    return n; };
  const cv: any = await crossValidate(() => mk(), X, y, { folds: 3, seed: 2, fit: { epochs: 1 } } as any);
  console.log(calls);
});
