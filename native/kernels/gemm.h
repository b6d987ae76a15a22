#pragma once

#include "codes.h"
#include "engine.h"

namespace deltaprop {

// Work fused into a gemm, done on each block of C while it is still in cache.
struct GemmEpilogue {
  enum class Kind { None, BiasActivation, MultiplyDerivative };
  Kind kind = Kind::None;
  Activation activation = Activation::Identity;
  // BiasActivation: C := f(C + 1·bias) with bias indexed by column (null: no bias).
  // f must be element-wise; softmax is applied by the caller afterwards.
  const double* bias = nullptr;
  // MultiplyDerivative: C := C ⊙ f'(S), S the m × n matrix at `source` (row stride source_ld).
  const double* source = nullptr;
  index_t source_ld = 0;
  // When not null: column_sums[j] := Σ_p op(B)[p][j], folded into the pass
  // that packs B (for dB = column sums of δ while computing dW = Aᵀδ).
  double* column_sums = nullptr;
};

// C := alpha·op(A)·op(B) + beta·C, row-major BLAS dgemm semantics, then the
// epilogue. op(A) is m×k (A stored k×m when trans_a), op(B) is k×n (B stored
// n×k when trans_b), C is m×n; lda/ldb/ldc are row strides. beta = 0 writes C
// without reading it. Arguments are trusted: the addon checks them.
void gemm(const Engine& engine, bool trans_a, bool trans_b, index_t m, index_t n, index_t k, double alpha,
          const double* A, index_t lda, const double* B, index_t ldb, double beta, double* C, index_t ldc,
          const GemmEpilogue& epilogue = {});

}  // namespace deltaprop
