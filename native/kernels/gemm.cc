// The gemm driver, generic over ISAs (it calls the micro-kernel and row
// passes through the KernelSet and never names an ISA), in the BLIS loop
// order:
//
//   for jc (nc columns of C)            B panel kc × nc packed, L3
//     for pc (kc of the depth)
//       for ic (mc rows of C)           A panel mc × kc packed, L2
//         for jr (nr columns)           B sliver kc × nr, L1
//           for ir (mr rows)            micro-kernel: mr × nr of C in registers
//
// Packing copies op(A) and op(B) into the order the micro-kernel reads, which
// is also where the transposes are absorbed and alpha is applied (to A). Each
// finished block of C goes to the caller's epilogue. A few rows (a server's
// predict) take a matrix-vector kernel that streams B once, split across the
// threads by columns when large enough; other small or thin shapes go
// straight to the direct kernel, and large ones are split across the thread
// pool by whole micro-tiles of C. Every element of C is computed by one
// thread in the same order whatever the thread count: results do not depend
// on it.
#include "gemm.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "aligned_buffer.h"
#include "cpu_features.h"
#include "finite.h"

namespace deltaprop {
namespace {

// Below this many multiply-adds, or with a side thinner than a micro-tile,
// packing costs more than it saves.
constexpr index_t kPackedMinWork = 32 * 32 * 32;
constexpr index_t kPackedMinDepth = 8;
// Below this many multiply-adds per thread, waking threads costs more than it saves.
constexpr index_t kParallelMinWorkPerThread = 96 * 96 * 96;

index_t round_up(index_t x, index_t to) { return (x + to - 1) / to * to; }

// The size of equal blocks covering n, none larger than `limit`.
index_t balanced_block(index_t n, index_t limit) {
  const index_t blocks = (n + limit - 1) / limit;
  return (n + blocks - 1) / blocks;
}

// Pointers and shape of one part of C (and what feeds it) that a thread computes.
struct Problem {
  bool trans_a, trans_b;
  index_t m, n, k;
  double alpha;
  const double* A;
  index_t lda;
  const double* B;
  index_t ldb;
  double* C;
  index_t ldc;
  bool accumulate;  // add to C (already scaled by beta) rather than overwrite it
  // With accumulate, beta·C as it was before the product when some of it was
  // not finite (a copy, row stride n of the whole C), else null: see
  // recompute_infinities.
  const double* c_before;
  index_t c_before_ld;
  const std::int32_t* a_rows;
  ColumnAffine a_columns;
  GemmEpilogue epilogue;
  index_t row0, col0;  // where this part of C sits in the whole C (what the epilogue is told)
  index_t a_col0;      // the stored column of A this part's A starts at (for a_columns)

  // The array row holding stored row r of A (see GemmOptions::a_rows).
  const double* a_row(index_t r) const { return A + (a_rows ? a_rows[r] : r) * lda; }

  // Stored element a of A in column c (of this part), as the gemm reads it.
  double a_value(double a, index_t c) const {
    return a_columns.shift == nullptr ? a : (a - a_columns.shift[a_col0 + c]) / a_columns.spread[a_col0 + c];
  }

  // Element (i, j) of this part of C as the js engine computes it (src/backend/js/gemm.ts):
  // each product rounded, summed over p in order from 0, then times alpha.
  double separate_sum(index_t i, index_t j) const {
    double sum = 0.0;
    for (index_t q = 0; q < k; ++q) {
      const double a = trans_a ? a_value(a_row(q)[i], i) : a_value(a_row(i)[q], q);
      const double b = trans_b ? B[j * ldb + q] : B[q * ldb + j];
      const double product = a * b;  // -ffp-contract=off: rounded here, never fused into the sum
      sum += product;
    }
    return alpha * sum;
  }

