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

export function checkFloat64Array(name: string, value: unknown): Float64Array {
  if (!(value instanceof Float64Array)) {
    throw new DeltapropError(name, `expected a Float64Array, got ${describeValue(value)}`);
  }
  return value;
}
