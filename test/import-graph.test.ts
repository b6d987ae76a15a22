// The import graph of src/ (built by scripts/import-graph.js, which
// scripts/code-stats.js prints too): no cycle, type-only imports included,
// and the layers of docs/architecture.md kept: the engines (src/backend/)
// depend on nothing above the Backend contract.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Adjacency } from '../scripts/import-graph.js';
import { adjacency, buildImportGraph, findCycles, formatPath, listTsFiles, tangledGroups } from '../scripts/import-graph.js';
import { firstCrossings } from './helpers/graph-paths.js';

const ROOT = path.resolve(__dirname, '..');

/** A graph given as file → the files it imports; names ending in '?' are type-only imports. */
function graphOf(edges: Record<string, string[]>): Adjacency {
  const adj: Adjacency = new Map();
  for (const [from, targets] of Object.entries(edges)) {
    adj.set(from, new Map(targets.map((t) => [t.replace(/\?$/, ''), t.endsWith('?')])));
  }
  return adj;
}

describe('the cycle finder', () => {
  it('finds a cycle planted among files that have none', () => {
    const adj = graphOf({ a: ['b'], b: ['c', 'x'], c: ['a?', 'y'], d: ['a'], x: ['y'], y: [] });
    expect(findCycles(adj)).toEqual([['a', 'b', 'c', 'a']]);
    expect(tangledGroups(adj)).toEqual([['a', 'b', 'c']]);
    expect(formatPath(['a', 'b', 'c', 'a'], adj)).toBe('a → b → c ⇢ a');
  });

  it('finds none where there is none, even where paths meet again', () => {
    const adj = graphOf({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] });
    expect(findCycles(adj)).toEqual([]);
    expect(tangledGroups(adj)).toEqual([]);
  });

  it('finds each of two separate cycles, a two-file one included', () => {
    const adj = graphOf({ a: ['b'], b: ['a'], c: ['d'], d: ['e'], e: ['c'] });
    expect(findCycles(adj)).toEqual([
      ['a', 'b', 'a'],
      ['c', 'd', 'e', 'c'],
    ]);
  });
});

describe('the graph builder', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'deltaprop-import-graph-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts every way a file names another, and finds each by its .js name', () => {
    mkdirSync(path.join(dir, 'src', 'sub'), { recursive: true });
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));
    const files: Record<string, string> = {
      'src/a.ts': "import type { B } from './sub/b.js';\nimport 'node:fs';\nexport type A = B;\n",
      'src/sub/b.ts': "export { c as B } from '../c.js';\n",
      'src/c.ts': "export const c = () => import('./d.js');\n",
      'src/d.ts': "declare const require: (s: string) => unknown;\nexport const d = require('./e.js');\n",
      'src/e.ts': "import { type A } from './a.js';\nexport type { A };\nexport type F = typeof import('./f.js');\n",
      'src/f.ts': 'export const f = 1;\n',
    };
    for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);

    const graph = buildImportGraph(dir);
    expect(graph.files).toEqual(Object.keys(files).sort());
    expect(graph.unresolved).toEqual([]);
    const edges = (file: string) => graph.edges.get(file)!.map((e) => [e.to, e.kind, e.typeOnly]);
    expect(edges('src/a.ts')).toEqual([['src/sub/b.ts', 'import', true]]);
    expect(edges('src/sub/b.ts')).toEqual([['src/c.ts', 'export from', false]]);
    expect(edges('src/c.ts')).toEqual([['src/d.ts', 'import()', false]]);
    expect(edges('src/d.ts')).toEqual([['src/e.ts', 'require', false]]);
    expect(edges('src/e.ts')).toEqual([
      ['src/a.ts', 'import', true],
      ['src/f.ts', 'import type()', true],
    ]);
    const adj = adjacency(graph);
    expect(findCycles(adj).map((c) => formatPath(c, adj))).toEqual(['a.ts ⇢ sub/b.ts → c.ts → d.ts → e.ts ⇢ a.ts']);
  });

  it('lists a relative import it cannot resolve instead of dropping it', () => {
    writeFileSync(path.join(dir, 'src/f.ts'), "import { g } from './missing.js';\nexport const f = g;\n");
    expect(buildImportGraph(dir).unresolved).toMatchObject([{ from: 'src/f.ts', specifier: './missing.js' }]);
  });
});

describe('src/', () => {
  const graph = buildImportGraph(ROOT);
  const adj = adjacency(graph);

  it('is read whole: every .ts file, every relative import resolved', () => {
    expect(graph.files.length).toBeGreaterThan(100);
    expect(graph.files).toEqual(listTsFiles(ROOT));
    expect(graph.files).toContain('src/network.ts');
    expect(graph.files).toContain('src/backend/types.ts');
    expect(graph.unresolved).toEqual([]);
  });

  it('has no import cycle, type-only imports included', () => {
    const knots = tangledGroups(adj).map((g) => `${g.length} files: ${g.map((f) => f.slice('src/'.length)).join(', ')}`);
    // ⇢ marks a step made only of type imports; removing the last step of
    // every listed cycle would leave none.
    expect(
      findCycles(adj).map((c) => formatPath(c, adj)),
      `files tied in a knot:\n${knots.join('\n')}`,
    ).toEqual([]);
  });

  // The modules below the Backend contract that the engines share with the
  // layers above: the one error type and memory checks every layer uses, the
  // generator the js engine's dropout draws from (also the network's
  // shuffling and initialisation). The js engine's maths lives in
  // src/backend/js/, mirroring native/kernels; the option modules above
  // (activations.ts, losses.ts, optimizers.ts) map names to the codes of
  // src/backend/types.ts and hold no maths the engines need.
  const BACKEND_MAY_IMPORT = [
    'src/errors.ts', // DeltapropError, thrown by every layer
    'src/distributed/errors.ts', // DistributedError: what the MPI reducer's failures in the native engine become
    'src/memory.ts', // allocation checks before a buffer is made
    'src/random.ts',
  ];
  const inBackend = (file: string) => file.startsWith('src/backend/');

  it('src/backend/ imports from outside itself only the allowed lower modules', () => {
    const outside = graph.files
      .filter(inBackend)
      .flatMap((from) => (graph.edges.get(from) ?? []).filter((e) => !inBackend(e.to) && !BACKEND_MAY_IMPORT.includes(e.to)).map((e) => `${from}:${e.line} imports ${e.to}`));
    expect(outside).toEqual([]);
  });

  // What the allowed modules themselves import: argument checks, the Matrix
  // type, typed-array slots. The engines' whole world is src/backend/, the
  // allowed modules and these: anything else they reach, however indirectly,
  // is a layer above (the fit loop, Network, files, tables, CLI, report,
  // exporters) that they would depend on all the same.
  const BELOW_BACKEND = [...BACKEND_MAY_IMPORT, 'src/validate.ts', 'src/matrix.ts', 'src/typed-array-slots.ts'];

  it('nothing src/backend/ depends on, directly or not, is in a layer above it', () => {
    expect(
      BELOW_BACKEND.filter((f) => !graph.files.includes(f)),
      'listed but not in src/',
    ).toEqual([]);
    const above = (file: string) => !inBackend(file) && !BELOW_BACKEND.includes(file);
    const crossings = firstCrossings(adj, graph.files.filter(inBackend), above);
    expect(crossings.map((chain) => formatPath(chain, adj))).toEqual([]);
  });
});
