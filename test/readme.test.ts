// The documentation's examples, run exactly as written (from the package root,
// so require('deltaprop') resolves to this package): documentation that
// cannot drift. The quick start is in the README, the table example in the
// API reference.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runNode } from './helpers/node.js';

const root = path.resolve(__dirname, '..');

/** Runs the first js block after `heading` in `file` (relative to the package root), as written. */
function runSnippet(file: string, heading: string) {
  const text = readFileSync(path.join(root, file), 'utf8');
  const start = text.indexOf(heading);
  // A heading that moved or was renamed must fail here, not run another block.
  expect(start, `${heading} in ${file}`).toBeGreaterThanOrEqual(0);
  const code = /```js\n([\s\S]*?)```/.exec(text.slice(start))![1];
  return runNode(['-e', code], { cwd: root });
}

it('the quick start runs and learns XOR', () => {
  const result = runSnippet('README.md', '## Quick start');
  expect(result.status, result.stderr).toBe(0);
  expect(result.stdout).toMatch(/^(native|js) \d/);
  expect(result.stdout).toMatch(/accuracy: 1 \}/);
});

it('the table example runs as written: it learns its classes and width, and predicts a row with a missing value', () => {
  const result = runSnippet('docs/api.md', '### Tables: columns');
  expect(result.status, result.stderr).toBe(0);
  // What the comments in the example say it prints.
  expect(result.stdout.trim().split('\n')).toEqual(["[ 'free', 'pro' ] 6", "[ 'pro' ]", '1']);
});
