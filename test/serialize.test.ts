// toJSON / fromJSON / save / load: exact to the bit, shuffling state included,
// and every malformed document rejected with a DeltapropError.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NetworkJSON } from '../src/index.js';
import { DeltapropError, Network } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { randomRows, seededUniform } from './helpers/data.js';

const OPTIONS = {
  inputs: 3,
  layers: [
    { units: 5, activation: 'relu' as const },
    { units: 2, activation: 'softmax' as const },
  ],
  loss: 'cross-entropy' as const,
  reduction: 'sum' as const,
  l2: 0.25,
  seed: 1234,
};

const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2));

describe.each(BACKENDS)('serialization on %s', (backend) => {
  const next = seededUniform(21);
  const X = randomRows(12, 3, next);
  const T = X.map(([a]) => (a > 0 ? [1, 0] : [0, 1]));
  const dir = mkdtempSync(path.join(tmpdir(), 'deltaprop-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips every option and every parameter bit, −0 and subnormals included', () => {
    const net = new Network({ ...OPTIONS, backend });
    net.fitSync(X, T, { epochs: 3, batchSize: 5, learningRate: 0.05 });
    net.params[0] = -0;
    net.params[1] = 5e-324;
    const copy = Network.fromJSON(JSON.parse(JSON.stringify(net)) as NetworkJSON, { backend });
    expect(bits(copy.params)).toEqual(bits(net.params));
    for (const key of ['inputs', 'outputs', 'loss', 'reduction', 'bias', 'l2', 'seed', 'init'] as const) {
      expect(copy[key]).toEqual(net[key]);
    }
    expect(copy.layers.map((l) => l.activation)).toEqual(['relu', 'softmax']);
    expect(Array.from(copy.predict(X).data)).toEqual(Array.from(net.predict(X).data));
  });

  it('a restored network trains on exactly as the original (shuffling state is saved)', () => {
    const original = new Network({ ...OPTIONS, backend });
    original.fitSync(X, T, { epochs: 2, batchSize: 4, learningRate: 0.05 });
    const restored = Network.fromJSON(JSON.stringify(original), { backend });
    original.fitSync(X, T, { epochs: 2, batchSize: 4, learningRate: 0.05 });
    restored.fitSync(X, T, { epochs: 2, batchSize: 4, learningRate: 0.05 });
    expect(bits(restored.params)).toEqual(bits(original.params));
  });

  it('save and load go through a file', () => {
    const net = new Network({ ...OPTIONS, backend });
    const file = path.join(dir, `net-${backend}.json`);
    net.save(file);
    expect(bits(Network.load(file, { backend }).params)).toEqual(bits(net.params));
  });

  it('rejects malformed documents with DeltapropErrors naming the field', () => {
    const good = new Network({ ...OPTIONS, backend }).toJSON();
    const cases: [unknown, RegExp][] = [
      ['{not json', /^json: expected JSON text/],
      [{ ...good, format: 'other' }, /^json\.format:/],
      [{ ...good, version: 3 }, /^json\.version:/],
      [{ ...good, params: good.params.slice(0, 8) }, /^json\.params: expected 32 float64 parameters/],
      [{ ...good, params: Buffer.from(new Float64Array(32).fill(NaN).buffer).toString('base64') }, /^json\.params\[0\]: expected a finite number/],
      [{ ...good, shuffleState: [1, 2, 3] }, /^json\.shuffleState:/],
      [{ ...good, config: { ...good.config, loss: 'hinge' } }, /^json\.config\.loss:/],
      [{ ...good, config: { ...good.config, seed: undefined } }, /^json\.config\.seed:/],
      [{ ...good, params: '!' + good.params.slice(1) }, /^json\.params: expected standard base64/],
      [null, /^json:/],
    ];
    for (const [doc, message] of cases) {
      let error: unknown;
      try {
        Network.fromJSON(doc as NetworkJSON, { backend });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DeltapropError);
      expect((error as Error).message).toMatch(message);
    }
  });
});
