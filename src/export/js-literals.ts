// JavaScript literals for the standalone function's source (toFunction):
// each reads back as exactly the value written.
import type { Label } from '../table/label-order.js';

/** The literal of x that parses back to x exactly (String(-0) would lose the sign). */
export function literal(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

export function arrayLiteral(values: ArrayLike<number>): string {
  const parts: string[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = literal(values[i]);
  return `[${parts.join(',')}]`;
}

/** A string, number or boolean as a literal (JSON's string syntax is JavaScript's). */
export function labelLiteral(label: Label): string {
  return typeof label === 'number' ? literal(label) : typeof label === 'string' ? JSON.stringify(label) : String(label);
}
