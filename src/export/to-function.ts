// Standalone-JavaScript export: the source of a dependency-free function that
// computes what predict() does, every parameter inlined as a number literal
// that reads back to the same double (String(x) round-trips; -0 is spelled
// out). The arithmetic follows the js engine's forward pass step by step, so
// that, run by the same JavaScript engine, it gives the js backend's results:
//   scaling   (x[j] − shift[j]) / spread[j]
//   layer     s = Σ_p a[p]·W[p][j], summed over p in order from 0, then s + b[j]
//             (src/backend/js/gemm.ts sums each element of C so)
//   f         as activateInPlace in src/backend/js/activation.ts (softmax: the row's max
//             subtracted before exp, then each e divided by their sum).
// The native engine sums in another order (blocked, FMA) and has its own exp
// and tanh, so against it the function agrees to about 1e-15 of the size of
// the terms summed, not to the bit (test/to-function.test.ts).
//
// A table network's function takes its rows (objects keyed by column name,
// or arrays in column order) and encodes each as its Encoder does before the
// scaling (src/export/function-table.ts). With output: 'classes' the function
// returns each row's class as predictClasses does instead of the outputs.
//
// The source is an expression: an immediately invoked closure that builds
// the parameter arrays once and evaluates to the prediction function, so
// `new Function('return ' + source)()` (or `module.exports = ` + source in a
// file) gives the function.
import { constants } from 'node:buffer';
import type { Activation } from '../activations.js';
import { DeltapropError } from '../errors.js';
import type { Classifier, ExportedNetwork } from './exported-network.js';
import { classLabels } from './exported-network.js';
import { TABLE_ONE_ROW, tableRowSource } from './function-table.js';
import { arrayLiteral, labelLiteral } from './js-literals.js';
import { describeColumns } from './table-encoding.js';
import type { Label } from '../table/label-order.js';
import { checkKnownKeys, checkObject, checkOneOf } from '../validate.js';
import { packageVersion } from '../persistence/version.js';

const MAX_STRING_LENGTH = constants.MAX_STRING_LENGTH;

export const FUNCTION_OUTPUTS = ['values', 'classes'] as const;

/** Options of Network.toFunction(). */
export interface FunctionOptions {
  /**
   * What the function returns for each row: 'values' (default), its outputs
   * as predict() gives them; 'classes', a classifier's class as
   * predictClasses() gives it (its label, or its index for a network
   * without labels; null where an output is not a finite number).
   */
  output?: 'values' | 'classes';
}

export interface ResolvedFunctionOptions {
  output: 'values' | 'classes';
}

/** Checks toFunction()'s options (whether the network can give classes is checked with it). */
export function resolveFunctionOptions(options: unknown): ResolvedFunctionOptions {
  const opts = options === undefined ? {} : checkObject('options', options);
  checkKnownKeys('options', opts, ['output']);
  return { output: opts.output === undefined ? 'values' : checkOneOf('options.output', opts.output, FUNCTION_OUTPUTS) };
}

/** The generated statements that apply `activation` in place to z[0..n). */
function activationStatements(activation: Activation): string {
  switch (activation) {
    case 'identity':
      return '';
    case 'sigmoid':
      return '    for (j = 0; j < n; j++) z[j] = 1 / (1 + Math.exp(-z[j]));\n';
    case 'tanh':
      return '    for (j = 0; j < n; j++) z[j] = Math.tanh(z[j]);\n';
    case 'relu':
      return '    for (j = 0; j < n; j++) z[j] = z[j] <= 0 ? 0 : z[j];\n';
    case 'softmax':
      return [
        '    var max = -Infinity, sum = 0, e;',
        '    for (j = 0; j < n; j++) max = Math.max(max, z[j]);',
        '    for (j = 0; j < n; j++) { e = Math.exp(z[j] - max); z[j] = e; sum += e; }',
        '    for (j = 0; j < n; j++) z[j] /= sum;',
        '',
      ].join('\n');
  }
}

/** The source lines of a plain network's `row(x, where)`: a row of numbers, checked, scaled, through the layers. */
function numericRowSource(inputs: number, scaled: boolean, layersCall: string): string[] {
  return [
    '  function row(x, where) {',
    `    if (x === null || typeof x !== "object" || x.length !== ${inputs}) throw new RangeError(where + ": expected an array of ${inputs} numbers, got " + (x !== null && typeof x === "object" ? "length " + x.length : String(x)));`,
    `    var a = new Array(${inputs}), j, v;`,
    `    for (j = 0; j < ${inputs}; j++) {`,
    '      v = x[j];',
    '      if (typeof v !== "number" || v - v !== 0) throw new RangeError(where + "[" + j + "]: expected a finite number, got " + String(v));',
    `      a[j] = ${scaled ? '(v - SHIFT[j]) / SPREAD[j]' : 'v'};`,
    '    }',
    `    return ${layersCall};`,
    '  }',
  ];
}

/** The source lines of `classOf(z)`: the class of one row's outputs z, as predictClasses picks it (src/table/classes.ts, predictedIndices). */
function classSource(classifier: Classifier, labels: readonly Label[]): string[] {
  return [
    `  var CLASSES = [${labels.map(labelLiteral).join(', ')}];`,
    '  function classOf(z) {',
    `    var j${classifier === 'sigmoid' ? '' : ', best = 0'};`,
    '    for (j = 0; j < z.length; j++) if (z[j] - z[j] !== 0) return null;',
    ...(classifier === 'sigmoid' ? ['    return CLASSES[z[0] >= 0.5 ? 1 : 0];'] : ['    for (j = 1; j < z.length; j++) if (z[j] > z[best]) best = j;', '    return CLASSES[best];']),
    '  }',
  ];
}

