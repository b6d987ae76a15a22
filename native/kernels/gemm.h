#pragma once

#include "codes.h"

namespace deltaprop {

// C := alpha·op(A)·op(B) + beta·C, row-major BLAS dgemm semantics.
// op(A) is m×k (A is stored k×m when trans_a), op(B) is k×n (B stored n×k
// when trans_b), C is m×n; lda/ldb/ldc are row strides. beta = 0 writes C
// without reading it. Arguments are trusted: the addon checks them.
void gemm(bool trans_a, bool trans_b, index_t m, index_t n, index_t k, double alpha,
          const double* A, index_t lda, const double* B, index_t ldb, double beta,
          double* C, index_t ldc);

}  // namespace deltaprop
