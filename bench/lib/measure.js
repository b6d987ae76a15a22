'use strict';
// Timing for the benchmark scripts: repeat a run until both a minimum count
// and a minimum total time are reached, and report the median, which shrugs
// off the odd slow run on a shared machine.

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Seconds per call of `run` (median), after `warmup` untimed calls. */
function measure(run, { minRuns = 5, minSeconds = 0.5, maxRuns = 10000, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) run();
  const times = [];
  let total = 0;
  while (times.length < maxRuns && (times.length < minRuns || total < minSeconds)) {
    const start = process.hrtime.bigint();
    run();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    times.push(seconds);
    total += seconds;
  }
  return median(times);
}

module.exports = { measure, median };
