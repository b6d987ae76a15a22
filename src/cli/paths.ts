// The files a command writes (--out, --report, --onnx): checked before the
// work starts, so that an hour of training is not lost to a typo in a
// folder's name, and their writes afterwards turned into one line that says
// which file, why, and what was kept.
//
// Before: an output must not be one of the command's inputs (the data, the
// model) or another of its outputs, once symbolic links and relative paths
// are resolved; its folder must exist and be writable; and what is at its
// path must be something a write may replace (files.ts's checkWritablePath:
// a regular file, a link to one, or nothing). Each refusal is a CliInputError
// (exit status 2). After: a write the system refuses (a full disk, a folder
// removed meanwhile) is a CliWriteError (exit status 1).
import fs from 'node:fs';
import path from 'node:path';
import { DeltapropError } from '../errors.js';
import { checkWritablePath } from '../persistence/files.js';
import { CliInputError, CliWriteError } from './errors.js';

/** Where `file` leads: absolute, symbolic links resolved (for a file not there yet, its folder's). */
export function realPath(file: string): string {
  const absolute = path.resolve(file);
  try {
    return fs.realpathSync.native(absolute);
  } catch {
    try {
      return path.join(fs.realpathSync.native(path.dirname(absolute)), path.basename(absolute));
    } catch {
      return absolute;
    }
  }
}

/** Whether two paths name one file: the same real path, or the same file reached by two names (a hard link, a case-insensitive file system). */
export function sameFile(a: string, b: string): boolean {
  if (realPath(a) === realPath(b)) return true;
  try {
    const x = fs.statSync(a);
    const y = fs.statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

export interface OutputPath {
  /** The option that names it, e.g. '--report'. */
  flag: string;
  file: string;
  /** An input it may replace (--out the model --resume continues). */
  mayReplace?: string;
}

export interface InputPath {
  /** What it is, e.g. 'the data file'. */
  what: string;
  file: string;
}

/** Refuses, before any work, outputs that would overwrite an input or each other, or that could not be written. */
export function checkOutputs(outputs: readonly OutputPath[], inputs: readonly InputPath[]): void {
  outputs.forEach((output, k) => {
    for (const input of inputs) {
      if (input.file === output.mayReplace) continue;
      if (sameFile(output.file, input.file)) throw new CliInputError(output.file, `${output.flag} names ${input.what}, which writing it would overwrite`);
    }
    for (const other of outputs.slice(0, k)) {
      if (sameFile(output.file, other.file)) throw new CliInputError(output.file, `${output.flag} and ${other.flag} name the same file`);
    }
    checkOutputFolder(output);
    try {
      checkWritablePath(output.file, output.flag);
    } catch (e) {
      if (e instanceof DeltapropError) throw new CliInputError(output.file, `${output.flag}: ${e.detail}`);
      throw e;
    }
  });
}

/** The folder the file goes in (a link's target's) exists, is a folder, and may be written. */
function checkOutputFolder({ flag, file }: OutputPath): void {
  const folder = path.dirname(realPath(file));
  let stats: fs.Stats;
  try {
    stats = fs.statSync(folder);
  } catch {
    throw new CliInputError(file, `${flag}: there is no folder ${folder}`);
  }
  if (!stats.isDirectory()) throw new CliInputError(file, `${flag}: ${folder} is not a folder`);
  try {
    fs.accessSync(folder, fs.constants.W_OK);
  } catch {
    throw new CliInputError(file, `${flag}: the folder ${folder} may not be written (permission denied)`);
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'its folder does not exist (any more)',
  ENOTDIR: 'a part of its path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EFBIG: "the file is too large (a limit on file sizes: ulimit -f, or the file system's)",
  EISDIR: 'it is a folder',
  EIO: 'an input/output error',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'its name is too long',
};

/** Why a write failed, in words: from the system's error code (also when the library wrapped it in a DeltapropError's text). */
export function writeReason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : /\b(E[A-Z]{2,})\b/.exec(String(e?.message ?? ''))?.[1];
  if (code !== undefined && REASONS[code] !== undefined) return REASONS[code];
  if (error instanceof DeltapropError) return error.detail;
  return String(e?.message ?? error);
}

/**
 * Runs `write`, which writes `what` (e.g. 'the report') to `file`; a
 * failure becomes one line, followed by `kept` (e.g. 'the model was saved
 * in model.dpm') when something else was kept.
 */
export function writeOrSay(what: string, file: string, write: () => void, kept?: string): void {
  try {
    write();
  } catch (e) {
    throw new CliWriteError(`${file}: could not write ${what}: ${writeReason(e)}${kept === undefined ? '' : `; ${kept}`}`);
  }
}
