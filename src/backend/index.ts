// Picks the engine: DELTAPROP_BACKEND = native | js | auto (default: native
// when the addon loads, js otherwise).
import { DeltapropError } from '../errors.js';
import { jsBackend } from './js.js';
import { loadNative } from './native.js';
import type { Backend } from './types.js';

export type BackendName = 'native' | 'js';
export const BACKEND_NAMES: readonly BackendName[] = ['native', 'js'];

const native = loadNative();

function chooseDefault(): Backend {
  const requested = process.env.DELTAPROP_BACKEND ?? 'auto';
  switch (requested) {
    case 'auto':
    case '':
      return native.backend ?? jsBackend;
    case 'js':
      return jsBackend;
    case 'native':
      if (native.backend === null) {
        throw new DeltapropError('DELTAPROP_BACKEND', `'native' was requested but the native addon did not load: ${native.error}`);
      }
      return native.backend;
    default:
      throw new DeltapropError('DELTAPROP_BACKEND', `expected 'auto', 'native' or 'js', got ${JSON.stringify(requested)}`);
  }
}

const defaultBackend = chooseDefault();

/** What users can see of the engines: which one new networks use, and why native is absent if it is. */
export const backend: { readonly name: BackendName; readonly nativeError: string | null } = Object.freeze({
  name: defaultBackend.name,
  nativeError: native.error,
});

/** The engine of that name (the default one when no name is given); `argument` names the option in errors. */
export function getBackend(name: BackendName | undefined, argument: string): Backend {
  if (name === undefined) return defaultBackend;
  if (name === 'js') return jsBackend;
  if (native.backend === null) {
    throw new DeltapropError(argument, `'native' was requested but the native addon did not load: ${native.error}`);
  }
  return native.backend;
}
