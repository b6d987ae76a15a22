import { types } from 'node:util';
import { typedArrayKind } from './typed-array-slots.js';

/**
 * The one error type of the public API. Its message always names the argument,
 * what was expected and what was given, so a user can fix the call without
 * reading the source.
 */
export class DeltapropError extends Error {
  /** The argument (or option) that was rejected, e.g. `"targets"` or `"options.learningRate"`. */
  readonly argument: string;
  /** The message without the argument's name: what was expected and what was given. */
  readonly detail: string;

  constructor(argument: string, detail: string) {
    super(`${argument}: ${detail}`);
    this.name = 'DeltapropError';
    this.argument = argument;
    this.detail = detail;
  }
}

/** A short, readable rendering of a rejected value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) {
    return String(value);
  }
  // Described by what it is, never by properties that run the caller's code (a Proxy's traps, a subclass's getters).
  if (types.isProxy(value)) return Array.isArray(value) ? 'a Proxy of an array' : 'a Proxy';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (types.isDataView(value)) return 'a DataView';
  const kind = typedArrayKind(value);
  if (kind !== null) return `a ${kind}`;
  if (typeof value === 'function') return 'a function';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * fit's DeltapropError when training diverged (the network rolled back):
 * its parts, for a caller that words it its own way (the CLI numbers
 * epochs from 1 and names its flags).
 */
export class DivergenceError extends DeltapropError {
  constructor(
    argument: string,
    /** The epoch (from 0) and the minibatch within it (null when unknown) where it diverged. */
    readonly epoch: number,
    readonly minibatch: number | null,
    /** What went wrong, e.g. "the loss became Infinity". */
    readonly reason: string,
    /** The likely cause and what to change, in the library's terms. */
    readonly advice: string,
  ) {
    const at = minibatch === null ? `epoch ${epoch}` : `epoch ${epoch}, minibatch ${minibatch}`;
    super(argument, `training diverged in ${at} (${reason}): ${advice}. The network is back as it was at the start of epoch ${epoch}, parameters and optimizer state, and can be used and saved`);
  }
}
