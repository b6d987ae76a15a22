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
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value === 'function' ? 'a function' : `a ${typeof value}`;
}
