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

/** What became of one stream: the error that ended it, and a signal aborted then. Made once per stream, whatever the runs. */
interface StreamState {
  error: NodeJS.ErrnoException | null;
  readonly gone: AbortController;
}

const states = new WeakMap<Writable, StreamState>();

function stateOf(stream: Writable): StreamState {
  let state = states.get(stream);
  if (state === undefined) {
    const made: StreamState = { error: null, gone: new AbortController() };
    stream.on('error', (e: NodeJS.ErrnoException) => fail(made, e));
    states.set(stream, made);
    state = made;
  }
  return state;
}

function fail(state: StreamState, error: NodeJS.ErrnoException): void {
  if (state.error !== null) return;
  state.error = error;
  state.gone.abort(error);
}

export class OutputWatch {
  readonly #stdout: StreamState;
  readonly #stderr: StreamState;

  constructor(private readonly io: Output) {
    this.#stdout = stateOf(io.stdout);
    this.#stderr = stateOf(io.stderr);
  }

  /** The error that ended stdout (or stderr), or null while it takes output. */
  get stdoutError(): NodeJS.ErrnoException | null {
    return this.#stdout.error;
  }

  get stderrError(): NodeJS.ErrnoException | null {
    return this.#stderr.error;
  }

  /** Aborted once stdout takes no more output. */
  get stdoutSignal(): AbortSignal {
    return this.#stdout.gone.signal;
  }

  /** Whether stdout is gone (closed or failed). */
  get stdoutGone(): boolean {
    return this.#stdout.error !== null;
  }

  /** Whether stdout was closed by its reader (not a failure to report). */
  get stdoutClosed(): boolean {
    return this.#stdout.error !== null && isClosed(this.#stdout.error, this.io.stdout);
  }

  /** Why stdout failed, when it failed otherwise than by being closed: for one line on stderr. */
  get stdoutFailure(): NodeJS.ErrnoException | null {
    return this.#stdout.error !== null && !this.stdoutClosed ? this.#stdout.error : null;
  }

  /** Both streams are taken as gone (a hangup: the terminal they wrote to closed). */
  hangUp(): void {
    const error = Object.assign(new Error('the terminal was closed'), { code: 'EPIPE' }) as NodeJS.ErrnoException;
    fail(this.#stdout, error);
    fail(this.#stderr, error);
  }

  /** Once what was written so far has reached the OS or failed (its error event included). */
  async settle(): Promise<void> {
    await Promise.all(
      [this.io.stdout, this.io.stderr].map(
        (stream) =>
          new Promise<void>((resolve) => {
            if (stream.destroyed || !stream.writable || stateOf(stream).error !== null) resolve();
            else stream.write('', () => resolve());
          }),
      ),
    );
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
