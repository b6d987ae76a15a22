'use strict';
// Prints rows of objects as an aligned text table.

function formatCell(value) {
  if (typeof value !== 'number') return String(value ?? '');
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function printTable(title, columns, rows) {
  const cells = [columns, ...rows.map((row) => columns.map((c) => formatCell(row[c])))];
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  console.log(`\n${title}`);
  cells.forEach((r, n) => {
    console.log(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  });
}

/**
 * How a bench script prints: its log lines and tables on stdout, or, with
 * --json (stdout then carries only the JSON document), on stderr.
 */
function reporter(json) {
  const log = json ? (...a) => console.error(...a) : (...a) => console.log(...a);
  const table = (...a) => {
    if (!json) return printTable(...a);
    const original = console.log;
    console.log = console.error;
    try {
      return printTable(...a);
    } finally {
      console.log = original;
    }
  };
  return { log, table };
}

module.exports = { printTable, reporter };
