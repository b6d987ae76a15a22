// What the CLI reports about bad input: one line naming the file, line and
// column (as compilers do), and exit status 2. Never a stack trace.
export class CliInputError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${[file, line, column].filter((part) => part !== undefined).join(':')}: ${detail}`);
    this.name = 'CliInputError';
  }
}

/**
 * A file the command had to write that the system refused once the work
 * was done (a full disk, a read-only or vanished folder): one line saying
 * which file, why, and what was kept; exit status 1. A path that is wrong
 * from the start (no such folder, a folder, an input file) is a
 * CliInputError, found before the work starts.
 */
export class CliWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliWriteError';
  }
}

/** Exit status for bad input or usage (2), as the issue and most Unix tools have it. */
export const EXIT_BAD_INPUT = 2;
/** Exit status when a file could not be written after the work was done (1), as for an internal error: the command did not finish. */
export const EXIT_WRITE_FAILED = 1;
/** Exit status after Ctrl-C (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;
