// Metadata a network carries for its users: any JSON object (the CLI keeps
// the task, the feature and target columns and the class names there), saved
// with the network in both file formats. Checked like every option, copied
// (each value read once) and frozen, so that what is saved is what was checked.
import { DeltapropError, describeValue } from '../errors.js';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type Metadata = { readonly [key: string]: JsonValue };

/** Characters of the metadata as JSON: it rides in every file's header. */
export const MAX_METADATA_LENGTH = 1 << 20;
const MAX_DEPTH = 32;

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function copyJson(name: string, value: unknown, depth: number): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new DeltapropError(name, `expected a finite number (JSON has no ${value}), got ${value}`);
    return value;
  }
  if (typeof value !== 'object') throw new DeltapropError(name, `expected a JSON value (object, array, string, number, boolean or null), got ${describeValue(value)}`);
  if (depth >= MAX_DEPTH) throw new DeltapropError(name, `expected at most ${MAX_DEPTH} levels of nesting`);
  if (Array.isArray(value)) {
    const length = value.length;
    const copy: JsonValue[] = [];
    for (let i = 0; i < length; i++) copy.push(copyJson(`${name}[${i}]`, value[i], depth + 1));
    return Object.freeze(copy);
  }
  if (!isPlainObject(value)) throw new DeltapropError(name, `expected a plain object, got ${describeValue(value)}`);
  const copy: Record<string, JsonValue> = {};
  for (const key of Object.keys(value)) {
    // defineProperty: a key named __proto__ stays a key, as in JSON.parse.
    Object.defineProperty(copy, key, {
      value: copyJson(`${name}.${key}`, (value as Record<string, unknown>)[key], depth + 1),
      enumerable: true,
    });
  }
  return Object.freeze(copy);
}

/** A frozen copy of `value`, a JSON object of at most MAX_METADATA_LENGTH characters. */
export function checkMetadata(name: string, value: unknown): Metadata {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DeltapropError(name, `expected a JSON object, got ${describeValue(value)}`);
  }
  const copy = copyJson(name, value, 0) as Metadata;
  const length = JSON.stringify(copy).length;
  if (length > MAX_METADATA_LENGTH) throw new DeltapropError(name, `expected at most ${MAX_METADATA_LENGTH} characters as JSON, got ${length}`);
  return copy;
}
