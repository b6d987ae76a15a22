// AArch64 Advanced SIMD. 6 × 8 tile: 24 Q-register accumulators, 4 of B, 1 of A.
#include "../simd/vec_neon.h"
#include "../kernel_impl.h"

namespace deltaprop {
extern const KernelSet kNeonKernels = make_kernel_set<Neon, 6, 8, 16>("neon", 96, 256, 2048);
}  // namespace deltaprop
