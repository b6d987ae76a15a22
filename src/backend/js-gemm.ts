/**
 * C := alpha·op(A)·op(B) + beta·C in plain TypeScript, row-major BLAS dgemm
 * semantics. Arguments are trusted (the public gemm checks them).
 */
export function gemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, A: Float64Array, lda: number, B: Float64Array, ldb: number,
  beta: number, C: Float64Array, ldc: number,
): void {
  scaleRows(m, n, beta, C, ldc);
  if (alpha === 0 || k === 0) return;
  if (!transB) {
    // Rows of B are contiguous: C[i,:] += alpha·op(A)[i,p] · B[p,:].
    for (let i = 0; i < m; i++) {
      const ci = i * ldc;
      for (let p = 0; p < k; p++) {
        const a = alpha * (transA ? A[p * lda + i] : A[i * lda + p]);
        const bp = p * ldb;
        for (let j = 0; j < n; j++) C[ci + j] += a * B[bp + j];
      }
    }
    return;
  }
  // op(B)[p, j] = B[j, p]: each C[i, j] is a dot product of contiguous rows.
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const bj = j * ldb;
      let sum = 0;
      if (transA) for (let p = 0; p < k; p++) sum += A[p * lda + i] * B[bj + p];
      else for (let p = 0; p < k; p++) sum += A[i * lda + p] * B[bj + p];
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
