// Installing the packed tarball into an empty project as a user would, for
// test/release/install.test.ts and node-versions.test.ts.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CHILD_TIMEOUT_MS } from '../helpers/node.js';

/** The user's environment: none of the project's own switches. */
export function userEnv(pathVariable = process.env.PATH): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: pathVariable };
  for (const key of Object.keys(env)) {
    // undefined, not deleted: runNode layers this over process.env, and node omits undefined values.
    const ours = key.startsWith('DELTAPROP_') || key.startsWith('npm_lifecycle') || key === 'npm_package_json';
    if (ours) env[key] = undefined;
  }
  return env;
}

/** npm's own CLI script, so that npm can run with a PATH that has no npm (and on this machine's node, whichever node the PATH has). */
export function npmCli(): string {
  const found = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
  return fs.realpathSync(found);
}

/**
 * A folder for PATH holding `node` (the given executable) and a shell and
 * nothing else: no python, make, g++ or mpicc, so an install can compile nothing.
 */
export function binWithoutToolchain(dir: string, node: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.symlinkSync(node, path.join(dir, 'node'));
  fs.symlinkSync('/bin/sh', path.join(dir, 'sh'));
  return dir;
}

/** An empty project in `dir` (test/release/consumer's scripts copied in), with deltaprop installed from `tarball` by this machine's npm. */
export function installInto(dir: string, tarball: string, flags: string[], env: NodeJS.ProcessEnv) {
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `consumer-${path.basename(dir)}`, version: '1.0.0', private: true }));
  fs.cpSync(path.join(__dirname, 'consumer'), dir, { recursive: true });
  const result = spawnSync(process.execPath, [npmCli(), 'install', tarball, '--prefer-offline', '--foreground-scripts', ...flags], {
    cwd: dir,
    env,
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
  });
  return { dir, status: result.status, output: `${result.stdout}\n${result.stderr}\n${result.error?.message ?? ''}` };
}
