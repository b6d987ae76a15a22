#pragma once

namespace deltaprop {

// What the CPU and the operating system together support. A vector ISA counts
// only when the OS also saves its registers on context switch (XGETBV), or
// its first instruction would fault.
struct CpuFeatures {
  bool sse2 = false;
  bool avx2_fma = false;  // AVX2 and FMA3 with YMM state enabled
  bool avx512f = false;   // AVX-512 Foundation with ZMM and opmask state enabled
  bool neon = false;      // AArch64 Advanced SIMD (always present there)
  bool amd = false;       // an AMD x86-64 (CPUID vendor "AuthenticAMD"): see gemm.cc's sliver prefetch
};

// Read once per call from CPUID; cheap, and has no shared state.
CpuFeatures detect_cpu_features();

}  // namespace deltaprop
