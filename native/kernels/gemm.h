#pragma once

#include <cstdint>

#include "codes.h"
#include "engine.h"

namespace deltaprop {

// One plain SGD-with-momentum step applied to parameters P (rows × cols, row
// stride ld) from their gradient G: g := G + l2_scale·P, then with velocity V
// (same layout) V := momentum·V + g, P := P − learning_rate·V, or without it
// P := P − learning_rate·g. The same arithmetic, in the same order, as
// sgd_update over a gradient buffer, so fusing it changes no bit.
struct SgdStep {
  double learning_rate = 0.0;
  double momentum = 0.0;
  double l2_scale = 0.0;
};

// Work fused into a gemm, so that it happens while the data is in cache.
struct GemmFusion {
  // A is read through a row index: stored row r of A is row a_rows[r] of the
  // array given (for trans_a, A is k × m and the index runs over k). This is
  // how a training step reads a shuffled minibatch without copying it.
  const std::int32_t* a_rows = nullptr;

  // Applied to each finished block of C.
  enum class Kind { None, BiasActivation, MultiplyDerivative, Sgd };
  Kind kind = Kind::None;
  Activation activation = Activation::Identity;
  // BiasActivation: C := f(C + 1·bias), bias indexed by column (null: none).
  // f must be element-wise; softmax is applied by the caller afterwards.
  const double* bias = nullptr;
  // MultiplyDerivative: C := C ⊙ f'(S), S the m × n matrix at `source`.
  // Sgd: C is the gradient of the m × n parameters at `source`, which take the
  // step (velocity, same layout, may be null); C itself is left as it is.
  double* source = nullptr;
  index_t source_ld = 0;
  double* velocity = nullptr;
  SgdStep step;

  // When not null: column_sums[j] := Σ_p op(B)[p][j], folded into the pass
  // that packs B (for dB = column sums of δ while computing dW = Aᵀδ).
  double* column_sums = nullptr;
};

// C := alpha·op(A)·op(B) + beta·C, row-major BLAS dgemm semantics, with the
// fused work above. op(A) is m×k (A stored k×m when trans_a), op(B) is k×n
// (B stored n×k when trans_b), C is m×n; lda/ldb/ldc are row strides. beta = 0
// writes C without reading it. Arguments are trusted: the addon checks them.
void gemm(const Engine& engine, bool trans_a, bool trans_b, index_t m, index_t n, index_t k, double alpha,
          const double* A, index_t lda, const double* B, index_t ldb, double beta, double* C, index_t ldc,
          const GemmFusion& fusion = {});

}  // namespace deltaprop
