// deltaprop info: the version, the engine in use, its ISA and threads, and
// why the native engine did not load when it did not (including the last
// install's outcome, which npm hides).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backend } from '../backend/index.js';
import type { Output } from './train.js';

const ROOT = path.join(__dirname, '..', '..');

interface InstallRecord {
  date: string;
  fromSource: boolean;
  outcome: 'ok' | 'failed';
  exitCode: number | null;
  output: string;
}

function lastInstall(): InstallRecord | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'build', 'deltaprop-install.json'), 'utf8')) as InstallRecord;
  } catch {
    return null;
  }
}

export function info(json: boolean, io: Output): number {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const install = lastInstall();
  const facts = {
    version: pkg.version,
    backend: backend.name,
    isa: backend.isa,
    supportedIsas: backend.supportedIsas,
    threads: backend.threads,
    nativeError: backend.nativeError,
    lastInstall: install,
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
  if (install?.outcome === 'failed') {
    lines.push(`last install (${install.date}): the ${install.fromSource ? 'source build' : 'native build'} failed with exit code ${install.exitCode}; its output ended with:`);
    lines.push(...install.output.trimEnd().split('\n').map((line) => `  ${line}`));
    lines.push('fix the cause, then: DELTAPROP_BUILD_FROM_SOURCE=1 npm rebuild deltaprop');
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
