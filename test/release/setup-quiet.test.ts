// A newcomer's set-up prints nothing that looks like a failure: no npm
// warning on any npm command in the repository (a project .npmrc with a
// setting npm does not know warned on every one), and the committed
// package-lock.json is the one npm writes (npm install leaves git clean).
// The install hook's builds are quiet unless they fail: test/release/install.test.ts.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CHILD_TIMEOUT_MS } from '../helpers/node.js';
import { ROOT } from './prerequisites.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'deltaprop-setup-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** npm as a user runs it in `cwd`: none of the npm_* variables of the npm that runs these tests. */
function npm(args: string[], cwd: string) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('npm_')));
  return spawnSync('npm', args, { cwd, env, encoding: 'utf8', timeout: CHILD_TIMEOUT_MS });
}

it('an npm command in the repository warns of nothing', () => {
  const result = npm(['pkg', 'get', 'name'], ROOT);
  expect(result.status, result.stderr).toBe(0);
  expect(result.stdout.trim()).toBe('"deltaprop"');
  expect(result.stderr).toBe('');
});

it('npm leaves the committed package-lock.json as it is (the lockfile is the one npm writes)', () => {
  for (const file of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(ROOT, file), path.join(work, file));
  const result = npm(['install', '--package-lock-only', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], work);
  expect(result.status, result.stderr).toBe(0);
  expect(result.stderr).not.toMatch(/npm warn/i);
  expect(fs.readFileSync(path.join(work, 'package-lock.json'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
});
