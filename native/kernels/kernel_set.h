// The table of ISA-specific kernels, in the spirit of BLIS's per-family
// context files: each isa/<name>.cc fills one; the gemm driver and the layer
// passes call through it and never name an ISA.
#pragma once

#include <cstdint>

#include "codes.h"
#include "optimizer_step.h"

namespace deltaprop {

// The largest register tile any micro-kernel may have: the driver's edge-tile
// buffer and its row pointers are sized by these (make_kernel_set checks).
constexpr int kMaxTileRows = 8;
constexpr int kMaxTileCols = 24;

// Register tile of the micro-kernel (mr rows × nr columns of C) and the cache
// blocks of the packed gemm: an mc × kc panel of A stays in L2, a kc × nr
// sliver of B in L1, a kc × nc panel of B in L3.
struct BlockSizes {
  int mr;
  int nr;
  index_t mc;
  index_t kc;
  index_t nc;
};

// At most this many multiply-adds, gemm computes a product element by
// element (tiny_gemm): the direct path's copies and passes over C cost more
// than the arithmetic there (a 2-3-1 network's step makes five such products).
constexpr index_t kTinyGemmWork = 512;

// A product small enough to compute element by element: C := (accumulate ? C : 0) + alpha·op(A)·op(B), operands read in
// place. Stored row r of A is row a_rows[r] of the array when a_rows is
// given, and stored column c is read as (a − shift[c]) / spread[c] when shift
// is (GemmOptions' row index and ColumnAffine).
struct TinyProduct {
  bool trans_a, trans_b;
  index_t m, n, k;
  double alpha;
  const double* A;
  index_t lda;
  const std::int32_t* a_rows;
  const double* shift;
  const double* spread;
  const double* B;
  index_t ldb;
  double* C;
  index_t ldc;
  bool accumulate;
};

// The few-rows product, gemm's path for a handful of rows (a server's
// predict): C := (accumulate ? C : 0) + A·B over rows [0, m) and a range of
// columns, m ≤ kFewRowsTile, B k × n not transposed, A's rows already as
// the product reads them (alpha, input scaling and row index applied by the
// driver). Each weight is read once for all m rows.
constexpr int kFewRowsTile = 4;

struct FewRowsProduct {
  index_t m, k;
  const double* A;
  index_t lda;
  const double* B;
  index_t ldb;
  double* C;
  index_t ldc;
  bool accumulate;
};

struct KernelSet {
  BlockSizes blocks;

  // C[0..mr)[0..nr) := (accumulate ? C : 0) + Σ_p a[p·mr + i]·b[p·nr + j], p < kc:
  // a is an mr-tall packed panel of A, b an nr-wide packed panel of B.
  // Returns whether every value stored is finite (the gemm driver's overflow
  // check, see gemm.cc: tested while the values are still in registers).
  bool (*microkernel)(index_t kc, const double* a, const double* b, double* c, index_t ldc, bool accumulate);

  // C := (accumulate ? C : 0) + alpha·op(A)·B straight from the operands (B
  // k × n, not transposed), for shapes too small or thin for packing to pay.
  // Returns whether every value stored is finite, as the micro-kernel does.
  bool (*direct_gemm)(bool trans_a, index_t m, index_t n, index_t k, double alpha, const double* A, index_t lda,
                      const double* B, index_t ldb, double* C, index_t ldc, bool accumulate);

  // The same chain of multiply-adds per element as direct_gemm, so the same
  // bits, without its passes over C and copies of A and B: for products of a
  // few dozen terms, where those cost more than the arithmetic. Returns
  // whether every value stored is finite.
  bool (*tiny_gemm)(const TinyProduct& product);

  // Columns [j0, j1) of a few-rows product, with the same chain of
  // multiply-adds per element as direct_gemm: the same bits, whatever range
  // of columns a thread is given.
  void (*few_rows_gemm)(const FewRowsProduct& product, index_t j0, index_t j1);

  // Row passes over n contiguous values.
  void (*bias_activate)(Activation f, index_t n, const double* bias,
                        double* z);  // z := f(z + bias); bias may be null; f ≠ softmax
  void (*multiply_derivative)(Activation f, index_t n, const double* a, double* g);  // g := g ⊙ f'(a)
  void (*softmax)(index_t n, double* z);                                           // z := softmax(z)
  void (*multiply_mask)(index_t n, const double* mask, const double* x,
                        double* y);  // y := mask ≠ 0 ? x·mask : 0 (y may be x)
  // One optimizer step on n parameters p from their gradient g, with the
  // optimizer's state at the same offsets (see OptimizerStep).
  void (*optimizer_step)(const OptimizerStep& step, ParameterKind kind, index_t n, const double* g, double* p,
                         const OptimizerSlots& state);
  void (*exp)(index_t n, const double* x, double* y);  // y := exp(x), the vectorised exp

  // The peak probe: `iterations` rounds of independent multiply-adds on
  // enough accumulators to hide their latency; returns the flops done.
  double (*peak_probe)(index_t iterations);
};

}  // namespace deltaprop
