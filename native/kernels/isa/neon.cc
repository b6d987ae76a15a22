// AArch64 Advanced SIMD. 6 × 8 tile: 24 Q-register accumulators, 4 of B, 1 of A.
#include "../simd/vec_neon.h"
#include "../kernel_impl.h"

namespace deltaprop {
namespace {
constexpr BlockSizes kBlocks{/*mr*/ 6, /*nr*/ 8, /*mc*/ 96, /*kc*/ 256, /*nc*/ 2048};
}  // namespace

extern const KernelSet kNeonKernels = make_kernel_set<Neon, kBlocks, 16>();
}  // namespace deltaprop
