// Work over many rows that can pause between its pieces: a generator that
// yields (nothing) wherever it may stop for a while, typically after each
// block of rows. Synchronous callers run it to the end at once; fit runs it
// pausing whenever it has held the JavaScript thread for a few
// milliseconds, so that a server training in the background keeps
// answering while a large data set is checked, learned from and copied.
export type Steps<T> = Generator<void, T, undefined>;

/** Runs `steps` to the end without pausing, and returns what they return. */
export function runSteps<T>(steps: Steps<T>): T {
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}
