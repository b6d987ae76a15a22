// Portable kernels: plain C++ one lane at a time (the compiler may still
// vectorise them for the baseline of the target). Used on CPUs without a
// better path and as the reference the other ISAs are tested against.
#include "../simd/vec_scalar.h"
#include "../kernel_impl.h"

namespace deltaprop {
extern const KernelSet kGenericKernels = make_kernel_set<ScalarLane<false>, 4, 4, 8>("generic", 64, 256, 1024);
}  // namespace deltaprop
