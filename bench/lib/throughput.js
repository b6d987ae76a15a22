'use strict';
// Samples per second of a training loop: grow the epoch until it takes long
// enough to time, then report the median of a few epochs of that size.
const { median } = require('./measure');

const MIN_EPOCH_SECONDS = 0.3;

/**
 * prepare(rows) → an async function running one epoch over `rows` samples.
 * Rows start at `startRows` and grow ×4 up to `maxRows`.
 */
async function samplesPerSecond(prepare, { startRows, maxRows, repeats = 3 }) {
  const time = async (epoch) => {
    const start = process.hrtime.bigint();
    await epoch();
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  let rows = startRows;
  let epoch = await prepare(rows);
  let seconds = await time(epoch); // also the warm-up
  while (seconds < MIN_EPOCH_SECONDS && rows * 4 <= maxRows) {
    rows *= 4;
    epoch = await prepare(rows);
    seconds = await time(epoch);
  }
  const times = [];
  for (let i = 0; i < repeats; i++) times.push(await time(epoch));
  return { samplesPerSecond: rows / median(times), rows };
}

module.exports = { samplesPerSecond };
