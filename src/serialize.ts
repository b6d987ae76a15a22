// The versioned JSON form of a network. Parameters are stored as the bytes of
// the float64 buffer (little-endian, base64) so that the round trip is exact
// to the bit, −0 and all, and compact for large networks.
import { DeltapropError, describeValue } from './errors.js';
import type { NetworkConfig } from './options.js';
import { checkObject } from './validate.js';

export const FORMAT = 'deltaprop.network';
export const VERSION = 1;

export interface NetworkJSON {
  format: typeof FORMAT;
  version: typeof VERSION;
  config: NetworkConfig;
  /** Float64 parameters, little-endian, base64. */
  params: string;
  /** The shuffling generator's state, so a restored network shuffles on as the original would. */
  shuffleState: number[];
}

export function encodeParams(params: Float64Array): string {
  const bytes = new DataView(new ArrayBuffer(params.length * 8));
  params.forEach((x, i) => bytes.setFloat64(i * 8, x, true));
  return Buffer.from(bytes.buffer).toString('base64');
}

/** Standard base64 with padding: Buffer.from would silently skip any other character. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeParams(text: string, expected: number): Float64Array {
  if (!BASE64.test(text)) throw new DeltapropError('json.params', 'expected standard base64 text, got other characters or bad padding');
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== expected * 8) {
    throw new DeltapropError('json.params', `expected ${expected} float64 parameters (${expected * 8} bytes), got ${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const params = new Float64Array(expected);
  for (let i = 0; i < expected; i++) {
    params[i] = view.getFloat64(i * 8, true);
    if (!Number.isFinite(params[i])) throw new DeltapropError(`json.params[${i}]`, `expected a finite number, got ${params[i]}`);
  }
  return params;
}

/** Checks the envelope; the config itself is checked by the Network constructor. */
export function parseEnvelope(value: unknown): { config: unknown; params: string; shuffleState: number[] } {
  const json = checkObject('json', typeof value === 'string' ? parseText(value) : value);
  if (json.format !== FORMAT) throw new DeltapropError('json.format', `expected '${FORMAT}', got ${describeValue(json.format)}`);
  if (json.version !== VERSION) {
    throw new DeltapropError('json.version', `expected ${VERSION} (the only version this release reads), got ${describeValue(json.version)}`);
  }
  if (typeof json.params !== 'string') throw new DeltapropError('json.params', `expected a base64 string, got ${describeValue(json.params)}`);
  const state = json.shuffleState;
  if (!Array.isArray(state) || state.length !== 4 || !state.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)) {
    throw new DeltapropError('json.shuffleState', `expected 4 integers in [0, 2³²), got ${describeValue(state)}`);
  }
  return { config: json.config, params: json.params, shuffleState: state };
}

function parseText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DeltapropError('json', `expected JSON text, got a string that does not parse (${(e as Error).message})`);
  }
}
