// DELTAPROP_BACKEND picks the engine at import time, and a package whose addon
// is missing falls back to js and says why. Runs the built package (dist/) in
// child processes, the way users load it.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKENDS } from './helpers/backends.js';
import { runNode } from './helpers/node.js';

const root = path.resolve(__dirname, '..');

const SHOW = `
  try {
    const d = require('deltaprop');
    let forced = 'ok';
    try { new d.Network({ inputs: 1, layers: [{ units: 1, activation: 'identity' }], backend: 'native' }); }
    catch (e) { forced = e.name + ': ' + e.message; }
    console.log(JSON.stringify({ name: d.backend.name, nativeError: d.backend.nativeError, forced }));
  } catch (e) { console.log(JSON.stringify({ thrown: e.name + ': ' + e.message })); }
`;

function show(env: Record<string, string | undefined>, cwd = root) {
  const result = runNode(['-e', SHOW], { env, cwd });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

describe.runIf(BACKENDS.includes('native'))('with the addon built', () => {
  it('auto (the default) picks native', () => {
    expect(show({ DELTAPROP_BACKEND: undefined })).toMatchObject({ name: 'native', nativeError: null, forced: 'ok' });
  });
  it('DELTAPROP_BACKEND=js picks js, and a network can still ask for native', () => {
    expect(show({ DELTAPROP_BACKEND: 'js' })).toMatchObject({ name: 'js', forced: 'ok' });
  });
  it('DELTAPROP_BACKEND=native picks native', () => {
    expect(show({ DELTAPROP_BACKEND: 'native' })).toMatchObject({ name: 'native' });
  });
});

it('an unknown DELTAPROP_BACKEND is an error that lists the choices', () => {
  expect(show({ DELTAPROP_BACKEND: 'gpu' }).thrown).toMatch(/^DeltapropError: DELTAPROP_BACKEND: expected 'auto', 'native' or 'js', got "gpu"/);
});

describe('without any addon (no build/, no prebuilds/)', () => {
  // A copy of the package with only its JavaScript: what a user gets when the build failed.
  const copy = mkdtempSync(path.join(tmpdir(), 'deltaprop-nobuild-'));
  const pkg = path.join(copy, 'node_modules', 'deltaprop');
  cpSync(path.join(root, 'dist'), path.join(pkg, 'dist'), { recursive: true });
  cpSync(path.join(root, 'package.json'), path.join(pkg, 'package.json'));
  symlinkSync(path.join(root, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('auto falls back to js and keeps the reason', () => {
    const seen = show({ DELTAPROP_BACKEND: undefined }, copy);
    expect(seen.name).toBe('js');
    expect(seen.nativeError).toMatch(/No native build was found.*npm rebuild deltaprop/);
    expect(seen.forced).toMatch(/^DeltapropError: options.backend: 'native' was requested but the native addon did not load/);
  });

  it('DELTAPROP_BACKEND=native throws a clear error at import', () => {
    expect(show({ DELTAPROP_BACKEND: 'native' }, copy).thrown).toMatch(/^DeltapropError: DELTAPROP_BACKEND: 'native' was requested but the native addon did not load/);
  });
});
