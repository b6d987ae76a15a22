// The low-level kernels of the Backend contract, exported for users who write
// their own loops. Each checks its arguments the way the public API does, then
// runs on the active backend (or the one named in `options`).
import type { BackendName } from './backend/index.js';
import { BACKEND_NAMES, getBackend } from './backend/index.js';
import { DeltapropError } from './errors.js';
import { checkBoolean, checkFloat64Array, checkInteger, checkNumber, checkObject, checkOneOf } from './validate.js';

/** Elements a rows × cols row-major block with row stride `ld` spans. */
function span(rows: number, cols: number, ld: number): number {
  return rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
}

function checkOperand(name: string, array: Float64Array, rows: number, cols: number, ldName: string, ld: number): void {
  if (ld < Math.max(1, cols)) {
    throw new DeltapropError(ldName, `expected a row stride ≥ ${Math.max(1, cols)} (the ${cols} columns of ${name} as stored), got ${ld}`);
  }
  const needed = span(rows, cols, ld);
  if (array.length < needed) {
    throw new DeltapropError(name, `expected at least ${needed} elements (${rows} × ${cols} with row stride ${ld}), got ${array.length}`);
  }
}

/**
 * C := alpha·op(A)·op(B) + beta·C (BLAS dgemm, row-major). op(A) is m × k
 * (A is stored k × m when transA), op(B) is k × n (B stored n × k when
 * transB), C is m × n. With beta = 0, C is written without being read.
 */
export function gemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, A: Float64Array, lda: number, B: Float64Array, ldb: number,
  beta: number, C: Float64Array, ldc: number,
  options: { backend?: BackendName } = {},
): void {
  checkBoolean('transA', transA);
  checkBoolean('transB', transB);
  checkInteger('m', m, 0);
  checkInteger('n', n, 0);
  checkInteger('k', k, 0);
  checkNumber('alpha', alpha);
  checkNumber('beta', beta);
  checkFloat64Array('A', A);
  checkFloat64Array('B', B);
  checkFloat64Array('C', C);
  checkInteger('lda', lda, 1);
  checkInteger('ldb', ldb, 1);
  checkInteger('ldc', ldc, 1);
  checkOperand('A', A, transA ? k : m, transA ? m : k, 'lda', lda);
  checkOperand('B', B, transB ? n : k, transB ? k : n, 'ldb', ldb);
  checkOperand('C', C, m, n, 'ldc', ldc);
  const opts = checkObject('options', options);
  const engine = getBackend(opts.backend === undefined ? undefined : checkOneOf('options.backend', opts.backend, BACKEND_NAMES), 'options.backend');
  engine.gemm(transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}
