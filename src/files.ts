// Writing a file so that it is never left half-written: the bytes go to a
// temporary file in the same folder (so the rename stays on one file
// system), are flushed to the disk, and the temporary file is renamed over
// the old one; then the folder is flushed, so the rename survives a crash.
// On any failure the old file is untouched and the temporary file removed.
import { closeSync, fchmodSync, fsyncSync, openSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';

/** The file a write really replaces (a symlink's target) and the permissions to give it (the old file's, or rw-r--r--). */
function target(file: string): { file: string; mode: number } {
  try {
    const real = realpathSync(file);
    return { file: real, mode: statSync(real).mode & 0o7777 };
  } catch {
    return { file, mode: 0o644 };
  }
}

/** Bytes per write call: within what writeSync accepts. */
const PIECE = 1 << 30;

/** Writes `data` (text, bytes, or a sequence of byte blocks written in order) to `destination`, atomically. */
/** Removes temporary files of `file` left by processes that died mid-write (kill -9, power loss). */
function removeOrphans(file: string): void {
  const prefix = `.${path.basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(path.dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    const match = name.startsWith(prefix) ? /^(\d+)\.\d+\.tmp$/.exec(name.slice(prefix.length)) : null;
    if (match === null || Number(match[1]) === process.pid || alive(Number(match[1]))) continue;
    rmSync(path.join(path.dirname(file), name), { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function writeFileAtomic(destination: string, data: string | Uint8Array | Iterable<Uint8Array>): void {
  const { file, mode } = target(destination);
  removeOrphans(file);
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
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
