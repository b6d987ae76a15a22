// Where the CLI writes, and what happens when that goes away: a reader that
// closed the pipe (`deltaprop predict … | head`), a terminal that closed, a
// full disk under a redirection. Node ignores SIGPIPE, so a write to a
// closed pipe is an EPIPE error event on the stream, which unhandled would
// crash the process with a stack trace. Here every such error is caught:
// a closed stdout or stderr ends the output quietly, as Unix tools end
// (they die of SIGPIPE without a word); another failure (ENOSPC) is said on
// stderr. The commands ask the watch whether their output is still read:
// predict and cv stop, train goes on and saves its model.
import type { Writable } from 'node:stream';

export interface Output {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /** The streams' watch (run() makes it); absent when a caller passes bare streams. */
  watch?: OutputWatch;
}

/** Exit status of a command whose output was cut short by a closed stdout: 128 + SIGPIPE, as a shell reports a Unix tool killed by it. */
export const EXIT_OUTPUT_CLOSED = 141;

/** Errors that mean the reader went away rather than that writing failed. */
function isClosed(error: NodeJS.ErrnoException, stream: { isTTY?: boolean }): boolean {
  // EIO on a terminal: the terminal was closed (a hangup).
  return error.code === 'EPIPE' || error.code === 'ECONNRESET' || error.code === 'ERR_STREAM_DESTROYED' || (error.code === 'EIO' && stream.isTTY === true);
}

export class OutputWatch {
  /** The error that ended stdout (or stderr), or null while it takes output. */
  stdoutError: NodeJS.ErrnoException | null = null;
  stderrError: NodeJS.ErrnoException | null = null;
  readonly #stdoutGone = new AbortController();

  constructor(private readonly io: Output) {
    io.stdout.on('error', (e: NodeJS.ErrnoException) => this.#fail('stdout', e));
    io.stderr.on('error', (e: NodeJS.ErrnoException) => this.#fail('stderr', e));
  }

  #fail(which: 'stdout' | 'stderr', error: NodeJS.ErrnoException): void {
    if (which === 'stderr') {
      this.stderrError ??= error;
      return;
    }
    if (this.stdoutError !== null) return;
    this.stdoutError = error;
    this.#stdoutGone.abort(error);
  }

  /** Aborted once stdout takes no more output. */
  get stdoutSignal(): AbortSignal {
    return this.#stdoutGone.signal;
  }

  /** Whether stdout is gone (closed or failed). */
  get stdoutGone(): boolean {
    return this.stdoutError !== null;
  }

  /** Whether stdout was closed by its reader (not a failure to report). */
  get stdoutClosed(): boolean {
    return this.stdoutError !== null && isClosed(this.stdoutError, this.io.stdout);
  }

  /** Why stdout failed, when it failed otherwise than by being closed: for one line on stderr. */
  get stdoutFailure(): NodeJS.ErrnoException | null {
    return this.stdoutError !== null && !this.stdoutClosed ? this.stdoutError : null;
  }

  /** Both streams are taken as gone (a hangup: the terminal they wrote to closed). */
  hangUp(): void {
    const error = Object.assign(new Error('the terminal was closed'), { code: 'EPIPE' }) as NodeJS.ErrnoException;
    this.#fail('stdout', error);
    this.#fail('stderr', error);
  }

  /** Once what was written so far has reached the OS or failed (its error event included). */
  async settle(): Promise<void> {
    await Promise.all([this.io.stdout, this.io.stderr].map((stream) => new Promise<void>((resolve) => {
      if (stream.destroyed || !stream.writable) resolve();
      else stream.write('', () => resolve());
    })));
    // A failed write's error event comes on a later tick than its callback.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The watch of `io`, made on first use. */
export function watchOf(io: Output): OutputWatch {
  io.watch ??= new OutputWatch(io);
  return io.watch;
}

/** Writes `text` to stdout unless it is gone; false when it is. */
export function writeOut(io: Output, text: string): boolean {
  if (watchOf(io).stdoutGone) return false;
  io.stdout.write(text);
  return true;
}

/** Writes `text` to stderr unless it is gone. */
export function writeErr(io: Output, text: string): void {
  if (watchOf(io).stderrError !== null) return;
  io.stderr.write(text);
}

/** Once stdout can take more (a slow reader), or is gone. */
export function drained(io: Output): Promise<void> {
  const watch = watchOf(io);
  if (watch.stdoutGone) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      io.stdout.off('drain', done);
      io.stdout.off('close', done);
      watch.stdoutSignal.removeEventListener('abort', done);
      resolve();
    };
    io.stdout.on('drain', done);
    io.stdout.on('close', done);
    watch.stdoutSignal.addEventListener('abort', done);
  });
}
