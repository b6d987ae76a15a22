// AVX2 + FMA3 (compiled with -mavx2 -mfma). 6 × 8 tile: 12 YMM accumulators,
// 2 of B, 1 broadcast of A, as in BLIS's Haswell configuration.
#include "../simd/vec_avx2.h"
#include "../kernel_impl.h"

namespace deltaprop {
extern const KernelSet kAvx2Kernels = make_kernel_set<Avx2, 6, 8, 12>("avx2", 72, 256, 4080);
}  // namespace deltaprop
