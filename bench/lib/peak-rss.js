'use strict';
// Peak resident memory of this process. Linux carries a process's high-water
// mark over its exec from the parent it forked from, so getrusage's maxRSS in
// a fresh child can be the parent's; resetPeak() clears it (clear_refs 5) and
// peakBytes() reads VmHWM, the peak since then.
const fs = require('node:fs');

function resetPeak() {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux (or no /proc): peakBytes falls back to maxRSS.
  }
}

function peakBytes() {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // as above
  }
  return process.resourceUsage().maxRSS * 1024;
}

module.exports = { resetPeak, peakBytes };
