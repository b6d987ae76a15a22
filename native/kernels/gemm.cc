#include "gemm.h"

#include <algorithm>
#include <vector>

namespace deltaprop {
namespace {

// Blocks of op(B) small enough to stay in L2 while every row of op(A) sweeps them.
constexpr index_t kColumnBlock = 256;
constexpr index_t kDepthBlock = 128;

void scale_rows(index_t m, index_t n, double beta, double* C, index_t ldc) {
  if (beta == 1.0) return;
  for (index_t i = 0; i < m; ++i) {
    double* row = C + i * ldc;
    if (beta == 0.0) std::fill(row, row + n, 0.0);
    else for (index_t j = 0; j < n; ++j) row[j] *= beta;
  }
}

// c[0..n) += a · b[0..n): the loop the compiler vectorises.
inline void axpy_row(index_t n, double a, const double* __restrict b, double* __restrict c) {
  for (index_t j = 0; j < n; ++j) c[j] += a * b[j];
}

}  // namespace

void gemm(bool trans_a, bool trans_b, index_t m, index_t n, index_t k, double alpha,
          const double* A, index_t lda, const double* B, index_t ldb, double beta,
          double* C, index_t ldc) {
  scale_rows(m, n, beta, C, ldc);
  if (alpha == 0.0 || k == 0 || m == 0 || n == 0) return;

  // When B is transposed its rows of op(B) are strided; copy each block into
  // a contiguous kc × nc panel so the inner loop always runs over unit stride.
  std::vector<double> panel(trans_b ? static_cast<size_t>(std::min(kDepthBlock, k) * std::min(kColumnBlock, n)) : 0);

  for (index_t j0 = 0; j0 < n; j0 += kColumnBlock) {
    const index_t nc = std::min(kColumnBlock, n - j0);
    for (index_t p0 = 0; p0 < k; p0 += kDepthBlock) {
      const index_t kc = std::min(kDepthBlock, k - p0);
      const double* block = B + p0 * ldb + j0;
      index_t block_ld = ldb;
      if (trans_b) {
        for (index_t p = 0; p < kc; ++p)
          for (index_t j = 0; j < nc; ++j) panel[p * nc + j] = B[(j0 + j) * ldb + p0 + p];
        block = panel.data();
        block_ld = nc;
      }
      for (index_t i = 0; i < m; ++i) {
        double* c_row = C + i * ldc + j0;
        for (index_t p = 0; p < kc; ++p) {
          const double a = alpha * (trans_a ? A[(p0 + p) * lda + i] : A[i * lda + p0 + p]);
          axpy_row(nc, a, block + p * block_ld, c_row);
        }
      }
    }
  }
}

}  // namespace deltaprop
