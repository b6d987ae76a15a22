// The versioned JSON form of a network. Parameters (and the optimizer's
// buffers) are stored as the bytes of the float64 buffer (little-endian,
// base64) so that the round trip is exact to the bit, −0 and all, and compact
// for large networks. Version 2 adds the optimizer's state and the dropout
// generator; version 1 files (deltaprop 0.1) still load, with neither.
import type { InputScaling } from '../backend/types.js';
import { DeltapropError, describeValue } from '../errors.js';
import type { OptimizerState } from '../training/optimizer-state.js';
import type { ResolvedOptimizer } from '../optimizers.js';
import { checkResolvedOptimizer, stateSlots } from '../optimizers.js';
import type { NetworkConfig } from '../options.js';
import { countParameters } from '../options.js';
import type { SavedNetwork } from './saved-network.js';
import { checkSavable, checkSavedConfig } from './saved-network.js';
import type { ResolvedSchedule } from '../training/schedules.js';
import { checkResolvedSchedule } from '../training/schedules.js';
import { checkInteger, checkKnownKeys, checkNumber, checkObject } from '../validate.js';

export const FORMAT = 'deltaprop.network';
export const VERSION = 2;
const READABLE_VERSIONS = [1, 2];

/** The optimizer state of a network (see optimizer-state.ts) as JSON. */
export interface OptimizerStateJSON {
  optimizer: ResolvedOptimizer;
  /** The optimizer's buffers, float64 little-endian, base64. */
  buffers: string;
  steps: number;
  schedule: ResolvedSchedule;
  /** `best` is null while no epoch has been seen (JSON has no Infinity). */
  position: { epoch: number; rate: number; best: number | null; badEpochs: number };
}

export interface NetworkJSON {
  format: typeof FORMAT;
  version: typeof VERSION;
  config: NetworkConfig;
  /** Float64 parameters, little-endian, base64. */
  params: string;
  /** The shuffling generator's state, so a restored network shuffles on as the original would. */
  shuffleState: number[];
  /** The dropout generator's state, likewise. */
  dropoutState: number[];
  /** The optimizer's state, so a restored network trains on as the original would; null before any fit. */
  optimizer: OptimizerStateJSON | null;
  /** The input scaling's statistics (float64 base64, one value per input each), or null. */
  inputScaling: { shift: string; spread: string } | null;
}

export function encodeParams(params: Float64Array): string {
  const bytes = new DataView(new ArrayBuffer(params.length * 8));
  params.forEach((x, i) => bytes.setFloat64(i * 8, x, true));
  return Buffer.from(bytes.buffer).toString('base64');
}

/**
 * Standard base64 with padding: Buffer.from would silently skip any other
 * character. A scan, not a regular expression: a backtracking match of a
 * text of millions of characters overflows the stack.
 */
function isBase64(text: string): boolean {
  if (text.length % 4 !== 0) return false;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  for (let i = 0; i < text.length - padding; i++) {
    const c = text.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
    if (!ok) return false;
  }
  return true;
}

