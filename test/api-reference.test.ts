// The API reference (`npm run docs:api`, configured by typedoc.json) builds
// without a warning: every {@link} resolves, and every type the public API
// refers to is in the reference or named in intentionallyNotExported.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAILURE_CODES } from '../src/distributed/errors.js';
import { MONITORS } from '../src/training/fit-options.js';
import { runNode } from './helpers/node.js';

const root = path.resolve(__dirname, '..');
const typedoc = path.join(root, 'node_modules', 'typedoc', 'bin', 'typedoc');

/** TypeDoc with typedoc.json, the given options on top, checking only: nothing is written. */
function validate(options: string[] = []): { status: number | null; output: string } {
  const result = runNode([typedoc, '--emit', 'none', '--treatWarningsAsErrors', ...options], { cwd: root, env: { NO_COLOR: '1' } });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/** The doc comment right above `declaration` in a source file. */
function commentAbove(file: string, declaration: string): string {
  const source = readFileSync(path.join(root, file), 'utf8');
  const at = source.indexOf(declaration);
  const start = source.lastIndexOf('/**', at);
  const end = source.lastIndexOf('*/', at);
  if (at < 0 || start < 0 || source.slice(end + 2, at).trim() !== '') throw new Error(`${file}: no doc comment above ${declaration}`);
  return source.slice(start, end);
}

describe('the API reference', () => {
  it('builds from src/index.ts and src/distributed.ts without a warning', () => {
    const { status, output } = validate();
    expect(status, output).toBe(0);
  });

  it('would report a broken link and an exported function taking a type that is not exported', () => {
    // A config of its own, as typedoc.json's tsconfig wins over --tsconfig.
    const { status, output } = validate(['--options', path.join('test', 'fixtures', 'typedoc', 'typedoc.json')]);
    expect(status).not.toBe(0);
    expect(output).toMatch(/Failed to resolve link to "Nowhere"/);
    expect(output).toMatch(/Hidden, defined in .*index\.ts, is referenced by .*read.* but not included in the documentation/);
  });

  // The reference shows these types as `(typeof LIST)[number]` of a list it
  // does not include (typedoc.json's intentionallyNotExported), so their
  // comments spell the values out, and must keep up with the lists.
  it.each([
    ['src/training/fit-options.ts', 'export type Monitor ', MONITORS],
    ['src/distributed/errors.ts', 'export type DistributedErrorCode ', FAILURE_CODES],
  ])('%s: the comment above "%s" names every value of its list', (file, declaration, values) => {
    const comment = commentAbove(file, declaration);
    expect(values.filter((value) => !comment.includes(`'${value}'`))).toEqual([]);
  });
});
