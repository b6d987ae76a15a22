// The options of `new Network(...)`: their types, defaults and checks.
import type { Activation } from './activations.js';
import { checkActivation } from './activations.js';
import type { BackendName } from './backend/index.js';
import { BACKEND_NAMES } from './backend/index.js';
import { DeltapropError, describeValue } from './errors.js';
import type { Loss, Reduction } from './losses.js';
import { checkLoss, checkOutputActivation, checkReduction } from './losses.js';
import { randomSeed } from './random.js';
import type { Metadata } from './persistence/metadata.js';
import { checkMetadata } from './persistence/metadata.js';
import type { InputScalingKind } from './scaling.js';
import { INPUT_SCALINGS } from './scaling.js';
import type { ColumnOptions, Schema } from './table/columns.js';
import { checkSchema, resolveColumns, schemaWidth } from './table/columns.js';
import { checkClasses } from './table/classes.js';
import type { Label } from './table/label-order.js';
import { checkArray, checkBoolean, checkInteger, checkKnownKeys, checkNumber, checkObject, checkOneOf } from './validate.js';

export const INITS = ['auto', 'xavier', 'he'] as const;
/**
 * How the first weights are drawn: 'auto' uses He for relu layers and Xavier for every other activation.
 * @useDeclaredType
 */
export type Init = (typeof INITS)[number];

export interface LayerOptions {
  units: number;
  activation: Activation;
  /** Inverted-dropout rate p in [0, 1) during training (hidden layers only); default 0. */
  dropout?: number;
}

export interface NetworkOptions {
  /** Width of an input row. */
  inputs: number;
  /** Class labels of a classifier, in output order (default: learned at the first fit from labels that are not all numbers, or always with `columns`). */
  classes?: Label[];
  /** Hidden layers then the output layer, at least one. */
  layers: LayerOptions[];
  /** Default 'mse'. */
  loss?: Loss;
  /** Default 'mean': loss and gradients divided by the batch size. */
  reduction?: Reduction;
  /** Default true. */
  bias?: boolean;
  /** L2 penalty λ on weights (not biases); default 0. */
  l2?: number;
  /** Integer in [0, 2³²) for initialisation and shuffling; default random. */
  seed?: number;
  /** Default 'auto': He for relu layers, Xavier otherwise. */
  init?: Init;
  /** Scale every input row by statistics of the training data ('standard': mean and deviation; 'minmax'); default none. */
  inputScaling?: InputScalingKind;
  /** Engine for this network; default the active backend. */
  backend?: BackendName;
  /** Any JSON object to keep with the network (saved with it); default none. */
  metadata?: Metadata;
}

/**
 * A table network's options: `columns` (or a learned `schema`) instead of
 * `inputs`, whose width then comes from the columns' encoding.
 */
export interface TableNetworkOptions extends Omit<NetworkOptions, 'inputs'> {
  /**
   * The input columns, in order: names, or { name, kind, ... } (see
   * ColumnOptions). Their kinds, fills and categories are learned by adapt()
   * or the first fit, which also fixes the input width; rows may then be
   * objects keyed by column name or arrays in this order.
   */
  columns?: (string | ColumnOptions)[];
  /** A schema a table network learned (`net.schema`): the network is built with it at once. */
  schema?: Schema;
  /** With `schema`, its encoded width (checked); left out otherwise. */
  inputs?: number;
}

/** Every option resolved to a value: what toJSON stores (a table network's once it is built). */
export interface NetworkConfig {
  inputs: number;
  layers: LayerOptions[];
  loss: Loss;
  reduction: Reduction;
  bias: boolean;
  l2: number;
  seed: number;
  init: Init;
  inputScaling?: InputScalingKind;
  metadata?: Metadata;
  /** A table network's columns as given (resolved to objects). */
  columns?: ColumnOptions[];
  /** A table network's learned schema; with it, inputs is its encoded width. */
  schema?: Schema;
  /** A classifier's labels, given or learned. */
  classes?: Label[];
}

