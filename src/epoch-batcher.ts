// fitMany's meeting point: the epochs that several fits ask for go to the
// engine in one call (trainEpochsAsync), which spreads them over its
// threads. Each fit still runs its own loop and awaits its own epoch, so it
// does what fit() does; only the engine's calls are shared. One call at a
// time: an epoch asked for while a call runs waits for the next one (a
// second call would find the engine's threads taken and run its epochs on
// one thread, and the calls would then fall out of step into many small
// ones). Data-parallel epochs (which wait for other processes) go alone.
import type { Backend, EpochJob, EpochResult } from './backend/types.js';

interface Waiting {
  job: EpochJob;
  resolve: (result: EpochResult) => void;
  reject: (error: unknown) => void;
}

export class EpochBatcher {
  #waiting: Waiting[] = [];
  #calling = false;
  #scheduled = false;

  constructor(private readonly engine: Backend) {}

  /** The job's epoch, run with those the other fits ask for in the same turn. */
  run(job: EpochJob): Promise<EpochResult> {
    if (job.dataParallel !== null) return this.engine.trainEpochAsync(job);
    return new Promise<EpochResult>((resolve, reject) => {
      this.#waiting.push({ job, resolve, reject });
      this.#schedule();
    });
  }

  // The call goes out on the next setImmediate, so that every fit resumed by the last call asks first (a resumed fit
  // runs on to its next epoch in microtasks, which all run before it).
  #schedule(): void {
    if (this.#calling || this.#scheduled || this.#waiting.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#call();
    });
  }

  #call(): void {
    const batch = this.#waiting;
    this.#waiting = [];
    this.#calling = true;
    const settled = () => {
      this.#calling = false;
      this.#schedule();
    };
    this.engine.trainEpochsAsync(batch.map((w) => w.job)).then(
      (results) => {
        settled();
        results.forEach((r, i) => (r instanceof Error ? batch[i].reject(r) : batch[i].resolve(r)));
      },
      (error: unknown) => {
        settled();
        batch.forEach((w) => w.reject(error));
      },
    );
  }
}
