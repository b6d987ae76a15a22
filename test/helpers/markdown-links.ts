// Relative links in Markdown and the anchors GitHub gives headings, so a
// test can tell a link that leads somewhere from one that no longer does.

interface ProseLine {
  number: number;
  text: string;
}

/** The lines outside fenced code blocks (a `# comment` in a sh block is no heading, a `](x)` there no link). */
function proseLines(markdown: string): ProseLine[] {
  const lines: ProseLine[] = [];
  let fence: string | null = null;
  markdown.split('\n').forEach((text, index) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(text)?.[1];
    if (marker && (fence === null || (marker[0] === fence[0] && marker.length >= fence.length))) {
      fence = fence === null ? marker : null;
    } else if (fence === null) {
      lines.push({ number: index + 1, text });
    }
  });
  return lines;
}

/** The text a reader sees: code spans, emphasis, links and tags reduced to their words. */
function visibleText(inline: string): string {
  return (
    inline
      .replace(/(`+)([\s\S]*?)\1/g, '$2')
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/(\*{1,3})(\S(?:[\s\S]*?\S)?)\1/g, '$2')
      // Intraword underscores (snake_case) are not emphasis.
      .replace(/(?<!\w)(_{1,3})(\S(?:[\s\S]*?\S)?)\1(?!\w)/g, '$2')
      .replace(/<[^>]+>/g, '')
  );
}

/**
 * GitHub's anchor for a heading: lowercase, every character but letters,
 * digits, '-', '_' and spaces dropped, spaces turned into '-'.
 */
export function slug(heading: string): string {
  return visibleText(heading)
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a document's headings give, repeats suffixed -1, -2… as GitHub does. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const { text } of proseLines(markdown)) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(text);
    if (!heading) continue;
    const base = slug(heading[1]);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

export interface Link {
  line: number;
  target: string;
}

/** Every link target that is not a URL with a scheme: inline links, images and reference definitions. */
export function relativeLinks(markdown: string): Link[] {
  const links: Link[] = [];
  for (const { number, text } of proseLines(markdown)) {
    const prose = text.replace(/(`+)[\s\S]*?\1/g, '');
    const targets = [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]);
    const definition = /^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)/.exec(prose);
    if (definition) targets.push(definition[1]);
    for (const target of targets) {
      if (/^[a-z][a-z\d+.-]*:/i.test(target) || target.startsWith('//')) continue;
      links.push({ line: number, target });
    }
  }
  return links;
}