  // A fused multiply-add keeps a product that overflows as its exact value:
  // where the js engine (and the SSE2 and generic kernels, which multiply
  // then add) gets ∞ − ∞ = NaN, a fused chain carries the first infinity on,
  // and tanh or sigmoid then turn it into ±1 or 0. So where a finished block
  // holds ±∞, the element is computed again as the js engine computes it,
  // and the engines agree on every non-finite result. A NaN needs no second
  // look: a fused chain gives NaN only where a separate one does too. Only
  // results that overflowed pay for it (k multiply-adds each), never a
  // finite product. Not covered (not the layers' products, whose alpha is 1
  // and beta 0): an alpha of magnitude below 1, applied to A as it is packed
  // where js applies it to the sum, can keep finite a product js overflows;
  // and sums within a factor 2 of overflow differ with the order of the
  // terms, fused or not.
  void recompute_infinities(double* c, index_t i0, index_t j0, index_t rows, index_t cols) const {
    for (index_t i = 0; i < rows; ++i) {
      double* row = c + i * ldc;
      if (all_finite(row, cols)) continue;
      for (index_t j = 0; j < cols; ++j) {
        if (!std::isinf(row[j])) continue;
        const double product = separate_sum(i0 + i, j0 + j);
        if (!accumulate) row[j] = product;
        else if (c_before != nullptr) row[j] = c_before[(row0 + i0 + i) * c_before_ld + col0 + j0 + j] + product;
        // beta·C was finite here: it cannot change a non-finite product, and beside a finite one the ∞ came from the sum's order, not an overflowing product.
        else if (!std::isfinite(product)) row[j] = product;
      }
    }
  }

