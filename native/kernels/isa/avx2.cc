// AVX2 + FMA3 (compiled with -mavx2 -mfma). 6 × 8 tile: 12 YMM accumulators,
// 2 of B, 1 broadcast of A, as in BLIS's Haswell configuration.
#include "../simd/vec_avx2.h"
#include "../kernel_impl.h"

namespace deltaprop {
namespace {
constexpr BlockSizes kBlocks{/*mr*/ 6, /*nr*/ 8, /*mc*/ 72, /*kc*/ 256, /*nc*/ 4080};
}  // namespace

extern const KernelSet kAvx2Kernels = make_kernel_set<Avx2, kBlocks, 12>();
}  // namespace deltaprop
