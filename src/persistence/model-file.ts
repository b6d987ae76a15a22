// The binary model file that save() writes and load() reads: it holds any
// network the library can build (a JSON text cannot hold more than about
// 50 million parameters, a JavaScript string's limit).
//
//   offset 0   8 bytes   "DPMODEL\n"
//          8   uint32    format version (1), little-endian
//         12   uint32    H, the header's length in bytes
//         16   H bytes   the header: UTF-8 JSON { format, version, config,
//                        shuffleState, dropoutState, optimizer (without its
//                        buffers) | null, inputScaling: boolean, sections }
//              padding   zeros up to a multiple of 8
//              sections  float64, little-endian, in order: params, the
//                        optimizer's buffers, the scaling's shift and spread
//   end − 32  32 bytes  SHA-256 of every byte before it
//
// Reading checks, in order: the magic, the version, that the header fits
// the file, the header itself (as fromJSON checks a document), that the
// sections it declares are the ones its config implies, and that they add
// up to the file's real size to the byte. Only then is anything allocated
// (and never more than the file's size), and the checksum is verified
// before any of it is used.
import { createHash } from 'node:crypto';
import { closeSync, readSync } from 'node:fs';
import os from 'node:os';
import { DeltapropError, describeValue } from '../errors.js';
import { openRegularFile, writeFileAtomic } from './files.js';
import { allocateFloat64, checkMemory } from '../memory.js';
import { stateSlots } from '../optimizers.js';
import { countParameters } from '../options.js';
import type { SavedNetwork } from './saved-network.js';
import { checkSavable, checkSavedConfig } from './saved-network.js';
import { MAX_JSON_LENGTH, checkGeneratorState, decodeNetworkJSON, decodeOptimizerMeta, encodeOptimizerMeta } from './serialize.js';
import { checkKnownKeys, checkObject } from '../validate.js';

const MAGIC = Buffer.from('DPMODEL\n', 'latin1');
const FORMAT = 'deltaprop.model';
const VERSION = 1;
const PREFIX = 16;
const CHECKSUM = 32;
/** Headers are a few kilobytes; more than this is not one of ours. */
const MAX_HEADER = 64 << 20;
/** Bytes per read, write or hash call: within what every one of them accepts. */
const PIECE = 1 << 30;

function requireLittleEndian(): void {
  if (os.endianness() !== 'LE') {
    throw new DeltapropError('path', 'model files are little-endian and this release reads and writes them on little-endian machines only');
  }
}

/**
 * The bytes of a Float64Array, in pieces of at most PIECE, each its own view:
 * one Uint8Array over all of them cannot exist above 2³² bytes (V8's limit
 * on a typed array's length), which the largest networks exceed.
 */
export function* pieces(values: Float64Array): Generator<Uint8Array> {
  for (let at = 0; at < values.byteLength; at += PIECE) {
    yield new Uint8Array(values.buffer, values.byteOffset + at, Math.min(PIECE, values.byteLength - at));
  }
}

