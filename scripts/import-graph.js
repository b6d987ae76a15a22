'use strict';
// The import graph of src/**/*.ts, shared by test/import-graph.test.ts and
// scripts/code-stats.js so the two cannot disagree about what an edge is.
//
// Every dependency a reader has to know about counts as an edge, including
// the ones that vanish from the JavaScript: `import type`, `import { type X }`,
// `typeof import('./x.js')`. A cycle of types still ties two files together
// (neither can be read, moved or reviewed without the other), so it is a
// cycle. Specifiers are resolved by TypeScript itself with the repository's
// own tsconfig.json, so './x.js' finds x.ts exactly as the compiler does.
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

function toPosix(p) {
  return p.split(path.sep).join('/');
}

/** The .ts files under root/dir (declaration files included), repository-relative, sorted. */
function listTsFiles(root, dir = 'src') {
  const found = [];
  const walk = (abs) => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const child = path.join(abs, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && /\.[cm]?ts$/.test(entry.name)) found.push(toPosix(path.relative(root, child)));
    }
  };
  walk(path.join(root, dir));
  return found.sort();
}

function readCompilerOptions(root) {
  const configPath = path.join(root, 'tsconfig.json');
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, configPath).options;
}

function isTypeOnlyImport(node) {
  const clause = node.importClause;
  if (!clause) return false; // import './x.js' runs x
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

function isTypeOnlyExport(node) {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
}

/** Each module specifier a source file names, with how it names it. */
function collectSpecifiers(sourceFile) {
  const found = [];
  const add = (literal, kind, typeOnly) => {
    const line = sourceFile.getLineAndCharacterOfPosition(literal.getStart(sourceFile)).line + 1;
    found.push({ literal, specifier: literal.text, kind, typeOnly, line });
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier, 'import', isTypeOnlyImport(node));
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier, 'export from', isTypeOnlyExport(node));
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      add(node.moduleReference.expression, 'import = require', node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1 && ts.isStringLiteralLike(node.arguments[0])) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], 'import()', false);
      else if (ts.isIdentifier(node.expression) && node.expression.text === 'require') add(node.arguments[0], 'require', false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal, 'import type()', true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

function isRelative(specifier) {
  return specifier.startsWith('./') || specifier.startsWith('../');
}

/**
 * The import graph of the given repository-relative files: for each file, its
 * edges to other files of the repository (relative specifiers only; packages
 * and node: builtins are not part of the graph). A relative specifier that
 * does not resolve is listed in `unresolved`, never silently dropped.
 */
function buildImportGraph(root, files = listTsFiles(root)) {
  root = path.resolve(root);
  const options = readCompilerOptions(root);
  const host = ts.sys;
  const cache = ts.createModuleResolutionCache(root, (f) => f, options);
  const edges = new Map();
  const unresolved = [];
  for (const file of files) {
    const abs = path.join(root, file);
    const impliedNodeFormat = ts.getImpliedNodeFormatForFile(abs, cache.getPackageJsonInfoCache(), host, options);
    const sourceFile = ts.createSourceFile(abs, fs.readFileSync(abs, 'utf8'), { languageVersion: ts.ScriptTarget.Latest, impliedNodeFormat }, true);
    const out = [];
    for (const use of collectSpecifiers(sourceFile)) {
      if (!isRelative(use.specifier)) continue;
      const mode = ts.getModeForUsageLocation(sourceFile, use.literal, options);
      const resolved = ts.resolveModuleName(use.specifier, abs, options, host, cache, undefined, mode).resolvedModule;
      const { literal, ...edge } = use;
      if (!resolved) {
        unresolved.push({ from: file, ...edge });
        continue;
      }
      out.push({ to: toPosix(path.relative(root, resolved.resolvedFileName)), ...edge });
    }
    edges.set(file, out);
  }
  return { files, edges, unresolved };
}

/** file → the distinct files it depends on, each marked type-only when every edge to it is. */
function adjacency(graph) {
  const adj = new Map();
  for (const [from, edges] of graph.edges) {
    const targets = new Map();
    for (const e of edges) {
      if (e.to === from) continue;
      targets.set(e.to, (targets.get(e.to) ?? true) && e.typeOnly);
    }
    adj.set(from, targets);
  }
  return adj;
}

/** Strongly connected components of more than one file (Tarjan), each sorted. */
function tangledGroups(adj) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const groups = [];
  const connect = (v) => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of (adj.get(v) ?? new Map()).keys()) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const v of [...adj.keys()].sort()) if (!index.has(v)) connect(v);
  return groups.sort((a, b) => a[0].localeCompare(b[0]));
}

/**
 * The cycles a depth-first search meets, in a fixed order (files and their
 * imports visited alphabetically): one per edge that leads back to a file
 * still on the search's path, listed from that file round to itself.
 * Listing every elementary cycle instead would bury a reader: one knot of 25
 * files holds hundreds. These are enough to act on: with the last edge of
 * each listed cycle gone, no cycle is left (a graph without back edges is
 * acyclic). A file of a knot may lie on none of them: tangledGroups names
 * every file of every knot.
 */
function findCycles(adj) {
  const ON_PATH = 1;
  const DONE = 2;
  const state = new Map();
  const path = [];
  const cycles = [];
  const visit = (v) => {
    state.set(v, ON_PATH);
    path.push(v);
    for (const w of [...(adj.get(v) ?? new Map()).keys()].sort()) {
      if (state.get(w) === ON_PATH) cycles.push([...path.slice(path.indexOf(w)), w]);
      else if (!state.has(w)) visit(w);
    }
    path.pop();
    state.set(v, DONE);
  };
  for (const v of [...adj.keys()].sort()) if (!state.has(v)) visit(v);
  return cycles;
}

/** "a.ts → b.ts ⇢ a.ts" for a chain of imports: ⇢ marks a step made only of type imports. */
function formatPath(files, adj, strip = 'src/') {
  const name = (f) => (f.startsWith(strip) ? f.slice(strip.length) : f);
  let text = name(files[0]);
  for (let i = 1; i < files.length; i += 1) {
    const typeOnly = adj.get(files[i - 1])?.get(files[i]);
    text += `${typeOnly ? ' ⇢ ' : ' → '}${name(files[i])}`;
  }
  return text;
}

module.exports = { listTsFiles, buildImportGraph, adjacency, tangledGroups, findCycles, formatPath };
