// Standalone-JavaScript export: the source of a dependency-free function that
// computes what predict() does, every parameter inlined as a number literal
// that reads back to the same double (String(x) round-trips; -0 is spelled
// out). The arithmetic follows the js engine's forward pass step by step, so
// that, run by the same JavaScript engine, it gives the js backend's results:
//   scaling   (x[j] − shift[j]) / spread[j]
//   layer     s = Σ_p a[p]·W[p][j], summed over p in order from 0, then s + b[j]
//             (src/backend/js-gemm.ts sums each element of C so)
//   f         as activateInPlace in src/activations.ts (softmax: the row's max
//             subtracted before exp, then each e divided by their sum).
// The native engine sums in another order (blocked, FMA) and has its own exp
// and tanh, so against it the function agrees to about 1e-15 of the size of
// the terms summed, not to the bit (test/to-function.test.ts).
//
// The source is an expression: an immediately invoked closure that builds
// the parameter arrays once and evaluates to the prediction function, so
// `new Function('return ' + source)()` (or `module.exports = ` + source in a
// file) gives the function.
import { constants } from 'node:buffer';
import type { Activation } from './activations.js';
import { DeltapropError } from './errors.js';
import type { ExportedNetwork } from './onnx.js';
import { packageVersion } from './version.js';

const MAX_STRING_LENGTH = constants.MAX_STRING_LENGTH;

/** The literal of x that parses back to x exactly (String(-0) would lose the sign). */
function literal(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

function arrayLiteral(values: ArrayLike<number>): string {
  const parts: string[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = literal(values[i]);
  return `[${parts.join(',')}]`;
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
      return '    for (j = 0; j < n; j++) z[j] = z[j] > 0 ? z[j] : 0;\n';
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

/** The source of the standalone prediction function of `net` (checked by exportedNetwork). */
export function toFunctionSource(net: ExportedNetwork): string {
  const { inputs, outputs, layers, scaling } = net;
  // Each literal takes at most 24 characters and a comma: refuse, before building it, a source no string could hold.
  const values = layers.reduce((sum, l) => sum + l.fanOut * (l.fanIn + (l.biases === null ? 0 : 1)), 0) + (scaling === null ? 0 : 2 * inputs);
  if (25 * values + 4096 * (layers.length + 1) > MAX_STRING_LENGTH) {
    throw new DeltapropError('network', `has ${values} parameters, too many to inline in a JavaScript source (strings hold at most ${MAX_STRING_LENGTH} characters); use toONNX() instead`);
  }
  const shape = [`${inputs} inputs`, ...layers.map((l) => `${l.fanOut} ${l.activation}`)].join(' → ');
  const lines: string[] = [];
  lines.push('(function () {');
  lines.push('  "use strict";');
  lines.push(`  // deltaprop ${packageVersion()} network: ${shape}${net.inputScaling === null ? '' : `, ${net.inputScaling} input scaling`}.`);
  lines.push('  // Parameters: W<l> is layer l\'s fanIn × fanOut weights, row-major; B<l> its biases.');
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
  lines.push('  function row(x, where) {');
  lines.push(`    if (x === null || typeof x !== "object" || x.length !== ${inputs}) throw new RangeError(where + ": expected an array of ${inputs} numbers, got " + (x !== null && typeof x === "object" ? "length " + x.length : String(x)));`);
  lines.push(`    var a = new Array(${inputs}), j, v;`);
  lines.push(`    for (j = 0; j < ${inputs}; j++) {`);
  lines.push('      v = x[j];');
  lines.push('      if (typeof v !== "number" || v - v !== 0) throw new RangeError(where + "[" + j + "]: expected a finite number, got " + String(v));');
  lines.push(`      a[j] = ${scaling === null ? 'v' : '(v - SHIFT[j]) / SPREAD[j]'};`);
  lines.push('    }');
  lines.push(`    return ${layers.reduce((inner, _l, i) => `layer${i}(${inner})`, 'a')};`);
  lines.push('  }');
  lines.push('  return function predict(input) {');
  lines.push(`    // predict(row): row is an array (or typed array) of ${inputs} finite numbers; returns an array of ${outputs} ${outputs === 1 ? 'number' : 'numbers'}.`);
  lines.push(`    // predict(rows): rows is an array of such rows; returns an array of output rows (an empty array for none).`);
  lines.push('    // Anything else throws a RangeError naming the offending row or value.');
  lines.push('    if (input === null || typeof input !== "object") throw new RangeError("input: expected a row or an array of rows, got " + String(input));');
  lines.push('    if (input.length > 0 && typeof input[0] === "number") return row(input, "input");');
  lines.push('    var out = new Array(input.length);');
  lines.push('    for (var r = 0; r < input.length; r++) out[r] = row(input[r], "input[" + r + "]");');
  lines.push('    return out;');
  lines.push('  };');
  lines.push('})()');
  return lines.join('\n');
}
