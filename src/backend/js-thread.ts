// Runs the js engine's async epochs on a worker thread, so that a server on
// the js engine stays responsive while it trains (the same code as
// trainEpoch, so the results equal fitSync's to the bit). The training rows
// and their weights live in SharedArrayBuffers (createTrainingData), so the
// worker reads them without a copy; params, the optimizer state, the order
// and the generator are copied to it and back, as the native engine does.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EpochJob, EpochResult, TrainingData } from './types.js';

/** What the worker sends back for a job. */
export interface WorkerReply {
  id: number;
  result?: EpochResult;
  params?: Float64Array;
  state?: Float64Array;
  randomState?: Uint32Array;
  error?: string;
}

/** The worker's script: the compiled one beside this file, or dist's when this runs from the TypeScript sources (tests). */
function script(): string {
  return __filename.endsWith('.ts') ? path.resolve(__dirname, '..', '..', 'dist', 'backend', 'js-worker.js') : path.join(__dirname, 'js-worker.js');
}

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, { job: EpochJob; resolve(result: EpochResult): void; reject(error: Error): void }>();

function failAll(error: Error): void {
  for (const { reject } of pending.values()) reject(error);
  pending.clear();
  worker = null;
}

function onReply(reply: WorkerReply): void {
  const entry = pending.get(reply.id);
  if (entry === undefined) return;
  pending.delete(reply.id);
  if (pending.size === 0) worker?.unref();
  if (reply.error !== undefined) {
    entry.reject(new Error(`deltaprop js worker: ${reply.error}`));
    return;
  }
  entry.job.params.set(reply.params!);
  entry.job.optimizer.state.set(reply.state!);
  entry.job.randomState.set(reply.randomState!);
  entry.resolve(reply.result!);
}

function theWorker(): Worker {
  if (worker === null) {
    worker = new Worker(script());
    worker.on('message', onReply);
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`deltaprop js worker: exited with code ${code}`)));
    // Idle, it must not keep the process alive; it is ref'd while a job runs.
    worker.unref();
  }
  return worker;
}

/** Runs the job's epoch on the worker thread and copies params, state and generator back. */
export function trainEpochOnWorker(job: EpochJob): Promise<EpochResult> {
  const w = theWorker();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { job, resolve, reject });
    if (pending.size === 1) w.ref();
    // Only data crosses (no functions): typed arrays on SharedArrayBuffers
    // (the rows, the abort flag's cell) are shared, the rest is copied.
    const { inputs, targets, weights, rows } = job.data as TrainingData & { inputs: Float64Array; targets: Float64Array; weights?: Float64Array | null };
    const cell = (job.abort as { cell?: Int32Array } | null)?.cell;
    w.postMessage({ id, job: { ...job, data: { rows, inputs, targets, weights: weights ?? null }, abort: cell === undefined ? null : { cell } } });
  });
}