/** A resolved config whose input width may still wait for a table network's schema. */
export type PendingConfig = Omit<NetworkConfig, 'inputs'> & { inputs?: number };

/** Keeps both engines' index arithmetic far from overflow and allocations sane. */
export const MAX_UNITS = 1 << 24;
export const MAX_PARAMETERS = 2 ** 31 - 1;
/**
 * No real network comes near it; it bounds the copy of options.layers, whose
 * length a Proxy could make anything (each layer costs a parameter or two, so
 * MAX_PARAMETERS alone would let it fill the heap first).
 */
export const MAX_LAYERS = 1 << 16;

const KNOWN = ['inputs', 'layers', 'loss', 'reduction', 'bias', 'l2', 'seed', 'init', 'inputScaling', 'backend', 'metadata', 'columns', 'schema', 'classes'] as const;

export function resolveNetworkOptions(value: unknown): { config: PendingConfig; backend: BackendName | undefined } {
  const o = checkObject('options', value);
  checkKnownKeys('options', o, KNOWN);
  const table = resolveTable(o);
  const inputs = o.inputs === undefined && table !== null ? table.inputs : checkInteger('options.inputs', o.inputs, 1, MAX_UNITS);
  if (table !== null && table.inputs !== undefined && inputs !== table.inputs) {
    throw new DeltapropError('options.inputs', `expected ${table.inputs} (the width of options.schema's encoded columns), got ${describeValue(o.inputs)}`);
  }
  if (table !== null && table.inputs === undefined && o.inputs !== undefined) {
    throw new DeltapropError('options.inputs', 'leave it out with options.columns: the input width is learned with the columns (by adapt() or the first fit)');
  }
  const loss = o.loss === undefined ? 'mse' : checkLoss('options.loss', o.loss);
  const layers = resolveLayers(o.layers, loss, o.loss !== undefined);
  const config: PendingConfig = {
    ...(inputs === undefined ? {} : { inputs }),
    layers,
    loss,
    reduction: o.reduction === undefined ? 'mean' : checkReduction('options.reduction', o.reduction),
    bias: o.bias === undefined ? true : checkBoolean('options.bias', o.bias),
    l2: o.l2 === undefined ? 0 : checkNumber('options.l2', o.l2, { min: 0 }),
    seed: o.seed === undefined ? randomSeed() : checkInteger('options.seed', o.seed, 0, 2 ** 32 - 1),
    init: o.init === undefined ? 'auto' : checkOneOf('options.init', o.init, INITS),
  };
  if (o.inputScaling !== undefined) config.inputScaling = checkOneOf('options.inputScaling', o.inputScaling, INPUT_SCALINGS);
  if (o.metadata !== undefined) config.metadata = checkMetadata('options.metadata', o.metadata);
  if (table !== null) {
    config.columns = table.columns;
    if (table.schema !== undefined) config.schema = table.schema;
  }
  if (o.classes !== undefined) config.classes = checkClasses('options.classes', o.classes, loss, layers[layers.length - 1].units);
  if (isBuilt(config)) checkParameterCount(config);
  const backend = o.backend === undefined ? undefined : checkOneOf('options.backend', o.backend, BACKEND_NAMES);
  return { config, backend };
}

/** Whether the input width is known (always, but for a table network before its schema is learned). */
export function isBuilt(config: PendingConfig): config is NetworkConfig {
  return config.inputs !== undefined;
}

/**
 * options.columns and options.schema: the columns (from the schema's when
 * only it is given) and, with a schema, its encoded width. Given both, the
 * schema must be the columns' (same names in order, same kinds where given).
 */
