// The report's one stylesheet, inline: no external sheet or font, so the
// file renders the same offline, from an e-mail attachment or an archive.
import { SHADES } from './confusion.js';

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif';
const MONO = 'ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace';

/** `color` mixed into white, `amount` in [0, 1]: solid colours print the same as they show, where transparency depends on the printer. */
function tint(color: string, amount: number): string {
  const channel = (i: number) => Math.round(255 + (parseInt(color.slice(1 + 2 * i, 3 + 2 * i), 16) - 255) * amount);
  return `rgb(${channel(0)}, ${channel(1)}, ${channel(2)})`;
}

/** Confusion cells: the diagonal in blue, the mistakes in vermillion, darker for a larger share of the row. */
function shades(): string {
  const rules: string[] = [];
  for (let s = 0; s <= SHADES; s++) {
    const amount = (s / SHADES) * 0.85;
    const ink = amount > 0.5 ? 'color: #fff;' : '';
    rules.push(`.confusion .hit.s${s} { background: ${tint('#0072B2', amount)}; ${ink} }`);
    rules.push(`.confusion .miss.s${s} { background: ${tint('#D55E00', amount)}; ${ink} }`);
  }
  return rules.join('\n');
}

export function stylesheet(): string {
  return `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --rule: #d9d9de; --panel: #fff; --page: #f4f5f7; }
* { box-sizing: border-box; }
html { background: var(--page); }
body { margin: 0 auto; max-width: 1000px; padding: 24px 20px 48px; color: var(--ink); font: 15px/1.5 ${FONT}; }
header { margin-bottom: 16px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; margin: 0 0 12px; }
.subtitle, .muted { color: var(--muted); }
.subtitle { margin: 0; }
code { font-family: ${MONO}; font-size: 0.9em; overflow-wrap: anywhere; }
section { background: var(--panel); border: 1px solid var(--rule); border-radius: 8px; padding: 16px 20px; margin: 16px 0; box-shadow: 0 1px 3px rgba(0, 0, 0, 0.06); }
.summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }
.summary div { border-left: 3px solid #0072B2; padding: 2px 10px; }
.summary dt { font-size: 0.8rem; color: var(--muted); }
.summary dd { margin: 0; font-size: 1.25rem; font-variant-numeric: tabular-nums; }
.summary dd small { display: block; font-size: 0.75rem; color: var(--muted); }
.note { margin: 12px 0 0; }
dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 6px 20px; margin: 0 0 12px; }
dl.facts dt { font-size: 0.8rem; color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; margin: 12px 0; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); padding-bottom: 6px; caption-side: top; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: middle; }
thead th { border-bottom: 2px solid var(--ink); }
tfoot th, tfoot td { border-top: 2px solid var(--ink); border-bottom: none; font-weight: 600; }
tfoot tr + tr th, tfoot tr + tr td { border-top: 1px solid var(--rule); }
.num { text-align: right; }
.confusion th, .confusion td { text-align: center; border: 1px solid var(--rule); min-width: 3.2em; }
.confusion .corner { border: none; }
.confusion .hit { font-weight: 700; }
.confusion .total { font-weight: 600; background: none; }
.confusion .axis-name span { writing-mode: vertical-rl; transform: rotate(180deg); }
${shades()}
.charts { display: grid; gap: 16px; }
figure { margin: 0; }
.chart { display: block; width: 100%; max-width: 720px; height: auto; font-family: ${FONT}; }
.chart text { font-size: 12px; fill: var(--ink); }
.chart .axis-label { font-size: 13px; fill: var(--muted); }
.chart .grid { stroke: #e4e4e8; }
.chart .grid.minor { stroke: #f1f1f4; }
.chart .axis-line, .chart .tick { stroke: #555; }
.chart .rule line { stroke: #666; stroke-dasharray: 2 3; }
.chart .rule text { font-size: 11px; fill: var(--muted); }
.chart .hover-target { fill: transparent; stroke: none; pointer-events: all; }
figcaption { font-size: 0.85rem; color: var(--muted); margin-top: 4px; }
footer { color: var(--muted); font-size: 0.8rem; text-align: center; }
@page { margin: 14mm; }
@media print {
  html, body { background: none; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  section { box-shadow: none; background: none; border: none; border-radius: 0; padding: 0; margin: 0 0 10mm; }
  h2 { break-after: avoid; }
  .chart-figure, table, .summary, dl.facts { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  /* The shading is data, not decoration: keep it even where backgrounds are not printed. */
  .confusion .cell { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
`;
}