export function decodeParams(text: unknown, expected: number, name = 'json.params', what = 'parameters'): Float64Array {
  if (typeof text !== 'string') throw new DeltapropError(name, `expected a base64 string, got ${describeValue(text)}`);
  if (!isBase64(text)) throw new DeltapropError(name, 'expected standard base64 text, got other characters or bad padding');
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== expected * 8) {
    throw new DeltapropError(name, `expected ${expected} float64 ${what} (${expected * 8} bytes), got ${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const params = new Float64Array(expected);
  for (let i = 0; i < expected; i++) {
    params[i] = view.getFloat64(i * 8, true);
    if (!Number.isFinite(params[i])) throw new DeltapropError(`${name}[${i}]`, `expected a finite number, got ${params[i]}`);
  }
  return params;
}

export function encodeOptimizerState(state: OptimizerState): OptimizerStateJSON {
  return { ...encodeOptimizerMeta(state), buffers: encodeParams(state.buffers) };
}

/** Everything of an optimizer state but its buffers, as JSON. */
export function encodeOptimizerMeta(state: OptimizerState): Omit<OptimizerStateJSON, 'buffers'> {
  const { epoch, rate, best, badEpochs } = state.position;
  return {
    optimizer: structuredClone(state.optimizer),
    steps: state.steps,
    schedule: structuredClone(state.schedule),
    position: { epoch, rate, best: Number.isFinite(best) ? best : null, badEpochs },
  };
}

export function decodeOptimizerState(value: unknown, parameters: number): OptimizerState {
  const name = 'json.optimizer';
  const o = checkObject(name, value);
  checkKnownKeys(name, o, ['optimizer', 'buffers', 'steps', 'schedule', 'position']);
  const meta = decodeOptimizerMeta(o, name);
  const buffers = decodeParams(o.buffers, stateSlots(meta.optimizer) * parameters, `${name}.buffers`, 'values');
  return { ...meta, buffers };
}

/** Everything of a saved optimizer state but its buffers (the binary file stores those apart). */
export function decodeOptimizerMeta(o: Record<string, unknown>, name: string): Omit<OptimizerState, 'buffers'> {
  const optimizer = checkResolvedOptimizer(`${name}.optimizer`, o.optimizer);
  const steps = checkInteger(`${name}.steps`, o.steps, 0);
  const schedule = checkResolvedSchedule(`${name}.schedule`, o.schedule);
  const p = checkObject(`${name}.position`, o.position);
  checkKnownKeys(`${name}.position`, p, ['epoch', 'rate', 'best', 'badEpochs']);
  const position = {
    epoch: checkInteger(`${name}.position.epoch`, p.epoch, 0),
    rate: checkNumber(`${name}.position.rate`, p.rate, { min: 0 }),
    best: p.best === null ? Infinity : checkNumber(`${name}.position.best`, p.best),
    badEpochs: checkInteger(`${name}.position.badEpochs`, p.badEpochs, 0),
  };
  return { optimizer, steps, schedule, position };
}

export interface Envelope {
  config: unknown;
  params: string;
  shuffleState: number[];
  /** null in version 1 files: the generator starts from the seed. */
  dropoutState: number[] | null;
  /** Unchecked (decodeOptimizerState checks it); null when none was saved. */
  optimizer: unknown;
  /** Unchecked (decodeInputScaling checks it); null when none was saved. */
  inputScaling: unknown;
}

/** Checks the envelope; the config itself is checked by the Network constructor. */
export function parseEnvelope(value: unknown): Envelope {
  const json = checkObject('json', typeof value === 'string' ? parseText(value) : value);
  checkKnownKeys('json', json, ['format', 'version', 'config', 'params', 'shuffleState', 'dropoutState', 'optimizer', 'inputScaling']);
  if (json.format !== FORMAT) throw new DeltapropError('json.format', `expected '${FORMAT}', got ${describeValue(json.format)}`);
  if (!READABLE_VERSIONS.includes(json.version as number)) {
    throw new DeltapropError('json.version', `expected ${READABLE_VERSIONS.join(' or ')} (the versions this release reads), got ${describeValue(json.version)}`);
  }
  if (typeof json.params !== 'string') throw new DeltapropError('json.params', `expected a base64 string, got ${describeValue(json.params)}`);
  const version2 = json.version === 2;
  return {
    config: json.config,
    params: json.params,
    shuffleState: checkGeneratorState('json.shuffleState', json.shuffleState),
    dropoutState: version2 ? checkGeneratorState('json.dropoutState', json.dropoutState) : null,
    optimizer: version2 ? json.optimizer : null,
    inputScaling: version2 && json.inputScaling !== undefined ? json.inputScaling : null,
  };
}

export function encodeInputScaling(scaling: InputScaling): { shift: string; spread: string } {
  return { shift: encodeParams(scaling.shift), spread: encodeParams(scaling.spread) };
}

export function decodeInputScaling(value: unknown, inputs: number): InputScaling {
  const o = checkObject('json.inputScaling', value);
  checkKnownKeys('json.inputScaling', o, ['shift', 'spread']);
  const shift = decodeParams(o.shift, inputs, 'json.inputScaling.shift', 'values');
  const spread = decodeParams(o.spread, inputs, 'json.inputScaling.spread', 'values');
  spread.forEach((x, j) => {
    if (!(x > 0)) throw new DeltapropError(`json.inputScaling.spread[${j}]`, `expected a number > 0, got ${x}`);
  });
  return { shift, spread };
}

export function checkGeneratorState(name: string, state: unknown): number[] {
  if (!Array.isArray(state) || state.length !== 4 || !state.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)) {
    throw new DeltapropError(name, `expected 4 integers in [0, 2³²), got ${describeValue(state)}`);
  }
  return state;
}

function parseText(text: string): unknown {
  try {
    // A byte-order mark is what some editors put at the start of UTF-8 files.
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new DeltapropError('json', `expected JSON text, got a string that does not parse (${(e as Error).message})`);
  }
}

/**
 * The largest text a JavaScript string can hold (V8, 64-bit): a network whose
 * JSON would be longer has to be saved in the binary format.
 */
export const MAX_JSON_LENGTH = 2 ** 29 - 24;

export function encodeNetworkJSON(saved: SavedNetwork): NetworkJSON {
  checkSavable(saved);
  // base64 makes 4 characters of every 3 bytes; the rest of the text is small beside it.
  const values = saved.params.length + (saved.optimizer?.buffers.length ?? 0) + 2 * (saved.inputScaling?.shift.length ?? 0);
  const length = Math.ceil((values * 8) / 3) * 4 + 1e6;
  if (length > MAX_JSON_LENGTH) {
    throw new DeltapropError(
      'network',
      `has ${values} values to store: its JSON text would be about ${length} characters, beyond the ${MAX_JSON_LENGTH} a JavaScript string can hold; use net.save(path), whose binary format holds any network`,
    );
  }
  return {
    format: FORMAT,
    version: VERSION,
    config: saved.config,
    params: encodeParams(saved.params),
    shuffleState: saved.shuffleState,
    dropoutState: saved.dropoutState!,
    optimizer: saved.optimizer === null ? null : encodeOptimizerState(saved.optimizer),
    inputScaling: saved.inputScaling === null ? null : encodeInputScaling(saved.inputScaling),
  };
}

/** A toJSON() document (object or text), every part checked before anything is built. */
export function decodeNetworkJSON(value: unknown): SavedNetwork {
  const envelope = parseEnvelope(value);
  const config = checkSavedConfig(envelope.config, 'json.config');
  const parameters = countParameters(config);
  const params = decodeParams(envelope.params, parameters);
  const optimizer = envelope.optimizer === null ? null : decodeOptimizerState(envelope.optimizer, parameters);
  const inputScaling = envelope.inputScaling === null ? null : decodeInputScaling(envelope.inputScaling, config.inputs);
  if (inputScaling !== null && config.inputScaling === undefined) {
    throw new DeltapropError('json.inputScaling', 'holds statistics, but json.config has no inputScaling');
  }
  return { config, params, shuffleState: envelope.shuffleState, dropoutState: envelope.dropoutState, optimizer, inputScaling };
}
