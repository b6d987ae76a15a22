'use strict';
// Samples per second of a training loop: grow the epoch until it takes long
// enough to time, then report the median epoch of a few, run back to back as
// a user would (one fit of several epochs, where the library allows it).
const { median } = require('./measure');

const MIN_EPOCH_SECONDS = 0.3;

/**
 * prepare(rows) → run(epochs), an async function that trains `epochs` epochs
 * over `rows` samples and resolves to each epoch's duration in seconds.
 * Rows start at `startRows` and grow ×4 up to `maxRows`.
 */
async function samplesPerSecond(prepare, { startRows, maxRows, epochs = 3 }) {
  let rows = startRows;
  let run = await prepare(rows);
  let [seconds] = await run(1); // also the warm-up
  while (seconds < MIN_EPOCH_SECONDS && rows * 4 <= maxRows) {
    rows *= 4;
    run = await prepare(rows);
    [seconds] = await run(1);
  }
  return { samplesPerSecond: rows / median(await run(epochs)), rows };
}

/** For libraries trained one epoch per call: times each call. */
function timeEachEpoch(epoch) {
  return async (epochs) => {
    const times = [];
    for (let e = 0; e < epochs; e++) {
      const start = process.hrtime.bigint();
      await epoch();
      times.push(Number(process.hrtime.bigint() - start) / 1e9);
    }
    return times;
  };
}

module.exports = { samplesPerSecond, timeEachEpoch };
