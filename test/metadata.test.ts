// options.metadata: any JSON object kept with the network, checked, copied,
// frozen, and saved in both file formats.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltapropError, Network } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { errorOf } from './helpers/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'deltaprop-metadata-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = { inputs: 2, layers: [{ units: 3, activation: 'softmax' as const }], loss: 'cross-entropy' as const, seed: 3 };

describe.each(BACKENDS)('metadata on %s', (backend) => {
  const metadata = { task: 'classification', classes: ['setosa', 'versicolor', '<virginica>'], features: ['a', 'b'], nested: { n: 1.5, list: [null, true, -0.25] } };

  it('is kept, frozen, and round-trips through save/load and toJSON/fromJSON', () => {
    const net = new Network({ ...base, metadata, backend });
    expect(net.metadata).toEqual(metadata);
    expect(Object.isFrozen(net.metadata)).toBe(true);
    expect(Object.isFrozen((net.metadata as { classes: string[] }).classes)).toBe(true);
    const file = path.join(dir, `${backend}.dpm`);
    net.save(file);
    expect(Network.load(file, { backend }).metadata).toEqual(metadata);
    expect(Network.fromJSON(JSON.stringify(net.toJSON()), { backend }).metadata).toEqual(metadata);
    expect(new Network({ ...base, backend }).metadata).toBeNull();
  });

  it('is a copy: changing the object passed in later changes nothing', () => {
    const given = { classes: ['x', 'y'] };
    const net = new Network({ ...base, metadata: given, backend });
    given.classes[0] = 'changed';
    expect(net.metadata).toEqual({ classes: ['x', 'y'] });
  });

  it('reads each value once (a getter cannot answer differently to the check and the copy)', () => {
    let reads = 0;
    const tricky = {
      get value() {
        reads++;
        return reads === 1 ? 'fine' : () => 0;
      },
    };
    const net = new Network({ ...base, metadata: tricky as never, backend });
    expect(reads).toBe(1);
    expect(net.metadata).toEqual({ value: 'fine' });
  });

  it('keeps a key named __proto__ as a key, never as a prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": 1}}');
    const net = new Network({ ...base, metadata: parsed, backend });
    expect(Object.getPrototypeOf(net.metadata)).toBe(Object.prototype);
    expect(Object.keys(net.metadata!)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['a string', 'text', /JSON object/],
    ['an array', [1, 2], /JSON object/],
    ['NaN', { x: NaN }, /metadata\.x.*finite/],
    ['Infinity in an array', { x: [1, Infinity] }, /metadata\.x\[1\].*finite/],
    ['a function', { f: () => 1 }, /metadata\.f.*JSON value/],
    ['undefined', { u: undefined }, /metadata\.u.*JSON value/],
    ['a bigint', { b: 1n }, /metadata\.b.*JSON value/],
    ['a Date', { d: new Date(0) }, /metadata\.d.*plain object/],
    ['a Map', { m: new Map() }, /metadata\.m.*plain object/],
    ['a typed array', { t: new Float64Array(2) }, /metadata\.t.*plain object/],
  ])('refuses %s with a DeltapropError naming where', (_, value, message) => {
    const error = errorOf(() => new Network({ ...base, metadata: value as never, backend }));
    expect(error).toBeInstanceOf(DeltapropError);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses cycles and deep nesting, and more than a megabyte of JSON', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect((errorOf(() => new Network({ ...base, metadata: cycle as never, backend })) as Error).message).toMatch(/levels of nesting/);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { deep };
    expect(errorOf(() => new Network({ ...base, metadata: deep as never, backend }))).toBeInstanceOf(DeltapropError);
    let shallow: unknown = 1;
    for (let i = 0; i < 30; i++) shallow = { shallow };
    expect(new Network({ ...base, metadata: shallow as never, backend }).metadata).toEqual(shallow);
    const big = { text: 'x'.repeat(1 << 20) };
    expect((errorOf(() => new Network({ ...base, metadata: big, backend })) as Error).message).toMatch(/characters as JSON/);
  });
});
