'use strict';
// Figures about the code's shape, for reviews of its structure:
//   node scripts/code-stats.js [repository root]
// The root defaults to this script's repository; another one (an older
// checkout, say) is read with this script's own TypeScript.
const fs = require('node:fs');
const path = require('node:path');
const { adjacency, buildImportGraph, findCycles, formatPath, listTsFiles, tangledGroups } = require('./import-graph.js');
const { cppFunctions } = require('./cpp-functions.js');
const { tsFunctions } = require('./ts-functions.js');

const TOP = 10;

function filesUnder(root, dir, pattern) {
  const found = [];
  const walk = (abs) => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const child = path.join(abs, entry.name);
      // Build output (native/mpi/build) is not source.
      if (entry.isDirectory() && entry.name !== 'build') walk(child);
      else if (entry.isFile() && pattern.test(entry.name)) found.push(path.relative(root, child).split(path.sep).join('/'));
    }
  };
  walk(path.join(root, dir));
  return found.sort();
}

function longest(functions) {
  return functions
    .sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file) || a.line - b.line)
    .slice(0, TOP)
    .map((f) => `${String(f.lines).padStart(5)}  ${f.name}  ${f.file}:${f.line}`);
}

function main() {
  const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..'));
  const out = [`code stats of ${root}`, ''];

  const tsFiles = listTsFiles(root);
  const ts = tsFiles.flatMap((file) => tsFunctions(path.join(root, file)).map((f) => ({ file, ...f })));
  out.push(`Longest TypeScript functions in src/ (lines of the body, braces included; ${ts.length} functions):`, ...longest(ts), '');

  const cppFiles = filesUnder(root, 'native', /\.(cc|h)$/);
  const cpp = cppFiles.flatMap((file) => cppFunctions(path.join(root, file)).map((f) => ({ file, ...f })));
  out.push(`Longest C++ functions in native/ (lines of the body, braces included; ${cpp.length} functions):`, ...longest(cpp), '');

  const atRoot = tsFiles.filter((f) => f.split('/').length === 2).length;
  out.push(`.ts files: ${atRoot} directly in src/, ${tsFiles.length} under src/`, '');

  const graph = buildImportGraph(root, tsFiles);
  const adj = adjacency(graph);
  const cycles = findCycles(adj);
  const knots = tangledGroups(adj);
  out.push(`Import cycles (type-only imports included; ⇢ marks a type-only step): ${cycles.length}, ` + `tying ${knots.length} knots of ${knots.map((k) => k.length).join(', ') || 0} files`);
  for (const knot of knots) out.push(`  knot: ${knot.map((f) => f.slice('src/'.length)).join(', ')}`);
  for (const cycle of cycles) out.push(`  ${formatPath(cycle, adj)}`);
  for (const u of graph.unresolved) out.push(`  unresolved: ${u.from}:${u.line} ${u.specifier}`);
  out.push('');

  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  out.push(`README.md: ${readme.split('\n').length - (readme.endsWith('\n') ? 1 : 0)} lines`);
  console.log(out.join('\n'));
}

main();
