// A network as its files hold it, without an engine: what both forms (the
// JSON of toJSON and the binary model file of save) store and check.
import type { InputScaling } from '../backend/types.js';
import { DeltapropError } from '../errors.js';
import type { OptimizerState } from '../training/optimizer-state.js';
import type { NetworkConfig } from '../options.js';
import { resolveNetworkOptions } from '../options.js';
import { checkObject } from '../validate.js';

export interface SavedNetwork {
  config: NetworkConfig;
  params: Float64Array;
  shuffleState: number[];
  /** null in files older than dropout: the generator then starts from the seed. */
  dropoutState: number[] | null;
  optimizer: OptimizerState | null;
  inputScaling: InputScaling | null;
}

/** A config read from a file, checked as the constructor checks options; errors are named under `prefix` (e.g. json.config). */
export function checkSavedConfig(value: unknown, prefix: string): NetworkConfig {
  const raw = checkObject(prefix, value);
  if (raw.seed === undefined) throw new DeltapropError(`${prefix}.seed`, 'expected the seed the network stored, got undefined');
  if (raw.backend !== undefined) throw new DeltapropError(`${prefix}.backend`, 'unknown option; pass the backend to load or fromJSON instead');
  // A file holds built networks only: a table network's learned schema with its columns.
  if (raw.columns !== undefined && raw.schema === undefined) throw new DeltapropError(`${prefix}.schema`, 'expected the schema a table network learned (a file holds built networks only), got none');
  try {
    // Built: inputs is required without columns, and a schema gives it with them.
    return resolveNetworkOptions(raw).config as NetworkConfig;
  } catch (e) {
    if (e instanceof DeltapropError && e.argument.startsWith('options')) throw new DeltapropError(prefix + e.argument.slice('options'.length), e.detail);
    throw e;
  }
}

/** The first non-finite value of `values`, named `name[i]`, refused: a file holding it could not be loaded back. */
function checkFinite(name: string, values: Float64Array): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new DeltapropError(name, `${name}[${i}] is ${values[i]}: a network with non-finite values cannot be saved (it could not be loaded back); train it again from a saved state`);
    }
  }
}

/** Refuses what could not be loaded back (or, read from a file, used). */
export function checkSavable(saved: SavedNetwork): void {
  checkFinite('params', saved.params);
  if (saved.optimizer) checkFinite('optimizer state', saved.optimizer.buffers);
  if (saved.inputScaling) {
    checkFinite('input scaling shift', saved.inputScaling.shift);
    checkFinite('input scaling spread', saved.inputScaling.spread);
    saved.inputScaling.spread.forEach((x, j) => {
      if (!(x > 0)) throw new DeltapropError('input scaling spread', `input scaling spread[${j}] is ${x}, not > 0`);
    });
  }
}
