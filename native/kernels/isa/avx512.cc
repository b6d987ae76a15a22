// AVX-512F (compiled with -mavx512f). 8 × 24 tile: 24 ZMM accumulators, 3 of
// B, 1 broadcast of A, out of 32 registers: 11 loads per 24 FMAs.
#include "../simd/vec_avx512.h"
#include "../kernel_impl.h"

namespace deltaprop {
extern const KernelSet kAvx512Kernels = make_kernel_set<Avx512, 8, 24, 24>("avx512", 96, 384, 4032);
}  // namespace deltaprop
