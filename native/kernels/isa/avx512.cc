// AVX-512F (compiled with -mavx512f). 8 × 24 tile: 24 ZMM accumulators, 3 of
// B, 1 broadcast of A, out of 32 registers: 11 loads per 24 FMAs.
#include "../simd/vec_avx512.h"
#include "../kernel_impl.h"

namespace deltaprop {
namespace {
constexpr BlockSizes kBlocks{/*mr*/ 8, /*nr*/ 24, /*mc*/ 96, /*kc*/ 384, /*nc*/ 4032};
}  // namespace

extern const KernelSet kAvx512Kernels = make_kernel_set<Avx512, kBlocks, 24>();
}  // namespace deltaprop
