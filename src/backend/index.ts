// Picks the engine and configures the native one from the environment:
//   DELTAPROP_BACKEND = native | js | auto (default: native when the addon loads)
//   DELTAPROP_ISA     = avx512 | avx2 | sse2 | generic | neon (default: the best the CPU has)
//   DELTAPROP_THREADS = native threads (default: the cores Node may use)
import os from 'node:os';
import { DeltapropError, describeValue } from '../errors.js';
import { jsBackend } from './js/engine.js';
import type { NativeEngine } from './native.js';
import { loadNative } from './native.js';
import type { Backend } from './types.js';

export type BackendName = 'native' | 'js';
export const BACKEND_NAMES: readonly BackendName[] = ['native', 'js'];

export const MAX_THREADS = 256;

const loaded = loadNative();
const native: NativeEngine | null = loaded.engine;

/** The engine's thread count: DELTAPROP_THREADS, or every core this process may use. */
function configureNative(engine: NativeEngine): void {
  const isa = process.env.DELTAPROP_ISA;
  if (isa !== undefined && isa !== '') {
    const { supportedIsas } = engine.info();
    if (!supportedIsas.includes(isa)) {
      throw new DeltapropError('DELTAPROP_ISA', `'${isa}' was requested but this CPU and build support only ${supportedIsas.map((s) => `'${s}'`).join(', ')}`);
    }
    engine.setIsa(isa);
  }
  const threads = process.env.DELTAPROP_THREADS;
  if (threads !== undefined && threads !== '') {
    const n = Number(threads);
    if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
      throw new DeltapropError('DELTAPROP_THREADS', `expected an integer in [1, ${MAX_THREADS}], got ${JSON.stringify(threads)}`);
    }
    engine.setThreads(n);
  } else {
    engine.setThreads(Math.min(MAX_THREADS, os.availableParallelism()));
  }
}

function chooseDefault(): Backend {
  const requested = process.env.DELTAPROP_BACKEND ?? 'auto';
  switch (requested) {
    case 'auto':
    case '':
      return native?.backend ?? jsBackend;
    case 'js':
      return jsBackend;
    case 'native':
      if (native === null) {
        throw new DeltapropError('DELTAPROP_BACKEND', `'native' was requested but the native addon did not load: ${loaded.error}`);
      }
      return native.backend;
    default:
      throw new DeltapropError('DELTAPROP_BACKEND', `expected 'auto', 'native' or 'js', got ${JSON.stringify(requested)}`);
  }
}

if (native !== null) configureNative(native);
const defaultBackend = chooseDefault();

/** What users can see of the engines. */
export interface BackendInfo {
  /** The engine new networks use. */
  readonly name: BackendName;
  /** Why the native addon did not load, or null when it did. */
  readonly nativeError: string | null;
  /** The instruction set the native kernels use ('avx2', ...), or null without the addon. */
  readonly isa: string | null;
  /** The instruction sets this CPU and build support, best last (empty without the addon). */
  readonly supportedIsas: readonly string[];
  /** Threads the native kernels may use (1 without the addon). */
  readonly threads: number;
}

export const backend: BackendInfo = Object.freeze({
  name: defaultBackend.name,
  nativeError: loaded.error,
  get isa() {
    return native?.info().isa ?? null;
  },
  get supportedIsas() {
    return native?.info().supportedIsas ?? [];
  },
  get threads() {
    return native?.info().threads ?? 1;
  },
});

/** Sets how many threads the native kernels may use (later calls; a running fit keeps its own). */
export function setThreads(threads: number): void {
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new DeltapropError('threads', `expected an integer in [1, ${MAX_THREADS}], got ${describeValue(threads)}`);
  }
  native?.setThreads(threads);
}

/** The native engine, for the tests and benchmarks that need its settings; null without the addon. */
export function nativeEngine(): NativeEngine | null {
  return native;
}

/** The engine of that name (the default one when no name is given); `argument` names the option in errors. */
export function getBackend(name: BackendName | undefined, argument: string): Backend {
  if (name === undefined) return defaultBackend;
  if (name === 'js') return jsBackend;
  if (native === null) {
    throw new DeltapropError(argument, `'native' was requested but the native addon did not load: ${loaded.error}`);
  }
  return native.backend;
}
