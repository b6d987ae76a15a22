// The pieces every table of the report is built from: the scrolling
// wrapper with its caption, header cells and numeric cells. The tables
// (layers, figures, per-class scores, confusion) differ in their rows, not in
// these, so a change of markup or style is made once.
import { escapeHtml } from './format.js';

export interface TableParts {
  /** The <table>'s class, which the stylesheet and the tests select by. */
  className: string;
  /** HTML, already escaped. */
  caption: string;
  /** The <thead>'s rows, HTML. */
  head: string;
  /** The <tbody>'s rows, HTML. */
  body: readonly string[];
  /** The <tfoot>'s rows, HTML; none when empty. */
  foot?: string;
}

/** A table in a wrapper that scrolls sideways on a narrow screen instead of widening the page. */
export function tableHtml({ className, caption, head, body, foot = '' }: TableParts): string {
  return (
    `<div class="table-wrap"><table class="${className}"><caption>${caption}</caption>` +
    `<thead>${head}</thead><tbody>${body.join('')}</tbody>${foot === '' ? '' : `<tfoot>${foot}</tfoot>`}</table></div>`
  );
}

/** A column's heading; numeric columns are right-aligned like their cells. */
export function columnHeader(label: string, numeric = false): string {
  return `<th scope="col"${numeric ? ' class="num"' : ''}>${escapeHtml(label)}</th>`;
}

/** One header row of plain column headings: [label, numeric?] each. */
export function headerRow(columns: readonly (readonly [string, boolean])[]): string {
  return `<tr>${columns.map(([label, numeric]) => columnHeader(label, numeric)).join('')}</tr>`;
}

/** A row's heading, e.g. a class name; `html` must already be escaped. */
export function rowHeader(html: string, attributes = ''): string {
  return `<th scope="row"${attributes}>${html}</th>`;
}

/** A right-aligned number; `attributes` (e.g. data-value) carry it for a machine. */
export function numberCell(text: string, attributes = ''): string {
  return `<td class="num"${attributes}>${escapeHtml(text)}</td>`;
}
