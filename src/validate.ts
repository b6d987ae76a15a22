import { DeltapropError, describeValue } from './errors.js';

// Argument checks shared by every public entry point. Each throws a
// DeltapropError naming the argument; none does any work beyond checking.

export function checkInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new DeltapropError(name, `expected an integer ${range}, got ${describeValue(value)}`);
  }
  return value;
}

/** A finite number within [min, max]; `minExclusive`/`maxExclusive` make that end open. */
export function checkNumber(
  name: string,
  value: unknown,
  range: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean } = {},
): number {
  const { min = -Infinity, max = Infinity, minExclusive = false, maxExclusive = false } = range;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (minExclusive ? value > min : value >= min) &&
    (maxExclusive ? value < max : value <= max);
  if (!ok) {
    const lo = Number.isFinite(min) ? `${minExclusive ? '>' : '≥'} ${min}` : '';
    const hi = Number.isFinite(max) ? `${maxExclusive ? '<' : '≤'} ${max}` : '';
    const bounds = [lo, hi].filter(Boolean).join(' and ');
    throw new DeltapropError(name, `expected a finite number${bounds ? ' ' + bounds : ''}, got ${describeValue(value)}`);
  }
  return value as number;
}

export function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new DeltapropError(name, `expected true or false, got ${describeValue(value)}`);
  return value;
}

export function checkOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new DeltapropError(name, `expected one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describeValue(value)}`);
  }
  return value as T;
}

export function checkObject(name: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DeltapropError(name, `expected an options object, got ${describeValue(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Rejects option names the caller does not know, which are almost always typos. */
export function checkKnownKeys(name: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new DeltapropError(`${name}.${key}`, `unknown option; expected one of ${known.join(', ')}`);
    }
  }
}

// The internal slots of a typed array, read through %TypedArray%.prototype's
// own getters: a subclass, a Proxy or an object with Float64Array's
// prototype can lie through `length` or `buffer`, but not through these.
const typedArrayPrototype = Object.getPrototypeOf(Float64Array.prototype) as object;
const slot = (key: PropertyKey) => Object.getOwnPropertyDescriptor(typedArrayPrototype, key)!.get!;
const nameOf = slot(Symbol.toStringTag);
const bufferOf = slot('buffer');
const byteOffsetOf = slot('byteOffset');
const lengthOf = slot('length');

/**
 * A plain Float64Array over the same memory as `value` with its real length,
 * when `value` really is one (its internal slots say so), else null. Every
 * Float64Array the library takes is read through this, once.
 */
export function genuineFloat64Array(value: unknown): Float64Array | null {
  if (typeof value !== 'object' || value === null || nameOf.call(value) !== 'Float64Array') return null;
  return new Float64Array(bufferOf.call(value) as ArrayBufferLike, byteOffsetOf.call(value) as number, lengthOf.call(value) as number);
}

export function checkFloat64Array(name: string, value: unknown): Float64Array {
  const array = genuineFloat64Array(value);
  if (array === null) throw new DeltapropError(name, `expected a Float64Array, got ${describeValue(value)}`);
  return array;
}
