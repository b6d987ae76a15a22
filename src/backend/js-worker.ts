// The worker thread of the js engine's async epochs (js-thread.ts): runs
// each job it is sent with the js engine's own trainEpoch and sends back the
// result with the new params, optimizer state and generator.
import { parentPort } from 'node:worker_threads';
import { trainEpoch } from './js.js';
import type { EpochJob } from './types.js';
import type { WorkerReply } from './js-thread.js';

parentPort!.on('message', ({ id, job }: { id: number; job: EpochJob & { abort: { cell: Int32Array } | null } }) => {
  const cell = job.abort?.cell;
  const local: EpochJob = { ...job, abort: cell === undefined ? null : { get aborted() { return Atomics.load(cell, 0) !== 0; }, abort() {} } };
  let reply: WorkerReply;
  try {
    const result = trainEpoch(local);
    reply = { id, result, params: local.params, state: local.optimizer.state, randomState: local.randomState };
  } catch (e) {
    reply = { id, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
