// What a fit leaves behind when it ends early: its listener on the caller's
// AbortSignal, an open chunk source, and the files it saves (permissions and
// symlinks kept). Also the history of a fit that onEpoch stopped.
import { chmodSync, existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { getEventListeners } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AbortError, Network } from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';
import { randomRows, seededUniform } from './helpers/data.js';

describe.each(BACKENDS)('fit clean-up on %s', (backend) => {
  const next = seededUniform(5);
  const X = randomRows(40, 3, next);
  const T = randomRows(40, 2, next, 0, 1);
  const options = {
    inputs: 3,
    layers: [
      { units: 4, activation: 'tanh' as const },
      { units: 2, activation: 'sigmoid' as const },
    ],
    seed: 2,
    backend,
  };
  const dir = mkdtempSync(path.join(tmpdir(), 'deltaprop-cleanup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a fit that fails leaves no listener on the signal', async () => {
    const controller = new AbortController();
    const net = new Network(options);
    const failing = {
      epochs: 3,
      signal: controller.signal,
      onEpoch: () => {
        throw new Error('from onEpoch');
      },
    };
    await expect(net.fit(X, T, failing)).rejects.toThrow('from onEpoch');
    expect(() => net.fitSync(X, T, failing)).toThrow('from onEpoch');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    await net.fit(X, T, { epochs: 1, signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('a streamed fit stopped by a bad chunk, or cancelled while it waits for one, closes its source', async () => {
    let closed = 0;
    const net = new Network(options);
    function* bad() {
      try {
        yield { inputs: X, targets: T };
        yield { inputs: [[1, 2]], targets: [[0, 1]] };
        yield { inputs: X, targets: T };
      } finally {
        closed++;
      }
    }
    expect(() => net.fitSync(bad, { epochs: 1 })).toThrow(/^chunk 1\.inputs\[0\]: expected 3 values/);
    expect(closed).toBe(1);

    const controller = new AbortController();
    async function* slow() {
      try {
        yield { inputs: X, targets: T };
        controller.abort();
        yield { inputs: X, targets: T };
        yield { inputs: X, targets: T };
      } finally {
        closed++;
      }
    }
    const before = Float64Array.from(net.params);
    const error = await net.fit(slow, { epochs: 1, shuffleBuffer: 1000, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).minibatches).toBe(0); // the buffer was not full yet: nothing trained
    expect(Array.from(net.params)).toEqual(Array.from(before));
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(2);
  });

  it('stoppedEpoch is the epoch after which onEpoch stopped training', () => {
    const net = new Network(options);
    const history = net.fitSync(X, T, {
      epochs: 10,
      validationSplit: 0.25,
      earlyStopping: { patience: 100 },
      onEpoch: ({ epoch }) => epoch !== 3,
    });
    expect(history.epochs).toBe(4);
    expect(history.stoppedEpoch).toBe(3);
  });

  it('save keeps the permissions of the file it replaces and writes through a symlink', () => {
    const net = new Network(options);
    const file = path.join(dir, `model-${backend}.json`);
    net.save(file);
    chmodSync(file, 0o600);
    net.fitSync(X, T, { epochs: 1 });
    net.save(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const link = path.join(dir, `link-${backend}.json`);
    symlinkSync(file, link);
    net.fitSync(X, T, { epochs: 1 });
    net.save(link);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(Network.load(file, { backend }).params).toEqual(net.params);
    expect(Network.load(link, { backend }).toJSON().params).toBe(net.toJSON().params);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('save removes the temporary files that a process killed mid-save left, and only those', () => {
    const file = path.join(dir, `orphans-${backend}.model`);
    // pid 2^22 + 1 is beyond Linux's largest pid: no such process runs.
    const orphan = path.join(dir, `.orphans-${backend}.model.4194305.1700000000000.tmp`);
    const ours = path.join(dir, `.orphans-${backend}.model.${process.pid}.1700000000000.tmp`);
    const other = path.join(dir, `.other-${backend}.model.4194305.1700000000000.tmp`);
    for (const f of [orphan, ours, other]) writeFileSync(f, 'partial');
    new Network(options).save(file);
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(ours)).toBe(true); // this process's own: not an orphan
    expect(existsSync(other)).toBe(true); // another file's
    for (const f of [ours, other]) rmSync(f);
  });
});
