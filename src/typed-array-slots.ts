// A typed array's internal slots, read with %TypedArray%.prototype's own
// getters: what the array really is, whatever its subclass, its own
// properties or a Proxy around it claim. Reading them runs no code of the
// caller's.
const typedArrayPrototype = Object.getPrototypeOf(Float64Array.prototype) as object;
const slot = (key: PropertyKey) => Object.getOwnPropertyDescriptor(typedArrayPrototype, key)!.get!;
const nameOf = slot(Symbol.toStringTag);
export const bufferOf = slot('buffer');
export const byteOffsetOf = slot('byteOffset');
export const lengthOf = slot('length');

/** The kind of typed array `value` really is (its internal slot), or null for anything else: a Proxy, a look-alike, a plain object. */
export function typedArrayKind(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  return (nameOf.call(value) as string | undefined) ?? null;
}
