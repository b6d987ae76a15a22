// Portable kernels: plain C++ one lane at a time (the compiler may still
// vectorise them for the baseline of the target). Used on CPUs without a
// better path and as the reference the other ISAs are tested against.
#include "../simd/vec_scalar.h"
#include "../kernel_impl.h"

namespace deltaprop {
namespace {
constexpr BlockSizes kBlocks{/*mr*/ 4, /*nr*/ 4, /*mc*/ 64, /*kc*/ 256, /*nc*/ 1024};
}  // namespace

extern const KernelSet kGenericKernels = make_kernel_set<ScalarLane<false>, kBlocks, 8>();
}  // namespace deltaprop
