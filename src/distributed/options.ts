import { checkKnownKeys, checkNumber, checkObject } from '../validate.js';

/** What `init` accepts. */
export interface InitOptions {
  /**
   * How long one collective may take, in seconds, counted from when this
   * process asks for it (default 20; at most 600). A collective still
   * pending then fails with DISTRIBUTED_TIMEOUT: it covers a peer that hangs,
   * was stopped, died on another host, or runs a different number of steps.
   * It must exceed any legitimate skew between the processes (the first
   * step's warm-up, work that only one process does).
   */
  timeoutSeconds?: number;
}

export interface ResolvedInitOptions {
  timeoutSeconds: number;
}

export const DEFAULT_TIMEOUT_SECONDS = 20;
export const MAX_TIMEOUT_SECONDS = 600;

export function resolveInitOptions(options: unknown): ResolvedInitOptions {
  if (options === undefined) return { timeoutSeconds: DEFAULT_TIMEOUT_SECONDS };
  const object = checkObject('options', options);
  checkKnownKeys('options', object, ['timeoutSeconds']);
  const timeoutSeconds =
    object.timeoutSeconds === undefined ? DEFAULT_TIMEOUT_SECONDS : checkNumber('options.timeoutSeconds', object.timeoutSeconds, { min: 0, minExclusive: true, max: MAX_TIMEOUT_SECONDS });
  return { timeoutSeconds };
}
