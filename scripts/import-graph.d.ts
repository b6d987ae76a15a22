// Types of scripts/import-graph.js, for test/import-graph.test.ts (the
// scripts are plain CommonJS, which the type check does not read).

export interface ImportEdge {
  /** The file imported, repository-relative. */
  to: string;
  specifier: string;
  kind: 'import' | 'export from' | 'import = require' | 'import()' | 'require' | 'import type()';
  /** True when the edge is gone from the emitted JavaScript (import type, import { type X }, export type … from). */
  typeOnly: boolean;
  line: number;
}

export interface ImportGraph {
  files: string[];
  edges: Map<string, ImportEdge[]>;
  unresolved: ({ from: string } & Omit<ImportEdge, 'to'>)[];
}

/** file → the files it imports → true when every import of that file is type-only. */
export type Adjacency = Map<string, Map<string, boolean>>;

export function listTsFiles(root: string, dir?: string): string[];
export function buildImportGraph(root: string, files?: string[]): ImportGraph;
export function adjacency(graph: ImportGraph): Adjacency;
export function tangledGroups(adj: Adjacency): string[][];
export function findCycles(adj: Adjacency): string[][];
export function formatPath(files: readonly string[], adj: Adjacency, strip?: string): string;