/** The source of the standalone prediction function of `net` (checked by exportedNetwork). */
export function toFunctionSource(net: ExportedNetwork, options: ResolvedFunctionOptions = { output: 'values' }): string {
  const { inputs, layers, scaling, schema, classifier } = net;
  if (options.output === 'classes' && classifier === null) {
    throw new DeltapropError('options.output', "'classes' needs a classifier: a softmax output with loss 'cross-entropy', or one sigmoid output with 'binary-cross-entropy'");
  }
  const layersCall = layers.reduce((inner, _l, i) => `layer${i}(${inner})`, 'a');
  const rowLines =
    schema === null
      ? numericRowSource(inputs, scaling !== null, layersCall)
      : tableRowSource(schema, inputs, scaling === null ? '' : `    for (j = 0; j < ${inputs}; j++) a[j] = (a[j] - SHIFT[j]) / SPREAD[j];`, layersCall);
  const classLines = options.output === 'classes' ? classSource(classifier!, classLabels({ ...net, classifier: classifier! })) : [];
  // Each literal takes at most 24 characters and a comma: refuse, before building it, a source no string could hold.
  const values = layers.reduce((sum, l) => sum + l.fanOut * (l.fanIn + (l.biases === null ? 0 : 1)), 0) + (scaling === null ? 0 : 2 * inputs);
  const extra = [...rowLines, ...classLines].reduce((sum, line) => sum + line.length + 1, 0);
  if (25 * values + extra + 4096 * (layers.length + 1) > MAX_STRING_LENGTH) {
    throw new DeltapropError(
      'network',
      `has ${values} parameters${schema === null ? '' : ' and its columns'}, too many to inline in a JavaScript source (strings hold at most ${MAX_STRING_LENGTH} characters); use toONNX() instead`,
    );
  }
  const front = schema === null ? `${inputs} inputs` : describeColumns(schema, inputs);
  const shape = [front, ...layers.map((l) => `${l.fanOut} ${l.activation}`)].join(' → ');
  const lines: string[] = [];
  lines.push('(function () {');
  lines.push('  "use strict";');
  lines.push(`  // deltaprop ${packageVersion()} ${schema === null ? '' : 'table '}network: ${shape}${net.inputScaling === null ? '' : `, ${net.inputScaling} input scaling`}.`);
  lines.push("  // Parameters: W<l> is layer l's fanIn × fanOut weights, row-major; B<l> its biases.");
  if (scaling !== null) {
    lines.push(`  var SHIFT = ${arrayLiteral(scaling.shift)};`);
    lines.push(`  var SPREAD = ${arrayLiteral(scaling.spread)};`);
  }
  layers.forEach((l, i) => {
    lines.push(`  var W${i} = ${arrayLiteral(l.weights.data)};`);
    if (l.biases !== null) lines.push(`  var B${i} = ${arrayLiteral(l.biases)};`);
  });
  // One function per layer: z := a·W (+ b), then f(z).
  layers.forEach((l, i) => {
    lines.push(`  function layer${i}(a) {`);
    lines.push(`    var n = ${l.fanOut}, k = ${l.fanIn}, z = new Array(n), j, p, s;`);
    lines.push(`    for (j = 0; j < n; j++) {`);
    lines.push(`      s = 0;`);
    lines.push(`      for (p = 0; p < k; p++) s += a[p] * W${i}[p * n + j];`);
    lines.push(`      z[j] = ${l.biases === null ? 's' : `s + B${i}[j]`};`);
    lines.push(`    }`);
    lines.push(activationStatements(l.activation) + '    return z;');
    lines.push('  }');
  });
  lines.push(...rowLines, ...classLines);
  lines.push(...predictSource(net, options.output));
  lines.push('})()');
  return lines.join('\n');
}

/** The source lines of the function returned: one row or an array of rows, each through row() (and classOf()). */
function predictSource(net: ExportedNetwork, output: 'values' | 'classes'): string[] {
  const { inputs, outputs, schema } = net;
  const each = output === 'classes' ? 'its class (a label; null where an output is not a finite number)' : `an array of ${outputs} ${outputs === 1 ? 'number' : 'numbers'}`;
  const one = (x: string, where: string) => (output === 'classes' ? `classOf(row(${x}, ${where}))` : `row(${x}, ${where})`);
  const rowDoc =
    schema === null
      ? `row is an array (or typed array) of ${inputs} finite numbers`
      : `row is an object keyed by column name, or an array of ${schema.columns.length} values in column order (null, undefined, NaN or "" for a missing value)`;
  return [
    '  return function predict(input) {',
    `    // predict(row): ${rowDoc}; returns ${each}.`,
    `    // predict(rows): rows is an array of such rows; returns an array of ${output === 'classes' ? 'classes' : 'output rows'} (an empty array for none).`,
    `    // Anything else throws a RangeError naming the offending row or value${schema === null ? '' : ' (and column)'}.`,
    `    if (input === null || typeof input !== "object") throw new RangeError("input: expected a row or an array of rows, got " + ${schema === null ? 'String(input)' : 'describe(input)'});`,
    `    if (${schema === null ? 'input.length > 0 && typeof input[0] === "number"' : TABLE_ONE_ROW}) return ${one('input', '"input"')};`,
    '    var out = new Array(input.length);',
    `    for (var r = 0; r < input.length; r++) out[r] = ${one('input[r]', '"input[" + r + "]"')};`,
    '    return out;',
    '  };',
  ];
}
