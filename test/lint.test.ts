// The lint checks of `npm run lint`, each as a test, so that `npm test` (and
// so CI) fails on a lint error or on code that `npm run format` would change.
// Runs once, not once per ISA (vitest.config.mts leaves it out of those runs).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
// Each check takes seconds alone; beside the rest of the suite on two cores, many times that.
const CHECK_TIMEOUT_MS = 300_000;

/** `npm run <script>` at the root: its exit status and everything it printed. */
function npmRun(script: string): { status: number | null; output: string } {
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: ROOT, encoding: 'utf8', timeout: CHECK_TIMEOUT_MS - 10_000 });
  const output = [result.stdout, result.stderr, result.error?.message].filter(Boolean).join('\n');
  return { status: result.status, output };
}

describe('npm run lint', () => {
  it.each([
    ['lint:eslint', 'ESLint finds no problem (warnings included)'],
    ['lint:prettier', 'the TypeScript and JavaScript are as Prettier formats them'],
    ['lint:clang-format', 'the C++ is as clang-format formats it'],
  ])('%s: %s', { timeout: CHECK_TIMEOUT_MS }, (script) => {
    const { status, output } = npmRun(script);
    expect(status, `npm run ${script} failed (npm run format fixes formatting):\n${output}`).toBe(0);
  });
});
