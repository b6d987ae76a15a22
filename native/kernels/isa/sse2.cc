// SSE2: every x86-64 CPU. 6 × 4 tile: 12 accumulators + 2 of B + 1 of A in 16 XMM registers.
#include "../simd/vec_sse2.h"
#include "../kernel_impl.h"

namespace deltaprop {
namespace {
constexpr BlockSizes kBlocks{/*mr*/ 6, /*nr*/ 4, /*mc*/ 96, /*kc*/ 256, /*nc*/ 2048};
}  // namespace

extern const KernelSet kSse2Kernels = make_kernel_set<Sse2, kBlocks, 12>();
}  // namespace deltaprop
