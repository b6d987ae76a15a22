// What the CLI reports about bad input: one line naming the file, line and
// column (as compilers do), and exit status 2. Never a stack trace.
export class CliInputError extends Error {
  constructor(readonly file: string, readonly detail: string, readonly line?: number, readonly column?: number) {
    super(`${[file, line, column].filter((part) => part !== undefined).join(':')}: ${detail}`);
    this.name = 'CliInputError';
  }
}

/** Exit status for bad input or usage (2), as the issue and most Unix tools have it. */
export const EXIT_BAD_INPUT = 2;
/** Exit status after Ctrl-C (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;
