import { DeltapropError } from '../errors.js';
import { checkFloat64Array, checkInteger } from '../validate.js';
import { agreeOn } from './agree.js';
import { DistributedError, fromAddon } from './errors.js';
import type { Link } from './link.js';

/**
 * The processes training together, as `init` returns it: this process is
 * `rank` of `size`. Call `finalize()` when done (it also runs at exit).
 *
 * allreduceSum, broadcast, agree and nativeReducer are internal: fit uses
 * them, and they may change without notice. Every process must make the
 * same calls in the same order (MPI matches collectives by order); each
 * settles within the world's timeout or fails with a DistributedError.
 */
export class World {
  readonly rank: number;
  readonly size: number;
  readonly #link: Link;
  readonly #onFinalize: () => void;
  #finalized = false;

  constructor(link: Link, onFinalize: () => void) {
    this.rank = link.rank;
    this.size = link.size;
    this.#link = link;
    this.#onFinalize = onFinalize;
  }

  /**
   * Ends this process's part in the world (MPI_Finalize, which waits for
   * every process to call it). After a failure it finalizes nothing, since
   * it would wait for a dead process: exit non-zero instead. Rejects while
   * collectives are still in flight.
   */
  async finalize(): Promise<void> {
    if (this.#finalized) return;
    let result: 'done' | 'broken' | 'busy';
    try {
      result = this.#link.finalize();
    } catch (e) {
      throw fromAddon(e, 'finalize');
    }
    if (result === 'busy') throw new DeltapropError('finalize', 'collectives are still in flight: await them first');
    this.#finalized = true;
    this.#onFinalize();
  }

  /** @internal In place: each element becomes its sum over the processes. */
  async allreduceSum(buffer: Float64Array): Promise<void> {
    const array = checkFloat64Array('buffer', buffer);
    await this.#collective('allreduceSum', () => this.#link.allreduce(array, 'sum'));
  }

  /** @internal In place: every process gets `root`'s buffer (of the same length everywhere). */
  async broadcast(buffer: Float64Array, root = 0): Promise<void> {
    const array = checkFloat64Array('buffer', buffer);
    checkInteger('root', root, 0, this.size - 1);
    await this.#collective('broadcast', () => this.#link.broadcast(array, root));
  }

  /**
   * @internal Checks that every process passes the same fields (names and
   * values); otherwise every process rejects with the same
   * DISTRIBUTED_MISMATCH, naming each differing field with its least and
   * greatest value. The world stays usable after a mismatch.
   */
  async agree(fields: Record<string, number>): Promise<void> {
    await this.#collective('agree', () => agreeOn(this.#link, fields));
  }

  /**
   * @internal The reducer table (native/mpi/reducer_api.h) through which the
   * main addon's backprop sums gradient buckets over the processes, as a
   * type-tagged napi External; a world of one process gives a table whose
   * sums are the identity.
   */
  nativeReducer(): unknown {
    this.#checkActive('nativeReducer');
    return this.#link.reducer();
  }

  async #collective(name: string, run: () => Promise<void>): Promise<void> {
    this.#checkActive(name);
    try {
      await run();
    } catch (e) {
      throw fromAddon(e, name);
    }
  }

  #checkActive(name: string): void {
    if (this.#finalized) throw new DistributedError('DISTRIBUTED_FINALIZED', name, 'the world was finalized');
  }
}
