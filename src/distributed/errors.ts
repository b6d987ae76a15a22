import { DeltapropError } from '../errors.js';

/**
 * The codes of the DistributedErrors. The failures of a collective (TIMEOUT
 * to FINALIZED) are listed in the order of the MPI addon's `Failure` values
 * (native/mpi/failure.h), which a test compares with this list: a reducer
 * table's wait_all returns those values.
 */
export const FAILURE_CODES = ['DISTRIBUTED_TIMEOUT', 'DISTRIBUTED_PEER_DIED', 'DISTRIBUTED_TERMINATED', 'DISTRIBUTED_MPI_ERROR', 'DISTRIBUTED_BROKEN', 'DISTRIBUTED_FINALIZED'] as const;

/**
 * What went wrong, as {@link DistributedError}'s `code`: the two below, or a
 * failure of a collective: 'DISTRIBUTED_TIMEOUT', 'DISTRIBUTED_PEER_DIED',
 * 'DISTRIBUTED_TERMINATED', 'DISTRIBUTED_MPI_ERROR', 'DISTRIBUTED_BROKEN' or
 * 'DISTRIBUTED_FINALIZED'.
 */
export type DistributedErrorCode =
  /** The MPI addon is not built (or does not load): nothing distributed can run. */
  | 'DISTRIBUTED_UNAVAILABLE'
  /** The processes passed different values to an agreement check (every one gets the same error). */
  | 'DISTRIBUTED_MISMATCH'
  | (typeof FAILURE_CODES)[number];

/**
 * A DeltapropError of deltaprop/distributed, with a code saying what went
 * wrong. After any failure code (TIMEOUT, PEER_DIED, TERMINATED, MPI_ERROR)
 * the communicator is broken: later collectives fail with
 * DISTRIBUTED_BROKEN, and the process should exit non-zero, which makes the
 * launcher end the other processes.
 */
export class DistributedError extends DeltapropError {
  readonly code: DistributedErrorCode;

  constructor(code: DistributedErrorCode, argument: string, detail: string) {
    super(argument, detail);
    this.code = code;
  }
}

function isFailureCode(code: unknown): code is (typeof FAILURE_CODES)[number] {
  return (FAILURE_CODES as readonly unknown[]).includes(code);
}

/** The DistributedError for what the MPI addon threw or rejected with (`.code` set by native/mpi). */
export function fromAddon(error: unknown, argument: string): Error {
  const code = (error as { code?: unknown } | null)?.code;
  return isFailureCode(code) ? new DistributedError(code, argument, (error as Error).message) : (error as Error);
}

/**
 * The DistributedError for a reducer table's failure, from the message its
 * wait_all wrote ("DISTRIBUTED_TIMEOUT: ..."), wherever that text ends up
 * (the main addon passes it on inside its own error message).
 */
export function fromReducerMessage(message: string, argument: string): DistributedError | null {
  const match = /(DISTRIBUTED_[A-Z_]+): ([\s\S]*)/.exec(message);
  return match !== null && isFailureCode(match[1]) ? new DistributedError(match[1], argument, match[2]) : null;
}
