// deltaprop's own version, from its package.json (read once): this file is
// src/persistence/version.ts or dist/persistence/version.js, two folders below the package root.
import { readFileSync } from 'node:fs';
import path from 'node:path';

let version: string | null = null;

export function packageVersion(): string {
  version ??= String((JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: unknown }).version);
  return version;
}
