// When one process of the job fails, mpirun sends the others SIGCONT, then
// SIGTERM a second later, then SIGKILL a second after that (FINDINGS §2).
// Node's default answer to SIGTERM is to die on the spot, with the pending
// collectives never settled; this listener fails them with
// DISTRIBUTED_TERMINATED instead, and then exits 143 (as the signal would),
// before the SIGKILL. Installed only while a world of several processes is
// active: a listener replaces Node's default for the whole process.
const GRACE_MS = 500;

/** Installs the listener; returns its removal. */
export function failOnSigterm(terminate: (message: string) => void): () => void {
  const listener = (): void => {
    terminate('received SIGTERM: the launcher is ending the job (another process failed, or the job was interrupted)');
    process.exitCode = 143;
    // Time for the rejections to be seen and logged; unref'd, so that a
    // process with nothing left to do exits at once.
    setTimeout(() => process.exit(143), GRACE_MS).unref();
  };
  process.on('SIGTERM', listener);
  return () => process.off('SIGTERM', listener);
}
