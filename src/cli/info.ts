// deltaprop info: the version, the engine in use, its ISA and threads, and
// why the native engine did not load when it did not (including the last
// install's outcome, which npm hides).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backend } from '../backend/index.js';
import { packageVersion } from '../version.js';
import type { Output } from './train.js';

const ROOT = path.join(__dirname, '..', '..');

/** What scripts/install-native.js records when the native build failed. */
interface FailedInstall {
  date: string;
  fromSource: boolean;
  exitCode: number | null;
  output: string;
}

function failedInstall(): FailedInstall | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'build', 'deltaprop-install.json'), 'utf8')) as FailedInstall;
  } catch {
    return null;
  }
}

export function info(json: boolean, io: Output): number {
  const install = failedInstall();
  const facts = {
    version: packageVersion(),
    backend: backend.name,
    isa: backend.isa,
    supportedIsas: backend.supportedIsas,
    threads: backend.threads,
    nativeError: backend.nativeError,
    failedInstall: install,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.availableParallelism(),
  };
  if (json) {
    io.stdout.write(`${JSON.stringify(facts)}\n`);
    return 0;
  }
  const lines = [
    `deltaprop ${facts.version} on Node ${facts.node} (${facts.platform}, ${facts.cpus} CPUs)`,
    `backend: ${facts.backend}`,
  ];
  if (backend.name === 'native') {
    lines.push(`ISA: ${facts.isa} (supported: ${facts.supportedIsas.join(', ')})`, `threads: ${facts.threads}`);
  }
  if (facts.nativeError) lines.push(`native engine not loaded: ${facts.nativeError}`);
  if (install !== null) {
    lines.push(`the install of ${install.date} could not build the native addon${install.fromSource ? ' from source' : ''} (exit code ${install.exitCode}); its output ended with:`);
    lines.push(...install.output.trimEnd().split('\n').map((line) => `  ${line}`));
    lines.push('fix the cause, then: DELTAPROP_BUILD_FROM_SOURCE=1 npm rebuild deltaprop');
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
