// Checkpoints: the network saved every `every` epochs (only when the watched
// figure improved, if one is watched), by the one process that writes.
import type { FitRun } from './fit-run.js';
import type { EpochEnd, EpochStep } from './epoch-end.js';
import type { ResolvedFit } from './fit-options.js';
import { Watch } from './watch.js';

export class Checkpoint implements EpochStep {
  readonly #watch: Watch | null;

  constructor(
    private readonly run: FitRun,
    private readonly options: NonNullable<ResolvedFit['checkpoint']>,
  ) {
    this.#watch = options.watched ? new Watch(options.watched) : null;
  }

  afterEpoch(end: EpochEnd): void {
    if ((end.epoch + 1) % this.options.every !== 0) return;
    // Every process keeps its watch alike, whichever writes.
    if (this.#watch !== null && !this.#watch.update(end.info)) return;
    const { ctx, coordinator } = this.run;
    if (coordinator.writesFiles) coordinator.attempt(end, () => ctx.save(this.options.path));
  }
}
