/**
 * C := alpha·op(A)·op(B) + beta·C in plain TypeScript, row-major BLAS dgemm
 * semantics. Arguments are trusted (the public gemm checks them).
 *
 * Every transpose is the same loop over strides: op(A)[i][p] = A[i·ai + p·ap]
 * and op(B)[p][j] = B[p·bp + j·bj]. The body computes 4 × 4 blocks of C in 16
 * local variables, so each value loaded from A or B feeds four multiply-adds
 * (V8 keeps them in registers); that is several times faster than a loop
 * that reloads every operand. Each element of C sums over p in order, then
 * C += alpha·sum.
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
): void {
  scaleRows(m, n, beta, C, ldc);
  if (alpha === 0 || k === 0) return;
  const ai = transA ? 1 : lda;
  const ap = transA ? lda : 1;
  const bp = transB ? 1 : ldb;
  const bj = transB ? ldb : 1;
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  blocks4x4(m4, n4, k, alpha, A, ai, ap, B, bp, bj, C, ldc);
  // The edges: the last n % 4 columns of the blocked rows, then the last m % 4 rows.
  single(0, m4, n4, n, k, alpha, A, ai, ap, B, bp, bj, C, ldc);
  single(m4, m, 0, n, k, alpha, A, ai, ap, B, bp, bj, C, ldc);
}

function blocks4x4(m4: number, n4: number, k: number, alpha: number, A: Float64Array, ai: number, ap: number, B: Float64Array, bp: number, bj: number, C: Float64Array, ldc: number): void {
  for (let i = 0; i < m4; i += 4) {
    const a0 = i * ai;
    const a1 = a0 + ai;
    const a2 = a1 + ai;
    const a3 = a2 + ai;
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      let pa = 0;
      let pb = j * bj;
      for (let p = 0; p < k; p++, pa += ap, pb += bp) {
        const b0 = B[pb];
        const b1 = B[pb + bj];
        const b2 = B[pb + 2 * bj];
        const b3 = B[pb + 3 * bj];
        let x = A[a0 + pa];
        c00 += x * b0;
        c01 += x * b1;
        c02 += x * b2;
        c03 += x * b3;
        x = A[a1 + pa];
        c10 += x * b0;
        c11 += x * b1;
        c12 += x * b2;
        c13 += x * b3;
        x = A[a2 + pa];
        c20 += x * b0;
        c21 += x * b1;
        c22 += x * b2;
        c23 += x * b3;
        x = A[a3 + pa];
        c30 += x * b0;
        c31 += x * b1;
        c32 += x * b2;
        c33 += x * b3;
      }
      let c = i * ldc + j;
      C[c] += alpha * c00;
      C[c + 1] += alpha * c01;
      C[c + 2] += alpha * c02;
      C[c + 3] += alpha * c03;
      c += ldc;
      C[c] += alpha * c10;
      C[c + 1] += alpha * c11;
      C[c + 2] += alpha * c12;
      C[c + 3] += alpha * c13;
      c += ldc;
      C[c] += alpha * c20;
      C[c + 1] += alpha * c21;
      C[c + 2] += alpha * c22;
      C[c + 3] += alpha * c23;
      c += ldc;
      C[c] += alpha * c30;
      C[c + 1] += alpha * c31;
      C[c + 2] += alpha * c32;
      C[c + 3] += alpha * c33;
    }
  }
}

/** Rows [i0, i1) × columns [j0, j1) of C, one element at a time. */
function single(
  i0: number,
  i1: number,
  j0: number,
  j1: number,
  k: number,
  alpha: number,
  A: Float64Array,
  ai: number,
  ap: number,
  B: Float64Array,
  bp: number,
  bj: number,
  C: Float64Array,
  ldc: number,
): void {
  for (let i = i0; i < i1; i++) {
    for (let j = j0; j < j1; j++) {
      let sum = 0;
      for (let p = 0, pa = i * ai, pb = j * bj; p < k; p++, pa += ap, pb += bp) sum += A[pa] * B[pb];
      C[i * ldc + j] += alpha * sum;
    }
  }
}

// beta = 0 overwrites without reading C, as BLAS does, so NaN garbage in C cannot leak in.
function scaleRows(m: number, n: number, beta: number, C: Float64Array, ldc: number): void {
  if (beta === 1) return;
  for (let i = 0; i < m; i++) {
    const ci = i * ldc;
    if (beta === 0) C.fill(0, ci, ci + n);
    else for (let j = 0; j < n; j++) C[ci + j] *= beta;
  }
}
