// SSE2: every x86-64 CPU. 6 × 4 tile: 12 accumulators + 2 of B + 1 of A in 16 XMM registers.
#include "../simd/vec_sse2.h"
#include "../kernel_impl.h"

namespace deltaprop {
extern const KernelSet kSse2Kernels = make_kernel_set<Sse2, 6, 4, 12>("sse2", 96, 256, 2048);
}  // namespace deltaprop
