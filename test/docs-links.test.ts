// Every relative link in the README and docs/ leads to a file that exists
// and, when it names an #anchor, to a heading of that file: moving a section
// between pages must not leave links behind.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchors, relativeLinks, slug } from './helpers/markdown-links.js';

const root = path.resolve(__dirname, '..');
const pages = [
  'README.md',
  ...readdirSync(path.join(root, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/${file}`),
];

/** What is wrong with one link from `from` (a file relative to `base`), or null. */
function brokenLink(base: string, from: string, target: string): string | null {
  const [file, anchor] = target.split('#', 2) as [string, string | undefined];
  const to = file === '' ? path.join(base, from) : path.resolve(base, path.dirname(from), decodeURIComponent(file));
  if (!existsSync(to)) return 'no such file';
  if (anchor === undefined) return null;
  if (statSync(to).isDirectory() || !to.endsWith('.md')) return 'an anchor into a file that is not Markdown';
  return anchors(readFileSync(to, 'utf8')).has(decodeURIComponent(anchor)) ? null : 'no heading with that anchor';
}

/** Every broken link of `page`, as `page:line: target (why)`. */
function brokenLinks(base: string, page: string): string[] {
  return relativeLinks(readFileSync(path.join(base, page), 'utf8')).flatMap(({ line, target }) => {
    const why = brokenLink(base, page, target);
    return why === null ? [] : [`${page}:${line}: ${target} (${why})`];
  });
}

describe('the link checker', () => {
  it('gives headings the anchors GitHub gives them', () => {
    expect(slug('`new Network(options)`')).toBe('new-networkoptions');
    expect(slug('Set-up (two commands)')).toBe('set-up-two-commands');
    expect(slug('Coming from brain.js, TensorFlow.js, Keras or scikit-learn')).toBe('coming-from-brainjs-tensorflowjs-keras-or-scikit-learn');
    expect(slug('The benchmark: `npm run bench`')).toBe('the-benchmark-npm-run-bench');
    expect(slug('**Bold** and a [link](x.md) in snake_case')).toBe('bold-and-a-link-in-snake_case');
    expect([...anchors('# A\n## Notes\n```sh\n# not a heading\n```\n### Notes\n#### notes!\n')]).toEqual(['a', 'notes', 'notes-1', 'notes-2']);
  });

  it('finds links in prose and tables, not in code', () => {
    const markdown = 'See [a](a.md#x) and ![b](b.png).\n| [c](c.md) | `[d](d.md)` |\n```md\n[e](e.md)\n```\n[f]: f.md\n[g](https://example.com)\n';
    expect(relativeLinks(markdown).map((link) => link.target)).toEqual(['a.md#x', 'b.png', 'c.md', 'f.md']);
  });

  it('reports a missing file, a missing anchor and an anchor into a folder', () => {
    const base = path.join(root, 'test', 'fixtures', 'docs-links');
    expect(brokenLinks(base, 'page.md')).toEqual([
      'page.md:6: missing.md (no such file)',
      'page.md:7: other.md#gone (no heading with that anchor)',
      'page.md:8: #nowhere (no heading with that anchor)',
      'page.md:9: sub#x (an anchor into a file that is not Markdown)',
    ]);
  });
});

describe('the documentation links', () => {
  it('covers the README and every page in docs/', () => {
    expect(pages).toEqual(expect.arrayContaining(['README.md', 'docs/api.md', 'docs/cli.md', 'docs/architecture.md']));
    // The README leads into docs/: if no link were found, the check would prove nothing.
    expect(relativeLinks(readFileSync(path.join(root, 'README.md'), 'utf8')).length).toBeGreaterThan(10);
  });

  it.each(pages)('%s: every relative link leads to a file and a heading that exist', (page) => {
    expect(brokenLinks(root, page)).toEqual([]);
  });
});
