// The low-level kernels of the Backend contract, exported for users who write
// their own loops. Each checks its arguments the way the public API does, then
// runs on the active backend (or the one named in `options`).
import type { BackendName } from './backend/index.js';
import { BACKEND_NAMES, getBackend, nativeEngine } from './backend/index.js';
import { DeltapropError } from './errors.js';
import { formatBytes } from './memory.js';
import { checkBoolean, checkFloat64Array, checkInteger, checkNumber, checkObject, checkOneOf } from './validate.js';

/** The largest dimension or stride either engine accepts. */
const MAX_DIMENSION = 2 ** 31 - 1;

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

// C is written while A and B are still being read: as in BLAS, they must not
// share memory. Compared by address where the addon is there to say (a
// SharedArrayBuffer and its clone are two objects over one memory), else by
// buffer and offsets.
function checkNoOverlap(name: string, input: Float64Array, inputSpan: number, C: Float64Array, cSpan: number): void {
  if (inputSpan === 0 || cSpan === 0) return;
  const native = nativeEngine();
  const [a0, c0] = [input.byteOffset, C.byteOffset];
  const overlap = native !== null ? native.overlaps(input, inputSpan, C, cSpan) : input.buffer === C.buffer && a0 < c0 + cSpan * 8 && c0 < a0 + inputSpan * 8;
  if (overlap) throw new DeltapropError('C', `expected memory separate from ${name} (C is written while ${name} is read), got memory they share`);
}

/**
 * C := alpha·op(A)·op(B) + beta·C (BLAS dgemm, row-major). op(A) is m × k
 * (A is stored k × m when transA), op(B) is k × n (B stored n × k when
 * transB), C is m × n. With beta = 0, C is written without being read.
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  A: Float64Array,
  lda: number,
  B: Float64Array,
  ldb: number,
  beta: number,
  C: Float64Array,
  ldc: number,
  options: { backend?: BackendName } = {},
): void {
  // The options first: a getter among them runs before the data is checked, never after.
  const opts = checkObject('options', options);
  const engine = getBackend(opts.backend === undefined ? undefined : checkOneOf('options.backend', opts.backend, BACKEND_NAMES), 'options.backend');
  checkBoolean('transA', transA);
  checkBoolean('transB', transB);
  checkInteger('m', m, 0, MAX_DIMENSION);
  checkInteger('n', n, 0, MAX_DIMENSION);
  checkInteger('k', k, 0, MAX_DIMENSION);
  checkNumber('alpha', alpha);
  checkNumber('beta', beta);
  // Plain views of the real memory at its real length, whatever the arguments claim.
  A = checkFloat64Array('A', A);
  B = checkFloat64Array('B', B);
  C = checkFloat64Array('C', C);
  checkInteger('lda', lda, 1, MAX_DIMENSION);
  checkInteger('ldb', ldb, 1, MAX_DIMENSION);
  checkInteger('ldc', ldc, 1, MAX_DIMENSION);
  checkOperand('A', A, transA ? k : m, transA ? m : k, 'lda', lda);
  checkOperand('B', B, transB ? n : k, transB ? k : n, 'ldb', ldb);
  checkOperand('C', C, m, n, 'ldc', ldc);
  checkNoOverlap('A', A, span(transA ? k : m, transA ? m : k, lda), C, span(m, n, ldc));
  checkNoOverlap('B', B, span(transB ? n : k, transB ? k : n, ldb), C, span(m, n, ldc));
  try {
    engine.gemm(transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
  } catch (e) {
    // The native driver's packing buffers (and its copy of a non-finite beta·C) are the memory it allocates.
    if (e instanceof Error && /bad_alloc/.test(e.message)) {
      throw new DeltapropError(
        'memory',
        `gemm could not allocate its working buffers (${e.message}): its packed panels, and ${formatBytes(8 * m * n)} for a copy of C where beta·C holds NaN or ±Infinity; use smaller products`,
      );
    }
    throw e;
  }
}
