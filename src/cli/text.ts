// Text from the data (cells, column names, class labels, file names) as the
// CLI shows it to a person: control characters escaped, so a quoted newline
// cannot split a message over lines and an escape sequence in a cell cannot
// reach the terminal; and long names and lists cut. Machine output (JSON,
// predict's CSV to a file or pipe) keeps the data as it is.
//
// This module imports nothing: bin/deltaprop.js loads it before the library,
// to print an error the library throws while loading.

/**
 * C0 controls (tab and newline included), DEL, C1 controls, the line and
 * paragraph separators, and the bidirectional embeddings, overrides and
 * isolates (which reorder what a terminal or editor shows around them).
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** `text` with its control characters written as escapes (\n, \t, \x1b, \u2028…); anything else as it is. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escapeOne);
}

/** At most `max` characters of `text`, with '…' when cut. */
export function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A column name or a label quoted for a message: 'name', cut at 60 characters (escaping happens where the message is printed). */
export function quoteName(name: string): string {
  return `'${cut(name, 60)}'`;
}

/** Up to `max` names (quoted unless `quote` is false, each cut at 60 characters), then how many more: 'a', 'b', … and 70 more. */
export function nameList(names: readonly string[], max = 20, quote = true): string {
  const shown = names
    .slice(0, max)
    .map((name) => (quote ? quoteName(name) : cut(name, 60)))
    .join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