function sections(saved: SavedNetwork): Float64Array[] {
  const list = [saved.params];
  if (saved.optimizer !== null) list.push(saved.optimizer.buffers);
  if (saved.inputScaling !== null) list.push(saved.inputScaling.shift, saved.inputScaling.spread);
  return list;
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;

export function writeModelFile(path: string, saved: SavedNetwork): void {
  requireLittleEndian();
  checkSavable(saved);
  const header = Buffer.from(
    JSON.stringify({
      format: FORMAT,
      version: VERSION,
      config: saved.config,
      shuffleState: saved.shuffleState,
      dropoutState: saved.dropoutState,
      optimizer: saved.optimizer === null ? null : encodeOptimizerMeta(saved.optimizer),
      inputScaling: saved.inputScaling !== null,
      sections: sections(saved).map((s) => s.length),
    }),
    'utf8',
  );
  const prefix = Buffer.alloc(PREFIX);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(VERSION, 8);
  prefix.writeUInt32LE(header.length, 12);
  const padding = new Uint8Array(align8(PREFIX + header.length) - PREFIX - header.length);
  const body: Uint8Array[] = [prefix, header, padding];
  for (const section of sections(saved)) body.push(...pieces(section));
  const hash = createHash('sha256');
  for (const part of body) hash.update(part);
  writeFileAtomic(path, [...body, hash.digest()]);
}

/** Whether these bytes start with the model file's magic. */
function isModelFile(start: Uint8Array): boolean {
  return start.length >= MAGIC.length && Buffer.from(start.buffer, start.byteOffset, MAGIC.length).equals(MAGIC);
}

/** The most bytes a network's JSON text can take (toJSON refuses longer texts; UTF-8 spends at most 3 bytes a UTF-16 unit). */
const MAX_JSON_BYTES = 3 * MAX_JSON_LENGTH + 3;

/**
 * The network in the file at `path`: the binary model file, or the JSON text
 * of toJSON (deltaprop 0.1's files included), chosen by its first bytes. The
 * path must be a regular file; a JSON file larger than any network's JSON is
 * refused by its size, before it is read.
 */
export function readNetworkFile(path: string): SavedNetwork {
  const { fd, size } = openRegularFile(path, 'path');
  try {
    const start = new Uint8Array(MAGIC.length);
    const n = readSync(fd, start, 0, start.length, 0);
    if (n === start.length && isModelFile(start)) return readModel(fd, size);
    if (size > MAX_JSON_BYTES) throw new DeltapropError('path', `is not a model file: it does not start as one, and its ${size} bytes are more than any network's JSON text (${MAX_JSON_BYTES})`);
    const text = Buffer.alloc(size);
    readExactly(fd, text, 0);
    return decodeNetworkJSON(text.toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

function corrupt(detail: string): never {
  throw new DeltapropError('path', `is not a valid deltaprop model file: ${detail}`);
}

/** Reads `length` bytes at `position` into `into`, failing on a short read (the file changed under us). */
function readExactly(fd: number, into: Uint8Array, position: number): void {
  for (let done = 0; done < into.length;) {
    const n = readSync(fd, into, done, Math.min(PIECE, into.length - done), position + done);
    if (n === 0) corrupt(`it ended early, at byte ${position + done}`);
    done += n;
  }
}

/** The binary model file open at `fd` (`size` bytes), every part checked. */
function readModel(fd: number, size: number): SavedNetwork {
  requireLittleEndian();
  if (size < PREFIX + CHECKSUM) corrupt(`it has ${size} bytes, fewer than any model file`);
  const prefix = Buffer.alloc(PREFIX);
  readExactly(fd, prefix, 0);
  if (!isModelFile(prefix)) corrupt('it does not start with the model file magic');
  const version = prefix.readUInt32LE(8);
  if (version !== VERSION) corrupt(`format version ${version}; this release reads version ${VERSION}`);
  const headerLength = prefix.readUInt32LE(12);
  if (headerLength > MAX_HEADER || PREFIX + headerLength + CHECKSUM > size) corrupt(`its header claims ${headerLength} bytes, more than the file holds`);
  const headerBytes = Buffer.alloc(headerLength);
  readExactly(fd, headerBytes, PREFIX);
  let saved: ReturnType<typeof checkHeader>;
  try {
    saved = checkHeader(headerBytes);
  } catch (e) {
    // Name the file for what is wrong inside its header too.
    if (e instanceof DeltapropError && e.argument !== 'path') corrupt(e.message);
    throw e;
  }
  const expected = align8(PREFIX + headerLength) + 8 * saved.lengths.reduce((a, b) => a + b, 0) + CHECKSUM;
  if (expected !== size) corrupt(`its header declares ${expected} bytes in all, but the file has ${size} (truncated or extended)`);

  // Sizes agree with the file: allocating them is justified by what is on disk, if this process has the room.
  const advice = 'load it in a process with more memory (ulimit -v)';
  checkMemory('path', size, 'the network in this file', advice);
  const hash = createHash('sha256');
  hash.update(prefix);
  hash.update(headerBytes);
  const padding = new Uint8Array(align8(PREFIX + headerLength) - PREFIX - headerLength);
  readExactly(fd, padding, PREFIX + headerLength);
  hash.update(padding);
  let position = align8(PREFIX + headerLength);
  const arrays = saved.lengths.map((length) => {
    const values = allocateFloat64('path', length, 'a section of the network in this file', advice);
    for (const piece of pieces(values)) {
      readExactly(fd, piece, position);
      hash.update(piece);
      position += piece.length;
    }
    return values;
  });
  const checksum = new Uint8Array(CHECKSUM);
  readExactly(fd, checksum, position);
  if (!hash.digest().equals(checksum)) corrupt('its checksum does not match its contents (the file is damaged or was edited)');
  return saved.build(arrays);
}

/** The header, checked: what the sections must be, and how to build the network from them. */
function checkHeader(bytes: Buffer): { lengths: number[]; build(arrays: Float64Array[]): SavedNetwork } {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    corrupt(`its header is not JSON (${(e as Error).message})`);
  }
  const h = checkObject('header', value);
  checkKnownKeys('header', h, ['format', 'version', 'config', 'shuffleState', 'dropoutState', 'optimizer', 'inputScaling', 'sections']);
  if (h.format !== FORMAT || h.version !== VERSION) corrupt(`its header names ${describeValue(h.format)} version ${describeValue(h.version)}`);
  const config = checkSavedConfig(h.config, 'header.config');
  const parameters = countParameters(config);
  const meta = h.optimizer === null ? null : decodeOptimizerMeta(checkObject('header.optimizer', h.optimizer), 'header.optimizer');
  if (typeof h.inputScaling !== 'boolean') corrupt('its header has no inputScaling flag');
  if (h.inputScaling && config.inputScaling === undefined) corrupt('it holds input scaling statistics, but its config has no inputScaling');
  const lengths = [parameters];
  if (meta !== null) lengths.push(stateSlots(meta.optimizer) * parameters);
  if (h.inputScaling) lengths.push(config.inputs, config.inputs);
  if (!Array.isArray(h.sections) || h.sections.length !== lengths.length || h.sections.some((n, i) => n !== lengths[i])) {
    corrupt(`its sections ${describeValue(h.sections)} are not the ${JSON.stringify(lengths)} values its config implies`);
  }
  const shuffleState = checkGeneratorState('header.shuffleState', h.shuffleState);
  const dropoutState = checkGeneratorState('header.dropoutState', h.dropoutState);
  return {
    lengths,
    build(arrays) {
      const [params, ...rest] = arrays;
      const buffers = meta === null ? null : rest.shift()!;
      const scaling = h.inputScaling ? { shift: rest[0], spread: rest[1] } : null;
      const saved: SavedNetwork = {
        config,
        params,
        shuffleState,
        dropoutState,
        optimizer: meta === null ? null : { ...meta, buffers: buffers! },
        inputScaling: scaling,
      };
      try {
        checkSavable(saved);
      } catch (e) {
        corrupt((e as Error).message);
      }
      return saved;
    },
  };
}
