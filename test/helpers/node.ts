import { spawnSync } from 'node:child_process';

/** Runs a script in a fresh node process (so DELTAPROP_* variables take effect at import time). */
export function runNode(
  args: string[], options: { env?: Record<string, string | undefined>; cwd?: string } = {},
): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, ...options.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', env, cwd: options.cwd });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}