  // `checked`: the overflow check has been made on the block (the packed path checks each tile as it stores it).
  void finish_block(double* c, index_t i0, index_t j0, index_t rows, index_t cols, bool checked = false) const {
    if (!checked) recompute_infinities(c, i0, j0, rows, cols);
    if (epilogue.apply != nullptr) epilogue.apply(epilogue.context, c, ldc, row0 + i0, col0 + j0, rows, cols);
  }
};

// The rows [i0, i0 + rows) and columns [j0, j0 + cols) of a problem.
Problem part(const Problem& p, index_t i0, index_t rows, index_t j0, index_t cols) {
  Problem q = p;
  q.m = rows;
  q.n = cols;
  // Stored A is m × k (rows i0…) or, transposed, k × m (columns i0…).
  if (p.trans_a) {
    q.A = p.A + i0;
    q.a_col0 = p.a_col0 + i0;
  } else if (p.a_rows != nullptr) q.a_rows = p.a_rows + i0;
  else q.A = p.A + i0 * p.lda;
  q.B = p.trans_b ? p.B + j0 * p.ldb : p.B + j0;
  q.C = p.C + i0 * p.ldc + j0;
  q.row0 = p.row0 + i0;
  q.col0 = p.col0 + j0;
  return q;
}

// A panel of op(A): rows [i0, i0+mc) × depth [p0, p0+kc), times alpha, as
// mr-tall micro-panels each stored depth-major (kc × mr), zero-padded.
void pack_a(const Problem& p, int mr, index_t i0, index_t mc, index_t p0, index_t kc, double* out) {
  const bool affine = p.a_columns.shift != nullptr;
  const bool scaled = p.alpha != 1.0;  // training's products have alpha 1: a plain copy
  for (index_t ir = 0; ir < mc; ir += mr) {
    const index_t rows = std::min<index_t>(mr, mc - ir);
    double* dst = out + ir * kc;
    if (p.trans_a) {
      for (index_t q = 0; q < kc; ++q) {
        const double* src = p.a_row(p0 + q) + i0 + ir;
        double* col = dst + q * mr;
        if (affine)
          for (index_t i = 0; i < rows; ++i) col[i] = p.alpha * p.a_value(src[i], i0 + ir + i);
        else if (scaled)
          for (index_t i = 0; i < rows; ++i) col[i] = p.alpha * src[i];
        else
          for (index_t i = 0; i < rows; ++i) col[i] = src[i];
        for (index_t i = rows; i < mr; ++i) col[i] = 0.0;
      }
    } else {
      // Read the panel's rows side by side and write the packed panel in order.
      const double* src[kMaxTileRows];
      for (index_t i = 0; i < rows; ++i) src[i] = p.a_row(i0 + ir + i) + p0;
      for (index_t q = 0; q < kc; ++q) {
        double* col = dst + q * mr;
        if (affine)
          for (index_t i = 0; i < rows; ++i) col[i] = p.alpha * p.a_value(src[i][q], p0 + q);
        else if (scaled)
          for (index_t i = 0; i < rows; ++i) col[i] = p.alpha * src[i][q];
        else
          for (index_t i = 0; i < rows; ++i) col[i] = src[i][q];
        for (index_t i = rows; i < mr; ++i) col[i] = 0.0;
      }
    }
  }
}

// A panel of op(B): depth [p0, p0+kc) × columns [j0, j0+nc), as nr-wide
// micro-panels each stored depth-major (kc × nr), zero-padded. Stored B is
// read along its rows, several streams side by side: reading one row of
// every page per micro-panel, or scattering single values, cost twice as
// much on the training products, where each packed value is used only
// batch-size times.
void pack_b(const Problem& p, int nr, index_t p0, index_t kc, index_t j0, index_t nc, double* out) {
  if (p.trans_b) {
    // Column j of op(B) is row j of stored B: a micro-panel's nr rows are read side by side.
    for (index_t jr = 0; jr < nc; jr += nr) {
      const index_t cols = std::min<index_t>(nr, nc - jr);
      const double* src[kMaxTileCols];
      for (index_t j = 0; j < cols; ++j) src[j] = p.B + (j0 + jr + j) * p.ldb + p0;
      double* dst = out + jr * kc;
      for (index_t q = 0; q < kc; ++q) {
        double* row = dst + q * nr;
        for (index_t j = 0; j < cols; ++j) row[j] = src[j][q];
        for (index_t j = cols; j < nr; ++j) row[j] = 0.0;
      }
    }
    return;
  }
  // Each row of stored B is read once, across every micro-panel.
  for (index_t q = 0; q < kc; ++q) {
    const double* src = p.B + (p0 + q) * p.ldb + j0;
    for (index_t jr = 0; jr < nc; jr += nr) {
      const index_t cols = std::min<index_t>(nr, nc - jr);
      double* row = out + jr * kc + q * nr;
      for (index_t j = 0; j < cols; ++j) row[j] = src[jr + j];
      for (index_t j = cols; j < nr; ++j) row[j] = 0.0;
    }
  }
}

// A column sliver of packed B (kc × nr) is read by every micro-kernel call
// down the A panel, but the first of them would fetch it from L3 (the B
// panel is megabytes), one line per step, faster than the hardware
// prefetchers follow after the jump back to the sliver's start. So each call
// first asks for its share of the next sliver, and the sliver is in L1 when
// its turn comes (with the C-row prefetch: 1024³ from 26.7 to 32.7 GFLOP/s on
// a Zen 3 core, medians of 40 interleaved rounds; see docs/decisions.md).
// On an Intel Xeon (Sapphire Rapids class) the same prefetches cost 5% of
// dgemm and of a training step, AVX-512 and AVX2 alike (its prefetchers
// follow the sliver; the extra requests only compete with them), so they are
// made on AMD cores only, where they were measured to help.
void prefetch_share(const double* sliver, index_t doubles, index_t share, index_t shares) {
  constexpr index_t kLine = 64 / sizeof(double);
  const index_t lines = (doubles + kLine - 1) / kLine;
  const index_t per_share = (lines + shares - 1) / shares;
  const index_t last = std::min(lines, (share + 1) * per_share);
  for (index_t line = share * per_share; line < last; ++line) __builtin_prefetch(sliver + line * kLine, 0, 3);
}

bool prefetches_slivers() {
  static const bool amd = detect_cpu_features().amd;
  return amd;
}

void packed_gemm(const KernelSet& ks, const Problem& p) {
  thread_local AlignedBuffer a_buffer, b_buffer;
  const bool prefetch = prefetches_slivers();
  const BlockSizes& bs = ks.blocks;
  const int mr = bs.mr;
  const int nr = bs.nr;
  // Depth blocks of equal size (784 = 4 × 196, not 3 × 256 + 16): a short
  // last block would pay a full pass over C for little work.
  const index_t kc_step = balanced_block(p.k, bs.kc);
  const index_t kc_max = kc_step;
  const index_t nc_max = std::min(bs.nc, round_up(p.n, nr));
  const index_t mc_max = std::min(bs.mc, round_up(p.m, mr));
  double* a_panel = a_buffer.reserve(static_cast<size_t>(mc_max * kc_max));
  double* b_panel = b_buffer.reserve(static_cast<size_t>(kc_max * nc_max));
  double tile[kMaxTileRows * kMaxTileCols];

  for (index_t jc = 0; jc < p.n; jc += bs.nc) {
    const index_t nc = std::min(bs.nc, p.n - jc);
    for (index_t pc = 0; pc < p.k; pc += kc_step) {
      const index_t kc = std::min(kc_step, p.k - pc);
      const bool accumulate = p.accumulate || pc > 0;
      const bool last = pc + kc == p.k;
      pack_b(p, nr, pc, kc, jc, nc, b_panel);
      for (index_t ic = 0; ic < p.m; ic += bs.mc) {
        const index_t mc = std::min(bs.mc, p.m - ic);
        pack_a(p, mr, ic, mc, pc, kc, a_panel);
        const index_t tiles_down = (mc + mr - 1) / mr;
        for (index_t jr = 0; jr < nc; jr += nr) {
          const index_t cols = std::min<index_t>(nr, nc - jr);
          const double* next_sliver = prefetch && jr + nr < nc ? b_panel + (jr + nr) * kc : nullptr;
          for (index_t ir = 0; ir < mc; ir += mr) {
            const index_t rows = std::min<index_t>(mr, mc - ir);
            if (next_sliver != nullptr) prefetch_share(next_sliver, kc * nr, ir / mr, tiles_down);
            double* c = p.C + (ic + ir) * p.ldc + jc + jr;
            bool finite;
            if (rows == mr && cols == nr) {
              finite = ks.microkernel(kc, a_panel + ir * kc, b_panel + jr * kc, c, p.ldc, accumulate);
            } else {
              // An edge tile: compute the full tile aside, keep the part inside C.
              ks.microkernel(kc, a_panel + ir * kc, b_panel + jr * kc, tile, nr, false);
              for (index_t i = 0; i < rows; ++i)
                for (index_t j = 0; j < cols; ++j)
                  c[i * p.ldc + j] = (accumulate ? c[i * p.ldc + j] : 0.0) + tile[i * nr + j];
              finite = last && all_finite(rows, cols, c, p.ldc);
            }
            // The tile is final after the last depth block: its overflow check, while it is in cache.
            if (last && !finite) p.recompute_infinities(c, ic + ir, jc + jr, rows, cols);
          }
        }
        // The mc × nc block of C just finished is still in L2: the epilogue
        // takes it whole (per micro-tile it would be thousands of tiny calls).
        if (last) p.finish_block(p.C + ic * p.ldc + jc, ic, jc, mc, nc, /*checked*/ true);
      }
    }
  }
}

// Scratch for the direct path: on the stack when small (the common case: a
// small network's step makes several such calls, and thread_local storage in
// a loaded library costs a call to reach), else a growable per-thread buffer.
class Scratch {
 public:
  // `large` returns the per-thread buffer; it is called (and the thread_local touched) only when needed.
  double* get(index_t count, AlignedBuffer& (*large)()) {
    return count <= kSmall ? small_ : large().reserve(static_cast<size_t>(count));
  }

