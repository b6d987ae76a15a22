// The README's quick start, run exactly as written (from the package root, so
// require('deltaprop') resolves to this package): documentation that cannot drift.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runNode } from './helpers/node.js';

const root = path.resolve(__dirname, '..');

/** Runs the first js block after `heading` in the README, as written. */
function runSnippet(heading: string) {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  const code = /```js\n([\s\S]*?)```/.exec(section)![1];
  return runNode(['-e', code], { cwd: root });
}

it('the quick start runs and learns XOR', () => {
  const result = runSnippet('## Quick start');
  expect(result.status, result.stderr).toBe(0);
  expect(result.stdout).toMatch(/^(native|js) \d/);
  expect(result.stdout).toMatch(/accuracy: 1 \}/);
});

it('the table example runs as written: it learns its classes and width, and predicts a row with a missing value', () => {
  const result = runSnippet('#### Tables: columns');
  expect(result.status, result.stderr).toBe(0);
  // What the comments in the example say it prints.
  expect(result.stdout.trim().split('\n')).toEqual(["[ 'free', 'pro' ] 6", "[ 'pro' ]", '1']);
});
