// Runs the js engine's async epochs on a worker thread, so that a server on
// the js engine stays responsive while it trains (the same code as
// trainEpoch, so the results equal fitSync's to the bit). The training rows
// and their weights live in SharedArrayBuffers (createTrainingData), so the
// worker reads them without a copy; params, the optimizer state, the order
// and the generator are copied to it and back, as the native engine does.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DeltapropError } from '../../errors.js';
import { checkWorkerRoom } from '../../memory.js';
import type { EpochJob, EpochResult, TrainingData } from '../types.js';

/** What the worker sends back for a job. */
export interface WorkerReply {
  id: number;
  result?: EpochResult;
  params?: Float64Array;
  state?: Float64Array;
  randomState?: Uint32Array;
  error?: string;
  /** The error was V8's failure to allocate a buffer. */
  allocation?: boolean;
}

/** The worker's script: the compiled one beside this file, or dist's when this runs from the TypeScript sources (tests). */
function script(): string {
  return __filename.endsWith('.ts') ? path.resolve(__dirname, '..', '..', '..', 'dist', 'backend', 'js', 'worker.js') : path.join(__dirname, 'worker.js');
}

let worker: Worker | null = null;
let nextId = 0;
/** What each job sent awaits: what to do with its reply, or with the worker's failure. */
const pending = new Map<number, { settle(reply: WorkerReply): void; reject(error: Error): void }>();

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
  if (reply.error !== undefined) entry.reject(workerError(reply));
  else entry.settle(reply);
}

/** A failed job's error: a buffer the worker could not allocate is a DeltapropError, as the native engine's is. */
function workerError(reply: WorkerReply): Error {
  if (reply.allocation !== true) return new Error(`deltaprop js worker: ${reply.error}`);
  return new DeltapropError('memory', `the js engine's worker thread could not allocate an epoch's buffers (${reply.error}); use fewer rows at a time (options.batchSize) or a smaller network`);
}

/** Sends a message to the worker and returns the Promise of what `settle` makes of its reply. */
function send<T>(message: object, settle: (reply: WorkerReply, resolve: (value: T) => void) => void): Promise<T> {
  const w = theWorker();
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { settle: (reply) => settle(reply, resolve), reject });
    if (pending.size === 1) w.ref();
    w.postMessage({ id, ...message });
  });
}

function theWorker(): Worker {
  if (worker === null) {
    // Under an address-space limit V8 aborts the process when a new isolate cannot reserve its memory: refuse first.
    checkWorkerRoom('memory', 'raise the limit, or train with fitSync, which runs on this thread');
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
  // Only data crosses (no functions): typed arrays on SharedArrayBuffers
  // (the rows, the abort flag's cell) are shared, the rest is copied.
  const { inputs, targets, weights, rows } = job.data as TrainingData & { inputs: Float64Array; targets: Float64Array; weights?: Float64Array | null };
  const cell = (job.abort as { cell?: Int32Array } | null)?.cell;
  const message = { job: { ...job, data: { rows, inputs, targets, weights: weights ?? null }, abort: cell === undefined ? null : { cell } } };
  return send<EpochResult>(message, (reply, resolve) => {
    job.params.set(reply.params!);
    job.optimizer.state.set(reply.state!);
    job.randomState.set(reply.randomState!);
    resolve(reply.result!);
  });
}

/** Several epochs, posted to the worker together (its one thread runs them in turn): one result, or the Error that epoch ended with, per job. */
export function trainEpochsOnWorker(jobs: readonly EpochJob[]): Promise<(EpochResult | Error)[]> {
  return Promise.all(jobs.map((job) => trainEpochOnWorker(job).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))));
}

/** Maps the pages of fresh shared arrays on the worker thread (js.ts's createTrainingData), so that filling them on this thread runs at memory speed. */
export function touchPagesOnWorker(arrays: Float64Array[]): Promise<void> {
  return send<void>({ touch: arrays }, (_reply, resolve) => resolve());
}