 private:
  static constexpr index_t kSmall = 512;
  alignas(64) double small_[kSmall];
};

AlignedBuffer& gather_buffer() {
  thread_local AlignedBuffer buffer;
  return buffer;
}

AlignedBuffer& transpose_buffer() {
  thread_local AlignedBuffer buffer;
  return buffer;
}

void direct_gemm(const KernelSet& ks, const Problem& p) {
  const double* A = p.A;
  index_t lda = p.lda;
  Scratch a_scratch, b_scratch;
  if (p.a_rows != nullptr || p.a_columns.shift != nullptr) {
    // Gather the indexed (or scaled) rows of stored A (m × k, or k × m transposed), small by construction.
    const index_t rows = p.trans_a ? p.k : p.m;
    const index_t cols = p.trans_a ? p.m : p.k;
    double* g = a_scratch.get(rows * cols, gather_buffer);
    for (index_t r = 0; r < rows; ++r) {
      const double* src = p.a_row(r);
      for (index_t j = 0; j < cols; ++j)
        g[r * cols + j] = p.a_value(src[j], j);  // rows of a few values: no memmove call
    }
    A = g;
    lda = cols;
  }
  const double* B = p.B;
  index_t ldb = p.ldb;
  if (p.trans_b) {
    // The direct kernel streams rows of op(B): transpose it first (k × n, small by construction).
    double* t = b_scratch.get(p.k * p.n, transpose_buffer);
    for (index_t q = 0; q < p.k; ++q)
      for (index_t j = 0; j < p.n; ++j) t[q * p.n + j] = p.B[j * p.ldb + q];
    B = t;
    ldb = p.n;
  }
  const bool finite = ks.direct_gemm(p.trans_a, p.m, p.n, p.k, p.alpha, A, lda, B, ldb, p.C, p.ldc, p.accumulate);
  p.finish_block(p.C, 0, 0, p.m, p.n, /*checked*/ finite);
}

// ---------------------------------------------------------------- few rows

// The few-rows path takes products of at most this many rows (B not
// transposed), a pass over B for every kFewRowsTile of them. Two passes
// still beat the paths they replace (the direct kernel below the
// micro-tile's height, packing above it) where B streams from L2 or from
// L3; at three, packing B once wins from L3 (docs/decisions.md).
constexpr index_t kFewRowsMax = 2 * kFewRowsTile;
// Below this many multiply-adds per thread, handing columns to a thread costs
// about what it saves: starting and joining a worker takes a microsecond or
// two, the time to stream some 10,000 weights from L2 (measured even at 16K
// a thread, a gain from 32K: docs/decisions.md).
constexpr index_t kFewRowsParallelMinWork = 32 * 1024;
// Threads get whole cache lines of C (8 doubles, a whole number of vectors
// on every ISA): none shares a line of C with another.
constexpr index_t kFewRowsColumnStep = 8;

AlignedBuffer& few_rows_buffer() {
  thread_local AlignedBuffer buffer;
  return buffer;
}

// op(A) as the few-rows kernel reads it: alpha·(a − shift)/spread, rows
// gathered through the row index, transposes undone. A plain A (the
// layers' products: alpha 1, no index, no scaling) is read in place. The
// values are direct_gemm's and tiny_gemm's (alpha times the scaled value),
// so each term of the chain is too.
FewRowsProduct few_rows_operands(const Problem& p) {
  FewRowsProduct t{p.m, p.k, p.A, p.lda, p.B, p.ldb, p.C, p.ldc, p.accumulate};
  if (!p.trans_a && p.a_rows == nullptr && p.a_columns.shift == nullptr && p.alpha == 1.0) return t;
  double* rows = few_rows_buffer().reserve(static_cast<size_t>(p.m * p.k));
  for (index_t i = 0; i < p.m; ++i) {
    for (index_t q = 0; q < p.k; ++q) {
      const double a = p.trans_a ? p.a_value(p.a_row(q)[i], i) : p.a_value(p.a_row(i)[q], q);
      rows[i * p.k + q] = p.alpha * a;
    }
  }
  t.A = rows;
  t.lda = p.k;
  return t;
}

// Columns [j0, j1) of every row, kFewRowsTile rows a pass, then their
// overflow check and the epilogue.
void few_rows_part(const KernelSet& ks, const Problem& p, const FewRowsProduct& t, index_t j0, index_t j1) {
  for (index_t i0 = 0; i0 < p.m; i0 += kFewRowsTile) {
    FewRowsProduct rows = t;
    rows.m = std::min<index_t>(kFewRowsTile, p.m - i0);
    rows.A = t.A + i0 * t.lda;
    rows.C = t.C + i0 * t.ldc;
    ks.few_rows_gemm(rows, j0, j1);
  }
  p.finish_block(p.C + j0, 0, j0, p.m, j1 - j0);
}

// The columns split among threads in whole steps of kFewRowsColumnStep,
// each thread computing every row of its own.
struct FewRowsSplit {
  const KernelSet& ks;
  const Problem& p;
  const FewRowsProduct& t;
  index_t steps;
  index_t threads;

