// The files deltaprop reads and writes, and only regular files.
//
// Writing: the bytes go to a temporary file in the same folder (so the
// rename stays on one file system), are flushed to the disk, and the
// temporary file is renamed over the old one; then the folder is flushed,
// so the rename survives a crash. On any failure the old file is untouched
// and the temporary file removed. What is at the path must be a regular file
// (or a symbolic link to one, written through) or nothing: a rename over a
// device, a FIFO or a socket would replace it (as root, /dev/null), and one
// over a folder fails late.
//
// Reading: a path is opened without blocking and checked to be a regular
// file before a byte is read, so /dev/zero, a FIFO nobody writes to, or a
// folder is refused rather than read forever.
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { closeSync, constants, fchmodSync, fstatSync, fsyncSync, lstatSync, openSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { DeltapropError } from '../errors.js';

/** What a file system entry is, for messages. */
export function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException)?.code;
}

/**
 * The file a write really replaces (a symlink's target) and the permissions
 * to give it (the old file's, or rw-r--r--); refused, naming `name`, when
 * something other than a regular file is there, or a link leads nowhere.
 */
function writableTarget(file: string, name: string): { file: string; mode: number } {
  let link: Stats;
  try {
    link = lstatSync(file);
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return { file, mode: 0o644 };
    throw e;
  }
  let real = file;
  if (link.isSymbolicLink()) {
    try {
      real = realpathSync(file);
    } catch (e) {
      const why = errorCode(e) === 'ELOOP' ? 'is a loop of symbolic links' : 'is a symbolic link to nothing (a dangling link)';
      throw new DeltapropError(name, `${JSON.stringify(file)} ${why}; deltaprop writes through links to regular files only`);
    }
  }
  const stats = real === file ? link : statSync(real);
  if (!stats.isFile()) {
    const through = real === file ? '' : ` (through the link to ${JSON.stringify(real)})`;
    throw new DeltapropError(name, `${JSON.stringify(file)} is ${kindOf(stats)}${through}: deltaprop writes regular files only, and would replace it`);
  }
  return { file: real, mode: stats.mode & 0o7777 };
}

/** Refuses, before any work, a path a write could not (or must not) replace; `name` is the argument that gave it. */
export function checkWritablePath(file: string, name: string): void {
  writableTarget(file, name);
}

/** Bytes per write call: within what writeSync accepts. */
const PIECE = 1 << 30;

/**
 * Temporary files are `.NAME.PID.THREAD.RANDOM.tmp`: unique per write even
 * for threads of one process writing the same file at once (0.2's
 * `.NAME.PID.TIME.tmp` collided between threads within a millisecond).
 */
const TEMPORARY = /^(\d+)\.\d+(?:\.[0-9a-f]+)?\.tmp$/;

function temporaryName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${threadId}.${randomBytes(8).toString('hex')}.tmp`);
}

/** Removes temporary files of `file` left by processes that died mid-write (kill -9, power loss); never a live process's. */
function removeOrphans(file: string): void {
  const prefix = `.${path.basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(path.dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    const match = name.startsWith(prefix) ? TEMPORARY.exec(name.slice(prefix.length)) : null;
    if (match === null || Number(match[1]) === process.pid || alive(Number(match[1]))) continue;
    rmSync(path.join(path.dirname(file), name), { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errorCode(e) === 'EPERM';
  }
}

/**
 * Writes `data` (text, bytes, or a sequence of byte blocks written in order)
 * to `destination`, atomically; `name` is the argument that gave the path,
 * for the refusal of what cannot be replaced.
 */
export function writeFileAtomic(destination: string, data: string | Uint8Array | Iterable<Uint8Array>, name = 'path'): void {
  const { file, mode } = writableTarget(destination, name);
  removeOrphans(file);
  const temporary = temporaryName(file);
  let fd = -1;
  try {
    fd = openSync(temporary, 'wx', 0o600);
    fchmodSync(fd, mode);
    const blocks = typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data instanceof Uint8Array ? [data] : data;
    for (const bytes of blocks) {
      for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written, Math.min(PIECE, bytes.length - written));
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(temporary, file);
  } catch (error) {
    if (fd >= 0) closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  syncFolder(path.dirname(file));
}

/** Flushes a folder's entries (the rename) to disk; some file systems cannot, which loses only that guarantee. */
function syncFolder(folder: string): void {
  let fd = -1;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // e.g. EISDIR/EINVAL where folders cannot be opened or flushed: the file itself is complete.
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/**
 * Opens `file` for reading, without blocking (a FIFO nobody writes to would
 * hold the open forever), and returns its descriptor and size once it is
 * known to be a regular file; anything else is refused, naming `name`.
 */
export function openRegularFile(file: string, name: string): { fd: number; size: number } {
  const refuse = (stats: Stats) => new DeltapropError(name, `${JSON.stringify(file)} is ${kindOf(stats)}, not a file deltaprop can read`);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    // A socket cannot be opened at all (ENXIO): say what it is rather than how the open failed.
    const stats = statOrNull(file);
    if (stats !== null && !stats.isFile()) throw refuse(stats);
    throw e;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw refuse(stats);
    return { fd, size: stats.size };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

function statOrNull(file: string): Stats | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}
