import type { Adjacency } from '../../scripts/import-graph.js';

/**
 * For each file matching `stop` that the sources reach through imports, the
 * shortest chain from a source to it, not passing through another stopping
 * file: the first step over a line, which is the one to fix.
 */
export function firstCrossings(adj: Adjacency, sources: readonly string[], stop: (file: string) => boolean): string[][] {
  const parent = new Map<string, string | null>(sources.map((s) => [s, null]));
  const queue = [...sources].sort();
  const crossings: string[][] = [];
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i];
    if (stop(file)) {
      const chain = [file];
      for (let p = parent.get(file); p != null; p = parent.get(p)) chain.unshift(p);
      crossings.push(chain);
      continue;
    }
    for (const next of [...(adj.get(file)?.keys() ?? [])].sort()) {
      if (!parent.has(next)) {
        parent.set(next, file);
        queue.push(next);
      }
    }
  }
  return crossings;
}
