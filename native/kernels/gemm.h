#pragma once

#include <cstdint>

#include "codes.h"
#include "engine.h"

namespace deltaprop {

// Work a caller folds into a gemm, run on each block of C as soon as the block
// is final, while it is still in cache. `apply` gets the block (rows × cols at
// c, row stride ldc) and its position (row i0, column j0) within the whole C,
// so that it can find the matching parts of its own arrays in `context`.
// Blocks never overlap, and threads may run `apply` on different blocks at
// once. The driver knows nothing of what it does.
struct GemmEpilogue {
  void (*apply)(const void* context, double* c, index_t ldc, index_t i0, index_t j0, index_t rows,
                index_t cols) = nullptr;
  const void* context = nullptr;
};

// Each column c of A as stored is read as (a − shift[c]) / spread[c]: how a
// network's input scaling is applied while A is packed, with no scaled copy.
struct ColumnAffine {
  const double* shift = nullptr;  // null: A is read as it is
  const double* spread = nullptr;
};

struct GemmOptions {
  // A is read through a row index: stored row r of A is row a_rows[r] of the
  // array given (for trans_a, A is k × m and the index runs over k). This is
  // how a training step reads a shuffled minibatch without copying it.
  const std::int32_t* a_rows = nullptr;
  ColumnAffine a_columns;
  GemmEpilogue epilogue;
};

// C := alpha·op(A)·op(B) + beta·C, row-major BLAS dgemm semantics, then the
// epilogue on every block of C. op(A) is m×k (A stored k×m when trans_a),
// op(B) is k×n (B stored n×k when trans_b), C is m×n; lda/ldb/ldc are row
// strides. beta = 0 writes C without reading it. Arguments are trusted: the
// addon checks them.
void gemm(const Engine& engine, bool trans_a, bool trans_b, index_t m, index_t n, index_t k, double alpha,
          const double* A, index_t lda, const double* B, index_t ldb, double beta, double* C, index_t ldc,
          const GemmOptions& options = {});

}  // namespace deltaprop
