// The worker thread of the js engine's async epochs (thread.ts): runs
// each job it is sent with the js engine's own trainEpoch and sends back the
// result with the new params, optimizer state and generator.
import { parentPort } from 'node:worker_threads';
import { isAllocationFailure } from '../../memory.js';
import { trainEpoch } from './engine.js';
import type { EpochJob } from '../types.js';
import type { WorkerReply } from './thread.js';

/** Writes a zero into every page of each array (zeros already): the kernel maps the pages now, off the JavaScript thread. */
function touchPages(arrays: Float64Array[]): void {
  for (const values of arrays) for (let i = 0; i < values.length; i += 512) values[i] = 0;
}

type Message = { id: number; job: EpochJob & { abort: { cell: Int32Array } | null } } | { id: number; touch: Float64Array[] };

parentPort!.on('message', (message: Message) => {
  const { id } = message;
  let reply: WorkerReply;
  try {
    if ('touch' in message) {
      touchPages(message.touch);
      reply = { id };
    } else {
      const { job } = message;
      const cell = job.abort?.cell;
      const local: EpochJob = {
        ...job,
        abort:
          cell === undefined
            ? null
            : {
                get aborted() {
                  return Atomics.load(cell, 0) !== 0;
                },
                abort() {},
              },
      };
      const result = trainEpoch(local);
      reply = { id, result, params: local.params, state: local.optimizer.state, randomState: local.randomState };
    }
  } catch (e) {
    // A buffer the epoch could not allocate is told apart: the main thread makes it a DeltapropError.
    reply = { id, error: e instanceof Error ? e.message : String(e), allocation: isAllocationFailure(e) };
  }
  parentPort!.postMessage(reply);
});
