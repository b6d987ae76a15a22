import { spawnSync } from 'node:child_process';

export const CHILD_TIMEOUT_MS = 120_000;

/** Runs a script in a fresh node process (so DELTAPROP_* variables take effect at import time). */
export function runNode(args: string[], options: { env?: Record<string, string | undefined>; cwd?: string } = {}): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, ...options.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  // A hung child would otherwise hang the whole run: vitest cannot interrupt spawnSync.
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', env, cwd: options.cwd, timeout: CHILD_TIMEOUT_MS });
  const stderr = result.error ? `${result.stderr}\n${result.error.message}` : result.stderr;
  return { status: result.status, stdout: result.stdout.trim(), stderr };
}
