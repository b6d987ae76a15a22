// The built package works from both require and import, as one module
// instance (the ESM entry re-exports the CommonJS build).
import path from 'node:path';
import { expect, it } from 'vitest';
import { runNode } from './helpers/node.js';

const root = path.resolve(__dirname, '..');

it('require and import give the same exports, the same objects, and a working Network', () => {
  const script = `
    import { createRequire } from 'node:module';
    const cjs = createRequire(import.meta.url)('deltaprop');
    const esm = await import('deltaprop');
    const names = (m) => Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule').sort();
    const same = names(cjs).every((k) => cjs[k] === esm[k]);
    const net = new esm.Network({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], seed: 1 });
    let error = null;
    try { net.predict([[1]]); } catch (e) { error = e instanceof cjs.DeltapropError; }
    console.log(JSON.stringify({ cjs: names(cjs), esm: names(esm), same, rows: net.predict([[1, 2]]).rows, error }));
  `;
  const result = runNode(['--input-type=module', '-e', script], { cwd: root });
  expect(result.status, result.stderr).toBe(0);
  const seen = JSON.parse(result.stdout);
  expect(seen.esm).toEqual(seen.cjs);
  expect(seen.cjs).toEqual([
    'AbortError',
    'DeltapropError',
    'Network',
    'backend',
    'crossValidate',
    'gemm',
    'kFold',
    'matrix',
    'metrics',
    'oneHot',
    'setThreads',
    'toArray',
    'toMatrix',
    'trainTestSplit',
    'trainingReport',
  ]);
  expect(seen).toMatchObject({ same: true, rows: 1, error: true });
});
