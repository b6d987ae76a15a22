// Text for the report's HTML: escaping and number formatting. Everything a
// caller or a network supplies reaches the page through escapeHtml, so a
// class named `<script>` is shown, never run; numbers are formatted here
// alone, so the tables and the charts' labels agree.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe both as element text and inside a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Integers with thousands separators, fixed to en-US so a report reads the same wherever it was made. */
export function formatInteger(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

/** A figure that is not a number: ∞ or −∞ for an overflow, — where it was not defined (NaN). */
function formatNonFinite(x: number): string {
  if (Number.isNaN(x)) return '—';
  return x > 0 ? '∞' : '−∞';
}

/**
 * Up to `digits` significant digits, trailing zeros dropped; exponent form
 * outside [1e-3, 1e6), where fixed notation would be a row of zeros; ∞, −∞
 * or — for a figure that is not finite.
 */
export function formatNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return formatNonFinite(x);
  if (x === 0) return '0';
  const magnitude = Math.abs(x);
  if (magnitude >= 1e-3 && magnitude < 1e6) return String(Number(x.toPrecision(digits)));
  const [mantissa, exponent] = x.toExponential(digits - 1).split('e');
  return `${String(Number(mantissa))}e${Number(exponent)}`;
}

/**
 * A count, or a weight (a class's support under sample weights): whole
 * numbers with thousands separators, others to formatNumber's digits.
 */
export function formatCount(x: number): string {
  return Number.isInteger(x) ? formatInteger(x) : formatNumber(x);
}

/**
 * The epoch a person reads for a history's index: numbered from 1, as the
 * CLI's progress and JSON lines print them, where History's arrays count
 * from 0. Every epoch the page shows, and every data-epoch beside it, passes
 * through here, so the text and the attributes never disagree.
 */
export function shownEpoch(index: number): number {
  return index + 1;
}

/** A fraction in [0, 1] as a percentage with one decimal (— where it was not defined). */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return formatNonFinite(fraction);
  return `${(fraction * 100).toFixed(1)}%`;
}

/** Seconds as "850 ms", "12.3 s" or "4 min 05 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return `${formatNumber(seconds * 1000, 3)} ms`;
  if (seconds < 60) return `${formatNumber(seconds, 3)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}

/** A <dl> of label → value pairs; labels are escaped here, values must already be HTML (escaped by the caller). */
export function factList(facts: readonly (readonly [string, string])[], className = 'facts'): string {
  const items = facts.map(([label, html]) => `<div><dt>${escapeHtml(label)}</dt><dd>${html}</dd></div>`);
  return `<dl class="${className}">${items.join('')}</dl>`;
}