  void operator()(int thread) const {
    const index_t j0 = std::min(p.n, steps * thread / threads * kFewRowsColumnStep);
    const index_t j1 = std::min(p.n, steps * (thread + 1) / threads * kFewRowsColumnStep);
    few_rows_part(ks, p, t, j0, j1);
  }
};

// The kernel's per-element chain does not depend on the split, so neither
// do the results.
void few_rows_gemm(const Engine& engine, const Problem& p) {
  const FewRowsProduct t = few_rows_operands(p);
  const index_t steps = (p.n + kFewRowsColumnStep - 1) / kFewRowsColumnStep;
  const index_t threads =
      std::min<index_t>({engine.threads, steps, std::max<index_t>(1, p.m * p.n * p.k / kFewRowsParallelMinWork)});
  const FewRowsSplit split{*engine.kernels, p, t, steps, threads};
  if (threads <= 1) {
    split(0);
    return;
  }
  // One reference captured: the pool's std::function holds it without allocating.
  engine.pool->run(static_cast<int>(threads), [&split](int thread) { split(thread); });
}

// ---------------------------------------------------------------- packed, in parallel

// Each thread packs its own share of one operand and all of the other: a
// split along n has every thread pack all of A (m × k), along m all of B
// (k × n). C is split the way that duplicates less, counting A twice when it
// is read through a row index (a shuffled minibatch, coming from memory
// rather than cache); a tie goes to n, which keeps each thread's B panel
// small. The chosen side must have a micro-tile per thread; parts are whole
// micro-tiles.
void parallel_packed_gemm(const Engine& engine, const Problem& p) {
  const KernelSet& ks = *engine.kernels;
  const index_t work = p.m * p.n * p.k;
  const BlockSizes& bs = ks.blocks;
  const index_t col_tiles = (p.n + bs.nr - 1) / bs.nr;
  const index_t row_tiles = (p.m + bs.mr - 1) / bs.mr;
  const index_t duplicated_a = p.m * p.k * (p.a_rows != nullptr ? 2 : 1);
  const index_t duplicated_b = p.k * p.n;
  const bool prefer_n = duplicated_a <= duplicated_b;
  const bool split_n = prefer_n ? col_tiles >= engine.threads : row_tiles < engine.threads;
  const index_t tiles = split_n ? col_tiles : row_tiles;
  const index_t threads =
      std::min<index_t>({engine.threads, tiles, std::max<index_t>(1, work / kParallelMinWorkPerThread)});
  if (threads <= 1) {
    packed_gemm(ks, p);
    return;
  }
  engine.pool->run(static_cast<int>(threads), [&](int t) {
    const index_t first = tiles * t / threads;
    const index_t last = tiles * (t + 1) / threads;
    if (split_n) {
      const index_t j0 = first * bs.nr;
      packed_gemm(ks, part(p, 0, p.m, j0, std::min(p.n, last * bs.nr) - j0));
    } else {
      const index_t i0 = first * bs.mr;
      packed_gemm(ks, part(p, i0, std::min(p.m, last * bs.mr) - i0, 0, p.n));
    }
  });
}

}  // namespace

void gemm(const Engine& engine, bool trans_a, bool trans_b, index_t m, index_t n, index_t k, double alpha,
          const double* A, index_t lda, const double* B, index_t ldb, double beta, double* C, index_t ldc,
          const GemmOptions& options) {
  if (m == 0 || n == 0) return;
  // beta is applied up front, so the kernels only ever overwrite or add.
  if (beta != 0.0 && beta != 1.0) {
    for (index_t i = 0; i < m; ++i)
      for (index_t j = 0; j < n; ++j) C[i * ldc + j] *= beta;
  }
  const bool accumulate = beta != 0.0;
  const bool multiplies = k > 0 && alpha != 0.0;
  const KernelSet& ks = *engine.kernels;
  const GemmEpilogue& epilogue = options.epilogue;
  // Where beta·C is not all finite, the overflow check (Problem::recompute_infinities) needs it as it was.
  std::vector<double> c_before;
  if (accumulate && multiplies && !all_finite(m, n, C, ldc)) {
    c_before.resize(static_cast<size_t>(m * n));
    for (index_t i = 0; i < m; ++i) std::copy(C + i * ldc, C + i * ldc + n, c_before.data() + i * n);
  }
  // Made only where it is used: a tiny product's whole cost is a few times its set-up.
  const auto problem = [&] {
    return Problem{trans_a,
                   trans_b,
                   m,
                   n,
                   k,
                   alpha,
                   A,
                   lda,
                   B,
                   ldb,
                   C,
                   ldc,
                   accumulate,
                   c_before.empty() ? nullptr : c_before.data(),
                   n,
                   options.a_rows,
                   options.a_columns,
                   epilogue,
                   0,
                   0,
                   0};
  };
  if (!multiplies) {
    // Nothing to multiply: C is beta·C (zero for beta = 0).
    if (!accumulate)
      for (index_t i = 0; i < m; ++i) std::fill(C + i * ldc, C + i * ldc + n, 0.0);
  } else if (m * n * k <= kTinyGemmWork) {
    // Tiny: straight to the kernel, before any of the larger paths' set-up.
    const bool finite = ks.tiny_gemm({trans_a, trans_b, m, n, k, alpha, A, lda, options.a_rows, options.a_columns.shift,
                                      options.a_columns.spread, B, ldb, C, ldc, accumulate});
    if (!finite) problem().recompute_infinities(C, 0, 0, m, n);
  } else {
    // The larger paths call the epilogue block by block themselves.
    const BlockSizes& bs = ks.blocks;
    if (m <= kFewRowsMax && !trans_b) {
      few_rows_gemm(engine, problem());
      return;
    }
    const bool packed = m >= bs.mr && n >= bs.nr && k >= kPackedMinDepth && m * n * k >= kPackedMinWork;
    if (packed) parallel_packed_gemm(engine, problem());
    else direct_gemm(ks, problem());
    return;
  }
  if (epilogue.apply != nullptr) epilogue.apply(epilogue.context, C, ldc, 0, 0, m, n);
}

}  // namespace deltaprop
