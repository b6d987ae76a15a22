// Running the deltaprop command as a user runs it (bin/deltaprop.js over the
// built dist/), in a temporary folder of its own that is removed afterwards.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

export const BIN = path.resolve(__dirname, '..', '..', 'bin/deltaprop.js');

/** A temporary folder (removed after the file's tests), a way to name or write a file in it, and the command run there. */
export function cliWorkspace(prefix: string) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text?: string) => {
    const where = path.join(dir, name);
    if (text !== undefined) writeFileSync(where, text);
    return where;
  };
  const cli = (args: string[], env: Record<string, string> = {}) => {
    const result = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  return { dir, file, cli };
}
