// fitMany's meeting point: the epochs that several fits ask for go to the
// engine together (trainEpochsAsync), which spreads them over its threads.
// Each fit still runs its own loop and awaits its own epoch, so it does what
// fit() does; only the engine's calls are shared. With two threads or more,
// the fits are kept in two halves, each half's call on half the threads, so
// that one half's JavaScript (the ends of its epochs) runs while the other
// half trains; with one thread, one call at a time on it. An epoch asked for
// while both calls run waits for the next one (calls started whenever an
// epoch came would fall out of step into many small ones). Data-parallel
// epochs (which wait for other processes) go alone.
import type { Backend, EpochJob, EpochResult } from '../backend/types.js';

interface Waiting {
  job: EpochJob;
  resolve: (result: EpochResult) => void;
  reject: (error: unknown) => void;
}

export class EpochBatcher {
  #waiting: Waiting[] = [];
  #calls = 0;
  #scheduled = false;
  readonly #lanes: number;
  readonly #threadsPerCall: number;

  /** `threads`: how many threads the engine may use. */
  constructor(
    private readonly engine: Backend,
    threads: number,
  ) {
    this.#lanes = threads >= 2 ? 2 : 1;
    this.#threadsPerCall = Math.max(1, Math.floor(threads / this.#lanes));
  }

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
    if (this.#calls >= this.#lanes || this.#scheduled || this.#waiting.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#call();
    });
  }

  #call(): void {
    // With no call running, half the epochs go first and the rest at once (two lanes), so that from then on
    // one half's JavaScript runs while the other half trains.
    const halve = this.#lanes === 2 && this.#calls === 0 && this.#waiting.length > 1;
    const take = halve ? Math.ceil(this.#waiting.length / 2) : this.#waiting.length;
    const batch = this.#waiting.splice(0, take);
    this.#calls += 1;
    this.#schedule();
    const settled = () => {
      this.#calls -= 1;
      this.#schedule();
    };
    this.engine
      .trainEpochsAsync(
        batch.map((w) => w.job),
        this.#threadsPerCall,
      )
      .then(
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