function resolveTable(o: Record<string, unknown>): { columns: ColumnOptions[]; schema?: Schema; inputs?: number } | null {
  if (o.columns === undefined && o.schema === undefined) return null;
  const schema = o.schema === undefined ? undefined : checkSchema('options.schema', o.schema);
  if (o.columns === undefined) return { columns: schema!.columns.map(columnOf), schema, inputs: checkWidth(schema!) };
  const columns = resolveColumns('options.columns', o.columns);
  if (schema === undefined) return { columns };
  if (schema.columns.length !== columns.length) {
    throw new DeltapropError('options.schema', `has ${schema.columns.length} columns, options.columns ${columns.length}: they must be the same columns`);
  }
  columns.forEach((c, i) => {
    const learned = schema.columns[i];
    if (learned.name !== c.name || (c.kind !== undefined && c.kind !== learned.kind)) {
      throw new DeltapropError(
        `options.schema.columns[${i}]`,
        `is ${JSON.stringify(learned.name)} (${learned.kind}), options.columns[${i}] ${JSON.stringify(c.name)}${c.kind ? ` (${c.kind})` : ''}: they must be the same columns`,
      );
    }
  });
  return { columns, schema, inputs: checkWidth(schema) };
}

function checkWidth(schema: Schema): number {
  const width = schemaWidth(schema);
  if (width > MAX_UNITS) throw new DeltapropError('options.schema', `encodes rows into ${width} values, more than the ${MAX_UNITS} inputs a network may have`);
  return width;
}

/** The options a learned column came from, as far as they matter to learning it again. */
function columnOf(column: Schema['columns'][number]): ColumnOptions {
  if (column.kind === 'numeric') {
    return { name: column.name, kind: 'numeric', impute: column.impute, missingIndicator: column.missingIndicator, ...(column.impute === 'constant' ? { fillValue: column.fill } : {}) };
  }
  if (column.kind === 'categorical') return { name: column.name, kind: 'categorical', unknown: column.unknown };
  return { name: column.name, kind: 'ignore' };
}

/** How many parameters a network of this configuration has (the length of its params buffer). */
export function countParameters(config: NetworkConfig): number {
  let parameters = 0;
  let fanIn = config.inputs;
  for (const layer of config.layers) {
    parameters += (fanIn + (config.bias ? 1 : 0)) * layer.units;
    fanIn = layer.units;
  }
  return parameters;
}

export function checkParameterCount(config: NetworkConfig): void {
  const parameters = countParameters(config);
  if (parameters > MAX_PARAMETERS) {
    throw new DeltapropError('options.layers', `expected at most ${MAX_PARAMETERS} parameters in all, got ${parameters}`);
  }
}

function resolveLayers(value: unknown, loss: Loss, lossGiven: boolean): LayerOptions[] {
  // One copy, its length and each layer read once; holes read as undefined, rejected like any bad element.
  const list = Array.isArray(value) ? checkArray('options.layers', value, MAX_LAYERS, 'layers { units, activation }') : null;
  if (list === null || list.length === 0) {
    throw new DeltapropError('options.layers', `expected a non-empty array of { units, activation }, got ${describeValue(value)}`);
  }
  const last = list.length - 1;
  return list.map((raw: unknown, i) => {
    const name = `options.layers[${i}]`;
    const layer = checkObject(name, raw);
    checkKnownKeys(name, layer, ['units', 'activation', 'dropout']);
    const units = checkInteger(`${name}.units`, layer.units, 1, MAX_UNITS);
    const activation = checkActivation(`${name}.activation`, layer.activation);
    const isOutput = i === last;
    if (activation === 'softmax' && !isOutput) {
      throw new DeltapropError(`${name}.activation`, `'softmax' is allowed only on the output layer (layer ${last}), got it on layer ${i}`);
    }
    if (isOutput) checkOutputActivation(loss, activation, `${name}.activation`, lossGiven);
    const dropout = layer.dropout === undefined ? 0 : checkNumber(`${name}.dropout`, layer.dropout, { min: 0, max: 1, maxExclusive: true });
    if (dropout > 0 && isOutput) throw new DeltapropError(`${name}.dropout`, `dropout is for hidden layers; the output layer (layer ${i}) cannot have it, got ${dropout}`);
    // A rate of 0 is no dropout: stored as no dropout, so that the two configurations are one.
    return dropout > 0 ? { units, activation, dropout } : { units, activation };
  });
}
