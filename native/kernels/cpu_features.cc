#include "cpu_features.h"

#if defined(__x86_64__) || defined(_M_X64)
#if defined(_MSC_VER)
#include <intrin.h>
#else
#include <cpuid.h>
#endif
#include <cstdint>
#endif

namespace deltaprop {

#if defined(__x86_64__) || defined(_M_X64)
namespace {

void cpuid(unsigned leaf, unsigned subleaf, unsigned regs[4]) {
#if defined(_MSC_VER)
  int r[4];
  __cpuidex(r, static_cast<int>(leaf), static_cast<int>(subleaf));
  for (int i = 0; i < 4; ++i) regs[i] = static_cast<unsigned>(r[i]);
#else
  __cpuid_count(leaf, subleaf, regs[0], regs[1], regs[2], regs[3]);
#endif
}

// XCR0: which register states the OS saves. Only valid when OSXSAVE is set.
std::uint64_t xcr0() {
#if defined(_MSC_VER)
  return _xgetbv(0);
#else
  unsigned lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<std::uint64_t>(hi) << 32) | lo;
#endif
}

}  // namespace

CpuFeatures detect_cpu_features() {
  CpuFeatures f;
  f.sse2 = true;  // part of x86-64
  unsigned r[4];
  cpuid(0, 0, r);
  const unsigned max_leaf = r[0];
  // The vendor string is EBX, EDX, ECX: "Auth" "enti" "cAMD".
  f.amd = r[1] == 0x68747541u && r[3] == 0x69746e65u && r[2] == 0x444d4163u;
  cpuid(1, 0, r);
  const bool fma = (r[2] >> 12) & 1;
  const bool osxsave = (r[2] >> 27) & 1;
  if (!osxsave || max_leaf < 7) return f;
  const std::uint64_t xcr = xcr0();
  const bool ymm_state = (xcr & 0x6) == 0x6;            // SSE and AVX state
  const bool zmm_state = ymm_state && (xcr & 0xe0) == 0xe0;  // opmask, ZMM0-15 high, ZMM16-31
  cpuid(7, 0, r);
  const bool avx2 = (r[1] >> 5) & 1;
  const bool avx512f = (r[1] >> 16) & 1;
  f.avx2_fma = avx2 && fma && ymm_state;
  f.avx512f = avx512f && f.avx2_fma && zmm_state;
  return f;
}

#elif defined(__aarch64__) || defined(_M_ARM64)

CpuFeatures detect_cpu_features() {
  CpuFeatures f;
  f.neon = true;
  return f;
}

#else

CpuFeatures detect_cpu_features() { return {}; }

#endif

}  // namespace deltaprop
