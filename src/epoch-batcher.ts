// fitMany's meeting point: the epochs that several fits ask for within one
// turn of the event loop go to the engine in one call (trainEpochsAsync),
// which spreads them over its threads. Each fit still runs its own loop and
// awaits its own epoch, so it does what fit() does; only the engine's calls
// are shared. Data-parallel epochs (which wait for other processes) go alone.
import type { Backend, EpochJob, EpochResult } from './backend/types.js';

interface Waiting {
  job: EpochJob;
  resolve: (result: EpochResult) => void;
  reject: (error: unknown) => void;
}

export class EpochBatcher {
  #waiting: Waiting[] = [];

  constructor(private readonly engine: Backend) {}

  /** The job's epoch, run with those the other fits ask for in the same turn. */
  run(job: EpochJob): Promise<EpochResult> {
    if (job.dataParallel !== null) return this.engine.trainEpochAsync(job);
    return new Promise<EpochResult>((resolve, reject) => {
      // The first of a turn schedules the call: every fit resumed by the last call asks before it runs
      // (a resumed fit runs on to its next epoch in microtasks, and setImmediate comes after them).
      if (this.#waiting.length === 0) setImmediate(() => this.#flush());
      this.#waiting.push({ job, resolve, reject });
    });
  }

  #flush(): void {
    const batch = this.#waiting;
    this.#waiting = [];
    this.engine.trainEpochsAsync(batch.map((w) => w.job)).then(
      (results) => results.forEach((r, i) => (r instanceof Error ? batch[i].reject(r) : batch[i].resolve(r))),
      (error: unknown) => batch.forEach((w) => w.reject(error)),
    );
  }
}
