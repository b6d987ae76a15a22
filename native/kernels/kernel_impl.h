// Every vectorised kernel, written once as a template over a vector type V
// from simd/ (see simd/README.md for why all of it has internal linkage).
// Included only by isa/<name>.cc, after that ISA's vector header.
#pragma once

#include <cmath>

#include "codes.h"
#include "kernel_set.h"
#include "lanes.h"
#include "optimizer_rows.h"

namespace {

using deltaprop::Activation;
using deltaprop::index_t;

// ---------------------------------------------------------------- exp
//
// exp(x) = 2^n · e^r with n = round(x/ln 2) and r = x − n·ln 2, |r| ≤ ln2/2.
// ln 2 is split in two (Cody–Waite) so that n·LN2_HI is exact and r carries
// no cancellation error; e^r is its Taylor polynomial to degree 13 (truncation
// below 1e-19 relative), written 1 + (r + r²·q(r)) so that the one large
// rounding is the last addition. 2^n is applied as two factors so that
// results down to the subnormal range come out right. Measured against a
// double-double reference: within 1 ulp (see test/vector-math.test.ts).
constexpr double kLog2e = 1.4426950408889634;
constexpr double kLn2Hi = 6.93147180369123816490e-01;  // 32 significant bits: n·kLn2Hi is exact for |n| < 2^21
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kExpMax = 709.782712893384;    // ln(DBL_MAX): above, +inf
constexpr double kExpMin = -745.1332191019412;  // below, 0

template <class V>
typename V::reg vexp(typename V::reg x) {
  using R = typename V::reg;
  const R xc = V::min(V::max(x, V::set1(kExpMin)), V::set1(kExpMax));
  const R n = V::round(V::mul(xc, V::set1(kLog2e)));
  R r = V::fma(n, V::set1(-kLn2Hi), xc);
  r = V::fma(n, V::set1(-kLn2Lo), r);
  R q = V::set1(1.0 / 6227020800.0);  // 1/13!
  q = V::fma(q, r, V::set1(1.0 / 479001600.0));
  q = V::fma(q, r, V::set1(1.0 / 39916800.0));
  q = V::fma(q, r, V::set1(1.0 / 3628800.0));
  q = V::fma(q, r, V::set1(1.0 / 362880.0));
  q = V::fma(q, r, V::set1(1.0 / 40320.0));
  q = V::fma(q, r, V::set1(1.0 / 5040.0));
  q = V::fma(q, r, V::set1(1.0 / 720.0));
  q = V::fma(q, r, V::set1(1.0 / 120.0));
  q = V::fma(q, r, V::set1(1.0 / 24.0));
  q = V::fma(q, r, V::set1(1.0 / 6.0));
  q = V::fma(q, r, V::set1(0.5));
  const R er = V::add(V::set1(1.0), V::fma(V::mul(r, r), q, r));
  const R half = V::round(V::mul(n, V::set1(0.5)));
  R result = V::mul(V::mul(er, V::pow2(half)), V::pow2(V::sub(n, half)));
  result = V::select(V::gt(x, V::set1(kExpMax)), V::set1(HUGE_VAL), result);
  result = V::select(V::lt(x, V::set1(kExpMin)), V::zero(), result);
  return V::select(V::is_nan(x), x, result);
}

// sigmoid(z) = 1 / (1 + e^−z): the same formula as the js engine.
template <class V>
typename V::reg vsigmoid(typename V::reg z) {
  return V::div(V::set1(1.0), V::add(V::set1(1.0), vexp<V>(V::sub(V::zero(), z))));
}

// tanh: for |z| < 0.625, z + z³·g(z²) with g the polynomial derived by
// scripts/fit-tanh-polynomial.py (0.67 ulp); above, 1 − 2/(e^{2|z|} + 1),
// which has no cancellation there, with z's sign.
template <class V>
typename V::reg vtanh(typename V::reg z) {
  using R = typename V::reg;
  const R a = V::abs(z);
  const R u = V::mul(z, z);
  R g = V::set1(6.485163482793113e-06);
  g = V::fma(g, u, V::set1(-3.12011014257974e-05));
  g = V::fma(g, u, V::set1(9.257116129556769e-05));
  g = V::fma(g, u, V::set1(-0.0002375906496055562));
  g = V::fma(g, u, V::set1(0.0005896606577757043));
  g = V::fma(g, u, V::set1(-0.0014557754120478055));
  g = V::fma(g, u, V::set1(0.0035921217511549622));
  g = V::fma(g, u, V::set1(-0.008863235103240878));
  g = V::fma(g, u, V::set1(0.021869488519008305));
  g = V::fma(g, u, V::set1(-0.05396825396789699));
  g = V::fma(g, u, V::set1(0.13333333333333042));
  g = V::fma(g, u, V::set1(-0.3333333333333333));
  const R small = V::fma(V::mul(z, u), g, z);
  const R e = vexp<V>(V::add(a, a));
  const R large = V::copysign(V::sub(V::set1(1.0), V::div(V::set1(2.0), V::add(e, V::set1(1.0)))), z);
  return V::select(V::lt(a, V::set1(0.625)), small, large);
}

// ---------------------------------------------------------------- row passes

template <class V>
typename V::reg activate(Activation f, typename V::reg z) {
  switch (f) {
    case Activation::Sigmoid: return vsigmoid<V>(z);
    case Activation::Tanh: return vtanh<V>(z);
    // max(NaN, 0) is 0 on every ISA's max: NaN is selected back, so that NaN in is NaN out (as in the js engine).
    case Activation::Relu: return V::select(V::is_nan(z), z, V::max(z, V::zero()));
    default: return z;  // identity (softmax is a row operation, handled apart)
  }
}

// f'(a) from the activation a = f(z).
template <class V>
typename V::reg derivative(Activation f, typename V::reg a) {
  switch (f) {
    case Activation::Sigmoid: return V::mul(a, V::sub(V::set1(1.0), a));
    case Activation::Tanh: return V::sub(V::set1(1.0), V::mul(a, a));
    case Activation::Relu: return V::select(V::gt(a, V::zero()), V::set1(1.0), V::zero());
    default: return V::set1(1.0);
  }
}

template <class V>
void bias_activate_row(Activation f, index_t n, const double* bias, double* z) {
  for_each_lane<V>(n, [&](auto lane, index_t i) {
    using L = decltype(lane);
    typename L::reg v = L::loadu(z + i);
    if (bias != nullptr) v = L::add(v, L::loadu(bias + i));
    L::storeu(z + i, activate<L>(f, v));
  });
}

template <class V>
void multiply_derivative_row(Activation f, index_t n, const double* a, double* g) {
  if (f == Activation::Identity) return;
  for_each_lane<V>(n, [&](auto lane, index_t i) {
    using L = decltype(lane);
    const typename L::reg d = derivative<L>(f, L::loadu(a + i));
    if (f == Activation::Relu) {
      // relu' is an indicator: select, so that a 0·∞ in g cannot become NaN.
      L::storeu(g + i, L::select(L::gt(L::loadu(a + i), L::zero()), L::loadu(g + i), L::zero()));
    } else {
      L::storeu(g + i, L::mul(L::loadu(g + i), d));
    }
  });
}

// Subtracting the row maximum keeps exp from overflowing; it cancels in the ratio.
template <class V>
void softmax_row(index_t n, double* z) {
  double max = z[0];
  for (index_t i = 1; i < n; ++i) max = z[i] > max ? z[i] : max;
  double sum = 0.0;
  for_each_lane<V>(n, [&](auto lane, index_t i) {
    using L = decltype(lane);
    const typename L::reg e = vexp<L>(L::sub(L::loadu(z + i), L::set1(max)));
    L::storeu(z + i, e);
    sum += L::reduce_add(e);
  });
  const double inverse = 1.0 / sum;
  for (index_t i = 0; i < n; ++i) z[i] *= inverse;
}

// A dropout mask's factor, or 0 (selected, so that a dropped ∞ or NaN is 0).
template <class V>
void multiply_mask_row(index_t n, const double* mask, const double* x, double* y) {
  for_each_lane<V>(n, [&](auto lane, index_t i) {
    using L = decltype(lane);
    const typename L::reg m = L::loadu(mask + i);
    L::storeu(y + i, L::select(L::gt(m, L::zero()), L::mul(L::loadu(x + i), m), L::zero()));
  });
}

template <class V>
void exp_row(index_t n, const double* x, double* y) {
  for_each_lane<V>(n, [&](auto lane, index_t i) {
    using L = decltype(lane);
    L::storeu(y + i, vexp<L>(L::loadu(x + i)));
  });
}

// ---------------------------------------------------------------- gemm

// The register-blocked micro-kernel: MR × NR accumulators stay in registers
// for the whole kc loop; each step loads one row of B (NR/width vectors) and
// broadcasts MR values of A.
template <class V, int MR, int NR>
bool microkernel(index_t kc, const double* __restrict a, const double* __restrict b, double* __restrict c, index_t ldc,
                 bool accumulate) {
  constexpr int NV = NR / V::width;
  static_assert(NR % V::width == 0, "NR must be a multiple of the vector width");
  typename V::reg acc[MR][NV];
#pragma GCC unroll 32
  for (int i = 0; i < MR; ++i)
#pragma GCC unroll 8
    for (int j = 0; j < NV; ++j) acc[i][j] = V::zero();
  // C is read (when accumulating) and written only after the kc loop: start
  // fetching its lines now, so a large C's cache misses overlap the work.
  // A row of NR doubles spans NR/8 lines when aligned, one more when not
  // (Float64Arrays are 8-aligned): fetch from every line boundary it crosses
  // and from its last element.
#pragma GCC unroll 32
  for (int i = 0; i < MR; ++i) {
    const char* row = reinterpret_cast<const char*>(c + i * ldc);
#pragma GCC unroll 4
    for (int line = 0; line < NR * 8; line += 64) __builtin_prefetch(row + line, 1);
    __builtin_prefetch(row + NR * 8 - 1, 1);
  }

#pragma GCC unroll 4
  for (index_t p = 0; p < kc; ++p) {
    typename V::reg bv[NV];
#pragma GCC unroll 8
    for (int j = 0; j < NV; ++j) bv[j] = V::loadu(b + j * V::width);
#pragma GCC unroll 32
    for (int i = 0; i < MR; ++i) {
      const typename V::reg av = V::set1(a[i]);
#pragma GCC unroll 8
      for (int j = 0; j < NV; ++j) acc[i][j] = V::fma(av, bv[j], acc[i][j]);
    }
    a += MR;
    b += NR;
  }

  // x − x is 0 for a finite x and NaN for NaN or ±∞, and NaN survives the
  // sum: one subtraction and one addition a register say whether the tile
  // is finite, where a pass over C afterwards would cost a few percent.
  typename V::reg check = V::zero();
#pragma GCC unroll 32
  for (int i = 0; i < MR; ++i) {
#pragma GCC unroll 8
    for (int j = 0; j < NV; ++j) {
      double* out = c + i * ldc + j * V::width;
      const typename V::reg value = accumulate ? V::add(V::loadu(out), acc[i][j]) : acc[i][j];
      V::storeu(out, value);
      check = V::add(check, V::sub(value, value));
    }
  }
  return V::reduce_add(check) == 0.0;
}

// Unpacked gemm for small or thin shapes (a small network's every product):
// blocks of R rows × CV vectors of C stay in registers over the whole depth,
// each element a chain of fma(alpha·a, b, ·) over p in order from C or 0.
// Keeping the chain in a register, not in C (a load, an fma and a store per
// step), takes the store-to-load round trip out of every step of the
// dependency chain; the chain itself, so every bit, is unchanged. The driver
// transposes B beforehand when it must.
// Returns whether every value it stored is finite (as the micro-kernel does).
template <class L, int R, int CV>
inline bool direct_block(bool trans_a, index_t k, double alpha, const double* A, index_t lda, const double* B,
                         index_t ldb, double* C, index_t ldc, bool accumulate) {
  typename L::reg acc[R][CV];
#pragma GCC unroll 4
  for (int i = 0; i < R; ++i)
#pragma GCC unroll 4
    for (int j = 0; j < CV; ++j) acc[i][j] = accumulate ? L::loadu(C + i * ldc + j * L::width) : L::zero();
  for (index_t p = 0; p < k; ++p) {
    typename L::reg b[CV];
#pragma GCC unroll 4
    for (int j = 0; j < CV; ++j) b[j] = L::loadu(B + p * ldb + j * L::width);
#pragma GCC unroll 4
    for (int i = 0; i < R; ++i) {
      const typename L::reg a = L::set1(alpha * (trans_a ? A[p * lda + i] : A[i * lda + p]));
#pragma GCC unroll 4
      for (int j = 0; j < CV; ++j) acc[i][j] = L::fma(a, b[j], acc[i][j]);
    }
  }
  typename L::reg check = L::zero();
#pragma GCC unroll 4
  for (int i = 0; i < R; ++i) {
#pragma GCC unroll 4
    for (int j = 0; j < CV; ++j) {
      L::storeu(C + i * ldc + j * L::width, acc[i][j]);
      check = L::add(check, L::sub(acc[i][j], acc[i][j]));
    }
  }
  return L::reduce_add(check) == 0.0;
}

// Up to kDirectRows rows from `A` (its first row, or column when trans_a) against every column of B: full
// blocks of CV vectors, then single vectors, then single lanes.
template <class V, int R, int CV>
bool direct_rows(bool trans_a, index_t n, index_t k, double alpha, const double* A, index_t lda, const double* B,
                 index_t ldb, double* C, index_t ldc, bool accumulate) {
  using S = typename V::Scalar;
  bool finite = true;
  index_t j = 0;
  for (; j + CV * V::width <= n; j += CV * V::width)
    finite &= direct_block<V, R, CV>(trans_a, k, alpha, A, lda, B + j, ldb, C + j, ldc, accumulate);
  for (; j + V::width <= n; j += V::width)
    finite &= direct_block<V, R, 1>(trans_a, k, alpha, A, lda, B + j, ldb, C + j, ldc, accumulate);
  for (; j < n; ++j) finite &= direct_block<S, R, 1>(trans_a, k, alpha, A, lda, B + j, ldb, C + j, ldc, accumulate);
  return finite;
}

constexpr int kDirectRows = 4;

template <class V>
bool direct_gemm(bool trans_a, index_t m, index_t n, index_t k, double alpha, const double* A, index_t lda,
                 const double* B, index_t ldb, double* C, index_t ldc, bool accumulate) {
  // 4 rows × CV vectors of accumulators, CV vectors of B and a broadcast: within 32 registers for
  // AVX-512's 8-wide vectors (CV = 4: 21), within 16 for the narrower ones (CV = 2: 11).
  constexpr int CV = V::width >= 8 ? 4 : 2;
  // Row i of op(A) starts at A + i (trans_a: stored A is k × m) or A + i·lda.
  const auto rows_from = [&](index_t i) { return trans_a ? A + i : A + i * lda; };
  bool finite = true;
  index_t i = 0;
  for (; i + kDirectRows <= m; i += kDirectRows)
    finite &=
        direct_rows<V, kDirectRows, CV>(trans_a, n, k, alpha, rows_from(i), lda, B, ldb, C + i * ldc, ldc, accumulate);
  switch (m - i) {
    case 3:
      return direct_rows<V, 3, CV>(trans_a, n, k, alpha, rows_from(i), lda, B, ldb, C + i * ldc, ldc, accumulate) &&
             finite;
    case 2:
      return direct_rows<V, 2, CV>(trans_a, n, k, alpha, rows_from(i), lda, B, ldb, C + i * ldc, ldc, accumulate) &&
             finite;
    case 1:
      return direct_rows<V, 1, CV>(trans_a, n, k, alpha, rows_from(i), lda, B, ldb, C + i * ldc, ldc, accumulate) &&
             finite;
    default: return finite;
  }
}

// Element by element, each a register chain over p in order, starting from C
// or 0, each term fma(alpha·a, b, ·): the direct kernel's chain, in the
// scalar lane, which rounds as the vector lanes do. The layout choices are
// template arguments so that the inner loop is a load, a load and an fma.
template <class V, bool TRANS_A, bool TRANS_B, bool AFFINE>
bool tiny_gemm_laid_out(const deltaprop::TinyProduct& t) {
  using S = typename V::Scalar;
  const auto a_row = [&](index_t r) { return t.A + (t.a_rows != nullptr ? t.a_rows[r] : r) * t.lda; };
  const bool scaled = t.alpha != 1.0;
  double check = 0.0;  // as the micro-kernel's: NaN once any result is not finite
  for (index_t i = 0; i < t.m; ++i) {
    const double* a_i = TRANS_A ? nullptr : a_row(i);
    for (index_t j = 0; j < t.n; ++j) {
      double c = t.accumulate ? t.C[i * t.ldc + j] : 0.0;
      for (index_t p = 0; p < t.k; ++p) {
        const index_t column = TRANS_A ? i : p;
        double a = TRANS_A ? a_row(p)[i] : a_i[p];
        if (AFFINE) a = (a - t.shift[column]) / t.spread[column];
        if (scaled) a *= t.alpha;  // alpha 1 leaves a as it is: skipping it changes no bit
        c = S::fma(a, TRANS_B ? t.B[j * t.ldb + p] : t.B[p * t.ldb + j], c);
      }
      t.C[i * t.ldc + j] = c;
      check += c - c;
    }
  }
  return check == 0.0;
}

template <class V>
bool tiny_gemm(const deltaprop::TinyProduct& t) {
  using Kernel = bool (*)(const deltaprop::TinyProduct&);
  static constexpr Kernel kKernels[8] = {
      &tiny_gemm_laid_out<V, false, false, false>, &tiny_gemm_laid_out<V, false, false, true>,
      &tiny_gemm_laid_out<V, false, true, false>,  &tiny_gemm_laid_out<V, false, true, true>,
      &tiny_gemm_laid_out<V, true, false, false>,  &tiny_gemm_laid_out<V, true, false, true>,
      &tiny_gemm_laid_out<V, true, true, false>,   &tiny_gemm_laid_out<V, true, true, true>};
  return kKernels[(t.trans_a ? 4 : 0) + (t.trans_b ? 2 : 0) + (t.shift != nullptr ? 1 : 0)](t);
}

// ---------------------------------------------------------------- few rows
//
// A product of a few rows reads each weight once and does one multiply-add
// per row with it: its speed is that of streaming B from the cache level it
// sits in, so the kernel is laid out for the hardware prefetchers. It walks
// the depth in chunks of kFewRowsDepth rows of B and, within a chunk, every
// register block of C (rows × NV vectors) in turn, which keeps the block in
// registers for the chunk and reads each of the chunk's rows of B as one
// ascending stream: as many streams as rows, which the L2 streamer follows.
// Keeping a block in registers over the whole depth instead reads B a column
// block at a time, one row stride (4 KiB at 512 units) apart, a pattern no
// prefetcher follows: half the speed when B comes from L3, and software
// prefetching did not win it back (docs/decisions.md). The chunk costs one
// load and store of C, from L1, per kFewRowsDepth multiply-adds.
//
// Each element is one chain fma(a_p, b_pj, ·) over p in order from 0,
// starting at C or 0 (C holds the chain between chunks, exactly): the chain
// of direct_gemm and tiny_gemm, so a row gets the same bits from here as
// from them (a row's result does not change with how many rows share its
// call), and the same bits whatever range of columns a thread is given.

// Rows of B a chunk streams: on a Xeon, one row through 784 × 128 (B in L2)
// streamed 68, 73, 81 and 77 GB/s with chunks of 8, 16, 32 and 64 rows, and
// through 784 × 512 (from L3) about 31 with each.
constexpr index_t kFewRowsDepth = 32;

// Columns [j, j + NV·width) of a few-rows product, MR rows, depth [p0, p1).
template <class V, int MR, int NV>
void few_rows_block(const deltaprop::FewRowsProduct& t, index_t j, index_t p0, index_t p1) {
  using R = typename V::reg;
  R acc[MR][NV];
  const bool from_c = p0 > 0 || t.accumulate;
#pragma GCC unroll 4
  for (int i = 0; i < MR; ++i)
#pragma GCC unroll 8
    for (int v = 0; v < NV; ++v) acc[i][v] = from_c ? V::loadu(t.C + i * t.ldc + j + v * V::width) : V::zero();
  const double* b = t.B + j;
#pragma GCC unroll 8
  for (index_t p = p0; p < p1; ++p) {
    const double* row = b + p * t.ldb;
    R bv[NV];
#pragma GCC unroll 8
    for (int v = 0; v < NV; ++v) bv[v] = V::loadu(row + v * V::width);
#pragma GCC unroll 4
    for (int i = 0; i < MR; ++i) {
      const R a = V::set1(t.A[i * t.lda + p]);
#pragma GCC unroll 8
      for (int v = 0; v < NV; ++v) acc[i][v] = V::fma(a, bv[v], acc[i][v]);
    }
  }
#pragma GCC unroll 4
  for (int i = 0; i < MR; ++i)
#pragma GCC unroll 8
    for (int v = 0; v < NV; ++v) V::storeu(t.C + i * t.ldc + j + v * V::width, acc[i][v]);
}

// The last `count` < N vectors (or lanes) at column j as one block: each
// chain is latency-bound, so a narrow remainder taken a vector at a time
// would cost several times as long.
template <class V, int MR, int N>
void few_rows_remainder(const deltaprop::FewRowsProduct& t, index_t j, index_t count, index_t p0, index_t p1) {
  if constexpr (N > 1) {
    if (count < N) {
      few_rows_remainder<V, MR, N - 1>(t, j, count, p0, p1);
      return;
    }
  }
  few_rows_block<V, MR, N>(t, j, p0, p1);
}

// Columns [j0, j1), MR rows: register blocks of NV vectors, then the
// remaining whole vectors as one block, then the remaining lanes as one.
// NV gives at least 8 independent chains, which cover the multiply-add's
// latency (4 cycles) at its throughput (2 a cycle), in at most 16 registers.
template <class V, int MR>
void few_rows_columns(const deltaprop::FewRowsProduct& t, index_t j0, index_t j1) {
  constexpr int NV = (8 + MR - 1) / MR;
  constexpr index_t kBlock = NV * V::width;
  for (index_t p0 = 0; p0 < t.k; p0 += kFewRowsDepth) {
    const index_t p1 = p0 + kFewRowsDepth < t.k ? p0 + kFewRowsDepth : t.k;
    index_t j = j0;
    for (; j + kBlock <= j1; j += kBlock) few_rows_block<V, MR, NV>(t, j, p0, p1);
    if constexpr (NV > 1) {
      const index_t vectors = (j1 - j) / V::width;
      if (vectors > 0) few_rows_remainder<V, MR, NV - 1>(t, j, vectors, p0, p1);
      j += vectors * V::width;
    }
    if constexpr (V::width > 1) {
      if (j < j1) few_rows_remainder<typename V::Scalar, MR, V::width - 1>(t, j, j1 - j, p0, p1);
    }
  }
}

template <class V>
void few_rows_gemm(const deltaprop::FewRowsProduct& t, index_t j0, index_t j1) {
  switch (t.m) {
    case 1: few_rows_columns<V, 1>(t, j0, j1); break;
    case 2: few_rows_columns<V, 2>(t, j0, j1); break;
    case 3: few_rows_columns<V, 3>(t, j0, j1); break;
    default: few_rows_columns<V, deltaprop::kFewRowsTile>(t, j0, j1); break;
  }
}

// ---------------------------------------------------------------- peak probe

// ACC independent chains of fma(acc, a, b): the chains hide the FMA latency,
// so the loop runs at the FMA units' throughput, the machine's peak. The
// result is stored through a volatile so the work cannot be optimised away.
template <class V, int ACC>
double peak_probe(index_t iterations) {
  typename V::reg acc[ACC];
#pragma GCC unroll 32
  for (int i = 0; i < ACC; ++i) acc[i] = V::set1(1.0 + i * 1e-3);
  const typename V::reg a = V::set1(0.9999999);
  const typename V::reg b = V::set1(1e-7);
  for (index_t it = 0; it < iterations; ++it) {
#pragma GCC unroll 32
    for (int i = 0; i < ACC; ++i) acc[i] = V::fma(acc[i], a, b);
  }
  double sum = 0.0;
  for (int i = 0; i < ACC; ++i) sum += V::reduce_add(acc[i]);
  volatile double sink = sum;
  (void)sink;
  return 2.0 * V::width * ACC * static_cast<double>(iterations);
}

// The kernel set of one ISA: vector type V, block sizes B (a constant of the
// ISA's file) and ACC, the peak probe's accumulators (enough to cover latency ×
// throughput of the ISA's multiply-add units within its register file).
template <class V, const deltaprop::BlockSizes& B, int ACC>
constexpr deltaprop::KernelSet make_kernel_set() {
  static_assert(B.mr >= 1 && B.mr <= deltaprop::kMaxTileRows, "mr must fit the gemm driver's edge-tile buffer");
  static_assert(B.nr >= 1 && B.nr <= deltaprop::kMaxTileCols, "nr must fit the gemm driver's edge-tile buffer");
  static_assert(B.mc % B.mr == 0 && B.nc % B.nr == 0, "mc and nc must be whole micro-tiles");
  return {B,
          &microkernel<V, B.mr, B.nr>,
          &direct_gemm<V>,
          &tiny_gemm<V>,
          &few_rows_gemm<V>,
          &bias_activate_row<V>,
          &multiply_derivative_row<V>,
          &softmax_row<V>,
          &multiply_mask_row<V>,
          &optimizer_step_row<V>,
          &exp_row<V>,
          &peak_probe<V, ACC>};
}

}  // namespace
