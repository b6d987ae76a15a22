import { DeltapropError, describeValue } from './errors.js';
import { checkHeap } from './memory.js';
import { bufferOf, byteOffsetOf, lengthOf, typedArrayKind } from './typed-array-slots.js';

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
export function checkNumber(name: string, value: unknown, range: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean } = {}): number {
  const { min = -Infinity, max = Infinity, minExclusive = false, maxExclusive = false } = range;
  const ok = typeof value === 'number' && Number.isFinite(value) && (minExclusive ? value > min : value >= min) && (maxExclusive ? value < max : value <= max);
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

/**
 * An options object, read once: a fresh record (without a prototype) of its
 * own enumerable string keys, each value read exactly once, in key order.
 * Every reader checks and uses this copy, never the caller's object, so a
 * getter cannot answer the check one value and the use another (epochs: 1 to
 * the check, 1e9 to the loop), and nothing the caller changes later reaches
 * it. Inherited keys are not options: Object.keys and a spread see none either.
 */
export function checkObject(name: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DeltapropError(name, `expected an options object, got ${describeValue(value)}`);
  }
  const record: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value)) record[key] = (value as Record<string, unknown>)[key];
  return record;
}

/**
 * An array argument (of options, names, labels), read once: its length, then
 * each element, into a fresh array, so a Proxy or getters cannot show the
 * checks one length or element and the use another. At most `max` elements:
 * a Proxy may claim any length, and the copy must not exhaust the heap.
 */
export function checkArray(name: string, value: unknown, max: number, what: string): unknown[] {
  if (!Array.isArray(value)) throw new DeltapropError(name, `expected an array of ${what}, got ${describeValue(value)}`);
  const length = value.length;
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || length > max) {
    throw new DeltapropError(name, `expected an array of at most ${max} ${what}, got one of length ${describeValue(length)}`);
  }
  // A Proxy's length costs it nothing; the copy costs the heap 8 bytes an element, which V8 cannot fail gracefully.
  if (length > 1 << 20) checkHeap(name, 8 * length, `a copy of ${length} ${what}`, 'give a real array');
  const copy: unknown[] = [];
  for (let i = 0; i < length; i++) copy.push(value[i]);
  return copy;
}

/** The most elements an array of options or rows may have: what either engine indexes. */
const MAX_ARRAY = 2 ** 31 - 1;

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Options read again later (crossValidate's fit options, which every fold's
 * fit reads) as a deep copy read once now: plain objects by their own keys
 * (as checkObject reads them) and arrays by their length and elements, all
 * the way down; anything else (typed arrays, Maps, functions, signals) as it
 * is, each read of it once.
 */
export function copyOnce(name: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return checkArray(name, value, MAX_ARRAY, 'elements').map((x, i) => copyOnce(`${name}[${i}]`, x));
  if (!isPlainObject(value)) return value;
  const record = checkObject(name, value);
  for (const key of Object.keys(record)) record[key] = copyOnce(`${name}.${key}`, record[key]);
  return record;
}

/** Rejects option names the caller does not know, which are almost always typos. */
export function checkKnownKeys(name: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new DeltapropError(`${name}.${key}`, `unknown option; expected one of ${known.join(', ')}`);
    }
  }
}

const TYPED_ARRAYS = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

/**
 * A plain typed array of the same kind over the same memory as `value`, with
 * its real length. A typed array whose buffer was detached (transferred to a
 * worker, or by structuredClone's transfer) has no memory left to read: a
 * DeltapropError naming `name`, not the TypeError constructing a view throws.
 */
function plainView(name: string, value: object, kind: TypedArrayName): ArrayLike<number> {
  const buffer = bufferOf.call(value) as ArrayBuffer;
  const length = lengthOf.call(value) as number;
  try {
    return new TYPED_ARRAYS[kind](buffer, byteOffsetOf.call(value) as number, length);
  } catch {
    throw new DeltapropError(name, `expected a ${kind} with memory to read, got one whose ArrayBuffer was detached (transferred or resized away)`);
  }
}

/**
 * A plain Float64Array over the same memory as `value` with its real length,
 * when `value` really is one (its internal slots say so), else null. A
 * detached one is a DeltapropError naming `name`. Every Float64Array the
 * library takes is read through this, once.
 */
export function genuineFloat64Array(value: unknown, name = 'array'): Float64Array | null {
  if (typedArrayKind(value) !== 'Float64Array') return null;
  return plainView(name, value as object, 'Float64Array') as Float64Array;
}

/** What a rejected array argument is, for messages: by its internal slots, never by properties it could fake. */
export function describeArray(value: unknown): string {
  const kind = typedArrayKind(value);
  if (kind !== null) return `a ${kind}`;
  return describeValue(value);
}

export function checkFloat64Array(name: string, value: unknown): Float64Array {
  const array = genuineFloat64Array(value, name);
  if (array === null) throw new DeltapropError(name, `expected a Float64Array, got ${describeArray(value)}`);
  return array;
}

/** %TypedArray%: every typed array's prototype chain passes through its prototype. */
const TypedArray = Object.getPrototypeOf(Float64Array) as abstract new () => object;

/**
 * Numbers to read: a plain typed array of the same kind at its real length,
 * by the internal slots of `value` (a detached one is refused), or `value`
 * itself when it is an Array (a Proxy of one too). Callers read its length
 * once and each element once. A look-alike of a typed array (a Proxy of
 * one, an object with a typed array's prototype) is refused: its `length`
 * lies or throws a TypeError. Null for anything else.
 */
export function numberSource(name: string, value: unknown): ArrayLike<unknown> | null {
  const kind = typedArrayKind(value);
  if (kind !== null) return kind in TYPED_ARRAYS ? plainView(name, value as object, kind as TypedArrayName) : null;
  if (Array.isArray(value)) return value;
  if (value instanceof TypedArray) {
    throw new DeltapropError(
      name,
      'expected a typed array or an array of numbers, got a look-alike of a typed array (a Proxy of one, or an object with its prototype): its length and values cannot be trusted',
    );
  }
  return null;
}

/**
 * `count` finite numbers copied out of `value` (`what` says where count comes
 * from), each read once: a typed array read at its real length, an Array, or
 * any other object with a length (read once) and indexed values. Errors name
 * the argument, and the element.
 */
export function readNumbers(name: string, value: unknown, count: number, what: string): Float64Array {
  const source = numberSource(name, value) ?? (typeof value === 'object' && value !== null ? (value as ArrayLike<unknown>) : null);
  if (source === null) throw new DeltapropError(name, `expected ${count} values (${what}) in a Float64Array or an array, got ${describeValue(value)}`);
  const length = source.length;
  if (length !== count) throw new DeltapropError(name, `expected ${count} values (${what}), got ${describeValue(length)}`);
  const values = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    const x = source[j];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new DeltapropError(`${name}[${j}]`, `expected a finite number, got ${describeValue(x)}`);
    values[j] = x;
  }
  return values;
}
