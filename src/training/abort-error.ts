import type { History } from './fit-options.js';

/**
 * What fit rejects with when its signal aborts it: `history` holds the epochs
 * that finished, and `minibatches` those of the unfinished epoch that ran
 * before it stopped (the network keeps their parameters and stays usable).
 */
export class AbortError extends Error {
  readonly history: History;
  readonly minibatches: number;

  constructor(history: History, minibatches: number) {
    super(`fit was aborted after ${history.epochs} whole epochs and ${minibatches} minibatches of the next`);
    this.name = 'AbortError';
    this.history = history;
    this.minibatches = minibatches;
  }
}
